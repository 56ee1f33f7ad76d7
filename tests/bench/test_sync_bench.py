"""`manage.py bench_sync` at a tiny scale: the payloads served by its own local HTTP server,
`sync` run twice on the test database, the figures printed and written."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bench.management.commands import bench_sync
from cartography.models import AreaKind, Premises, PremisesKind, ReferenceArea
from directory.models import FundingScheme, Organisation
from importers.models import ImportRun, RunStatus
from tests.importers.conftest import communes_file, fast_communes  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

SOURCES = {
    "aides-territoires",
    "sirene",
    "rna",
    "recherche-entreprises",
    "data-inclusion",
    "cartofriches",
    "qpv",
}


def test_two_syncs_are_measured_and_the_unchanged_one_writes_nothing(
    monkeypatch,
    tmp_path,
    fast_communes,  # noqa: F811 - the fixture imported above
):
    # The test database's name has no "bench": let the bench empty it (rolled back after).
    monkeypatch.setattr(bench_sync, "BENCH_MARKER", "test")
    out = StringIO()

    call_command("bench_sync", scale=0.02, output=tmp_path, stdout=out)

    [path] = tmp_path.glob("*-sync.json")
    assert path.with_suffix(".md").read_text(encoding="utf-8").startswith("# bench_sync, scale")
    result = json.loads(path.read_text(encoding="utf-8"))
    first, second = result["runs"]
    # National-shaped: SIRENE serves far more rows than the territory keeps.
    assert result["rows_served"]["sirene"] == 1_000
    assert result["rows_served"]["recherche-entreprises"] == 25
    assert result["rows_served"]["rna"] == 400
    assert result["rows_served"]["data-inclusion"] == 400
    assert result["rows_served"]["cartofriches"] == 3
    assert result["rows_served"]["qpv"] == 32
    for run in (first, second):
        assert run["failed"] == []
        assert {figures["source"] for figures in run["sources"]} == SOURCES
        assert run["rows_read"] == sum(result["rows_served"].values())
        assert run["rows_per_second"] > 0
        assert run["peak_memory_mb"] > 0
        for figures in run["sources"]:
            assert figures["rows_read"] == result["rows_served"][figures["source"]]
            assert figures["rows_per_second"] > 0
            assert figures["peak_memory_mb"] > 0
    by_source = {figures["source"]: figures for figures in first["sources"]}
    assert by_source["sirene"]["out_of_territory"] > by_source["sirene"]["created"] > 0
    assert by_source["recherche-entreprises"]["created"] > 0
    # RNA: the national file's few associations of Lille, geocoded by the local BAN.
    assert by_source["rna"]["out_of_territory"] > by_source["rna"]["created"] > 0
    assert Organisation.objects.filter(
        name__startswith="ASSOCIATION N°", rna_id__startswith="W59", location__isnull=False
    ).exists()
    # data·inclusion and QPV: national files, a few rows in the territory.
    assert by_source["data-inclusion"]["out_of_territory"] > by_source["data-inclusion"]["created"]
    assert by_source["data-inclusion"]["created"] > 0
    assert by_source["qpv"]["created"] == 12
    assert by_source["qpv"]["out_of_territory"] == 20
    assert (
        ReferenceArea.objects.filter(kind=AreaKind.QPV, name__endswith="(banc d'essai)").count()
        == 12
    )
    # Cartofriches: the API answers per commune of the territory; friches become drafts.
    assert by_source["cartofriches"]["created"] == 3
    assert Premises.objects.filter(kind=PremisesKind.FRICHE, footprint__isnull=False).count() == 1
    assert by_source["aides-territoires"]["set_aside"] > by_source["aides-territoires"]["created"]
    assert first["written"] > 0
    assert first["rows_changed"] >= first["written"]
    # The unchanged second run: nothing created, updated, or touched in the tables.
    assert second["written"] == 0
    assert second["rows_changed"] == 0
    assert second["organisations"] == first["organisations"] == Organisation.objects.count()
    assert FundingScheme.objects.filter(name__endswith="(banc d'essai)").exists()
    assert ImportRun.objects.filter(status=RunStatus.SUCCEEDED).exclude(
        source__slug="communes"
    ).count() == 2 * len(SOURCES)
    output = out.getvalue()
    assert "second passage (rien n'a changé)" in output
    assert "0 écrites selon les imports, 0 lignes de base modifiées (xmin)" in output


def test_the_sync_bench_refuses_a_database_that_is_not_a_bench_one(tmp_path):
    with pytest.raises(CommandError, match="la mesure vide la base"):
        call_command("bench_sync", scale=0.01, output=tmp_path, stdout=StringIO())
    assert not list(tmp_path.iterdir())


def test_make_bench_ends_with_the_sync_figure():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    bench = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    assert bench.rstrip().endswith("$(MAKE) bench-sync")
    sync = makefile.split("\nbench-sync:", 1)[1].split("\n\n", 1)[0]
    assert "bench_sync --scale" in sync

"""Copies of one identifier in the sources `manage.py bench_hostile` measured past 500 MB
(100,000 copies, README "Hostile files"): a few hundred here. The first row is kept, every
later copy refused as a double, and the refused copies of one row share its raw text (the
memory they took) instead of holding one each; communes no longer holds the copies until
the file ends, SIAE no longer holds its file twice."""

import csv
import io
import json

import pytest

from cartography.models import AreaKind, ReferenceArea
from directory.models import Organisation
from importers.engine.services import source_import
from importers.models import ImportRun
from importers.sources.quartiers import DATA_FILE
from importers.sources.siae import DATA_FILE as SIAE_FILE

pytestmark = pytest.mark.django_db

COPIES = 300
DOUBLE = "Identifiant en double dans le fichier"


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue().encode()


def _doubles_of(report) -> list:
    doubles = [rejection for rejection in report.rejections if DOUBLE in rejection.reason]
    assert len(doubles) == COPIES - 1
    stored = ImportRun.objects.get(pk=report.run_id).rejections
    assert stored.filter(reason__startswith=DOUBLE).count() == COPIES - 1
    return doubles


def _one_text(doubles: list) -> None:
    """The refused copies hold one raw text and one reason between them."""
    assert len({id(rejection.raw_text) for rejection in doubles}) == 1
    assert len({id(rejection.reason) for rejection in doubles}) == 1


def test_copies_of_a_commune_are_refused_as_they_stream_and_the_first_is_kept(
    communes_file, tmp_path
):
    csv.field_size_limit(2**31 - 1)
    with communes_file.open(encoding="utf-8", newline="") as stream:
        header, *rows = csv.reader(stream)
    lille = next(row for row in rows if row[1] == "59350")
    later = [*lille[:3], "Lille (copie)", *lille[4:]]
    path = tmp_path / "communes.csv"
    path.write_bytes(_csv(header, [*rows, *[later] * (COPIES - 1)]))

    report = source_import(slug="communes", path=path)

    assert report.created == len(rows)
    area = ReferenceArea.objects.get(kind=AreaKind.COMMUNE, code="59350")
    assert area.name == "Lille"
    doubles = _doubles_of(report)
    assert {rejection.external_id for rejection in doubles} == {"COM:59350"}
    assert doubles[0].raw["nom"] == "Lille (copie)"
    assert sorted(r.row_number for r in doubles) == list(
        range(len(rows) + 2, len(rows) + COPIES + 1)
    )
    _one_text(doubles)


def test_copies_of_a_quartier_share_one_raw_text(fast_communes, tmp_path):
    source_import(slug="communes")
    with DATA_FILE.open(encoding="utf-8", newline="") as stream:
        header, moulins, *_ = csv.reader(stream)
    path = tmp_path / "quartiers.csv"
    path.write_bytes(_csv(header, [moulins] * COPIES))

    report = source_import(slug="quartiers", path=path)

    assert report.created == 1
    assert ReferenceArea.objects.get(kind=AreaKind.QUARTIER).name == "Lille-Moulins"
    _one_text(_doubles_of(report))


def test_copies_of_an_siae_keep_the_first_and_share_one_raw_text(fast_communes, tmp_path):
    source_import(slug="communes")
    insersol = next(
        r for r in json.loads(SIAE_FILE.read_text()) if r["fields"]["name"] == "INSERSOL"
    )
    later = insersol | {"fields": insersol["fields"] | {"name": "INSERSOL (copie)"}}
    path = tmp_path / "siaes.json"
    path.write_text(json.dumps([insersol, *[later] * (COPIES - 1)]), encoding="utf-8")

    report = source_import(slug="siae", path=path)

    assert report.created == 1
    assert Organisation.objects.get().name == "INSERSOL"
    doubles = _doubles_of(report)
    assert doubles[0].raw["name"] == "INSERSOL (copie)"
    _one_text(doubles)

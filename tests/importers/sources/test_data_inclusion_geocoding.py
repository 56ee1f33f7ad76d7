"""`data-inclusion` rows without coordinates are placed by the BAN's bulk CSV endpoint, in
batches, never row by row; a poor or failing BAN never invents a point."""

import csv
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from werkzeug import Response

from directory.models import GeocodingQuality, Organisation, Provenance
from importers.engine.services import source_import
from importers.models import ImportRun, RunStatus

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "data-inclusion" / "structures.csv"


def structures(path: Path, addresses: list[tuple[str, str, str]]) -> Path:
    """A data·inclusion CSV of the sample's columns: one structure per (name, address,
    INSEE code), without coordinates."""
    with SAMPLE.open(encoding="utf-8", newline="") as stream:
        header = csv.DictReader(stream).fieldnames
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        for number, (name, address, insee) in enumerate(addresses, start=1):
            writer.writerow(
                dict.fromkeys(header, "")
                | {"source": "dora", "id": f"s{number}", "nom": name, "adresse": address}
                | {"code_insee": insee, "commune": "Lille", "code_postal": "59000"}
            )
    return path


def test_rows_without_a_point_are_placed_in_one_bulk_request(ban, tmp_path):
    path = structures(
        tmp_path / "structures.csv",
        [
            ("Théâtre Ariadne", "235 boulevard Paul Painlevé", "59350"),
            ("Atelier de Hellemmes", "20 rue Roger Salengro", "59298"),
            ("Quelque part", "rue du Bois", "59350"),  # the BAN only knows the commune
            ("Ailleurs", "8 rue de Lannoy", "59512"),  # out of the territory: not asked
        ],
    )
    report = source_import(slug="data-inclusion", path=path)
    assert (report.created, report.out_of_territory) == (3, 1)
    assert len(ban) == 1
    assert ban[0]["data"].count("\n") == 4  # a header and three addresses
    assert "Lannoy" not in ban[0]["data"]
    ariadne = Organisation.objects.get(name="Théâtre Ariadne")
    assert (ariadne.location.x, ariadne.location.y) == (3.072722, 50.619712)
    assert (ariadne.geocoding_quality, ariadne.geocoding_score) == (
        GeocodingQuality.HOUSENUMBER,
        0.96,
    )
    assert Organisation.objects.get(name="Atelier de Hellemmes").location is not None
    assert Organisation.objects.get(name="Quelque part").location is None  # nothing invented
    raw = Provenance.objects.get(external_id="dora:s1").raw
    assert raw["_geocodage"]["label"] == "235 Boulevard Paul Painlevé 59000 Lille"


def test_rows_with_their_own_point_are_not_asked(ban):
    report = source_import(slug="data-inclusion", path=SAMPLE)
    assert report.created == 4
    assert ban == []


def test_a_large_file_goes_in_batches_of_the_setting(ban, tmp_path, settings):
    settings.CARTESS_BAN_BATCH_SIZE = 25
    rows = [(f"Structure {n}", f"{n} rue du Bois", "59350") for n in range(1, 61)]
    report = source_import(slug="data-inclusion", path=structures(tmp_path / "big.csv", rows))
    assert report.created == 60
    assert [call["data"].count("\n") - 1 for call in ban] == [25, 25, 10]


def test_a_ban_that_trickles_fails_the_run_in_seconds(httpserver, settings, tmp_path):
    def trickle(request):
        def drip():
            for _ in range(100):
                time.sleep(0.1)
                yield b"x"

        return Response(drip(), headers={"Content-Length": "100"})

    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/slow-ban")
    settings.CARTESS_HTTP_DEADLINE = 1.0
    httpserver.expect_request("/slow-ban/search/csv/").respond_with_handler(trickle)
    path = structures(tmp_path / "s.csv", [("Théâtre Ariadne", "235 bd Painlevé", "59350")])
    started = time.monotonic()
    with pytest.raises(CommandError, match="durée maximale d'une requête"):
        call_command("import", "data-inclusion", "--file", str(path))
    assert time.monotonic() - started < 3
    assert ImportRun.objects.get().status == RunStatus.FAILED
    assert not Organisation.objects.exists()

"""The seed's addresses placed by the BAN (issue 15) when the run asks for it: `import seed
--geocode`, `manage.py sync` and the schedule; never the offline `import --all`. Nothing is
invented, a point the file or a person gave stays, and a BAN that fails costs points only."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from directory.models import GeocodingQuality, Organisation, Provenance
from importers.engine.services import source_import
from importers.models import GeocodingCacheEntry, ImportRun
from importers.sources.seed import organisation_ref
from importers.sources.seed_addresses import street_for_ban
from importers.sync import source_last_success

pytestmark = pytest.mark.django_db

APES = "Acteurs pour une Économie Solidaire (APES Hauts-de-France)"
#: The BAN's match of "235 Boulevard Paul Painlevé" (tests.importers.ban.KNOWN).
PAINLEVE = (3.072722, 50.619712)


@pytest.fixture
def broken_ban(httpserver, settings) -> None:
    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/ban")
    settings.CARTESS_HTTP_RETRY_DELAY = 0.01
    httpserver.expect_request("/ban/search/csv/").respond_with_data("panne", status=503)


def organisation(start: str) -> Organisation:
    return Organisation.objects.get(name__startswith=start)


def test_the_offline_import_asks_nothing_and_places_only_what_the_file_gives(ban):
    report = source_import(slug="seed")
    assert ban == []
    assert report.created > 30
    placed = Organisation.objects.filter(location__isnull=False)
    assert list(placed.values_list("name", flat=True)) == ["EuraTechnologies"]
    assert organisation("Acteurs pour une").location is None


def test_geocoding_places_the_street_addresses_in_one_bulk_request(ban):
    report = source_import(slug="seed", geocode=True)
    assert len(ban) == 1
    asked = ban[0]["data"].splitlines()
    # The streets of the territory without coordinates; EuraTechnologies has its own point,
    # a commune alone ("Lille") or no address at all is not an address.
    assert len(asked) - 1 == 11
    assert "165 avenue de Bretagne" not in ban[0]["data"]
    assert "Maison Stéphane Hessel" not in ban[0]["data"]  # a bracketed note is not a place
    assert "BP 667" not in ban[0]["data"]
    assert "99 rue Saint-Sauveur" in ban[0]["data"]

    apes = organisation("Acteurs pour une")
    assert (apes.location.x, apes.location.y) == PAINLEVE
    assert (apes.geocoding_quality, apes.geocoding_score) == (GeocodingQuality.HOUSENUMBER, 0.96)
    # The four organisations of the Maison Stéphane Hessel share its point.
    assert Organisation.objects.filter(location=Point(*PAINLEVE, srid=4326)).count() == 4
    euratech = organisation("EuraTechnologies")
    assert euratech.geocoding_quality == GeocodingQuality.SOURCE  # the file's point stays
    # Addresses the BAN does not match well enough, and rows without address: no point.
    assert organisation("Crédit Municipal").location is None
    assert organisation("Nord Actif").location is None
    raw = Provenance.objects.get(source__slug="seed", external_id=organisation_ref(APES)).raw
    assert raw["_geocodage"]["label"] == "235 Boulevard Paul Painlevé 59000 Lille"
    assert ImportRun.objects.get(pk=report.run_id).parameters["geocode"] is True


def test_a_later_offline_run_keeps_the_points_the_ban_gave(ban):
    source_import(slug="seed", geocode=True)
    report = source_import(slug="seed")
    assert report.rejected == 0
    assert organisation("Acteurs pour une").location.tuple == PAINLEVE
    assert len(ban) == 1  # the offline run asked nothing


def test_a_point_a_person_set_is_kept(ban):
    source_import(slug="seed")
    apes = organisation("Acteurs pour une")
    by_hand = Point(3.0731, 50.6201, srid=4326)
    Organisation.objects.filter(pk=apes.pk).update(
        location=by_hand, geocoding_quality=GeocodingQuality.MANUAL
    )
    report = source_import(slug="seed", geocode=True)
    apes.refresh_from_db()
    assert (apes.location.tuple, apes.geocoding_quality) == (by_hand.tuple, "manual")
    assert any("conservé" in line for line in report.kept)


def test_a_failing_ban_loads_the_seed_without_those_points_and_says_so(broken_ban):
    report = source_import(slug="seed", geocode=True)
    assert report.created > 30
    assert Organisation.objects.filter(location__isnull=False).count() == 1  # EuraTechnologies
    assert any("le géocodeur (BAN) n'a pas répondu" in line for line in report.warnings)


def test_a_failing_ban_leaves_the_points_of_an_earlier_run(ban, settings, httpserver):
    source_import(slug="seed", geocode=True)
    httpserver.clear()
    httpserver.expect_request("/ban/search/csv/").respond_with_data("panne", status=503)
    GeocodingCacheEntry.objects.all().delete()  # the cache would answer without the BAN
    source_import(slug="seed", geocode=True)
    assert organisation("Acteurs pour une").location.tuple == PAINLEVE


def test_the_command_asks_the_ban_only_for_a_source_that_geocodes(ban):
    out = StringIO()
    call_command("import", "seed", "--geocode", stdout=out, stderr=StringIO())
    assert len(ban) == 1
    with translation.override("fr"), pytest.raises(CommandError, match="--geocode"):
        call_command("import", "siae", "--geocode", stdout=StringIO())


def test_sync_finds_the_seed_due_until_a_run_geocoded_it(ban):
    source_import(slug="seed")
    assert source_last_success(slug="seed") is None  # the offline run does not count
    source_import(slug="seed", geocode=True)
    assert timezone.now() - source_last_success(slug="seed") < timedelta(minutes=1)


def test_sync_geocodes_the_seed(ban):
    out = StringIO()
    with translation.override("fr"):
        call_command("sync", "--only", "seed", stdout=out, stderr=StringIO())
    assert "[1/1] seed" in out.getvalue()
    assert organisation("Acteurs pour une").location.tuple == PAINLEVE


@pytest.mark.parametrize(
    ("street", "asked"),
    [
        ("235 Boulevard Paul Painlevé (Maison Stéphane Hessel)", "235 Boulevard Paul Painlevé"),
        ("Pavillon Saint-Sauveur, 99 rue Saint-Sauveur, BP 667", "99 rue Saint-Sauveur"),
        ("1 rue du Ballon, CS 50749", "1 rue du Ballon"),
        ("Gare Saint-Sauveur (halle B)", "Gare Saint-Sauveur"),
        ("81 rue Gantois", "81 rue Gantois"),
    ],
)
def test_the_ban_is_asked_the_place_not_the_postal_details(street, asked):
    assert street_for_ban(street) == asked

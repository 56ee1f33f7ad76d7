"""GDAL's OGC API Features driver (`ogrinfo OAPIF:`) reads /ogc/: the collections as
layers, their features with geometry type and CRS, and where each comes from (issue 18)."""

import datetime
import shutil
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType

from directory.models import Organisation, Provenance, PublicationStatus, Source
from directory.reader_tokens import reader_api_token_create
from tests.factories import FIVES, WAZEMMES, make_area, make_organisation, make_premises, make_user

OGRINFO = shutil.which("ogrinfo") or "/usr/bin/ogrinfo"  # gdal-bin: config/dev/system-deps.sh

# The live server reads from its own connection: the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def ogrinfo(*args: str) -> str:
    done = subprocess.run(
        [OGRINFO, "-ro", *args], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


def _imported_from_anct(listing: Organisation) -> None:
    anct = Source.objects.create(
        slug="tiers-lieux-test",
        name="Tiers-lieux (ANCT)",
        licence="Licence Ouverte 2.0",
        data_dated="Tiers-lieux au 1er mars 2026",
    )
    seen = datetime.datetime(2026, 3, 14, tzinfo=datetime.UTC)
    Provenance.objects.create(
        source=anct,
        external_id="TL-1",
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=listing.pk,
        content_hash="x",
        first_seen_at=seen,
        last_seen_at=seen,
    )


def test_gdal_lists_the_collections_and_reads_features(live_server):
    make_organisation("Les Jardins de Fives", location=FIVES.clone())
    imported = make_organisation("La Grappe", location=WAZEMMES.clone())
    _imported_from_anct(imported)
    make_area("quartier", "59350-4", "Fives", (3.08, 50.62, 3.10, 50.64))
    make_premises("Friche Fives Cail", publication_status=PublicationStatus.PUBLISHED)
    source = f"OAPIF:{live_server.url}/ogc/"

    listing = ogrinfo("-so", source)
    for name in ("organisations", "premises", "areas-quartier", "funding-schemes"):
        assert f": {name} " in listing
    # The layer's description names the sources and the licence (QGIS shows it too).
    described = ogrinfo("-so", source, "organisations")
    assert "Tiers-lieux (ANCT) (licence : Licence Ouverte 2.0)" in described
    assert "Licence de l'export : Licence Ouverte 2.0 (Etalab)." in described

    organisations = ogrinfo("-al", "-geom=SUMMARY", source, "organisations")
    assert "Geometry: Point" in organisations
    assert "Feature Count: 2" in organisations
    assert 'ID["EPSG",4326]' in organisations or "WGS 84" in organisations
    assert "name (String) = La Grappe" in organisations
    assert "POINT" in organisations
    # Where each feature comes from: flat text columns, typed String whatever the page.
    assert "source (String) = Tiers-lieux (ANCT)" in organisations
    assert "source (String) = Cartess" in organisations
    assert "licence (String) = Licence Ouverte 2.0\n" in organisations
    assert "licence (String) = Licence Ouverte 2.0 (Etalab)" in organisations
    assert "data_date (String) = Tiers-lieux au 1er mars 2026" in organisations
    assert "data_date (String) = mise à jour le " in organisations

    areas = ogrinfo("-al", "-geom=SUMMARY", source, "areas-quartier")
    assert "Multi Polygon" in areas or "MultiPolygon" in areas


def test_gdal_reads_the_staff_sites_with_a_reader_token(live_server):
    agent = make_user("agent-sig", groups=("Services de la Ville",))
    secret = reader_api_token_create(user=agent, name="GDAL")[1]
    make_premises("Friche Fives Cail", publication_status=PublicationStatus.PUBLISHED)
    make_premises("Hangar en discussion", location=FIVES.clone(), owner_name="SPL Euralille")
    source = f"OAPIF:{live_server.url}/ogc/"

    public = ogrinfo("-al", source, "premises")
    staff = ogrinfo(
        "--config", "GDAL_HTTP_HEADERS", f"Authorization: Token {secret}", "-al", source, "premises"
    )

    assert "Hangar en discussion" not in public
    assert "Feature Count: 2" in staff
    assert "owner_name (String) = SPL Euralille" in staff

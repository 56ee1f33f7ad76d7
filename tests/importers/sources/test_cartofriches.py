"""`cartofriches`: the CNIG example row (moved to Lille), axis order, and the Cerema API."""

import csv
import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cartography.models import OwnerType, Pollution, Premises, PremisesStatus
from directory.models import Provenance, PublicationStatus
from importers.engine.errors import ImportFailed, RowRejected
from importers.engine.services import source_import
from importers.io.http import Fetcher, RetryPolicy
from importers.models import ImportRejection
from importers.sources.cartofriches import geometry_from, map_friche

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "data/cartofriches/cnig-friches-fichier-valide.csv"
#: Fives-Cail, Lille: a point and an outline around it, lon/lat.
FIVES_POINT = "POINT(50.6321 3.0890)"  # latitude first, as the CNIG example writes it
FIVES_OUTLINE = (
    "POLYGON((3.0870 50.6310, 3.0910 50.6310, 3.0910 50.6335, 3.0870 50.6335, 3.0870 50.6310))"
)


def sample() -> tuple[list[str], dict]:
    with SAMPLE.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return reader.fieldnames, next(reader)


def lille(**changes) -> dict:
    _header, row = sample()
    return row | {
        "site_id": "59350_0001",
        "site_nom": "Fives-Cail Babcock",
        "site_adresse": "rue Pierre Legrand",
        "comm_nom": "LILLE",
        "comm_insee": "59350",
        "site_statut": "friche sans projet",
        "proprio_nom": "Métropole Européenne de Lille",
        "urba_zone_type": "U",
        "geompoint": FIVES_POINT,
        "geomsurf": FIVES_OUTLINE,
        **changes,
    }


def write(path: Path, rows: list[dict]) -> Path:
    header, _row = sample()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_cnig_example_row_is_read_and_dropped_outside_the_territory():
    report = source_import(slug="cartofriches", path=SAMPLE)
    assert (report.rows_read, report.out_of_territory, report.created) == (1, 1, 0)


def test_the_example_row_maps_with_its_swapped_point_fixed():
    _header, row = sample()
    mapped = map_friche(row)
    assert mapped.data.location.coords == (3.9815, 49.2527)
    assert any("inversées" in warning for warning in mapped.warnings)
    assert mapped.data.footprint is None  # "..." in the example polygon
    assert (mapped.data.status, mapped.data.pollution) == (
        PremisesStatus.UNDER_PROJECT,
        Pollution.YES,
    )
    assert (mapped.data.surface_m2, mapped.data.built_surface_m2) == (16750, 2400)
    assert mapped.data.owner_type == OwnerType.CITY
    assert mapped.data.planning_zone == "N"


def test_a_lille_friche_is_imported_as_a_draft_with_point_and_outline(tmp_path):
    report = source_import(slug="cartofriches", path=write(tmp_path / "f.csv", [lille()]))
    assert report.created == 1
    friche = Premises.objects.get()
    assert friche.kind == "friche"
    assert friche.publication_status == PublicationStatus.DRAFT
    assert friche.location.coords == (3.089, 50.6321)
    assert friche.footprint.contains(friche.location)
    assert (friche.status, friche.owner_type) == (PremisesStatus.AVAILABLE, OwnerType.METROPOLE)
    assert friche.owner_name == "Métropole Européenne de Lille"
    assert Provenance.objects.get(object_id=friche.pk).source.slug == "cartofriches"


def test_a_private_person_s_name_is_never_stored():
    mapped = map_friche(lille(proprio_personne="personne physique", proprio_nom="Jean Dupont"))
    assert (mapped.data.owner_type, mapped.data.owner_name) == (OwnerType.PRIVATE, "")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("POINT(120 -30)", "hors de France"),
        ("SRID=2154;POINT(704000 7059000)", "propre SRID"),
        ("POINT(3.08", "illisible"),
    ],
)
def test_unusable_geometries_are_refused(value, reason):
    with pytest.raises(RowRejected, match=reason):
        geometry_from(value)


def test_bad_rows_are_rejected_others_imported_and_a_rerun_changes_nothing(tmp_path):
    rows = [
        lille(),
        lille(site_id="59350_0002", geompoint="POINT(120 -30)", geomsurf=""),
        lille(site_id="59350_0001"),  # duplicated id
    ]
    path = write(tmp_path / "f.csv", rows)
    report = source_import(slug="cartofriches", path=path)
    assert (report.created, report.rejected) == (1, 2)
    reasons = " ".join(r.reason for r in report.rejections)
    assert "hors de France" in reasons
    assert "en double" in reasons
    again = source_import(slug="cartofriches", path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_publication_decided_by_staff_survives_a_reimport(tmp_path):
    path = write(tmp_path / "f.csv", [lille()])
    source_import(slug="cartofriches", path=path)
    Premises.objects.update(publication_status=PublicationStatus.PUBLISHED)
    write(path, [lille(site_statut="friche avec projet")])
    report = source_import(slug="cartofriches", path=path)
    friche = Premises.objects.get()
    assert friche.publication_status == PublicationStatus.PUBLISHED
    assert friche.status == PremisesStatus.UNDER_PROJECT
    assert report.updated == 1


def test_a_truncated_file_leaves_the_database_unchanged(tmp_path):
    path = write(tmp_path / "f.csv", [lille(), lille(site_id="59350_0002")])
    content = path.read_text(encoding="utf-8")
    path.write_text(content[: len(content) - 200], encoding="utf-8")
    with pytest.raises(ImportFailed):
        source_import(slug="cartofriches", path=path)
    assert not Premises.objects.exists()


def api_record(site_id: str, **changes) -> dict:
    record = dict(lille(site_id=site_id))
    record.pop("geomsurf")
    record["geompoint"] = {"type": "Point", "coordinates": [3.0890, 50.6321]}
    return record | changes


@pytest.fixture
def cerema(httpserver) -> str:
    outline = {
        "type": "Polygon",
        "coordinates": [[[3.087, 50.631], [3.091, 50.631], [3.091, 50.6335], [3.087, 50.631]]],
    }
    httpserver.expect_request(
        "/cartofriches/geofriches/", query_string={"code_insee": "59350"}
    ).respond_with_json(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"site_id": "59350_0001"}, "geometry": outline}
            ],
        }
    )
    httpserver.expect_request("/cartofriches/geofriches/").respond_with_json(
        {"type": "FeatureCollection", "features": []}
    )
    second = httpserver.url_for("/cartofriches/friches/") + "?code_insee=59350&page=2"
    httpserver.expect_request(
        "/cartofriches/friches/", query_string="code_insee=59350&page=2"
    ).respond_with_json({"count": 2, "next": None, "results": [api_record("59350_0002")]})
    httpserver.expect_request(
        "/cartofriches/friches/", query_string={"code_insee": "59350", "page_size": "500"}
    ).respond_with_json({"count": 2, "next": second, "results": [api_record("59350_0001")]})
    httpserver.expect_request("/cartofriches/friches/").respond_with_json(
        {"count": 0, "next": None, "results": []}
    )
    return httpserver.url_for("/")


def test_the_cerema_api_is_read_page_after_page_with_outlines_joined(cerema):
    fetcher = Fetcher(retry=RetryPolicy(attempts=2, base_delay=0.001), sleep=lambda s: None)
    report = source_import(slug="cartofriches", url=cerema, fetcher=fetcher)
    assert report.created == 2
    first = Premises.objects.get(name="Fives-Cail Babcock", footprint__isnull=False)
    assert first.footprint.num_geom == 1
    again = source_import(slug="cartofriches", url=cerema, fetcher=fetcher)
    assert (again.created, again.updated) == (0, 0)


def stored_raw() -> str:
    """Every raw record the database keeps: provenances and rejections."""
    return repr(
        [
            *Provenance.objects.values_list("raw", flat=True),
            *ImportRejection.objects.values_list("raw", flat=True),
        ]
    )


def test_a_private_owners_name_is_kept_in_no_raw_record(tmp_path):
    private = {"proprio_personne": "personne physique", "proprio_nom": "Jean Dupont"}
    rows = [
        lille(**private),
        lille(site_id="59350_0002", geompoint="POINT(120 -30)", geomsurf="", **private),
    ]
    report = source_import(slug="cartofriches", path=write(tmp_path / "f.csv", rows))
    assert (report.created, report.rejected) == (1, 1)
    assert Premises.objects.get().owner_type == OwnerType.PRIVATE
    assert Provenance.objects.get().raw["proprio_nom"] == ""
    assert "Dupont" not in stored_raw()


def test_a_saved_api_answer_keeps_neither_the_name_nor_other_fields(tmp_path):
    record = api_record(
        "59350_0001",
        proprio_personne="Personne physique",
        proprio_nom="Jean Dupont",
        source_contact="jean.dupont@example.org",
    )
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"count": 1, "next": None, "results": [record]}))
    assert source_import(slug="cartofriches", path=path).created == 1
    assert "dupont" not in stored_raw().lower()
    assert "source_contact" not in Provenance.objects.get().raw


def test_a_self_intersecting_outline_is_made_valid(tmp_path):
    bowtie = "POLYGON((3.087 50.631, 3.091 50.6335, 3.091 50.631, 3.087 50.6335, 3.087 50.631))"
    report = source_import(
        slug="cartofriches", path=write(tmp_path / "f.csv", [lille(geomsurf=bowtie)])
    )
    assert (report.created, report.rejected) == (1, 0)
    footprint = Premises.objects.get().footprint
    assert footprint.valid
    assert (footprint.geom_type, len(footprint)) == ("MultiPolygon", 2)


def test_an_outline_with_no_area_is_dropped_with_a_warning_in_french():
    flat = "POLYGON((3.087 50.631, 3.091 50.631, 3.087 50.631, 3.087 50.631))"
    mapped = map_friche(lille(geomsurf=flat))
    assert mapped.data.footprint is None
    assert mapped.warnings[-1] == (
        "emprise ignorée (contour invalide : il ne délimite aucune surface)"
    )


def test_an_unreadable_geometry_is_explained_in_french():
    with pytest.raises(RowRejected) as rejected:
        geometry_from("POINT(3.08")
    assert rejected.value.reason == "Géométrie illisible (ni WKT ni GeoJSON)."


def test_the_report_says_which_coordinates_were_swapped(tmp_path):
    out = StringIO()
    call_command(
        "import", "cartofriches", "--file", write(tmp_path / "f.csv", [lille()]), stdout=out
    )
    assert "latitude et longitude inversées dans geompoint, corrigées" in out.getvalue()


def test_a_saved_answer_without_site_id_anywhere_fails(tmp_path):
    record = api_record("59350_0001")
    record["identifiant"] = record.pop("site_id")
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"count": 1, "next": None, "results": [record]}))
    with pytest.raises(ImportFailed, match="site_id"):
        source_import(slug="cartofriches", path=path)
    assert not Premises.objects.exists()

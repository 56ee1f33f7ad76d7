"""A person's value wins over a re-import, and the disagreement is listed for review."""

import shutil
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from directory.models import Organisation, Provenance
from importers.engine.review import disagreement_accept, disagreement_dismiss
from importers.engine.services import source_import
from importers.models import DisagreementStatus, FieldDisagreement
from importers.sources.seed import DATA_DIR as SEED_DIR
from tests.importers.ban import bulk_handler
from tests.importers.engine.test_runs import rewrite_csv, seed_copy

pytestmark = pytest.mark.django_db

NORD_ACTIF = "Nord Actif (France Active Nord)"
PERSON_TEXT = "Fiche relue par le réseau : garantie, prêts et accompagnement."
SIRENE = Path(__file__).resolve().parents[2] / "data" / "sirene"
JARDINS = "50100001200010"


def seed_saying(tmp_path: Path, folder: str, **values: str) -> Path:
    """A copy of the seed files where Nord Actif's row says `values` (CSV columns)."""
    target = tmp_path / folder
    shutil.copytree(seed_copy(tmp_path / f"{folder}-base"), target)

    def change(row):
        if row["name"] == NORD_ACTIF:
            row.update(values)
        return row

    rewrite_csv(SEED_DIR / "organisations.csv", target / "organisations.csv", change)
    return target


@pytest.fixture
def edited():
    """The seed imported, then Nord Actif's description rewritten by a person."""
    source_import(slug="seed")
    nord_actif = Organisation.objects.get(name=NORD_ACTIF)
    nord_actif.description = PERSON_TEXT
    nord_actif.save()
    return nord_actif


def test_a_hand_edit_then_a_different_source_value_records_one_disagreement(tmp_path, edited):
    report = source_import(slug="seed", path=seed_saying(tmp_path, "v2", summary="Résumé v2."))

    edited.refresh_from_db()
    assert edited.description == PERSON_TEXT
    disagreement = FieldDisagreement.objects.get()
    assert disagreement.field == "description"
    assert disagreement.current_value == PERSON_TEXT
    assert disagreement.incoming_value == "Résumé v2."
    assert disagreement.status == DisagreementStatus.OPEN
    assert disagreement.provenance.record == edited
    assert report.disagreements == 1
    assert (
        "désaccords à examiner (valeur saisie à la main ou par une autre source) : 1"
        in "\n".join(report.lines())
    )


def test_a_re_import_with_no_new_source_value_records_nothing(edited):
    source_import(slug="seed")

    assert not FieldDisagreement.objects.exists()


def test_re_runs_keep_one_open_disagreement_per_field_with_the_latest_value(tmp_path, edited):
    source_import(slug="seed", path=seed_saying(tmp_path, "v2", summary="Résumé v2."))
    report = source_import(
        slug="seed",
        path=seed_saying(tmp_path, "v3", summary="Résumé v3.", website="https://na.example"),
    )

    disagreement = FieldDisagreement.objects.get()
    assert disagreement.incoming_value == "Résumé v3."
    assert disagreement.run_id == report.run_id
    assert report.disagreements == 0  # refreshed, not opened again


def test_accepting_applies_the_source_value_and_a_re_import_does_not_reopen_it(
    tmp_path, edited, admin_client
):
    source_import(slug="seed", path=seed_saying(tmp_path, "v2", summary="Résumé v2."))
    disagreement = FieldDisagreement.objects.get()

    response = admin_client.post(
        reverse("admin:importers_fielddisagreement_changelist"),
        {"action": "accept_source_value", "_selected_action": [disagreement.pk]},
        follow=True,
    )
    assertContains(response, "1 valeur(s) de la source appliquée")

    edited.refresh_from_db()
    assert edited.description == "Résumé v2."
    disagreement.refresh_from_db()
    assert disagreement.status == DisagreementStatus.ACCEPTED
    assert disagreement.reviewed_by is not None
    provenance = Provenance.objects.get(pk=disagreement.provenance_id)
    assert provenance.imported_values["description"] == "Résumé v2."
    # The same source value again (with another field changed, so the row is re-read).
    source_import(
        slug="seed",
        path=seed_saying(tmp_path, "v3", summary="Résumé v2.", website="https://na.example"),
    )
    assert FieldDisagreement.objects.filter(status=DisagreementStatus.OPEN).count() == 0
    # The field is the source's again: its next value is written, not kept.
    source_import(slug="seed", path=seed_saying(tmp_path, "v4", summary="Résumé v4."))
    edited.refresh_from_db()
    assert edited.description == "Résumé v4."


def test_keeping_the_person_s_value_closes_it_until_the_source_says_something_new(
    tmp_path, edited, admin_client
):
    source_import(slug="seed", path=seed_saying(tmp_path, "v2", summary="Résumé v2."))
    disagreement = FieldDisagreement.objects.get()

    admin_client.post(
        reverse("admin:importers_fielddisagreement_changelist"),
        {"action": "keep_person_value", "_selected_action": [disagreement.pk]},
    )

    disagreement.refresh_from_db()
    assert disagreement.status == DisagreementStatus.DISMISSED
    source_import(
        slug="seed",
        path=seed_saying(tmp_path, "v3", summary="Résumé v2.", website="https://na.example"),
    )
    assert not FieldDisagreement.objects.filter(status=DisagreementStatus.OPEN).exists()
    source_import(slug="seed", path=seed_saying(tmp_path, "v4", summary="Résumé v4."))
    reopened = FieldDisagreement.objects.get(status=DisagreementStatus.OPEN)
    assert reopened.incoming_value == "Résumé v4."
    edited.refresh_from_db()
    assert edited.description == PERSON_TEXT


def test_a_settled_disagreement_cannot_be_settled_again(tmp_path, edited):
    source_import(slug="seed", path=seed_saying(tmp_path, "v2", summary="Résumé v2."))
    disagreement = FieldDisagreement.objects.get()
    disagreement_dismiss(disagreement=disagreement, user=None)

    with pytest.raises(ValidationError, match="déjà été tranché"):
        disagreement_accept(disagreement=disagreement, user=None)
    edited.refresh_from_db()
    assert edited.description == PERSON_TEXT


def test_the_review_list_shows_the_record_and_both_values(tmp_path, edited, admin_client):
    source_import(slug="seed", path=seed_saying(tmp_path, "v2", summary="Résumé v2."))

    response = admin_client.get(reverse("admin:importers_fielddisagreement_changelist"))

    url = reverse("admin:directory_organisation_change", args=[edited.pk])
    assertContains(response, f'<a href="{url}">{NORD_ACTIF}</a>', html=True)
    assertContains(response, PERSON_TEXT[:30])
    assertContains(response, "Résumé v2.")
    assertContains(response, "modification à la main")
    page = admin_client.get(
        reverse(
            "admin:importers_fielddisagreement_change", args=[FieldDisagreement.objects.get().pk]
        )
    )
    assert page.status_code == 200


def sirene_changed(tmp_path: Path, folder: str, acronym: str, point: str) -> Path:
    """The SIRENE fixture where the Jardins' acronym and Lambert 93 point changed."""
    target = tmp_path / folder
    shutil.copytree(SIRENE, target)
    units = target / "StockUniteLegale_utf8.csv"
    units.write_text(units.read_text().replace(",AJM,", f",{acronym},"), encoding="utf-8")
    geo = target / "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv"
    geo.write_text(geo.read_text().replace("703960.0;7059070.0", point), encoding="utf-8")
    return target


def test_the_bulk_path_records_disagreements_once_and_accepting_applies_them(tmp_path):
    source_import(slug="sirene", path=SIRENE)
    Organisation.objects.filter(siret=JARDINS).update(
        acronym="JDM", location=Point(3.0601, 50.6301, srid=4326), geocoding_quality="manual"
    )

    report = source_import(
        slug="sirene", path=sirene_changed(tmp_path, "v2", "AJDM", "703990.0;7059100.0")
    )
    found = {d.field: d for d in FieldDisagreement.objects.all()}
    assert set(found) == {"acronym", "location", "geocoding_quality"}
    assert (found["acronym"].current_value, found["acronym"].incoming_value) == ("JDM", "AJDM")
    assert found["acronym"].previous_value == "AJM"
    assert found["location"].current_value == [3.0601, 50.6301]
    assert report.disagreements == 3

    source_import(slug="sirene", path=sirene_changed(tmp_path, "v3", "AJDM", "703991.0;7059100.0"))
    assert FieldDisagreement.objects.count() == 3

    disagreement_accept(disagreement=FieldDisagreement.objects.get(field="acronym"), user=None)
    assert Organisation.objects.get(siret=JARDINS).acronym == "AJDM"
    source_import(slug="sirene", path=sirene_changed(tmp_path, "v4", "AJDM", "703992.0;7059100.0"))
    assert not FieldDisagreement.objects.filter(
        field="acronym", status=DisagreementStatus.OPEN
    ).exists()


def test_accepting_a_point_moves_the_organisation_with_the_source_s_quality(tmp_path):
    source_import(slug="sirene", path=SIRENE)
    Organisation.objects.filter(siret=JARDINS).update(
        location=Point(3.0601, 50.6301, srid=4326), geocoding_quality="manual"
    )
    source_import(slug="sirene", path=sirene_changed(tmp_path, "v2", "AJM", "703990.0;7059100.0"))

    disagreement = FieldDisagreement.objects.get(field="location")
    disagreement_accept(disagreement=disagreement, user=None)

    jardins = Organisation.objects.get(siret=JARDINS)
    lon, lat = disagreement.incoming_value
    assert (round(jardins.location.x, 7), round(jardins.location.y, 7)) == (lon, lat)
    assert jardins.geocoding_quality == "source"
    assert not FieldDisagreement.objects.filter(status=DisagreementStatus.OPEN).exists()


def test_accepting_kinds_a_person_removed_adds_the_source_s_back(tmp_path):
    source_import(slug="seed")
    nord_actif = Organisation.objects.get(name=NORD_ACTIF)
    kinds = set(nord_actif.kinds.values_list("slug", flat=True))
    nord_actif.kinds.clear()
    source_import(slug="seed", path=seed_saying(tmp_path, "v2", summary="Résumé v2."))
    assert not nord_actif.kinds.exists()

    disagreement = FieldDisagreement.objects.get(field="kinds")
    assert disagreement.current_value == []
    assert set(disagreement.incoming_value) == kinds
    disagreement_accept(disagreement=disagreement, user=None)

    assert set(nord_actif.kinds.values_list("slug", flat=True)) == kinds


DATA_INCLUSION = Path(__file__).resolve().parents[2] / "data" / "data-inclusion"
RECYCLERIE = "Recyclerie des Bois-Blancs"


def test_a_point_a_person_moved_stays_with_its_quality_when_the_source_loses_its_point(
    tmp_path, httpserver, settings
):
    # The row without a point goes to the BAN, which cannot place it.
    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/ban")
    httpserver.expect_request("/ban/search/csv/", method="POST").respond_with_handler(
        bulk_handler([])
    )
    first = rewrite_csv(
        DATA_INCLUSION / "structures.csv", tmp_path / "structures.csv", lambda row: row
    )
    before = source_import(slug="data-inclusion", path=first)
    recyclerie = Organisation.objects.get(name=RECYCLERIE)
    quality = recyclerie.geocoding_quality
    recyclerie.location = Point(3.0420, 50.6320, srid=4326)
    recyclerie.save()

    def without_point(row):
        if row["nom"] == RECYCLERIE:
            row.update(longitude="", latitude="", description="Description revue par la source.")
        return row

    second = rewrite_csv(first, tmp_path / "sans-point.csv", without_point)
    report = source_import(slug="data-inclusion", path=second)

    assert report.rejected == before.rejected
    assert report.updated == 1
    recyclerie.refresh_from_db()
    assert recyclerie.location.coords == (3.042, 50.632)
    assert recyclerie.geocoding_quality == quality
    assert recyclerie.description == "Description revue par la source."
    # A source without a point does not disagree with the person's (it merely lacks one).
    assert not FieldDisagreement.objects.filter(field__startswith="location").exists()


def test_a_disagreement_the_source_drops_is_no_longer_listed(tmp_path, edited):
    source_import(slug="seed", path=seed_saying(tmp_path, "v2", summary="Résumé v2."))
    assert FieldDisagreement.objects.filter(status=DisagreementStatus.OPEN).count() == 1

    # The source now says what the person wrote: nothing left to settle.
    source_import(slug="seed", path=seed_saying(tmp_path, "v3", summary=PERSON_TEXT))

    assert not FieldDisagreement.objects.filter(status=DisagreementStatus.OPEN).exists()
    edited.refresh_from_db()
    assert edited.description == PERSON_TEXT


def test_sirene_drops_a_disagreement_once_it_has_no_value_for_the_field(tmp_path):
    source_import(slug="sirene", path=SIRENE)
    Organisation.objects.filter(siret=JARDINS).update(acronym="JDF")
    renamed = tmp_path / "renamed"
    shutil.copytree(SIRENE, renamed)
    units = renamed / "StockUniteLegale_utf8.csv"
    text = units.read_text(encoding="utf-8")
    siren_line = next(line for line in text.splitlines() if line.startswith(JARDINS[:9]))
    sigle = siren_line.split(",")
    header = text.splitlines()[0].split(",")
    position = header.index("sigleUniteLegale")
    assert sigle[position]  # the sample gives one, which the person changed
    changed = [*sigle]
    changed[position] = "JARDINS"
    units.write_text(text.replace(siren_line, ",".join(changed)), encoding="utf-8")
    source_import(slug="sirene", path=renamed)
    assert FieldDisagreement.objects.filter(
        field="acronym", status=DisagreementStatus.OPEN
    ).exists()

    changed[position] = ""
    units.write_text(text.replace(siren_line, ",".join(changed)), encoding="utf-8")
    source_import(slug="sirene", path=renamed)

    assert not FieldDisagreement.objects.filter(
        field="acronym", status=DisagreementStatus.OPEN
    ).exists()
    assert Organisation.objects.get(siret=JARDINS).acronym == "JDF"


def test_a_disagreement_with_an_empty_value_on_the_listing_is_recorded(edited):
    """A listing created by one register without a geocoding score, the other register
    giving one: the disagreement holds JSON null as the listing's value (it was refused by
    the database, and the whole row with it)."""
    from importers.engine.review import Disagreement, disagreements_record
    from importers.models import ImportRun

    provenance = Provenance.objects.filter(object_id=edited.pk).first()
    run = ImportRun.objects.latest("pk")
    item = Disagreement(field="geocoding_score", current=None, incoming=0.93, previous=None)

    assert disagreements_record(provenance=provenance, run=run, disagreements=[item]) == 1
    assert disagreements_record(provenance=provenance, run=run, disagreements=[item]) == 0

    disagreement = FieldDisagreement.objects.get(field="geocoding_score")
    assert disagreement.current_value is None
    assert disagreement.incoming_value == 0.93

"""The old `ThirdPlaceOffer` tick boxes become the place's services (issue 17): the
conversion of migration cartography 0011, run on real rows of the old table."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from cartography.models import PlaceService, PlaceServiceKind
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("cartography.migrations.0011_third_place_offers_to_services")


@pytest.fixture
def old_apps():
    """The models as they were just before the conversion, with the old offers' table (made
    again inside the test's transaction when a later migration dropped it)."""
    state = MigrationLoader(connection).project_state(
        ("cartography", "0011_third_place_offers_to_services"), at_end=False
    )
    apps = state.apps
    offer_model = apps.get_model("cartography", "ThirdPlaceOffer")
    if offer_model._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(offer_model)
    return apps


def old_offer(apps, organisation, offers, description=""):
    model = apps.get_model("cartography", "ThirdPlaceOffer")
    return model.objects.create(
        organisation_id=organisation.pk, offers=offers, description=description
    )


def _kind(slug):
    return PlaceServiceKind.objects.get(slug=slug).pk


def services_of(organisation):
    return list(
        PlaceService.objects.filter(organisation=organisation).values_list("kind__slug", "details")
    )


def test_ticked_kinds_become_services_and_what_the_place_said_stays(old_apps):
    fives = make_organisation("Fives Cail")
    existing = PlaceService.objects.create(
        organisation=fives, kind_id=_kind("salles"), price="10 € l'heure", details="Au 1er"
    )
    old_offer(old_apps, fives, ["salles", "cuisine", "inconnu"])

    MIGRATION.third_place_offers_to_services(old_apps, None)

    assert services_of(fives) == [("salles", "Au 1er"), ("cuisine", "")]
    existing.refresh_from_db()
    assert existing.price == "10 € l'heure"


def test_the_description_becomes_the_empty_presentation(old_apps):
    mess = make_organisation("Maison de l'ESS", description="")
    old_offer(old_apps, mess, ["domiciliation"], "Domiciliation le mardi matin.")

    MIGRATION.third_place_offers_to_services(old_apps, None)
    MIGRATION.third_place_offers_to_services(old_apps, None)

    mess.refresh_from_db()
    assert mess.description == "Domiciliation le mardi matin."
    assert services_of(mess) == [("domiciliation", "")]


def test_the_description_goes_to_the_first_service_when_the_presentation_is_taken(old_apps):
    malterie = make_organisation("La Malterie", description="Lieu d'arts visuels.")
    PlaceService.objects.create(organisation=malterie, kind_id=_kind("ateliers"), details="6 box")
    old_offer(old_apps, malterie, ["materiel", "salles"], "Sur rendez-vous.")

    MIGRATION.third_place_offers_to_services(old_apps, None)
    MIGRATION.third_place_offers_to_services(old_apps, None)

    malterie.refresh_from_db()
    assert malterie.description == "Lieu d'arts visuels."
    assert services_of(malterie) == [
        ("salles", "Sur rendez-vous."),
        ("ateliers", "6 box"),
        ("materiel", ""),
    ]


def test_a_description_without_any_service_is_added_to_the_presentation(old_apps):
    mres = make_organisation("MRES", description="Maison régionale.")
    old_offer(old_apps, mres, [], "Salle de 40 places.")

    MIGRATION.third_place_offers_to_services(old_apps, None)

    mres.refresh_from_db()
    assert mres.description == "Maison régionale.\n\nSalle de 40 places."
    assert services_of(mres) == []

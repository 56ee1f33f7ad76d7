"""The typo dictionary follows the edits: the words of what a person changes are added once
the edit is committed (only those rows are read), and the weekly whole refresh drops the
words nothing uses any more."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import resolve

from cartography.models import PlaceService, PlaceServiceKind
from cartography.place_services import place_offer_replace
from directory.edit_credit import TEAM, EditCredit
from directory.models import EditedBy, FundingScheme, PlaceRole, SupportOffer
from directory.services import organisation_listing_edit
from tests.factories import make_funding_scheme, make_organisation, make_support_offer, make_user

pytestmark = pytest.mark.django_db


def known(word: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM directory_search_word WHERE word = %s)", [word]
        )
        return cursor.fetchone()[0]


def found(client, q: str, kind: str) -> list[str]:
    response = client.get("/recherche/", {"q": q})
    group = next(g for g in response.context["result"].groups if g.kind == kind)
    return [item.name for item in group.items]


def admin_save(model, obj, app: str = "directory") -> None:
    """What the admin's change form does once the form is valid."""
    path = f"/admin/{app}/{model._meta.model_name}/{obj.pk or 1}/change/"
    request = RequestFactory().post(path)
    request.resolver_match = resolve(path)
    request.user = make_user("direction", is_staff=True, is_superuser=True)
    admin.site._registry[model].save_model(request, obj, form=None, change=True)


def test_a_scheme_edited_in_the_admin_is_found_with_a_typo(
    client, django_capture_on_commit_callbacks
):
    scheme = make_funding_scheme("Fonds de dotation")
    with django_capture_on_commit_callbacks(execute=True):
        scheme.description = "Pour la permaculture urbaine."
        admin_save(FundingScheme, scheme)

    assert known("permaculture")
    assert found(client, "permaculturre", "financements") == ["Fonds de dotation"]


def test_an_offer_edited_in_the_admin_adds_its_words_only_once_committed(
    django_capture_on_commit_callbacks,
):
    offer = make_support_offer("Incubateur")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        offer.eligibility_text = "Porteurs de projets de cyclologistique."
        admin_save(SupportOffer, offer)

    assert not known("cyclologistique")  # nothing before the commit
    callbacks[0]()
    assert known("cyclologistique")


def test_a_listing_edited_by_its_owner_adds_its_words(django_capture_on_commit_callbacks):
    organisation = make_organisation("Les Jardins")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_listing_edit(
            organisation=organisation,
            values={"description": "Maraîchage biologique."},
            reason="édition structure",
            credit=EditCredit(by=EditedBy.OWNER),
        )

    assert known("maraichage")


def test_a_place_s_services_join_the_dictionary(client, django_capture_on_commit_callbacks):
    place = make_organisation("La Fabrique", place_roles=[PlaceRole.THIRD_PLACE])
    kitchen = PlaceServiceKind.objects.get(slug="cuisine")
    service = {
        "kind": kitchen,
        "audience": "Traiteurs solidaires",
        "free": False,
        "price": "",
        "on_reservation": True,
        "accessibility": "inconnue",
        "social_lease": False,
        "details": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        place_offer_replace(organisation=place, services=[service], spaces=[])

    assert known("laboratoire")  # the kind's name, "Cuisine, laboratoire"
    assert found(client, "labratoire", "lieux") == ["La Fabrique"]
    assert found(client, "traiteur", "lieux") == ["La Fabrique"]


def test_only_the_edited_rows_are_read_and_the_whole_refresh_drops_unused_words(
    django_capture_on_commit_callbacks,
):
    untouched = make_organisation("Zygomatique", description="Compagnie de théâtre.")
    edited = make_organisation("Les Jardins")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO directory_search_word VALUES ('obsolete', 1)")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_listing_edit(
            organisation=edited,
            values={"description": "Verger partagé."},
            reason="édition",
            credit=TEAM,
        )

    assert known("verger")
    assert not known("zygomatique")  # another row: left to the whole refresh
    assert known("obsolete")  # an addition never removes a word

    call_command("search_words_refresh", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert known("zygomatique")
    assert not known("obsolete")
    assert untouched.pk


def test_a_service_edited_in_the_admin_joins_the_dictionary(django_capture_on_commit_callbacks):
    place = make_organisation("La Fabrique", place_roles=[PlaceRole.THIRD_PLACE])
    service = PlaceService(
        organisation=place,
        kind=PlaceServiceKind.objects.get(slug="stockage"),
        details="Chambre froide pour les maraîchers.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_save(PlaceService, service, app="cartography")

    assert known("froide")
    assert known("stockage")

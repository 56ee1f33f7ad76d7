"""The words of what places offer, kept by the database (issue 17 at scale): the unified
search's places read `place_services_vector` (migration 0034) instead of parsing every
place's services on each query, and its partial GIN index can serve the match."""

import pytest
from django.db import connection

from cartography.models import PlaceService, PlaceServiceKind
from cartography.selectors import third_places_to_qualify_get
from directory import search_sql
from directory.models import Organisation, OrganisationKind, PlaceRole
from directory.selectors.everything import TextCandidates, text_query_get
from directory.selectors.place_search import place_ids_among, places_in_order
from directory.services import search_words_refresh
from tests.factories import LILLE_CENTRE, make_organisation

pytestmark = pytest.mark.django_db
URL = "/recherche/"
PLACE_ROLES = list(PlaceRole.values)


def kept_vector(organisation) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT place_services_vector::text FROM directory_organisation WHERE id = %s",
            [organisation.pk],
        )
        return cursor.fetchone()[0]


def place_names(client, query: str) -> list[str]:
    response = client.get(URL, {"q": query, "type": "lieux"})
    for group in response.context["result"].groups:
        if group.kind == "lieux":
            return [item.name for item in group.items]
    return []


@pytest.fixture
def maison():
    place = make_organisation(
        "Maison de l'ESS", place_roles=[PlaceRole.TOTEM], location=LILLE_CENTRE
    )
    PlaceService.objects.create(
        organisation=place,
        kind=PlaceServiceKind.objects.get(slug="salles"),
        free=True,
        details="Jusqu'à 20 personnes, vidéoprojecteur.",
    )
    return place


def test_a_service_written_anyhow_is_in_the_kept_vector(maison):
    vector = kept_vector(maison)
    assert "'videoprojecteur'" in vector
    assert "'gratuit'" in vector
    assert "'reunion'" in vector  # the kind's name, "Salle de réunion ou d'activité"


def test_changing_or_removing_a_service_changes_what_finds_the_place(client, maison):
    search_words_refresh()
    assert place_names(client, "vidéoprojecteur") == ["Maison de l'ESS"]
    PlaceService.objects.filter(organisation=maison).update(details="Tableau blanc.")
    search_words_refresh()
    assert place_names(client, "vidéoprojecteur") == []
    assert place_names(client, "tableau blanc") == ["Maison de l'ESS"]
    maison.place_services.all().delete()
    assert kept_vector(maison) is None
    # Still a place (a lieu totem), found by its listing's words only.
    assert place_names(client, "tableau blanc") == []
    assert place_names(client, "Maison ESS") == ["Maison de l'ESS"]


def test_a_renamed_kind_of_service_finds_its_places_by_the_new_name(client, maison):
    PlaceServiceKind.objects.filter(slug="salles").update(name="Salle polyvalente")
    search_words_refresh()
    assert place_names(client, "polyvalente") == ["Maison de l'ESS"]


def test_saving_a_listing_loaded_before_does_not_undo_the_kept_words(client, maison):
    loaded = Organisation.objects.get(pk=maison.pk)
    PlaceService.objects.create(
        organisation=maison, kind=PlaceServiceKind.objects.get(slug="cuisine")
    )
    loaded.description = "Le lieu ressource de l'économie sociale."
    loaded.save()
    search_words_refresh()
    assert place_names(client, "cuisine") == ["Maison de l'ESS"]
    assert place_names(client, "lieu ressource cuisine") == ["Maison de l'ESS"]


def test_a_query_across_listing_and_services_still_matches_both(client, maison):
    # One word from the listing ("Maison"), one from a service's details ("personnes").
    search_words_refresh()
    assert place_names(client, "maison personnes") == ["Maison de l'ESS"]


def test_the_places_match_can_use_the_kept_index(maison):
    """The places matching through their services are found with
    organisation_place_document_idx (seq scans made dear: on a few test rows the planner
    would rightly read the table; the match is explained alone, the whole statement being
    planned on statistics a test database does not have), and no service is parsed into a
    text vector at query time any more."""
    query = text_query_get(q="salle de réunion")
    statement = search_sql.place_candidate_matches(with_quartier=False, with_service=False)
    params = {
        **query.params(),
        "candidate_ids": [],
        "last_id": None,
        "quartier": "",
        "service": "",
        "place_roles": PLACE_ROLES,
    }
    match = f"SELECT o.id FROM directory_organisation o WHERE {search_sql._PLACE_SERVICES_MATCH}"  # noqa: S608 - a fixed fragment
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {match}", params)
        match_plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN (VERBOSE) {statement}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "organisation_place_document_idx" in match_plan
    assert "to_tsvector" not in plan
    # "Maison de l'ESS" matches through its services alone: no candidate is needed.
    no_candidate = TextCandidates(rows=[], total=0, last_id=None)
    assert place_ids_among(query=query, candidates=no_candidate) == [maison.pk]


# --- The names of what places offer, kept beside their words (migration 0042, issue 20) ---


def kept_names(organisation) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT place_service_names FROM directory_organisation WHERE id = %s",
            [organisation.pk],
        )
        return cursor.fetchone()[0]


def kind(slug: str) -> PlaceServiceKind:
    return PlaceServiceKind.objects.get(slug=slug)


def test_the_kept_names_follow_the_services_in_the_taxonomys_order(maison):
    assert kept_names(maison) == ["Salle de réunion ou d'activité"]
    PlaceService.objects.bulk_create(
        [
            PlaceService(organisation=maison, kind=kind("materiel")),
            PlaceService(organisation=maison, kind=kind("domiciliation")),
        ]
    )
    # Domiciliation comes first in the taxonomy, matériel last, whatever the order written.
    assert kept_names(maison) == [
        "Domiciliation",
        "Salle de réunion ou d'activité",
        "Matériel",
    ]
    PlaceService.objects.filter(organisation=maison, kind__slug="salles").delete()
    assert kept_names(maison) == ["Domiciliation", "Matériel"]
    maison.place_services.all().delete()
    assert kept_names(maison) == []
    other = make_organisation("Sans lieu")
    assert kept_names(other) == []


def test_a_renamed_or_moved_kind_changes_its_places_names(maison):
    PlaceService.objects.create(organisation=maison, kind=kind("domiciliation"))
    PlaceServiceKind.objects.filter(slug="salles").update(name="Salle polyvalente")
    assert kept_names(maison) == ["Domiciliation", "Salle polyvalente"]
    last = PlaceServiceKind.objects.order_by("-position").values_list("position", flat=True)[0]
    PlaceServiceKind.objects.filter(slug="domiciliation").update(position=last + 1)
    assert kept_names(maison) == ["Salle polyvalente", "Domiciliation"]


def test_saving_a_listing_loaded_before_keeps_its_names(maison):
    loaded = Organisation.objects.get(pk=maison.pk)
    PlaceService.objects.create(organisation=maison, kind=kind("cuisine"))
    loaded.description = "Le lieu ressource de l'économie sociale."
    loaded.save()
    assert kept_names(maison) == ["Salle de réunion ou d'activité", "Cuisine, laboratoire"]


def test_every_place_screen_reads_the_kept_names(client, maison):
    """/lieux/, its map, the unified search and the third places' screens show the names the
    database keeps, in the same order."""
    PlaceService.objects.create(organisation=maison, kind=kind("domiciliation"))
    expected = ["Domiciliation", "Salle de réunion ou d'activité"]
    assert kept_names(maison) == expected

    [shown] = client.get("/lieux/").context["page_obj"].object_list
    assert shown.service_names == expected
    [feature] = client.get("/lieux/carte.geojson").json()["features"]
    assert feature["properties"]["services"] == expected
    assert places_in_order([maison.pk])[0].service_names == expected
    maison.kinds.add(OrganisationKind.objects.get(slug="tiers-lieu"))
    [to_qualify] = third_places_to_qualify_get()
    assert to_qualify.service_names == expected

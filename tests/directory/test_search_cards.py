"""The result cards of `/annuaire/` and `/recherche/` (issue 20): one light query for the
page's organisations with their kinds and sectors, showing the same as the models do."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.filters import OrganisationFilters
from directory.models import Sector
from directory.selectors import Origin, organisation_card_search, organisation_search
from tests.factories import FIVES, HELLEMMES, LOMME, WAZEMMES, make_organisation

pytestmark = pytest.mark.django_db


def make_cooperatives() -> None:
    """Four cooperatives of Lille, with one to three kinds and sectors, some with a point,
    an acronym, a street."""
    first, second, *_rest = Sector.objects.all()
    places = [FIVES, HELLEMMES, None, LOMME]
    for number, location in enumerate(places, start=1):
        organisation = make_organisation(
            f"Coopérative {number} de Lille",
            kinds=("siae", "reseau", "entreprise-ess")[: number % 3 + 1],
            location=location,
            acronym=f"C{number}" if number % 2 else "",
            street=f"{number} rue de Valenciennes" if location else "",
            description="Une coopérative d'insertion par le réemploi.",
        )
        organisation.sectors.set([first, second][: number % 2 + 1])


def shown(organisation) -> tuple:
    return (
        organisation.pk,
        organisation.slug,
        organisation.name,
        organisation.acronym,
        organisation.street,
        [(kind.slug, kind.name, str(kind)) for kind in organisation.kind_list],
        [(sector.slug, sector.name, str(sector)) for sector in organisation.sector_list],
        organisation.distance_m,
        organisation.distance_km,
    )


@pytest.mark.parametrize(
    "options",
    [
        {"filters": OrganisationFilters(q="coopérative")},
        {"filters": OrganisationFilters(q="coopérative réemploi"), "sort": "name"},
        {
            "filters": OrganisationFilters(q="coopérative"),
            "sort": "distance",
            "origin": Origin(lat=WAZEMMES.y, lon=WAZEMMES.x),
        },
        {"filters": OrganisationFilters(), "page_size": 2, "page": 2},
    ],
)
def test_the_cards_show_what_the_models_show_in_the_same_order(options):
    make_cooperatives()

    cards = organisation_card_search(**options)
    models = organisation_search(**options)

    assert [shown(card) for card in cards.organisations] == [
        shown(organisation) for organisation in models.organisations
    ]
    assert cards.total == models.total
    assert len(cards.organisations) >= 2


def test_the_directory_shows_each_card_with_its_page_kinds_and_sectors(
    client, django_assert_max_num_queries
):
    make_cooperatives()
    for number in range(20):
        make_organisation(f"Coopérative d'habitants {number}", kinds=("siae", "reseau"))

    with django_assert_max_num_queries(4):
        response = client.get("/annuaire/", {"q": "coopérative"})

    html = response.content.decode()
    first = organisation_card_search(filters=OrganisationFilters(q="coopérative")).organisations[0]
    assert f'<a href="/organisations/{first.slug}/">{first.name}</a>' in html
    assert html.count('<li class="org-card">') == 20
    assert "Filières :" in html
    assert '<span class="org-card__acronym">(C1)</span>' in html


def test_the_unified_search_computes_the_full_text_query_once(client):
    make_cooperatives()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/recherche/", {"q": "coopérative"})

    tsqueries = [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().startswith("WITH t AS MATERIALIZED (SELECT (SELECT cartess_synonyms")
    ]
    assert len(tsqueries) == 1
    assert "Coopérative 1 de Lille" in response.content.decode()


def test_a_card_writes_its_lines_as_the_template_filters_did():
    organisation = make_organisation(
        "Recyclerie du Faubourg",
        street="12 rue Pierre Legrand",
        city="Lille",
        postcode="59800",
        description=" ".join(f"mot{number}" for number in range(45)),
    )
    organisation.sectors.set(Sector.objects.all()[:2])

    (card,) = organisation_card_search(filters=OrganisationFilters(q="recyclerie")).organisations

    assert card.address == "12 rue Pierre Legrand, 59800 Lille"
    assert card.sectors_text == ", ".join(str(s) for s in Sector.objects.all()[:2])
    assert card.summary == " ".join(f"mot{number}" for number in range(40)) + " …"

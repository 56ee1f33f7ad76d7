"""`/recherche/`: actors, funding schemes and support offers for one query, grouped."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from pytest_django.asserts import assertContains, assertNotContains

from cartography.models import ReferenceArea
from directory.areas import area_kinds_loaded_get, quartier_choices_get
from directory.models import Stage
from directory.selectors.everything import unified_search_choices_get
from directory.services import search_words_refresh
from tests.factories import make_organisation, make_support_offer
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db
URL = "/recherche/"


@pytest.fixture
def landscape():
    """A cycling workshop, a reuse shop, a loan scheme, a DLA offer and a grant."""
    make_organisation("L'Atelier Cycles", description="Réparation de bicyclettes.")
    make_organisation("La Ressourcerie du Sud", description="Collecte et revente.")
    scheme(
        "Prêt d'honneur solidaire",
        stages=("amorcage",),
        instruments=("pret",),
        description="Un emprunt sans intérêt pour démarrer.",
    )
    scheme(
        "Subvention mobilités",
        stages=("consolidation",),
        eligibility_text="Associations du vélo et des mobilités douces.",
    )
    dla = make_support_offer("Accompagnement DLA", description="Diagnostic et conseil.")
    dla.stages.set(Stage.objects.filter(slug="consolidation"))
    search_words_refresh()  # as an import run does


def group_names(response, kind: str) -> list[str]:
    for group in response.context["result"].groups:
        if group.kind == kind:
            return [item.name for item in group.items]
    return []


def test_one_query_finds_actors_schemes_and_offers_grouped_with_counts(client, landscape):
    response = client.get(URL, {"q": "vélo"})

    assert response.status_code == 200
    assert group_names(response, "acteurs") == ["L'Atelier Cycles"]
    assert group_names(response, "financements") == ["Subvention mobilités"]  # eligibility
    assert sorted(group_names(response, "accompagnements")) == []
    assertContains(response, '<h2 id="groupe-financements">', count=1)
    assertContains(response, 'role="status" aria-live="polite"')
    assertContains(response, "acteurs, 1 ; financements, 1 ; accompagnements, 0 ; lieux, 0.")
    assertContains(response, "/annuaire/?q=v%C3%A9lo")
    assertContains(response, "/financements/?q=v%C3%A9lo")
    assertContains(response, '<meta name="robots" content="noindex, follow">')  # results page


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("DLA", "accompagnements", ["Accompagnement DLA"]),
        ("pret", "financements", ["Prêt d'honneur solidaire"]),
        ("emprunt", "financements", ["Prêt d'honneur solidaire"]),
        ("réemploi", "acteurs", ["La Ressourcerie du Sud"]),
        ("subvension", "financements", ["Subvention mobilités"]),  # a typo, widened
    ],
)
def test_what_a_project_holder_types_finds_it(client, landscape, query, kind, expected):
    assert group_names(client.get(URL, {"q": query}), kind) == expected


def test_the_kind_facet_shows_one_group_and_the_stage_facet_counts(client, landscape):
    response = client.get(URL, {"q": "pret", "type": "financements"})

    assert [group.kind for group in response.context["result"].groups] == ["financements"]
    assert dict(
        (slug, count) for slug, _name, count in response.context["result"].stage_counts
    ) == {"pre-amorcage": 0, "amorcage": 1, "consolidation": 0, "changement-d-echelle": 0}
    assertContains(response, "Amorçage (1)")
    assertNotContains(response, 'id="groupe-acteurs"')


def test_the_stage_facet_keeps_schemes_and_offers_covering_it(client, landscape):
    response = client.get(URL, {"q": "solidaire emprunt", "stage": "consolidation"})

    assert group_names(response, "financements") == []
    response = client.get(URL, {"q": "diagnostic", "stage": "consolidation"})
    assert sorted(group_names(response, "accompagnements")) == ["Accompagnement DLA"]


@pytest.mark.parametrize("query", ["", "   ", "l'", "!!!", "%%%", "zzqxw"])
def test_an_empty_or_absurd_query_never_errors(client, landscape, query):
    response = client.get(URL, {"q": query})

    assert response.status_code == 200


def test_an_over_long_query_is_a_400_that_keeps_what_was_typed(client):
    typed = "coopérative " * 20

    response = client.get(URL, {"q": typed})

    assert response.status_code == 400
    assertContains(response, "La recherche est trop longue", status_code=400)
    assertContains(response, f'value="{typed}"', status_code=400)


def test_a_malformed_facet_is_a_400(client):
    assert client.get(URL, {"q": "velo", "type": "tout"}).status_code == 400
    assert client.get(URL, {"q": "velo", "stage": "<script>"}).status_code == 400


def test_queries_stay_bounded_whatever_the_number_of_results(
    client, landscape, django_assert_max_num_queries
):
    for number in range(12):
        make_organisation(f"Vélo-école {number}")
        scheme(f"Aide vélo {number}")
        make_support_offer(f"Atelier vélo {number}")

    with django_assert_max_num_queries(17):
        response = client.get(URL, {"q": "velo"})

    assert response.status_code == 200
    assert len(group_names(response, "financements")) == 5


def test_the_full_lists_take_the_same_query(client, landscape):
    offers = client.get("/accompagnements/", {"q": "DLA"})
    schemes = client.get("/financements/", {"q": "emprunt"})

    assert [offer.name for offer in offers.context["page_obj"]] == ["Accompagnement DLA"]
    assert [scheme.name for scheme in schemes.context["landscape"].schemes] == [
        "Prêt d'honneur solidaire"
    ]
    assertContains(schemes, 'value="emprunt"')


def test_each_scheme_says_its_stages_and_each_offer_its_provider(client, landscape):
    provider = make_organisation("Maison de l'ESS")
    make_support_offer("Atelier DLA vélo", provider=provider)
    make_support_offer("Conseil DLA vélo", provider_label="Réseau des ateliers")
    search_words_refresh()

    response = client.get(URL, {"q": "dla"})

    assert sorted(group_names(response, "accompagnements")) == [
        "Accompagnement DLA",
        "Atelier DLA vélo",
        "Conseil DLA vélo",
    ]
    assertContains(response, "Atelier DLA vélo</a> — Maison de l&#x27;ESS</li>", html=False)
    assertContains(response, "Conseil DLA vélo</a> — Réseau des ateliers</li>", html=False)
    loans = client.get(URL, {"q": "emprunt"})
    assertContains(
        loans,
        'Prêt d&#x27;honneur solidaire</a> <span class="search-group__meta">(Amorçage)</span>',
    )


@pytest.mark.parametrize("quartiers_loaded", [False, True])
def test_the_facets_choices_come_in_one_query_as_each_layer_says(
    quartiers_loaded, django_assert_num_queries
):
    # Read with the directory's filter panel (issue 20): the stages, the quartiers and
    # whether their layer is loaded, the same as each read apart.
    if quartiers_loaded:
        square = MultiPolygon(Polygon.from_bbox((3.05, 50.62, 3.07, 50.64)))
        for code, name in (("59350-9", "Wazemmes"), ("59350-1", "Lille-Centre")):
            ReferenceArea.objects.create(kind="quartier", code=code, name=name, geometry=square)

    with django_assert_num_queries(1):
        choices = unified_search_choices_get()

    assert choices.stages == list(Stage.objects.values_list("slug", "name"))
    assert choices.quartiers == quartier_choices_get()
    assert choices.quartiers_loaded is quartiers_loaded is ("quartier" in area_kinds_loaded_get())
    if quartiers_loaded:
        assert choices.quartiers == [("lille-centre", "Lille-Centre"), ("wazemmes", "Wazemmes")]

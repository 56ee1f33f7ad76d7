"""The home page: what Cartess is for, with live counts, on an accessible skeleton."""

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from directory.models import SummaryDelta
from tests.factories import (
    DRAFT,
    FIVES,
    LILLE_CENTRE,
    WAZEMMES,
    make_funding_scheme,
    make_organisation,
    make_premises,
    make_support_offer,
)

pytestmark = pytest.mark.django_db

#: The home page's figures cost this many queries whatever the data: the figures kept by
#: the database, the kinds with theirs, the premises' count.
HOME_QUERIES = 3


def kind_row(slug: str, name: str, count: int) -> str:
    return (
        f'<tr data-kind="{slug}"><th scope="row">{name}</th>'
        f'<td class="kinds__count">{count}</td></tr>'
    )


def stat(key: str, value: int, label: str) -> str:
    return (
        f'<li class="stat" data-stat="{key}"><span class="stat__value">{value}</span>'
        f'<span class="stat__label">{label}</span></li>'
    )


def test_home_counts_published_third_places(client):
    make_organisation("La Coroutine", kinds=("tiers-lieu",), location=WAZEMMES.clone())
    make_organisation("Fives Cail, Les Halles", kinds=("tiers-lieu", "accompagnement"))
    make_organisation("Tiers-lieu en préparation", kinds=("tiers-lieu",), publication_status=DRAFT)

    response = client.get(reverse("directory:home"))

    assertContains(response, kind_row("tiers-lieu", "Tiers-lieu", 2), html=True)
    assertContains(response, kind_row("accompagnement", "Accompagnement", 1), html=True)


def test_home_lists_every_kind_even_without_organisations(client):
    response = client.get(reverse("directory:home"))

    for slug, name in [("financeur", "Financeur"), ("reseau", "Réseau")]:
        assertContains(response, kind_row(slug, name, 0), html=True)
    assertContains(response, '<span class="stat__value">0</span>', count=5, html=True)


def test_home_counts_follow_the_data_at_once(client):
    url = reverse("directory:home")
    assertContains(client.get(url), kind_row("financeur", "Financeur", 0), html=True)

    make_organisation("France Active Hauts-de-France", kinds=("financeur",))
    make_organisation("Initiative Lille Métropole Nord", kinds=("financeur",), location=FIVES)

    response = client.get(url)
    assertContains(response, kind_row("financeur", "Financeur", 2), html=True)
    assertContains(response, stat("organisations", 2, "organisations publiées"), html=True)
    assertContains(response, stat("sur-la-carte", 1, "organisation sur la carte"), html=True)


def test_home_counts_published_schemes_offers_and_premises(client):
    make_funding_scheme("Prêt d'honneur solidaire")
    make_funding_scheme("Appel à projets ESS de la Ville")
    make_funding_scheme("Dispositif en brouillon", publication_status=DRAFT)
    make_support_offer("Dispositif local d'accompagnement")
    make_premises("Friche Saint-Sauveur", publication_status="publie")
    make_premises("Local vacant non validé")  # premises are drafts until a person publishes

    response = client.get(reverse("directory:home"))

    assertContains(response, stat("financements", 2, "dispositifs de financement"), html=True)
    assertContains(response, stat("accompagnements", 1, "offre d'accompagnement"), html=True)
    assertContains(response, stat("locaux", 1, "local ou terrain publié"), html=True)


def test_home_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for number in range(12):
        organisation = make_organisation(
            f"Structure {number}", kinds=("siae", "entreprise-ess"), location=LILLE_CENTRE.clone()
        )
        make_support_offer(f"Accompagnement {number}", provider=organisation)
        make_funding_scheme(f"Financement {number}")

    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(reverse("directory:home"))

    assertContains(response, stat("organisations", 12, "organisations publiées"), html=True)


def test_home_says_when_the_figures_last_changed(client):
    make_organisation("France Active Hauts-de-France", kinds=("financeur",))
    SummaryDelta.objects.update(counted_at=datetime(2026, 11, 30, 9, 15, tzinfo=UTC))

    response = client.get(reverse("directory:home"))

    assertContains(response, "Chiffres tenus à jour à chaque modification enregistrée")
    assertContains(response, "dernier changement compté le 30 novembre 2026 10:15")


def test_home_explains_what_cartess_is_for(client):
    response = client.get(reverse("directory:home"))

    assertContains(response, "financeurs et les structures")
    assertContains(response, "Hellemmes et Lomme")
    assertContains(response, "locaux et aux terrains")


class Skeleton(HTMLParser):
    """Records what an assistive technology relies on: landmarks, headings, focus order."""

    FOCUSABLE = {"a", "button", "input", "select", "textarea"}

    def __init__(self) -> None:
        super().__init__()
        self.html_lang = None
        self.title = ""
        self.in_title = False
        self.h1_count = 0
        self.landmarks: dict[str, dict] = {}
        self.focusable: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.h1_count += 1
        if tag in {"header", "nav", "main", "footer"}:
            self.landmarks.setdefault(tag, attributes)
        if tag in self.FOCUSABLE and attributes.get("tabindex") != "-1":
            self.focusable.append({"tag": tag, **attributes})

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


@pytest.fixture
def home_skeleton(client) -> Skeleton:
    parser = Skeleton()
    parser.feed(client.get(reverse("directory:home")).content.decode())
    return parser


def test_home_is_in_french_with_a_meaningful_title(home_skeleton):
    assert home_skeleton.html_lang == "fr"
    assert "Cartess" in home_skeleton.title
    assert "ESS" in home_skeleton.title


def test_the_first_focusable_element_skips_to_the_content(home_skeleton):
    first = home_skeleton.focusable[0]
    assert first["tag"] == "a"
    assert first["href"] == "#contenu"
    assert first["class"] == "skip-link"
    main = home_skeleton.landmarks["main"]
    assert main["id"] == "contenu"
    assert main["tabindex"] == "-1"


def test_home_has_one_h1_and_named_landmarks(home_skeleton):
    assert home_skeleton.h1_count == 1
    assert {"header", "nav", "main", "footer"} <= set(home_skeleton.landmarks)
    assert home_skeleton.landmarks["nav"]["aria-label"] == "Navigation principale"


def test_navigation_links_to_the_map_and_the_directory(client):
    response = client.get(reverse("directory:home"))

    assertContains(response, '<a href="/" aria-current="page">Accueil</a>', html=True)
    assertContains(response, '<a href="/carte/">Carte</a>', html=True)
    assertContains(response, '<a href="/annuaire/">Annuaire</a>', html=True)


def test_the_administration_link_is_for_admin_staff_only(client, django_user_model):
    admin_link = '<a href="/admin/">Administration</a>'
    assertNotContains(client.get(reverse("directory:home")), admin_link, html=True)

    client.force_login(django_user_model.objects.create_user("habitant"))
    assertNotContains(client.get(reverse("directory:home")), admin_link, html=True)

    client.force_login(django_user_model.objects.create_user("agente", is_staff=True))
    assertContains(client.get(reverse("directory:home")), admin_link, html=True)


def test_home_invites_to_search_everything_and_open_the_map(client):
    response = client.get(reverse("directory:home"))

    assertContains(response, '<form class="home-search" method="get" action="/recherche/"')
    assertContains(response, 'class="button" href="/carte/"')


def test_footer_names_the_licences_of_the_data(client):
    response = client.get(reverse("directory:home"))

    assertContains(response, "Licence Ouverte 2.0")
    assertContains(response, "OpenStreetMap")


def test_home_leads_to_the_premises_need_form(client):
    response = client.get("/")

    assertContains(response, 'href="/foncier/besoins/nouveau/"')
    assertContains(response, "Déclarer un besoin de locaux")


def test_home_figures_follow_the_french_plural_rule_for_zero(client):
    """French says "0 dispositif" (0 and 1 are singular): the compiled catalogue gives the rule."""
    response = client.get(reverse("directory:home"))

    assertContains(response, stat("financements", 0, "dispositif de financement"), html=True)
    assertContains(response, stat("locaux", 0, "local ou terrain publié"), html=True)

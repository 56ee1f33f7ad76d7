"""/carte/ in Debian's Chromium: markers, list, filters, popups, permalinks, keyboard, offline."""

import re

import pytest
from playwright.sync_api import Page, expect

from cartography.models import PremisesKind
from directory.models import Organisation
from directory.places import organisation_place_set
from importers.engine.services import sources_import_all
from importers.models import RunStatus
from tests.browser.conftest import DESKTOP, PHONE, assert_fits_the_width
from tests.factories import (
    FIVES,
    LOMME,
    PUBLISHED,
    WAZEMMES,
    make_organisation,
    make_place_services,
    make_premises,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MARKERS = "#map .leaflet-marker-icon.org-marker"
RESULTS = "#map-results .map-result__button"


@pytest.fixture
def actors():
    make_organisation(
        "Fives Cail",
        kinds=("tiers-lieu",),
        location=FIVES.clone(),
        street="Rue Pierre Legrand",
    )
    make_organisation("La Coroutine", kinds=("accompagnement",), location=WAZEMMES.clone())
    make_organisation("Mairie de Lomme", kinds=("collectivite",), location=LOMME.clone())
    make_organisation("Réseau sans adresse", kinds=("reseau",))


def open_map(page: Page, live_server, query: str = "", prefix: str = "") -> None:
    page.goto(f"{live_server.url}{prefix}/carte/{query}")
    expect(page.locator("body[data-map-ready]")).to_have_count(1)


def test_the_map_shows_the_bundled_lille_data(page: Page, live_server, page_report, artifacts):
    """What `make demo` serves: the real snapshot, every actor with a point on the map."""
    reports = list(sources_import_all())
    assert {report.status for report in reports} == {RunStatus.SUCCEEDED}
    # A closed place (La Grappe, closures.csv) keeps its page but leaves the map.
    on_map = Organisation.objects.filter(
        publication_status=PUBLISHED, location__isnull=False, closed_on__isnull=True
    ).count()

    open_map(page, live_server, "?lat=50.63&lon=3.05&zoom=12")

    expect(page.locator("#map-status")).to_have_text(f"{on_map} acteurs dans la zone affichée.")
    expect(page.locator(RESULTS)).to_have_count(on_map)
    expect(page.locator(RESULTS, has_text="La Coroutine")).to_have_count(1)
    page.screenshot(path=artifacts / "map-demo-data.png")
    page_report.assert_clean()


@pytest.mark.parametrize(
    ("viewport", "name"), [(DESKTOP, "map-desktop"), (PHONE, "map-phone")], ids=["1280px", "375px"]
)
def test_the_map_shows_the_actors_and_lists_them(
    page: Page, live_server, page_report, artifacts, actors, name
):
    open_map(page, live_server)

    expect(page.locator(MARKERS)).to_have_count(3)
    expect(page.locator(RESULTS)).to_have_count(3)
    expect(page.locator("#map-status")).to_have_text("3 acteurs dans la zone affichée.")
    expect(page.locator(RESULTS).first).to_contain_text("Fives Cail")
    # Communes are outlined even when the tiles cannot load (offline).
    assert_fits_the_width(page)
    page.screenshot(path=artifacts / f"{name}.png")
    page_report.assert_clean()


def test_a_filter_changes_both_the_markers_and_the_list(
    page: Page, live_server, page_report, actors
):
    open_map(page, live_server)

    page.get_by_label("Tiers-lieu").check()

    expect(page.locator(MARKERS)).to_have_count(1)
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator(RESULTS)).to_contain_text("Fives Cail")
    expect(page.locator("#map-status")).to_have_text("1 acteur dans la zone affichée.")
    expect(page).to_have_url(re.compile(r"kind=tiers-lieu"))
    page_report.assert_clean()


def test_the_text_search_filters_the_map(page: Page, live_server, page_report, actors):
    open_map(page, live_server)

    page.get_by_label("Rechercher un nom, une activité").fill("coroutine")

    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator(MARKERS)).to_have_count(1)
    page_report.assert_clean()


#: The map's keyboard words per language, as the English catalogue gives them.
FRENCH = {
    "prefix": "",
    "to_map": "Aller à la carte",
    "to_list": "Aller à la liste des résultats",
    "results": "Résultats dans la zone affichée",
    "see": "Voir la fiche",
    "see_lomme": "Voir la fiche : Mairie de Lomme",
}
ENGLISH = {
    "prefix": "/en",
    "to_map": "Skip to the map",
    "to_list": "Skip to the list of results",
    "results": "Results in the area shown",
    "see": "See the listing",
    "see_lomme": "See the listing: Mairie de Lomme",
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("words", [FRENCH, ENGLISH], ids=["fr", "en"])
def test_two_skip_links_reach_the_map_and_the_list_in_a_few_key_presses(
    page: Page, live_server, page_report, actors, words
):
    open_map(page, live_server, prefix=words["prefix"])

    # The first Tab reaches "Aller au contenu", the next two the map's own skip links.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    to_map = page.get_by_role("link", name=words["to_map"])
    expect(to_map).to_be_focused()
    expect(to_map).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#map")).to_be_focused()

    open_map(page, live_server, prefix=words["prefix"])
    for _ in range(3):
        page.keyboard.press("Tab")
    to_list = page.get_by_role("link", name=words["to_list"])
    expect(to_list).to_be_focused()
    expect(to_list).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=words["results"])).to_be_focused()
    # One more Tab and the first actor of the list has the focus.
    page.keyboard.press("Tab")
    expect(page.locator(RESULTS).first).to_be_focused()
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("words", [FRENCH, ENGLISH], ids=["fr", "en"])
def test_enter_on_a_marker_moves_focus_into_its_popup_and_escape_brings_it_back(
    page: Page, live_server, page_report, actors, words
):
    open_map(page, live_server, prefix=words["prefix"])
    marker = page.get_by_title("Mairie de Lomme")

    marker.focus()
    page.keyboard.press("Enter")

    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Mairie de Lomme")
    link = popup.get_by_role("link", name=words["see_lomme"], exact=True)
    expect(link).to_be_focused()
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(marker).to_be_focused()
    page_report.assert_clean()


def test_choosing_a_list_item_opens_its_popup_and_the_reverse(
    page: Page, live_server, page_report, actors
):
    open_map(page, live_server)

    page.locator(RESULTS, has_text="La Coroutine").click()

    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("La Coroutine")
    expect(popup.get_by_role("link", name="Voir la fiche : La Coroutine")).to_be_focused()
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)

    page.get_by_title("Mairie de Lomme").click()
    expect(popup).to_contain_text("Mairie de Lomme")
    expect(page.locator(RESULTS, has_text="Mairie de Lomme")).to_have_attribute(
        "aria-current", "true"
    )
    page_report.assert_clean()


def test_the_popup_links_to_the_detail_page(page: Page, live_server, page_report, actors):
    open_map(page, live_server)

    page.locator(RESULTS, has_text="Fives Cail").click()
    page.locator(".leaflet-popup-content").get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fives Cail")
    page_report.assert_clean()


def test_a_permalink_restores_filters_centre_and_zoom(page: Page, live_server, page_report, actors):
    make_organisation("Autre tiers-lieu à Lomme", kinds=("tiers-lieu",), location=LOMME.clone())

    open_map(page, live_server, "?kind=tiers-lieu&lat=50.63300&lon=3.08710&zoom=15")

    expect(page.get_by_label("Tiers-lieu")).to_be_checked()
    # Zoomed on Fives: the Lomme tiers-lieu is outside the view, the other actors filtered out.
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator(RESULTS)).to_contain_text("Fives Cail")
    expect(page).to_have_url(re.compile(r"lat=50\.633\d*&lon=3\.087\d*&zoom=15"))
    page_report.assert_clean()


def test_the_list_is_usable_with_the_keyboard_alone(page: Page, live_server, page_report, actors):
    open_map(page, live_server)
    page.get_by_label("Rechercher un nom, une activité").focus()

    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#map-results button')"):
            break
    first = page.locator(RESULTS).first
    expect(first).to_be_focused()
    page.keyboard.press("Enter")

    link = page.locator(".leaflet-popup-content a")
    expect(link).to_be_focused()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Fives Cail")
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(first).to_be_focused()
    page_report.assert_clean()


def test_the_address_search_says_when_the_ban_is_unreachable(
    page: Page, live_server, page_report, actors
):
    open_map(page, live_server)

    page.get_by_label("Aller à une adresse").fill("235 boulevard Paul Painlevé")
    page.get_by_role("button", name="Chercher").click()

    expect(page.locator("#tools-status")).to_contain_text("n'est pas disponible")
    expect(page.locator(MARKERS)).to_have_count(3)  # the map still works
    page_report.assert_clean()


def test_around_me_centres_the_map_on_the_visitor(page: Page, live_server, page_report, actors):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": FIVES.y, "longitude": FIVES.x})
    open_map(page, live_server)

    page.get_by_role("button", name="Autour de moi").click()

    expect(page.locator("#tools-status")).to_have_text("Carte centrée sur votre position.")
    expect(page).to_have_url(re.compile(r"zoom=15"))
    expect(page.locator(RESULTS)).to_have_count(1)
    page_report.assert_clean()


def test_the_premises_overlay_shows_published_sites(page: Page, live_server, page_report, actors):
    make_premises("Friche Saint-Sauveur", publication_status=PUBLISHED, surface_m2=2300)
    open_map(page, live_server)

    page.get_by_label("Locaux et terrains (opportunités foncières)").check()
    page.get_by_title("Friche Saint-Sauveur").click()

    expect(page.locator(".leaflet-popup-content")).to_contain_text(
        "Friche · Non renseigné · 2300 m²"
    )
    page_report.assert_clean()


def test_a_third_place_space_says_what_the_place_offers_and_if_it_is_a_lieu_totem(
    page: Page, live_server, page_report, actors
):
    place = Organisation.objects.get(name="Fives Cail")
    make_place_services(place, "salles", "cuisine")
    organisation_place_set(organisation=place, roles=["lieu-totem"])
    make_premises(
        "Halle de Fives Cail",
        kind=PremisesKind.THIRD_PLACE_SPACE,
        publication_status=PUBLISHED,
        third_place=place,
    )
    open_map(page, live_server)

    page.get_by_label("Locaux et terrains (opportunités foncières)").check()
    page.get_by_title("Halle de Fives Cail").click()

    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Lieu totem de l'ESS")
    expect(popup).to_contain_text("Salle de réunion ou d'activité · Cuisine, laboratoire")
    expect(popup.get_by_role("link", name="Fives Cail")).to_be_visible()
    page_report.assert_clean()


def test_beyond_the_cap_the_map_shows_server_clusters_and_says_so(
    page: Page, live_server, page_report, actors, settings
):
    settings.CARTESS_MAP_POINT_CAP = 2
    open_map(page, live_server)

    expect(page.locator("#map-status")).to_contain_text("3 acteurs dans la zone affichée : trop")
    expect(page.locator("#map .cluster-marker").first).to_be_visible()
    expect(page.locator(RESULTS)).to_have_count(0)
    page_report.assert_clean()


def test_a_permalink_reopens_the_popup_of_the_chosen_actor(
    page: Page, live_server, page_report, actors
):
    open_map(page, live_server)
    page.locator(RESULTS, has_text="La Coroutine").click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("La Coroutine")
    slug = Organisation.objects.get(name="La Coroutine").slug
    expect(page).to_have_url(re.compile(rf"[?&]org={slug}(&|$)"))
    link = page.url

    other = page.context.new_page()
    other.goto(link)
    expect(other.locator(".leaflet-popup-content")).to_contain_text("La Coroutine")
    expect(other.locator(RESULTS, has_text="La Coroutine")).to_have_attribute(
        "aria-current", "true"
    )
    other.locator(".leaflet-popup-close-button").click()
    expect(other.locator(".leaflet-popup-content")).to_have_count(0)
    expect(other).not_to_have_url(re.compile(r"org="))
    page_report.assert_clean()


def test_copy_link_puts_the_view_in_the_clipboard(page: Page, live_server, page_report, actors):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    slug = Organisation.objects.get(name="Fives Cail").slug
    open_map(page, live_server, f"?kind=tiers-lieu&lat=50.63300&lon=3.08710&zoom=15&org={slug}")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Fives Cail")

    page.get_by_role("button", name="Copier le lien").click()

    expect(page.locator("#tools-status")).to_have_text(
        "Lien copié : collez-le pour partager cette vue."
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url
    assert "kind=tiers-lieu" in copied
    assert f"org={slug}" in copied
    expect(page.locator("#share-fallback")).to_be_hidden()
    page_report.assert_clean()


def test_without_the_clipboard_the_link_is_selected_in_a_field(
    page: Page, live_server, page_report, actors
):
    # A browser that refuses the clipboard (permission denied, or not a secure context).
    page.add_init_script(
        "Object.defineProperty(navigator, 'clipboard', {value: {writeText: () =>"
        " Promise.reject(new DOMException('denied', 'NotAllowedError'))}})"
    )
    open_map(page, live_server, "?kind=accompagnement")

    page.get_by_role("button", name="Copier le lien").click()

    field = page.get_by_label("Lien de cette vue")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    expect(field).to_have_value(page.url)
    selected = page.evaluate(
        "(() => { const f = document.getElementById('share-url');"
        " return f.value.substring(f.selectionStart, f.selectionEnd); })()"
    )
    assert selected == page.url
    assert "kind=accompagnement" in selected
    expect(page.locator("#tools-status")).to_contain_text("le lien est sélectionné")
    page_report.assert_clean()

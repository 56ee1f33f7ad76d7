"""What a visitor and a city officer see in a real browser (Debian's Chromium)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, assert_fits_the_width
from tests.factories import FIVES, WAZEMMES, make_funding_scheme, make_organisation

pytestmark = [
    pytest.mark.browser,
    # The live server reads committed data; the seeded vocabulary is restored after each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    ("viewport", "name"),
    [(PHONE, "home-phone"), (DESKTOP, "home-desktop")],
    ids=["375px", "1280px"],
)
def test_home_runs_without_errors_on_phone_and_desktop(
    page: Page, live_server, page_report, artifacts, name
):
    make_organisation("La Coroutine", kinds=("tiers-lieu",), location=WAZEMMES.clone())
    make_organisation("Les Ateliers de Fives", kinds=("tiers-lieu", "accompagnement"))
    make_funding_scheme("Prêt d'honneur solidaire")

    page.goto(f"{live_server.url}/", wait_until="networkidle")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator('tr[data-kind="tiers-lieu"] td')).to_have_text("2")
    # Nothing sticks out sideways on a phone: no horizontal scrolling.
    assert_fits_the_width(page)
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)
    page_report.assert_clean()


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(page: Page, live_server):
    page.goto(f"{live_server.url}/")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    expect(skip_link).to_have_css("outline-style", "solid")  # a visible focus indicator
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


def log_in_to_admin(page: Page, live_server, next_url: str) -> None:
    get_user_model().objects.create_superuser(
        username="charge-de-mission", email="ess@example.org", password="un-mot-de-passe-solide"
    )
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    # Django's French label, with a typographic apostrophe.
    page.get_by_label("Nom d\u2019utilisateur").fill("charge-de-mission")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"**{next_url}")


def test_admin_organisation_list_maps_the_organisations_with_a_point(
    page: Page, live_server, page_report, artifacts, moulins_point
):
    make_organisation("Maison de l'ESS", kinds=("accompagnement",), location=moulins_point)
    make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    make_organisation("Réseau sans adresse", kinds=("reseau",))

    log_in_to_admin(page, live_server, "/admin/directory/organisation/")

    markers = page.locator("#organisations-map .leaflet-marker-icon")
    expect(markers).to_have_count(2)
    page.get_by_title("Fives Cail").click()
    expect(page.locator(".leaflet-popup-content a")).to_have_text("Fives Cail")
    page.screenshot(path=artifacts / "admin-organisations-map.png")
    page_report.assert_clean()


def test_admin_organisation_page_shows_its_point_on_a_map(
    page: Page, live_server, page_report, artifacts, moulins_point
):
    organisation = make_organisation(
        "Maison de l'ESS", kinds=("tiers-lieu", "accompagnement"), location=moulins_point
    )
    make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    change_url = f"/admin/directory/organisation/{organisation.pk}/change/"

    log_in_to_admin(page, live_server, change_url)

    marker = page.locator("#id_location-map .leaflet-marker-icon")
    expect(marker).to_be_visible()
    page.locator("#id_location-map").evaluate("map => map.scrollIntoView({block: 'center'})")
    page.screenshot(path=artifacts / "admin-organisation-map.png")
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_on_a_phone_the_menu_folds_behind_a_button_usable_with_the_keyboard(
    page: Page, live_server, page_report, artifacts
):
    page.goto(f"{live_server.url}/carte/")
    menu = page.get_by_role("button", name="Menu")
    directory_link = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Annuaire"
    )

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(directory_link).to_be_hidden()
    # The map gets the screen: the folded header is the brand's height (280 px unfolded).
    assert page.locator(".site-header").bounding_box()["height"] < 130

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(directory_link).to_be_visible()
    page.screenshot(path=artifacts / "menu-phone-open.png")
    directory_link.focus()
    page.keyboard.press("Escape")
    expect(directory_link).to_be_hidden()
    expect(menu).to_be_focused()

    menu.click()
    directory_link.click()
    expect(page).to_have_url(f"{live_server.url}/annuaire/")
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["1280px"])
def test_on_a_desktop_the_menu_is_shown_without_a_button(page: Page, live_server):
    page.goto(f"{live_server.url}/")

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name="Annuaire"
        )
    ).to_be_visible()

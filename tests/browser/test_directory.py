"""/annuaire/ in Debian's Chromium: a visitor's search tolerates accents and typos."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, assert_fits_the_width
from tests.factories import FIVES, WAZEMMES, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def actors():
    make_organisation("Coopérative Les Ateliers", location=FIVES.clone())
    make_organisation("L'Atelier du Vélo", location=WAZEMMES.clone())
    make_organisation("Maison des associations")


@pytest.mark.parametrize(
    ("query", "found"),
    [("ccoperative", "Coopérative Les Ateliers"), ("velo", "L'Atelier du Vélo")],
    ids=["typo", "no-accent"],
)
def test_the_search_tolerates_accents_and_a_typo(
    page: Page, live_server, page_report, actors, query, found
):
    page.goto(f"{live_server.url}/annuaire/")

    page.get_by_label("Rechercher un nom, une activité").fill(query)
    page.get_by_label("Rechercher un nom, une activité").press("Enter")

    expect(page.locator("#result-count")).to_contain_text("1 organisation trouvée")
    expect(page.locator(".org-card__name")).to_have_text(found)
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_directory_fits_a_phone(page: Page, live_server, page_report, artifacts, actors):
    page.goto(f"{live_server.url}/annuaire/")

    expect(page.locator(".org-card")).to_have_count(3)
    assert_fits_the_width(page)
    page.screenshot(path=artifacts / "directory-phone.png", full_page=True)
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_on_a_phone_the_filters_fold_behind_a_button_that_counts_them(
    page: Page, live_server, page_report, artifacts, actors
):
    page.goto(f"{live_server.url}/annuaire/?q=atelier&kind=entreprise-ess&kind=siae")

    toggle = page.locator("#filters-panel > summary")
    expect(toggle).to_have_text("Filtres (3 actifs)")
    search = page.get_by_label("Rechercher un nom, une activité")
    expect(search).to_be_hidden()
    expect(page.locator("#result-count")).to_be_in_viewport()

    # The keyboard alone opens it, and the filters keep what was asked.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(search).to_be_visible()
    expect(search).to_have_value("atelier")
    expect(page.get_by_label("Entreprise de l'ESS")).to_be_checked()
    page.screenshot(path=artifacts / "directory-phone-filters.png")
    search.fill("velo")
    page.get_by_label("Entreprise de l'ESS").uncheck()
    page.get_by_label("Structure d'insertion (SIAE)").uncheck()
    page.get_by_role("button", name="Rechercher").click()

    expect(page.locator("#filters-panel > summary")).to_have_text("Filtres (1 actif)")
    expect(page.get_by_label("Rechercher un nom, une activité")).to_be_hidden()
    expect(page.locator(".org-card__name")).to_have_text(["L'Atelier du Vélo"])
    page_report.assert_clean()


def test_on_a_desktop_the_filters_stay_open(page: Page, live_server, page_report, actors):
    page.goto(f"{live_server.url}/annuaire/?kind=siae")

    expect(page.get_by_label("Rechercher un nom, une activité")).to_be_visible()
    expect(page.locator("#filters-panel")).to_have_attribute("open", "")
    expect(page.locator("#filters-panel > summary")).to_be_hidden()
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_on_a_phone_a_filter_not_understood_keeps_the_panel_open(
    page: Page, live_server, page_report, actors
):
    response = page.goto(f"{live_server.url}/annuaire/?quartier=pas%20valide")

    assert response.status == 400
    expect(page.locator("#filters-panel .form-errors")).to_be_visible()
    expect(page.get_by_label("Rechercher un nom, une activité")).to_be_visible()
    # The 400 of the page itself is the point of this test; nothing else may fail.
    assert page_report.page_errors == []
    assert [error for error in page_report.console_errors if "status of 400" not in error] == []

"""/annuaire/ in Debian's Chromium: a visitor's search tolerates accents and typos."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.web.factories import FIVES, WAZEMMES, make_organisation

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
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=artifacts / "directory-phone.png", full_page=True)
    page_report.assert_clean()

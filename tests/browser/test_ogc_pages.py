"""The HTML pages of /ogc/ (issue 18) in Chromium: no serious or critical axe violation, no
page wider than a phone, at desktop and phone sizes."""

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_accessibility import violations_of
from tests.factories import FIVES, WAZEMMES, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = [
    "/ogc/?f=html",
    "/ogc/conformance?f=html",
    "/ogc/collections?f=html",
    "/ogc/collections/organisations?f=html",
    "/ogc/collections/organisations/items?f=html&limit=1",
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_ogc_pages_have_no_serious_axe_violation(page: Page, live_server, viewport):
    make_organisation("Les Jardins de Fives", location=FIVES.clone())
    make_organisation("La Grappe", location=WAZEMMES.clone())
    page.set_viewport_size(viewport)

    found = [problem for path in PAGES for problem in violations_of(page, live_server.url + path)]

    assert found == []

"""/carte/ says who last corrected a listing by hand, in its popup and in the list (issue 13)."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from directory.models import EditedBy
from tests.factories import FIVES, WAZEMMES, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESULTS = "#map-results .map-result__button"
DAY = datetime.date(2026, 12, 3)


def test_the_popup_and_the_list_credit_the_network_and_the_structure(
    page: Page, live_server, page_report
):
    apes = make_organisation("APES", kinds=("reseau",))
    make_organisation(
        "Les Jardins de Fives",
        location=FIVES.clone(),
        edited_by=EditedBy.NETWORK,
        edited_by_network=apes,
        edited_on=DAY,
    )
    make_organisation(
        "La Coroutine", location=WAZEMMES.clone(), edited_by=EditedBy.OWNER, edited_on=DAY
    )
    make_organisation("Mairie de Lille", location=WAZEMMES.clone())

    page.goto(f"{live_server.url}/carte/")
    expect(page.locator("body[data-map-ready]")).to_have_count(1)

    jardins = page.locator(RESULTS, has_text="Les Jardins de Fives")
    expect(jardins).to_contain_text("Mis à jour par le réseau APES le 3 décembre 2026")
    expect(page.locator(RESULTS, has_text="La Coroutine")).to_contain_text(
        "Mis à jour par la structure le 3 décembre 2026"
    )
    expect(page.locator(RESULTS, has_text="Mairie de Lille")).not_to_contain_text("Mis à jour")
    jardins.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Mis à jour par le réseau APES le 3 décembre 2026")
    page_report.assert_clean()

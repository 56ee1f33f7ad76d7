"""`/financements/` on a phone: the stage-by-scheme matrix becomes a list per stage."""

import pytest
from playwright.sync_api import Page, expect

from directory.models import ScaleUpStrategy
from tests.browser.conftest import DESKTOP, PHONE, assert_fits_the_width
from tests.factories import make_pathway_scheme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Elements of main whose right edge passes the window, hidden or scrolled away included.
WIDER_THAN_THE_SCREEN = """(width) => [...document.querySelectorAll("main *")]
    .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
    .map((e) => `${e.tagName}.${e.className}`)"""


def some_schemes() -> None:
    make_pathway_scheme(
        "Prêt d'honneur solidaire des Hauts-de-France pour les entreprises de l'ESS",
        stages=("amorcage", "consolidation"),
        instruments=("pret",),
        amount_max=30000,
    )
    growth = make_pathway_scheme("Fonds d'essaimage", stages=("changement-d-echelle",))
    growth.scale_up_strategies.set(ScaleUpStrategy.objects.filter(slug="duplication"))


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_on_a_phone_each_stage_is_a_heading_with_its_schemes(page: Page, live_server, page_report):
    some_schemes()

    page.goto(f"{live_server.url}/financements/", wait_until="networkidle")

    assert_fits_the_width(page)
    assert page.evaluate(WIDER_THAN_THE_SCREEN, 375) == []
    expect(page.get_by_role("table")).to_be_hidden()
    seed = page.get_by_role("heading", name="Amorçage (1 dispositif)", exact=True)
    expect(seed).to_be_visible()
    scheme = page.get_by_role("link", name="Prêt d'honneur solidaire des Hauts-de-France").first
    expect(scheme).to_be_visible()
    box = scheme.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    growth = page.locator("#etape-changement-d-echelle + ul")
    expect(growth).to_contain_text("Fonds d'essaimage")
    expect(growth).to_contain_text("Changement d'échelle : Duplication")
    page_report.assert_clean()


def test_the_desktop_keeps_the_matrix(page: Page, live_server, page_report):
    some_schemes()

    page.goto(f"{live_server.url}/financements/", wait_until="networkidle")

    assert page.viewport_size == DESKTOP
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("heading", name="Dispositifs par étape du projet")).to_be_hidden()
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_on_a_phone_a_long_stage_opens_whole_from_the_keyboard_at_its_focused_heading(
    page: Page, live_server, page_report
):
    for n in range(31):
        make_pathway_scheme(f"Fonds d'amorçage solidaire n°{n:02}")
    page.goto(f"{live_server.url}/financements/")
    seed = page.locator("#etape-amorcage + ul > li")
    expect(seed).to_have_count(20)

    more = page.get_by_role("link", name="Afficher les 11 autres dispositifs de l'étape amorçage")
    more.focus()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="Amorçage (31 dispositifs)", exact=True)
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    expect(seed).to_have_count(31)
    assert page.url.endswith("/financements/?show=etape-amorcage#etape-amorcage")
    expect(more).to_have_count(0)
    assert_fits_the_width(page)
    page_report.assert_clean()

"""The journey of issue 5 in Debian's Chromium, on the real demo data: an association at
amorçage in alimentation durable, in Moulins, gets real schemes with their reasons, opens
one, and prints the handout."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from cartography.models import PlaceService, PlaceServiceKind
from directory.models import Stage
from importers.engine.services import source_import
from tests.browser.conftest import DESKTOP, PHONE, assert_fits_the_width
from tests.factories import FIVES, MOULINS, make_organisation, make_support_offer
from tests.factories import make_pathway_scheme as scheme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MEL_CALL = "Appel à projets permanent « Entreprendre autrement »"
CITY_CALL = "Appel à projets permanent ESS de la Ville de Lille (PLDESS)"


@pytest.fixture
def demo_data():
    """The bundled real snapshot: outlines of Lille and its quartiers, and the seed."""
    for slug in ("communes", "quartiers", "seed"):
        source_import(slug=slug)


def answer_the_questions(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/parcours/")
    page.get_by_label("Amorçage", exact=True).check()
    page.get_by_label("Famille juridique").select_option("association")
    page.get_by_label("Filière", exact=True).select_option("alimentation-durable")
    page.get_by_label("Dans un quartier").check()
    page.get_by_label("Quartier", exact=True).select_option(label="Lille-Moulins")
    page.get_by_role("button", name="Voir mon parcours").click()


def test_an_association_in_moulins_gets_its_pathway_opens_a_scheme_and_prints_it(
    page: Page, live_server, page_report, artifacts, demo_data
):
    answer_the_questions(page, live_server)

    expect(page.locator("#pathway-count")).to_contain_text("vous correspondent maintenant")
    schemes = page.locator("section[aria-labelledby=titre-financements] .pathway-item")
    # The MEL's call ranks first: its text names associations ("associations, coopératives
    # et entreprises commerciales agréées ESUS") and its outline contains Moulins. The
    # city's own call, open to every legal family, has the most local outline.
    expect(schemes.first.locator(".pathway-item__name")).to_contain_text(MEL_CALL)
    city_call = schemes.filter(has_text=CITY_CALL)
    expect(city_call).to_contain_text("Territoire : Lille, qui contient le quartier Lille-Moulins")
    expect(city_call).to_contain_text("Ouvert à toutes les familles juridiques")
    first = schemes.filter(has_text=MEL_CALL)
    expect(first).to_contain_text("Couvre l'étape amorçage")
    expect(first).to_contain_text("Ouvert aux associations")
    expect(first).to_contain_text(
        "Territoire : Métropole Européenne de Lille, qui contient le quartier Lille-Moulins"
    )
    expect(first).to_contain_text("Toutes filières")
    expect(page.locator("#titre-suite")).to_be_visible()
    assert "stage=amorcage" in page.locator("#pathway-url").input_value()

    excluded = page.locator("details.pathway-excluded")
    excluded.locator("summary").click()
    expect(excluded).to_contain_text("Ne couvre pas l'étape amorçage")
    # Autonomie & Solidarité takes shares in "sociétés (SA, SAS, SARL…)": not associations.
    expect(excluded.locator(".pathway-item", has_text="Autonomie & Solidarité")).to_contain_text(
        "Réservé aux coopératives et aux sociétés commerciales de l'ESS et aux autres structures"
    )

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#pathway-form")).to_be_hidden()
    expect(first.locator(".print-url")).to_be_visible()
    page.screenshot(path=artifacts / "pathway-print.png", full_page=True)
    page.emulate_media(media="screen")

    first.get_by_role("link", name=MEL_CALL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MEL_CALL)
    expect(page.locator("main")).to_contain_text("jusqu'à 30 000 € par projet")
    expect(
        page.get_by_role("link", name="Métropole Européenne de Lille (MEL)", exact=True)
    ).to_be_visible()
    page_report.assert_clean()


@pytest.mark.parametrize(
    ("viewport", "name"),
    [(PHONE, "pathway-phone"), (DESKTOP, "pathway-desktop")],
    ids=["375px", "1280px"],
)
def test_the_pathway_fits_a_phone_and_a_desktop(
    page: Page, live_server, page_report, artifacts, demo_data, name
):
    answer_the_questions(page, live_server)
    expect(page.locator("#pathway-count")).to_be_visible()
    assert_fits_the_width(page)
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)
    page_report.assert_clean()


def test_an_address_is_placed_from_the_browser_and_the_structures_are_mapped(
    page: Page, live_server, page_report, artifacts
):
    funder = make_organisation(
        "Maison de l'ESS", kinds=("financeur",), location=MOULINS.clone(), street="Bd Painlevé"
    )
    scheme("Fonds de quartier", stages=("amorcage",)).funders.set([funder])
    kitchen = make_organisation("Cuisine partagée de Fives", location=FIVES.clone())
    PlaceService.objects.create(
        organisation=kitchen, kind=PlaceServiceKind.objects.get(slug="cuisine"), free=True
    )
    answer = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [MOULINS.x, MOULINS.y]},
                "properties": {"label": "235 Boulevard Paul Painlevé 59000 Lille"},
            }
        ],
    }
    # The page's own BAN (settings.CARTESS_BAN_BASE_URL), answered by the test.
    page.route("**/ban/search/**", lambda route: route.fulfill(json=answer))
    page.goto(f"{live_server.url}/parcours/")
    page.get_by_label("Amorçage", exact=True).check()
    page.get_by_label("Adresse", exact=True).fill("235 bd Painlevé")
    page.get_by_label("Cuisine, laboratoire").check()
    page.get_by_role("button", name="Voir mon parcours").click()

    item = page.locator("section[aria-labelledby=titre-financements] .pathway-item")
    expect(item).to_contain_text("Territoire : Hauts-de-France, qui contient votre adresse")
    expect(page.locator("#id_address")).to_have_value("235 Boulevard Paul Painlevé 59000 Lille")
    expect(page.locator(".pathway-orgs").first).to_contain_text("à 0 m")
    expect(page.locator("#pathway-map[data-ready]")).to_have_count(1)
    expect(page.locator("#pathway-map path.leaflet-interactive")).to_have_count(1)
    # The place that can host the project: its own square marker, reached by keyboard, and
    # the legend says which is which.
    venue = page.locator("#pathway-map .venue-marker")
    expect(venue).to_have_count(1)
    expect(venue).to_have_attribute("title", "Cuisine partagée de Fives")
    venue.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup")).to_contain_text("Lieu qui peut vous accueillir")
    expect(page.locator(".leaflet-popup")).to_contain_text("Cuisine, laboratoire")
    expect(page.locator(".pathway-map__legend")).to_contain_text("Lieu qui peut vous accueillir")
    expect(page.locator(".pathway-venues")).to_contain_text("Cuisine partagée de Fives")
    page.screenshot(path=artifacts / "pathway-address.png", full_page=True)
    page_report.assert_clean()


# --- The handout: at most two A4 pages --------------------------------------------------

#: A page object: `/Type /Page` but not the page tree's `/Type /Pages`.
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
#: The page tree's `/Count N`, whichever order its keys come in.
PAGE_TREE = re.compile(rb"<<(?:(?!>>).)*?/Type\s*/Pages\b(?:(?!>>).)*?>>", re.DOTALL)
TREE_COUNT = re.compile(rb"/Count\s+(\d+)")


def pdf_page_count(pdf: bytes) -> int:
    """The pages of a PDF that Chromium printed, counted two ways that must agree.

    No PDF reader is installed (pypdf would be the one to pin). Chromium's PDF writer (Skia)
    stores every object as plain text: each page is a `/Type /Page` dictionary and the root
    page tree says `/Count N`; only content streams are compressed. Counting the page
    objects and checking the tree's count guards against a writer that would hide pages in
    an object stream (the count would then disagree and the test fail loudly, not pass).
    """
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    pages = len(PAGE_OBJECT.findall(pdf))
    counts = [int(n) for tree in PAGE_TREE.findall(pdf) for n in TREE_COUNT.findall(tree)]
    assert counts, "no page tree found"
    assert max(counts) == pages, f"{pages} page objects, page tree counts {counts}"
    return pages


def print_to_pdf(page: Page, artifacts, name: str) -> int:
    """Print the page as Chromium does on A4 (page.pdf() renders the print media)."""
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    (artifacts / f"{name}.pdf").write_bytes(pdf)
    return pdf_page_count(pdf)


def results_count(page: Page) -> int:
    return int(page.locator("#pathway-count").inner_text().split()[0])


@pytest.mark.parametrize(
    "stage", ["pre-amorcage", "amorcage", "consolidation", "changement-d-echelle"]
)
def test_the_broadest_search_prints_on_two_pages_at_most(
    page: Page, live_server, page_report, artifacts, demo_data, stage
):
    page.goto(f"{live_server.url}/parcours/?stage={stage}")
    expect(page.locator("#pathway-count")).to_be_visible()
    pages = print_to_pdf(page, artifacts, f"pathway-print-{stage}")
    assert 1 <= pages <= 2, f"{results_count(page)} results printed on {pages} pages"
    page_report.assert_clean()


def test_the_handout_of_the_issue_journey_fits_two_pages_with_its_link_and_date(
    page: Page, live_server, page_report, artifacts, demo_data
):
    answer_the_questions(page, live_server)
    assert results_count(page) >= 10
    assert print_to_pdf(page, artifacts, "pathway-print-moulins") <= 2

    page.emulate_media(media="print")
    handout = page.locator(".pathway-result .print-only").first
    expect(handout).to_be_visible()
    expect(handout).to_contain_text(f", le {date.today():%d/%m/%Y}")
    expect(handout).to_contain_text(f"{live_server.url}/parcours/?stage=amorcage")
    expect(page.locator("details.pathway-excluded")).to_be_hidden()
    expect(page.locator("#pathway-form")).to_be_hidden()
    # Two columns of cards: the list fills the left column, then the right one.
    cards = page.locator("section[aria-labelledby=titre-financements] .pathway-item")
    first, last = cards.first.bounding_box(), cards.last.bounding_box()
    assert last["x"] > first["x"] + first["width"] / 2
    page_report.assert_clean()


def test_a_long_result_is_cut_on_paper_and_says_where_the_rest_is(
    page: Page, live_server, page_report, artifacts
):
    # More than the handout holds: 30 schemes and 12 offers now, 30 schemes later, 20 funders.
    funders = [make_organisation(f"Financeur solidaire n°{n}") for n in range(20)]
    for n in range(30):
        now = scheme(f"Fonds d'amorçage solidaire n°{n} pour les projets de l'ESS lillois")
        now.funders.set([funders[n % 20]])
        scheme(f"Prêt de consolidation n°{n}", stages=("consolidation",))
    for n in range(12):
        make_support_offer(f"Incubateur de quartier n°{n}").stages.set(
            Stage.objects.filter(slug="amorcage")
        )
    page.goto(f"{live_server.url}/parcours/?stage=amorcage")
    expect(page.locator("#pathway-count")).to_contain_text("42 dispositifs")

    assert print_to_pdf(page, artifacts, "pathway-print-long") <= 2
    page.emulate_media(media="print")
    url = f"{live_server.url}/parcours/?stage=amorcage"
    expect(page.locator("#titre-financements ~ .print-only")).to_have_text(
        f"14 autres résultats sur {url}"
    )
    expect(page.locator("#titre-accompagnements ~ .print-only")).to_have_text(
        f"4 autres résultats sur {url}"
    )
    expect(page.locator("#titre-structures ~ .print-only")).to_have_text(
        f"8 autres structures sur {url}"
    )
    financements = page.locator("section[aria-labelledby=titre-financements] .pathway-item")
    expect(financements.nth(15)).to_be_visible()
    expect(financements.nth(16)).to_be_hidden()
    page.emulate_media(media="screen")
    expect(financements.nth(29)).to_be_visible()
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_a_long_list_opens_whole_from_the_keyboard_at_its_focused_heading(
    page: Page, live_server, page_report
):
    for n in range(31):
        scheme(f"Fonds d'amorçage solidaire n°{n:02}")
    page.goto(f"{live_server.url}/parcours/?stage=amorcage")
    financements = page.locator("section[aria-labelledby=titre-financements] .pathway-item")
    expect(financements).to_have_count(20)

    more = page.get_by_role("link", name="Afficher les 11 autres financements possibles")
    more.focus()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="Financements possibles maintenant (31)")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    expect(financements).to_have_count(31)
    assert page.url.endswith("/parcours/?stage=amorcage&show=financements#titre-financements")
    expect(more).to_have_count(0)
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_after_a_search_the_results_come_first_with_the_focus_on_their_heading(
    page: Page, live_server, page_report
):
    scheme("Fonds d'amorçage solidaire", stages=("amorcage",))
    page.goto(f"{live_server.url}/parcours/")
    page.get_by_label("Amorçage", exact=True).check()
    page.get_by_role("button", name="Voir mon parcours").click()

    heading = page.get_by_role("heading", name="Votre parcours", exact=True)
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    assert page.url.endswith("#resultats")
    # The form is folded into "Modifier ma recherche", and opens with what was asked.
    expect(page.get_by_role("button", name="Voir mon parcours")).to_be_hidden()
    page.get_by_text("Modifier ma recherche").click()
    expect(page.get_by_label("Amorçage", exact=True)).to_be_checked()
    page.get_by_label("Dans un quartier").check()
    expect(page.get_by_role("button", name="Voir mon parcours")).to_be_visible()
    page_report.assert_clean()


def press_tab_until(page: Page, condition: str, limit: int = 80) -> None:
    """Tab until `condition` (JavaScript on `document.activeElement`, as `el`) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {condition})(document.activeElement)"):
            return
    raise AssertionError(f"{limit} Tab presses and still not: {condition}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize(
    ("language", "title"), [("", "Votre parcours"), ("/en", "Your pathway")], ids=["fr", "en"]
)
def test_the_pathway_is_answered_and_read_with_the_keyboard_alone(
    page: Page, live_server, page_report, language, title
):
    scheme("Fonds d'amorçage solidaire", stages=("amorcage",))
    page.goto(f"{live_server.url}{language}/parcours/")

    press_tab_until(page, "el.name === 'stage'")
    for _ in range(10):
        if page.evaluate("document.activeElement.value") == "amorcage":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(page.locator("input[name=stage][value=amorcage]")).to_be_checked()
    press_tab_until(page, "el.type === 'submit' && el.form && el.form.id === 'pathway-form'")
    page.keyboard.press("Enter")

    heading = page.get_by_role("heading", name=title, exact=True)
    expect(heading).to_be_focused()
    # The page's scripts first (focus.js gives the heading the focus): one CI run
    # pressed Enter and stayed on the pathway, the focus likely moved by a script that ran
    # late. The link's focus is checked before Enter, so such a run says which it was.
    page.wait_for_load_state("load")
    press_tab_until(page, "el.closest('.pathway-item') !== null", limit=10)
    expect(page.get_by_role("link", name="Fonds d'amorçage solidaire")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fonds d'amorçage solidaire")
    assert page.url.startswith(f"{live_server.url}{language}/financements/")
    page_report.assert_clean()


FIRST_FIVE_HEIGHT = """() => [
  ...document.querySelectorAll('#titre-financements + ol > .pathway-item')
].slice(0, 5).reduce((sum, item) => sum + item.getBoundingClientRect().height, 0)"""


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_on_a_phone_results_are_compact_cards_that_open_by_keyboard(
    page: Page, live_server, page_report, artifacts, demo_data
):
    page.goto(f"{live_server.url}/parcours/?stage=amorcage")
    cards = page.locator("#titre-financements + ol > .pathway-item")
    expect(cards.nth(4)).to_be_visible()
    folded = page.evaluate(FIRST_FIVE_HEIGHT)
    page.screenshot(path=artifacts / "pathway-cards-phone.png", full_page=True)

    # Each card says why it fits in one line; the reasons and sources wait behind "Voir plus".
    first = cards.first
    expect(first.locator(".pathway-item__why")).to_be_visible()
    expect(first.locator(".reasons").first).to_be_hidden()
    first.locator(".pathway-item__name a").focus()
    page.keyboard.press("Tab")
    expect(first.get_by_role("button", name=re.compile("^Voir plus"))).to_be_focused()
    toggle = first.locator(".pathway-item__toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_contain_text("Voir moins")
    expect(first.locator(".reasons").first).to_be_visible()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # Unfolded, as they were before the cards, the same five results are far longer.
    unfold = "cards => cards.forEach(card => card.classList.add('is-open'))"
    page.locator(".pathway-item--card").evaluate_all(unfold)
    unfolded = page.evaluate(FIRST_FIVE_HEIGHT)
    assert folded < unfolded * 0.6, (folded, unfolded)
    # The real names run to four lines on 375 px: about 220 px a card, name included.
    assert folded < 5 * 250, folded
    assert_fits_the_width(page)
    page_report.assert_clean()


def test_on_a_desktop_results_show_whole_without_voir_plus(page: Page, live_server, page_report):
    scheme("Fonds d'amorçage solidaire", stages=("amorcage",))
    page.goto(f"{live_server.url}/parcours/?stage=amorcage")

    card = page.locator(".pathway-item").first
    expect(card.locator(".reasons").first).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("^Voir plus"))).to_be_hidden()
    expect(card.locator(".pathway-item__why")).to_be_hidden()
    page_report.assert_clean()

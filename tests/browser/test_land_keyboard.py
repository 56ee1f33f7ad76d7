"""/foncier/ by keyboard alone (issue 19): the city services' journey, from login to proposal.

Only `page.keyboard` moves through the pages (Tab, Space, arrow keys, typing, Enter); each stop is
checked to be the expected control, with a visible focus, and each step's outcome is checked
where the focus lands.
"""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from cartography.models import Premises
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import FIVES, WAZEMMES, make_need, make_premises

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FRENCH = {
    "prefix": "",
    "title": "Opportunités foncières et immobilières",
    "one_site": "1 site",
    "stage": "Site passé à l'étape « Qualifié ».",
    "note": "Note ajoutée.",
    "proposed": "Site proposé ; son suivi l'enregistre.",
}
ENGLISH = {
    "prefix": "/en",
    "title": "Land and property opportunities",
    "one_site": "1 site",
    "stage": "Site moved to the “Qualified” stage.",
    "note": "Note added.",
    "proposed": "Site proposed; its follow-up records it.",
}

# The focus ring a sighted keyboard user relies on: :focus-visible, drawn by an outline or a
# box shadow.
FOCUS_IS_VISIBLE = """(el) => {
  const style = getComputedStyle(el);
  const drawn = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none";
  return el.matches(":focus-visible") && drawn;
}"""


@pytest.fixture
def officer() -> User:
    user = User.objects.create_user(
        "agent", password="mot-de-passe-agent", first_name="Camille", last_name="Agent"
    )
    user.groups.add(Group.objects.get(name="Services de la Ville"))
    return user


def tab_to(page: Page, condition: str, limit: int = 80) -> None:
    """Tab until `condition` (JavaScript on the focused `el`) holds, then check that the
    focus is visible there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {condition})(document.activeElement)"):
            assert page.evaluate(f"({FOCUS_IS_VISIBLE})(document.activeElement)"), condition
            return
    raise AssertionError(f"{limit} Tab presses and still not: {condition}")


def choose_option(page: Page, value: str) -> None:
    """Move through the focused <select> with the arrow keys until `value` is chosen."""
    for _ in range(10):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {value!r} reached with the arrow keys")


def log_in(page: Page, url: str) -> None:
    """The workspace sends to the login form, answered by typing."""
    page.goto(url)
    tab_to(page, "el.id === 'id_username'")
    page.keyboard.type("agent")
    tab_to(page, "el.type === 'password'", limit=3)
    page.keyboard.type("mot-de-passe-agent")
    page.keyboard.press("Enter")


def filter_friches_and_open_one(page: Page, words: dict) -> None:
    """Tick "Friche" with Space, send with Enter: the focus lands on the count of results,
    not at the top of the page; Tab goes on to the table and Enter opens the site."""
    tab_to(page, "el.name === 'kind' && el.value === 'friche'")
    page.keyboard.press("Space")
    expect(page.locator("input[name=kind][value=friche]")).to_be_checked()
    tab_to(page, "el.type === 'submit' && el.closest('form.land-filters') !== null")
    page.keyboard.press("Enter")
    results = page.locator("#titre-resultats")
    expect(results).to_be_focused()
    expect(results).to_have_text(words["one_site"])
    expect(page.locator(".land-table tbody tr")).to_have_count(1)
    tab_to(page, "el.closest('.land-table tbody') !== null && el.tagName === 'A'", limit=20)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Friche rue de Lannoy")


def send_and_read_the_outcome(page: Page, text: str) -> None:
    """Tab to the form's button, press Enter: the outcome, next to the forms, has the focus."""
    tab_to(page, "el.type === 'submit'", limit=2)
    page.keyboard.press("Enter")
    outcome = page.locator("#resultat-suivi")
    expect(outcome).to_be_focused()
    expect(outcome).to_have_text(text)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("words", [FRENCH, ENGLISH], ids=["fr", "en"])
def test_an_officer_follows_a_site_with_the_keyboard_alone(
    page: Page, live_server, page_report, officer, words
):
    make_premises("Friche rue de Lannoy", location=FIVES.clone(), surface_m2=2400)
    make_premises("Atelier à Wazemmes", kind="bureau-atelier", location=WAZEMMES.clone())
    need = make_need(title="Recyclerie de quartier")

    log_in(page, f"{live_server.url}{words['prefix']}/foncier/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
    filter_friches_and_open_one(page, words)

    # Move it to the next stage.
    tab_to(page, "el.name === 'to_stage'")
    choose_option(page, "qualifie")
    tab_to(page, "el.name === 'note' && el.closest('form').action.includes('/etape')", limit=2)
    page.keyboard.type("Surface vérifiée sur place")
    send_and_read_the_outcome(page, words["stage"])
    expect(page.locator(".pipeline-steps [aria-current=step]")).to_have_count(1)
    expect(page.get_by_text("Surface vérifiée sur place")).to_be_visible()

    # Add a note: from the outcome, Tab goes on into the forms.
    tab_to(page, "el.name === 'text'", limit=10)
    page.keyboard.type("Rencontre avec le propriétaire le 3 mars")
    send_and_read_the_outcome(page, words["note"])
    expect(page.locator(".history").first).to_contain_text("Camille Agent")

    # Propose it to the open need.
    tab_to(page, "el.name === 'need'", limit=20)
    choose_option(page, str(need.pk))
    tab_to(page, "el.id === 'id_proposal_note'", limit=2)
    page.keyboard.type("Surface adaptée à la recyclerie")
    send_and_read_the_outcome(page, words["proposed"])
    proposals = page.locator("section[aria-labelledby=titre-propositions] ul")
    expect(proposals).to_contain_text("Recyclerie de quartier")
    expect(proposals).to_contain_text("Surface adaptée à la recyclerie")
    assert need.proposals.filter(premises__name="Friche rue de Lannoy").exists()
    assert Premises.objects.get(name="Friche rue de Lannoy").notes.count() == 1
    page_report.assert_clean()


@pytest.mark.parametrize("words", [FRENCH, ENGLISH], ids=["fr", "en"])
def test_a_proposal_from_a_need_page_keeps_the_officer_at_the_proposed_sites(
    page: Page, live_server, page_report, officer, words
):
    make_premises("Friche rue de Lannoy", location=FIVES.clone(), surface_m2=2400)
    need = make_need(title="Recyclerie de quartier")

    log_in(page, f"{live_server.url}{words['prefix']}/foncier/besoins/{need.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recyclerie de quartier")
    tab_to(page, "el.name === 'note' && el.closest('.candidate') !== null")
    page.keyboard.type("Surface adaptée à la recyclerie")
    tab_to(page, "el.type === 'submit'", limit=2)
    page.keyboard.press("Enter")

    # The outcome, above the proposed sites, has the focus: not the top of the page.
    outcome = page.locator("#resultat-proposition")
    expect(outcome).to_be_focused()
    expect(outcome).to_have_text(words["proposed"])
    assert page.evaluate("window.scrollY") > 0 or page.evaluate(
        "document.documentElement.scrollHeight <= window.innerHeight"
    )
    proposals = page.locator("section[aria-labelledby=titre-proposes] ul.proposals")
    expect(proposals).to_contain_text("Friche rue de Lannoy")
    expect(proposals).to_contain_text("Surface adaptée à la recyclerie")
    # Tab goes on from there, not from the top: the next stop is the proposed site's link.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Friche rue de Lannoy")
    assert need.proposals.filter(premises__name="Friche rue de Lannoy").exists()
    page_report.assert_clean()

"""A network editor's journey with the keyboard alone (issue 19): log in, correct a member's
listing from the network's page, then send the member file, read its preview and confirm it.

Only `page.keyboard` moves and acts; the operating system's file dialog is the one exception
(`set_input_files` on the focused file input, which is what that dialog does).
"""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from directory.models import NetworkEditor, NetworkMembership, Organisation
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import FIVES, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mot-de-passe-solide-2026"

# The words a keyboard user reads at each step, per language (English through the URL's
# /en/ prefix, the way the language switch sends there).
FRENCH = {
    "prefix": "",
    "password": "Mot de passe",
    "edit_link": "la fiche Les Jardins de Fives",
    "edit_title": "Modifier la fiche Les Jardins de Fives",
    "save": "Enregistrer",
    "saved": "La fiche est enregistrée.",
    "network_page": "Page du réseau",
    "csv_link": "Mise à jour par fichier CSV",
    "csv_title": "par fichier CSV",
    "check": "Vérifier le fichier",
    "preview": "Aperçu de adherents.csv",
    "counts": "1 nouvelles fiches, 0 modifiées",
    "confirm": "Confirmer et appliquer le fichier",
    "applied": "Fichier appliqué : 1 fiches créées",
}
ENGLISH = {
    "prefix": "/en",
    "password": "Password",
    "edit_link": "the listing Les Jardins de Fives",
    "edit_title": "Edit the listing Les Jardins de Fives",
    "save": "Save",
    "saved": "The listing is saved.",
    "network_page": "Network page",
    "csv_link": "Update by CSV file",
    "csv_title": "by CSV file",
    "check": "Check the file",
    "preview": "Preview of adherents.csv",
    "counts": "1 new listings, 0 changed",
    "confirm": "Confirm and apply the file",
    "applied": "File applied: 1 listings created",
}


def press_tab_until(page: Page, condition: str, limit: int = 80) -> None:
    """Tab until the focused element `el` meets the JavaScript `condition`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {condition})(document.activeElement)"):
            return
    raise AssertionError(f"{limit} Tab presses and still not: {condition}")


def log_in_by_keyboard(page: Page, url: str, words: dict) -> None:
    """The log-in form's fields in order, then Enter sends it."""
    page.goto(url)
    press_tab_until(page, "el.name === 'username'")
    page.keyboard.type("editrice-apes")
    page.keyboard.press("Tab")
    expect(page.get_by_label(words["password"])).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("words", [FRENCH, ENGLISH], ids=["fr", "en"])
def test_a_network_editor_corrects_a_member_and_sends_a_file_with_the_keyboard_alone(
    page: Page, live_server, page_report, artifacts, viewport, words
):
    apes = make_organisation("APES Hauts-de-France", kinds=("reseau",))
    jardins = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    NetworkMembership.objects.create(network=apes, member=jardins)
    editor = User.objects.create_user("editrice-apes", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Éditeurs de réseau"))
    NetworkEditor.objects.create(user=editor, network=apes)
    size = f"{viewport['width']}px"
    prefix = words["prefix"]
    base = f"{live_server.url}{prefix}"

    log_in_by_keyboard(page, f"{base}/compte/connexion/?next={prefix}/reseaux/{apes.slug}/", words)
    expect(page.get_by_role("heading", level=1)).to_have_text("APES Hauts-de-France")

    # The member list: its "Modifier" link names the member for a screen reader.
    press_tab_until(page, f"el.tagName === 'A' && el.textContent.includes({words['edit_link']!r})")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["edit_title"])
    press_tab_until(page, "el.name === 'phone'")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("03 20 00 00 00")
    press_tab_until(page, f"el.type === 'submit' && el.textContent.trim() === {words['save']!r}")
    page.keyboard.press("Enter")

    # Back on the listing, the confirmation has the focus: a screen reader reads it first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Jardins de Fives")
    expect(page.locator(":focus")).to_contain_text(words["saved"])
    expect(page.get_by_text("03 20 00 00 00")).to_be_visible()
    jardins.refresh_from_db()
    assert jardins.phone == "03 20 00 00 00"

    # To the upload screen: the member's network, then its page.
    press_tab_until(page, "el.tagName === 'A' && el.textContent.trim() === 'APES Hauts-de-France'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/organisations/{apes.slug}/")
    press_tab_until(
        page, f"el.tagName === 'A' && el.textContent.startsWith({words['network_page']!r})"
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/reseaux/{apes.slug}/")
    press_tab_until(page, f"el.tagName === 'A' && el.textContent.trim() === {words['csv_link']!r}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["csv_title"])

    press_tab_until(page, "el.type === 'file'")
    page.locator(":focus").set_input_files(
        {
            "name": "adherents.csv",
            "mimeType": "text/csv",
            "buffer": (
                "reseau,nom,siret,commune,code_insee\n"
                f"{apes.slug},Café solidaire de Moulins,77500001200010,Lille,59350\n"
            ).encode(),
        }
    )
    press_tab_until(page, f"el.textContent.trim() === {words['check']!r}", limit=5)
    page.keyboard.press("Enter")

    # The preview's heading has the focus; the next stops are the table, then the answer.
    preview = page.get_by_role("heading", name=words["preview"])
    expect(preview).to_be_focused()
    expect(page.get_by_text(words["counts"])).to_be_visible()
    expect(page.get_by_role("rowheader", name="Café solidaire de Moulins")).to_be_visible()
    shot = f"{size}-{prefix.strip('/') or 'fr'}"
    page.screenshot(path=artifacts / f"network-keyboard-preview-{shot}.png", full_page=True)
    press_tab_until(page, f"el.textContent.trim() === {words['confirm']!r}")
    page.keyboard.press("Enter")

    # The result has the focus, and the member exists.
    expect(page.locator(":focus")).to_contain_text(words["applied"])
    assert Organisation.objects.filter(name="Café solidaire de Moulins").exists()
    page.screenshot(path=artifacts / f"network-keyboard-applied-{shot}.png", full_page=True)
    page_report.assert_clean()

"""A network editor logs in, finds their members on the network's map and corrects one."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from directory.models import NetworkEditor, NetworkMembership
from tests.factories import FIVES, WAZEMMES, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_corrects_a_member_from_the_network_map(
    page: Page, live_server, page_report, artifacts
):
    apes = make_organisation("APES Hauts-de-France", kinds=("reseau",))
    for name, point in (("Les Jardins de Fives", FIVES), ("La Recyclerie", WAZEMMES)):
        member = make_organisation(name, location=point.clone())
        NetworkMembership.objects.create(network=apes, member=member)
    editor = User.objects.create_user("editrice-apes", password="mot-de-passe-solide-2026")
    editor.groups.add(Group.objects.get(name="Éditeurs de réseau"))
    NetworkEditor.objects.create(user=editor, network=apes)

    page.goto(f"{live_server.url}/compte/connexion/?next=/reseaux/{apes.slug}/")
    page.get_by_label("Nom d\u2019utilisateur").fill("editrice-apes")
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide-2026")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("APES Hauts-de-France")
    expect(page.locator("#network-map .leaflet-interactive")).to_have_count(2)
    page.screenshot(path=artifacts / "network-page.png", full_page=True)
    page.get_by_role("link", name="Modifier la fiche Les Jardins de Fives").click()
    page.get_by_label("Téléphone").fill("03 20 00 00 00")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Les Jardins de Fives")
    expect(page.get_by_text("La fiche est enregistrée.")).to_be_visible()
    expect(page.get_by_text("03 20 00 00 00")).to_be_visible()
    page_report.assert_clean()


def log_in(page: Page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/compte/connexion/?next={next_url}")
    page.get_by_label("Nom d\u2019utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide-2026")
    page.get_by_role("button", name="Se connecter").click()


def test_a_person_claims_their_organisation_and_edits_it_once_accepted(
    page: Page, live_server, page_report, artifacts
):
    recyclerie = make_organisation(
        "La Recyclerie de Wazemmes", location=WAZEMMES.clone(), siret="77567122500016"
    )
    User.objects.create_user("gerante", password="mot-de-passe-solide-2026")
    moderator = User.objects.create_user("moderatrice", password="mot-de-passe-solide-2026")
    moderator.groups.add(Group.objects.get(name="Modérateurs"))
    page_url = f"/organisations/{recyclerie.slug}/"

    log_in(page, live_server, "gerante", page_url)
    page.get_by_role("link", name="C'est mon organisation").click()
    page.get_by_label("SIRET de l'organisation").fill("77567122500017")
    page.get_by_role("button", name="Envoyer ma demande").click()
    # A SIRET that is not the listing's is refused, with the reason next to the field.
    expect(page.locator(".field-error, .errorlist, [role=alert]").first).to_be_visible()
    page_report.expect_refusal(f"{page_url}revendiquer/")
    page.get_by_label("SIRET de l'organisation").fill("775 671 225 00016")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("La Recyclerie de Wazemmes")
    page.screenshot(path=artifacts / "claim-sent.png", full_page=True)
    page.wait_for_load_state("load")
    page.context.clear_cookies()

    log_in(page, live_server, "moderatrice", "/moderation/")
    page.get_by_role("link", name="La Recyclerie de Wazemmes").click()
    page.get_by_role("button", name="Accepter : cette personne pourra modifier la fiche").click()
    expect(
        page.get_by_role("button", name="Accepter : cette personne pourra modifier la fiche")
    ).to_have_count(0)
    page.wait_for_load_state("load")
    page.context.clear_cookies()

    log_in(page, live_server, "gerante", page_url)
    page.get_by_role("link", name="Modifier la fiche").click()
    page.get_by_label("Téléphone").fill("03 20 11 22 33")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("03 20 11 22 33")).to_be_visible()
    page_report.assert_clean()

"""A network editor logs in, finds their members on the network's map and corrects one."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from directory.models import NetworkEditor, NetworkMembership
from tests.web.factories import FIVES, WAZEMMES, make_organisation

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
    expect(page.get_by_text("La fiche est enregistrée et marquée vérifiée.")).to_be_visible()
    expect(page.get_by_text("03 20 00 00 00")).to_be_visible()
    page_report.assert_clean()

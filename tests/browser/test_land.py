"""/foncier/ in Debian's Chromium: the journey of a city officer, from login to export."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.web.factories import FIVES, WAZEMMES, make_organisation, make_premises

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def workspace():
    officer = User.objects.create_user(
        "agent", password="mot-de-passe-agent", first_name="Camille", last_name="Agent"
    )
    officer.groups.add(Group.objects.get(name="Services de la Ville"))
    make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    make_premises("Friche rue de Lannoy", location=FIVES.clone(), surface_m2=2400)
    make_premises("Atelier à Wazemmes", kind="bureau-atelier", location=WAZEMMES.clone())


def log_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/foncier/")
    expect(page).to_have_url(f"{live_server.url}/compte/connexion/?next=/foncier/")
    page.locator("#id_username").fill("agent")
    page.get_by_label("Mot de passe").fill("mot-de-passe-agent")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Opportunités foncières et immobilières"
    )


def test_an_officer_filters_follows_a_site_and_exports(
    page: Page, live_server, page_report, artifacts, workspace
):
    log_in(page, live_server)
    expect(page.locator("body[data-map-ready]")).to_have_count(1)
    expect(page.locator("#land-map .premises-marker")).to_have_count(2)

    page.get_by_label("Friche", exact=True).check()
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator(".land-table tbody tr")
    expect(rows).to_have_count(1)
    page.screenshot(path=artifacts / "land-list.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    csv_text = download.value.path().read_text(encoding="utf-8-sig")
    assert "Friche rue de Lannoy" in csv_text
    assert "Atelier à Wazemmes" not in csv_text

    rows.get_by_role("link", name="Friche rue de Lannoy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Friche rue de Lannoy")
    expect(page.get_by_text("Fives Cail, à 0 m")).to_be_visible()

    page.get_by_label("Nouvelle note").fill("Rencontre avec le propriétaire le 3 mars")
    page.get_by_role("button", name="Ajouter la note").click()
    expect(page.locator(".messages")).to_contain_text("Note ajoutée.")
    expect(page.locator(".history").first).to_contain_text("Camille Agent")

    page.get_by_label("Nouvelle étape").select_option(label="Qualifié")
    page.get_by_label("Commentaire").fill("Surface vérifiée sur place")
    page.get_by_role("button", name="Changer d'étape").click()
    expect(page.locator(".messages")).to_contain_text("Site passé à l'étape « Qualifié ».")
    expect(page.locator(".pipeline-steps [aria-current=step]")).to_have_text("Qualifié")
    expect(page.get_by_text("Surface vérifiée sur place")).to_be_visible()
    page.screenshot(path=artifacts / "land-site.png", full_page=True)
    page_report.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_the_workspace_fits_a_phone(page: Page, live_server, page_report, artifacts, workspace):
    log_in(page, live_server)
    expect(page.locator("body[data-map-ready]")).to_have_count(1)
    page.screenshot(path=artifacts / "land-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page_report.assert_clean()


def test_a_project_holder_declares_a_need(page: Page, live_server, page_report):
    page.goto(f"{live_server.url}/foncier/besoins/nouveau/")
    page.get_by_label("Votre projet, en quelques mots").fill("Recyclerie de quartier")
    page.get_by_label("Nom du contact").fill("Lou Martin")
    page.get_by_label("Courriel du contact").fill("pas-un-courriel")
    page.get_by_role("button", name="Envoyer mon besoin").click()
    expect(page.locator("#erreurs")).to_be_focused()
    page.get_by_label("Courriel du contact").fill("lou@example.org")
    page.get_by_role("button", name="Envoyer mon besoin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre besoin a bien été envoyé"
    )
    page_report.assert_clean()


def test_an_officer_places_a_new_site_on_the_map(
    page: Page, live_server, page_report, artifacts, workspace
):
    log_in(page, live_server)
    page.get_by_role("link", name="Ajouter un site").click()
    page.get_by_label("Nom").first.fill("Local commercial rue Pierre Legrand")
    page.get_by_label("Type de site").select_option(label="Local vacant")
    location_map = page.locator("#id_location-map")
    expect(location_map.locator(".leaflet-draw-draw-marker")).to_be_visible()
    location_map.locator(".leaflet-draw-draw-marker").click()
    location_map.click()
    page.screenshot(path=artifacts / "land-form.png", full_page=True)
    page.get_by_role("button", name="Enregistrer le site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local commercial rue Pierre Legrand")
    expect(page.locator(".messages")).to_contain_text("Site enregistré.")
    page_report.assert_clean()

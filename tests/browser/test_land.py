"""/foncier/ in Debian's Chromium: the journey of a city officer, from login to export."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from cartography.models import Premises
from cartography.selectors import premises_context_get
from tests.browser.conftest import PHONE, assert_fits_the_width
from tests.factories import FIVES, WAZEMMES, make_organisation, make_premises

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
    # The proposal form below has its own "Commentaire" (ids no longer shared).
    stage_form = page.get_by_role("group", name="Faire avancer le site")
    stage_form.get_by_label("Commentaire").fill("Surface vérifiée sur place")
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
    assert_fits_the_width(page)
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
    expect(page.get_by_label("Latitude du point")).to_have_value(re.compile(r"^50,\d{6}$"))
    expect(page.get_by_label("Longitude du point")).to_have_value(re.compile(r"^3,\d{6}$"))
    page.screenshot(path=artifacts / "land-form.png", full_page=True)
    page.get_by_role("button", name="Enregistrer le site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local commercial rue Pierre Legrand")
    expect(page.locator(".messages")).to_contain_text("Site enregistré.")
    page_report.assert_clean()


def test_an_officer_outlines_a_site_by_clicking_on_the_map(
    page: Page, live_server, page_report, artifacts, workspace
):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/foncier/sites/nouveau/")
    page.get_by_label("Nom").first.fill("Terrain rue de Lannoy")
    page.get_by_label("Type de site").select_option(label="Terrain")
    outline_map = page.locator("#id_footprint-map")
    # The map tells screen readers how to draw and that the outline can be pasted instead.
    expect(outline_map).to_have_attribute("aria-describedby", "id_footprint-map-aide")
    expect(page.locator("#id_footprint-map-aide")).to_contain_text("Dessiner un polygone")

    outline_map.scroll_into_view_if_needed()
    outline_map.get_by_role("link", name="Dessiner un polygone").click()
    box = outline_map.bounding_box()
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-40, -30), (40, -30), (40, 30), (-40, 30)):
        page.mouse.move(centre_x + dx, centre_y + dy, steps=5)
        page.mouse.click(centre_x + dx, centre_y + dy)
        # Leaflet.draw ignores a click within 50 ms of the last vertex; a person is slower.
        page.wait_for_timeout(150)
    expect(outline_map.locator(".leaflet-editing-icon")).to_have_count(4)
    # Clicking the first corner again closes the outline.
    outline_map.locator(".leaflet-editing-icon").first.click()
    expect(outline_map.locator("path.leaflet-interactive")).to_have_count(1)
    # What was drawn is readable as text too (and agrees with the drawing when saved).
    expect(page.get_by_label("Emprise en texte (WKT ou GeoJSON)")).to_have_value(
        re.compile(r"^MULTIPOLYGON \(\(\(3\.\d{6} 50\.\d{6}, ")
    )
    page.screenshot(path=artifacts / "land-outline.png", full_page=True)

    page.get_by_role("button", name="Enregistrer le site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terrain rue de Lannoy")
    site = Premises.objects.get(name="Terrain rue de Lannoy")
    assert site.footprint is not None
    assert site.location is None
    computed = premises_context_get(premises=site).computed_area_m2
    assert computed > 10_000  # 80 x 60 pixels at zoom 12: hectares
    surface = page.locator("dt", has_text="Surface de l'emprise").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(surface).to_have_text(re.compile(rf"^{computed:.0f} m²$"))
    page_report.assert_clean()

"""The owner of a listing places its point by clicking the map of the edit form."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from directory.models import GeocodingQuality, Organisation, OrganisationEditor
from tests.factories import FIVES, PASSWORD, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_owner_clicks_the_map_and_the_point_moves_there(
    page: Page, live_server, page_report, artifacts
):
    listing = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    owner = User.objects.create_user("gerante", password=PASSWORD)
    OrganisationEditor.objects.create(user=owner, organisation=listing)

    page.goto(f"{live_server.url}/compte/connexion/?next=/organisations/{listing.slug}/modifier/")
    page.get_by_label("Nom d\u2019utilisateur").fill("gerante")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    latitude = page.get_by_label("Latitude")
    expect(latitude).to_have_value("50.633")
    expect(page.locator("#listing-map .leaflet-marker-icon")).to_be_visible()
    expect(page.get_by_role("button", name="Placer d'après l'adresse")).to_be_visible()
    page.locator("#listing-map").click(position={"x": 120, "y": 30})  # clear of the zoom
    expect(latitude).not_to_have_value("50.633")
    expect(page.get_by_text("Point déplacé : enregistrez pour le garder.")).to_be_visible()
    typed = float(latitude.input_value())
    page.screenshot(path=artifacts / "owner-listing-map.png", full_page=True)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Les Jardins de Fives")
    listing = Organisation.objects.get(pk=listing.pk)
    assert round(listing.location.y, 6) == round(typed, 6)
    assert listing.location.y > FIVES.y  # the click was north-west of the point
    assert listing.geocoding_quality == GeocodingQuality.MANUAL
    page_report.assert_clean()

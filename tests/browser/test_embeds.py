"""A partner's page shows Cartess's embeds (issue 18): the map of a network's members inside
an iframe of another site, under the strict policy, links opening Cartess in a new tab."""

from urllib.parse import urlsplit

import pytest
from csp.decorators import csp_exempt
from django.http import HttpResponse
from django.urls import path
from playwright.sync_api import Page, expect

from config import urls as project_urls
from directory.models import NetworkMembership
from tests.factories import FIVES, WAZEMMES, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.urls(__name__),
]


@csp_exempt()
def partner_page(request):
    """A partner's page framing the embed given in `src` (its own site: no Cartess policy)."""
    src = request.GET["src"]
    return HttpResponse(
        '<!doctype html><html lang="fr"><head><title>APES</title></head><body>'
        f'<iframe title="Carte des membres" src="{src}" width="900" height="640"></iframe>'
        "</body></html>"
    )


# The project's own routes after the partner page (config.urls uses i18n_patterns, which
# Django refuses inside include()).
urlpatterns = [path("partenaire/", partner_page), *project_urls.urlpatterns]


def test_a_partner_page_shows_its_members_map(page: Page, live_server, page_report, settings):
    network = make_organisation("APES Hauts-de-France", kinds=("reseau",), acronym="APES")
    member = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    NetworkMembership.objects.create(network=network, member=member)
    make_organisation("La Recyclerie de Wazemmes", location=WAZEMMES.clone())
    # The partner is the live server under another name: another origin, both local (Chromium
    # refuses a public site framing a local one).
    port = urlsplit(live_server.url).port
    partner = f"http://127.0.0.1:{port}"
    settings.CARTESS_EMBED_FRAME_ANCESTORS = [partner]
    page.route(f"{partner}/**", lambda route: route.continue_())
    src = f"{live_server.url}/embed/carte/?reseau={network.slug}"

    page.goto(f"{partner}/partenaire/?src={src}", wait_until="networkidle")

    frame = page.frame_locator("iframe")
    links = frame.locator("#embed-results a")
    expect(links).to_have_text(["Les Jardins de Fives"])
    expect(links.first).to_have_attribute("target", "_blank")
    expect(frame.locator("#embed-status")).to_have_text("1 acteur.")
    expect(frame.locator(".leaflet-interactive")).to_have_count(1)
    page_report.assert_clean()

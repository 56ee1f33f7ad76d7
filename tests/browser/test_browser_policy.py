"""The main pages run in Chromium under the site's Content-Security-Policy without a single
refusal: no inline script or style, no resource from an origin the policy does not name.

Each visitor sees their own pages (the public, the city services, a network's editor, an
administrator); `page_report` collects the `securitypolicyviolation` events and the console
errors of every page (tests/browser/conftest.py).
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Page, expect

from directory.models import NetworkEditor, NetworkMembership, Organisation
from tests.factories import (
    FIVES,
    WAZEMMES,
    make_funding_scheme,
    make_need,
    make_organisation,
    make_pathway_scheme,
    make_premises,
    make_user,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def places() -> dict[str, str]:
    """A few published records, by the slug of the page that shows them."""
    network = make_organisation("APES Hauts-de-France", kinds=("reseau",), acronym="APES")
    member = make_organisation(
        "Les Jardins de Fives", kinds=("tiers-lieu",), location=FIVES.clone()
    )
    NetworkMembership.objects.create(network=network, member=member)
    make_organisation("La Recyclerie de Wazemmes", location=WAZEMMES.clone())
    make_funding_scheme("Prêt d'honneur solidaire")
    make_pathway_scheme("Subvention d'amorçage ESS")
    site = make_premises("Friche rue de Lannoy", surface_m2=2400)
    need = make_need()
    return {"network": network.slug, "member": member.slug, "site": site.slug, "need": need.pk}


def log_in_as(page: Page, live_server, user: User) -> None:
    """The browser carries the session of `user` (logged in by Django's test client)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def visit(page: Page, live_server, page_report, paths: list[str]) -> None:
    """Opens each page until it settles, then checks it ran without a CSP refusal."""
    for path in paths:
        response = page.goto(f"{live_server.url}{path}", wait_until="networkidle")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page_report.assert_clean()


def test_the_public_pages_run_under_the_policy(page: Page, live_server, page_report, places):
    visit(
        page,
        live_server,
        page_report,
        [
            "/",
            "/carte/",
            "/annuaire/",
            "/annuaire/?q=jardins",
            f"/organisations/{places['member']}/",
            "/financements/",
            "/contribuer/",
            "/compte/connexion/",
            "/foncier/besoins/nouveau/",
        ],
    )
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_submitted_pathway_search_runs_under_the_policy(
    page: Page, live_server, page_report, places
):
    page.goto(f"{live_server.url}/parcours/")
    page.get_by_label("Amorçage", exact=True).check()
    page.get_by_role("button", name="Voir mon parcours").click()
    page.wait_for_load_state("networkidle")

    expect(page.get_by_text("Subvention d'amorçage ESS").first).to_be_visible()
    page_report.assert_clean()


def test_the_land_pages_run_under_the_policy_for_the_city_services(
    page: Page, live_server, page_report, places
):
    log_in_as(page, live_server, make_user("agent-ville", groups=("Services de la Ville",)))
    visit(
        page,
        live_server,
        page_report,
        [
            "/foncier/",
            f"/foncier/{places['site']}/",
            "/foncier/tiers-lieux/",
            "/foncier/besoins/",
            f"/foncier/besoins/{places['need']}/",
            f"/foncier/{places['site']}/modifier/",
            "/foncier/sites/nouveau/",
        ],
    )
    # The drawing maps started: their inline script is signed with the page's nonce.
    expect(page.locator("#id_location-map .leaflet-draw-draw-marker")).to_be_visible()


def test_a_network_page_runs_under_the_policy_for_its_editor(
    page: Page, live_server, page_report, places
):
    editor = make_user("editrice-apes", groups=("Éditeurs de réseau",))
    network = places["network"]
    NetworkEditor.objects.create(user=editor, network_id=_pk_of(network))
    # The page of the network's tokens and its map of members are the editor's own.
    log_in_as(page, live_server, editor)
    pages = [f"/reseaux/{network}/", f"/reseaux/{network}/jetons/", "/compte/"]
    visit(page, live_server, page_report, pages)


def test_the_admin_runs_under_the_policy(page: Page, live_server, page_report, places):
    superuser = User.objects.create_superuser("direction", email="direction@exemple.fr")
    log_in_as(page, live_server, superuser)
    member = _pk_of(places["member"])
    visit(
        page,
        live_server,
        page_report,
        [
            "/admin/",
            "/admin/axes/accessattempt/",
            "/admin/directory/organisation/",
            f"/admin/directory/organisation/{member}/change/",
        ],
    )
    # The admin's geometry widget started (django-leaflet's script, signed with the nonce).
    expect(page.locator(".leaflet-container").first).to_be_visible()


def _pk_of(slug: str) -> int:
    return Organisation.objects.get(slug=slug).pk


def test_an_injected_inline_script_is_refused_and_reported(page: Page, live_server, page_report):
    """What an XSS would do: the browser does not run it, and the tests hear of it."""
    page.goto(f"{live_server.url}/annuaire/")

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true;";
            document.body.append(script);
        }"""
    )

    expect(page.locator("body")).to_be_visible()
    assert page.evaluate("window.injected === undefined")
    page.wait_for_timeout(200)
    assert [v.split(" ")[0] for v in page_report.csp_violations] == ["script-src-elem"]

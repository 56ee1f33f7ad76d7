"""axe-core (from the npm registry, node_modules/axe-core) on every public and staff page,
at desktop and phone sizes, in French and in English: a serious or critical violation fails,
and so does a page wider than the screen.

axe runs in the page through Playwright's evaluate, outside the page's Content-Security-Policy
(the policy forbids inline scripts, and axe is not part of the site).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page

from directory.models import NetworkEditor, NetworkMembership
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import (
    FIVES,
    WAZEMMES,
    make_funding_scheme,
    make_need,
    make_organisation,
    make_premises,
    make_support_offer,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "un-mot-de-passe-solide"
#: What fails the test: axe's two highest impacts.
BLOCKING = {"serious", "critical"}


def a_small_world() -> dict:
    """One of each thing a page shows, and a person who may see every staff page."""
    network = make_organisation("APES Hauts-de-France", kinds=("reseau",), acronym="APES")
    member = make_organisation(
        "La Coroutine",
        kinds=("tiers-lieu", "accompagnement"),
        location=WAZEMMES.clone(),
        description="Atelier vélo participatif.",
        website="https://coroutine.example.org",
    )
    NetworkMembership.objects.create(network=network, member=member)
    funder = make_organisation("Nord Actif", kinds=("financeur",), location=FIVES.clone())
    scheme = make_funding_scheme("Prêt d'honneur solidaire", description="Un prêt sans intérêt.")
    scheme.funders.add(funder)
    offer = make_support_offer("Incubateur ESS de Lille", description="Six mois d'incubation.")
    site = make_premises("Friche rue de Lannoy", location=FIVES.clone(), surface_m2=2400)
    need = make_need()
    person = User.objects.create_superuser("direction", "direction@example.org", PASSWORD)
    for name in ("Services de la Ville", "Modérateurs"):
        person.groups.add(Group.objects.get(name=name))
    NetworkEditor.objects.create(user=person, network=network)
    return {
        "network": network.slug,
        "member": member.slug,
        "scheme": scheme.slug,
        "offer": offer.slug,
        "site": site.slug,
        "need": need.pk,
    }


def public_pages(world: dict) -> list[str]:
    return [
        "/",
        "/carte/",
        "/annuaire/",
        "/annuaire/?q=velo",
        f"/organisations/{world['member']}/",
        "/financements/",
        f"/financements/{world['scheme']}/",
        "/accompagnements/",
        f"/accompagnements/{world['offer']}/",
        "/lieux/",
        "/parcours/",
        "/contribuer/",
        "/foncier/besoins/nouveau/",
        f"/reseaux/{world['network']}/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/compte/connexion/",
        "/compte/inscription/",
    ]


def staff_pages(world: dict) -> list[str]:
    return [
        "/compte/",
        "/foncier/",
        f"/foncier/{world['site']}/",
        f"/foncier/{world['site']}/modifier/",
        "/foncier/besoins/",
        f"/foncier/besoins/{world['need']}/",
        "/foncier/tiers-lieux/",
        "/financements/couverture/",
        "/moderation/",
        "/moderation/doublons/",
        f"/organisations/{world['member']}/modifier/",
        f"/organisations/{world['member']}/historique/",
        f"/reseaux/{world['network']}/fraicheur/",
        f"/reseaux/{world['network']}/import/",
        f"/reseaux/{world['network']}/jetons/",
    ]


def violations_of(page: Page, url: str) -> list[str]:
    page.goto(url, wait_until="networkidle")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact,
                targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
            }));
        }"""
    )
    problems = [
        f"{url}: {v['id']} ({v['impact']}) at {', '.join(v['targets'])}"
        for v in found
        if v["impact"] in BLOCKING
    ]
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        wide = page.evaluate(
            """(width) => {
                const clipped = (e) => {
                    for (let a = e.parentElement; a; a = a.parentElement) {
                        if (getComputedStyle(a).overflowX !== "visible") return true;
                    }
                    return false;
                };
                return [...document.querySelectorAll("body *")]
                    .filter((e) => e.getBoundingClientRect().right > width + 1 && !clipped(e))
                    .slice(0, 5).map((e) => `${e.tagName}.${e.className}`);
            }""",
            width,
        )
        problems.append(f"{url}: {scroll_width} px wide on a {width} px screen ({wide})")
    return problems


def log_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/compte/connexion/")
    page.locator("#id_username").fill("direction")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/**")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("language", ["", "/en"], ids=["fr", "en"])
def test_no_page_has_a_serious_or_critical_axe_violation(
    page: Page, live_server, viewport, language
):
    world = a_small_world()
    found = []
    for path in public_pages(world):
        found += violations_of(page, f"{live_server.url}{language}{path}")
    log_in(page, live_server)
    for path in staff_pages(world):
        found += violations_of(page, f"{live_server.url}{language}{path}")

    assert found == [], "\n".join(found)

"""The browser walks (axe-core and widths, `tests/browser/pages.py`) visit every HTML page of
the site: each route is walked, or named below with why it is left out."""

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation
from pytest_django.asserts import assertContains

from tests.browser.pages import a_small_world, public_pages, staff_pages

WORLD = {"network": "apes", "member": "la-coroutine", "scheme": "pret", "offer": "incubateur"}
WORLD |= {"site": "friche", "need": 1, "suggestion": 1, "claim": 1}
WORLD |= {"alert-confirm": "a:b", "alert-manage": "a:b", "alert-unsubscribe": "a:b"}
WORLD |= {"reminder-confirm": "a:b:c", "reminder-edit": "a:b:c", "email-key": "a:b:c"}
WORLD |= {"reset-uid": "Mg", "reset-token": "a-b", "follow": "a:b", "mobilisation": 1}
WORLD |= {"duplicate": 1, "job": "6f0e1c1e-8d5a-4c1b-9a43-1f2d3c4b5a69"}

FILE = "a file or a feed for machines, not a page"
ACTION = "an action (POST) that answers with a redirect"
ALIAS = "another name of a walked address"
#: Namespaces left out whole: the admin (Django's own pages) and the APIs for machines.
LEFT_OUT_NAMESPACES = ("admin:", "api:", "ogc:", "tiles:")
#: Routes the walks leave out, and why.
LEFT_OUT = {
    "api-docs": "the API's documentation, drawn by a third-party widget (drf-spectacular)",
    "api-schema": FILE,
    "healthz": FILE,
    "robots-txt": FILE,
    "sitemap": FILE,
    "sitemap-section": FILE,
    "cartography:friches-csv": FILE,
    "cartography:friches-datapackage": FILE,
    "cartography:geopackage": FILE,
    "cartography:land-export-csv": FILE,
    "cartography:land-export-geojson": FILE,
    "cartography:place-network-csv": FILE,
    "cartography:place-network-datapackage": FILE,
    "cartography:places-geojson": FILE,
    "directory:data-inclusion-datapackage": FILE,
    "directory:data-inclusion-services-csv": FILE,
    "directory:data-inclusion-services-json": FILE,
    "directory:data-inclusion-structures-csv": FILE,
    "directory:data-inclusion-structures-json": FILE,
    "directory:export-csv": FILE,
    "directory:export-datapackage": FILE,
    "directory:export-geojson": FILE,
    "directory:funding-coverage-csv": FILE,
    "directory:funding-feed": FILE,
    "directory:funding-schemes-datapackage": FILE,
    "directory:funding-schemes-export-csv": FILE,
    "network-imports:network-import-job-status": FILE,
    "network-imports:network-import-template": FILE,
    "accounts:logout": ACTION,
    "accounts:reader-token-revoke": ACTION,
    "set_language": ACTION,
    "cartography:land-note": ACTION,
    "cartography:land-propose": ACTION,
    "cartography:land-stage": ACTION,
    "cartography:need-status": ACTION,
    "cartography:space-request-to-need": ACTION,
    "contributions:approve": ACTION,
    "contributions:reject": ACTION,
    "contributions:claim-approve": ACTION,
    "contributions:claim-reject": ACTION,
    "contributions:membership-request-accept": ACTION,
    "contributions:membership-request-refuse": ACTION,
    "contributions:removal-request-accept": ACTION,
    "contributions:removal-request-refuse": ACTION,
    "contributions:funding-scheme-revert": ACTION,
    "contributions:organisation-revert": ACTION,
    "contributions:premises-revert": ACTION,
    "contributions:support-offer-revert": ACTION,
    "directory:network-token-revoke": ACTION,
    "directory:listing-confirm": ACTION,
    "duplicates:different": ACTION,
    "duplicates:merge": ACTION,
    "mobilisations:refer": ACTION,
    "mobilisations:send-to-city": ACTION,
    "mobilisations:status": ACTION,
    "network-imports:network-import-confirm": ACTION,
    "account_login": ALIAS,
    "account_reset_password": ALIAS,
    "cartography:land-login": "a redirect to /compte/connexion/",
    "cartography:third-place-offer": "a redirect to /lieux/<slug>/offre/",
}


def routes(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_html_page_is_walked_or_left_out_with_a_reason():
    with translation.override("fr"):  # the walks' paths are the French (plain) ones
        walked = {
            resolve(path.split("?")[0]).view_name
            for path in [*public_pages(WORLD), *staff_pages(WORLD)]
        }
    pages = {
        name
        for name in routes(get_resolver().url_patterns)
        if not name.startswith(LEFT_OUT_NAMESPACES)
    }
    missing = pages - walked - set(LEFT_OUT)
    assert sorted(missing) == [], "\n".join(sorted(missing))
    assert sorted(set(LEFT_OUT) - pages) == [], "left out but no longer a route"
    assert sorted(set(LEFT_OUT) & walked) == [], "left out but walked"


@pytest.mark.django_db(databases=["default", "progress"])
def test_the_walked_email_links_show_their_page_not_an_expired_link(client):
    world = a_small_world()
    uid, token = world["reset-uid"], world["reset-token"]
    client.get(f"/compte/mot-de-passe/nouveau/{uid}/{token}/")  # as `follow_email_links`
    emailed = ("/alertes/", "/fraicheur/", "/compte/mot-de-passe/nouveau/", "/compte/confirmer/")
    pages = {path: client.get(path) for path in public_pages(world) if path.startswith(emailed)}

    assert {path: page.status_code for path, page in pages.items()} == dict.fromkeys(pages, 200)
    assertContains(pages[f"/compte/mot-de-passe/nouveau/{uid}/set-password/"], "id_new_password1")
    assertContains(pages[f"/compte/confirmer/{world['email-key']}/"], "nouvelle@example.org")


@pytest.mark.django_db(databases=["default", "progress"])
def test_the_walked_records_show_their_page(client):
    world = a_small_world()
    follow = client.get(f"/demandes/suivi/{world['follow']}/")
    space = client.get(f"/organisations/{world['member']}/demander-un-espace/")
    client.force_login(User.objects.get(username="direction"))
    job = client.get(f"/reseaux/{world['network']}/import/taches/{world['job']}/")
    duplicate = client.get(f"/moderation/doublons/{world['duplicate']}/")

    assertContains(follow, "Nord Actif")
    assertContains(space, 'name="space_what"')
    assertContains(job, "Confirmer et appliquer le fichier")
    assertContains(job, "Café solidaire de Moulins")
    assertContains(duplicate, "La Coroutine Lille")
    assertContains(client.get(f"/demandes/{world['mobilisation']}/"), "Lou Martin")

"""Every response carries the browser policy: a Content-Security-Policy without inline
script, a Permissions-Policy, no framing by other sites; embed pages are the one exception."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from directory.browser_policy import frame_embeddable
from tests.factories import FIVES, make_organisation, make_premises, make_user

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def assert_strict_policy(response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    # Scripts: files of this site, and the nonce of a page that signs one inline script.
    assert [source for source in policy["script-src"] if "nonce" not in source] == ["'self'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    permissions = response.headers["Permissions-Policy"]
    assert "geolocation=(self)" in permissions
    assert "camera=()" in permissions
    assert "microphone=()" in permissions
    assert "payment=()" in permissions


@pytest.fixture
def pages(db) -> list[str]:
    organisation = make_organisation("La Coroutine", kinds=("tiers-lieu",), location=FIVES.clone())
    site = make_premises("Friche Saint-Sauveur")
    return [
        "/",
        "/carte/",
        "/annuaire/",
        "/annuaire/?q=velo",
        f"/organisations/{organisation.slug}/",
        "/parcours/",
        "/financements/",
        "/contribuer/",
        "/compte/connexion/",
        f"/foncier/{site.slug}/",
        "/foncier/",
        "/admin/",
        "/admin/directory/organisation/",
        f"/admin/directory/organisation/{organisation.pk}/change/",
        "/page-qui-n-existe-pas/",
        "/api/v1/organisations/?bbox=3.0,50.6,3.1,50.7",
    ]


def test_every_page_carries_the_browser_policy_for_every_visitor(pages):
    superuser = make_user("direction", is_staff=True, is_superuser=True)
    visitors = [Client(), Client(), Client()]
    visitors[1].force_login(make_user("agent-ville", groups=("Services de la Ville",)))
    visitors[2].force_login(superuser)
    for client in visitors:
        for url in pages:
            response = client.get(url)
            assert response.status_code in {200, 302, 403, 404}, url
            assert_strict_policy(response)


def test_a_page_signs_its_inline_script_with_the_nonce_of_its_own_header():
    """The admin's Leaflet widgets are django-leaflet's inline scripts: signed, not allowed."""
    make_organisation("La Coroutine", kinds=("tiers-lieu",), location=FIVES.clone())
    client = Client()
    client.force_login(make_user("direction", is_staff=True, is_superuser=True))

    response = client.get("/admin/directory/organisation/")

    nonces = [s for s in directives(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert f'<script nonce="{nonce}">' in response.content.decode()
    # A public page has nothing inline to sign: no nonce in its policy.
    public = Client().get("/annuaire/")
    assert "nonce" not in public.headers["Content-Security-Policy"]


def test_no_template_of_the_project_holds_an_inline_script_or_handler():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offending = []
    for template in sorted(root.glob("*/templates/**/*.html")) + sorted(
        (root / "templates").glob("**/*.html")
    ):
        text = template.read_text(encoding="utf-8")
        for line_number, line in enumerate(text.splitlines(), start=1):
            inline_script = "<script" in line and "src=" not in line and "json" not in line
            handler = any(f" on{event}=" in line for event in ("click", "load", "change", "submit"))
            if inline_script or handler or "<style" in line or " style=" in line:
                offending.append(f"{template.relative_to(root)}:{line_number}")
    assert offending == []


def embed(request):
    return HttpResponse("<p>Carte des acteurs</p>")


urlpatterns = [path("embed/", frame_embeddable(embed))]


@pytest.mark.urls("tests.test_browser_policy")
def test_an_embed_page_alone_may_be_framed_by_the_sites_the_setting_names(client, settings):
    settings.CARTESS_EMBED_FRAME_ANCESTORS = ["https://www.lille.fr", "https://apes-hdf.org"]

    response = client.get("/embed/")

    policy = directives(response)
    assert policy["frame-ancestors"] == ["https://www.lille.fr", "https://apes-hdf.org"]
    assert "X-Frame-Options" not in response.headers
    # The rest of the policy stays as strict.
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]

"""Embeds (issue 18): a network's members' map and the pathway inside a partner's page,
framable by the sites the settings allow, links opening full Cartess in a new tab; the
snippet page for the network's editors; the members filter `reseau` on the map's API."""

import re

import pytest

from tests.directory.pathway.test_pathway_page import JOURNEY, landscape  # noqa: F401 - a fixture
from tests.factories import FIVES, WAZEMMES, make_area, make_organisation

pytestmark = pytest.mark.django_db


def assert_framable(response, settings) -> None:
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    ancestors = " ".join(settings.CARTESS_EMBED_FRAME_ANCESTORS)
    assert f"frame-ancestors {ancestors}" in policy
    assert "script-src 'self'" in policy  # the rest of the strict policy is kept


def test_embed_map_is_framable_and_keeps_the_filters(client, world, settings):
    settings.CARTESS_EMBED_FRAME_ANCESTORS = ["https://www.apes-hdf.org"]
    page = client.get("/embed/carte/", {"reseau": world.network_a.slug, "kind": "entreprise-ess"})
    assert page.status_code == 200
    assert_framable(page, settings)
    html = page.content.decode()
    assert f"/api/v1/organisations/?reseau={world.network_a.slug}&amp;kind=entreprise-ess" in html
    assert 'target="_blank" rel="noopener"' in html
    assert "<script>" not in html  # strict CSP: data in data- attributes and json_script only


def test_other_pages_stay_unframable(client):
    page = client.get("/carte/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_members_filter_shows_a_networks_members_only(client, world):
    members = client.get("/api/v1/organisations/", {"reseau": world.network_a.slug}).json()
    assert [f["properties"]["name"] for f in members["features"]] == ["Les Jardins de Fives"]
    bad = client.get("/embed/carte/", {"reseau": "<apes>"})
    assert bad.status_code == 400
    assert "Réseau : un identifiant est attendu." in bad.content.decode()


def test_embed_pathway_answers_in_the_frame_with_new_tab_links(client, landscape, settings):  # noqa: F811
    page = client.get("/embed/parcours/", JOURNEY)
    assert page.status_code == 200
    assert_framable(page, settings)
    html = page.content.decode()
    assert "Entreprendre autrement" in html
    assert 'target="_blank" rel="noopener"' in html
    assert 'name="sector" value="alimentation-durable"' in html  # the host's answers kept
    assert "/parcours/?stage=amorcage" in html  # the complete pathway, in a new tab


def test_embed_pathway_asks_the_stage_first(client, settings):
    page = client.get("/embed/parcours/", {"where": "lille"})
    assert page.status_code == 200
    assert 'name="stage"' in page.content.decode()
    assert 'name="where" value="lille"' in page.content.decode()


def test_network_editor_copies_the_snippet_of_its_members_map(client, world):
    client.force_login(world.users["editeur A"])
    page = client.get(f"/reseaux/{world.network_a.slug}/integrer/")
    assert page.status_code == 200
    html = page.content.decode()
    snippet = f'&lt;iframe src="http://testserver/embed/carte/?reseau={world.network_a.slug}"'
    assert snippet in html
    client.force_login(world.users["editeur B"])
    assert client.get(f"/reseaux/{world.network_a.slug}/integrer/").status_code == 403


def test_embed_map_of_a_quartier_shows_its_organisations_only(client):
    make_area("quartier", "59350-4", "Fives", (3.08, 50.62, 3.10, 50.64))
    make_organisation("Les Jardins de Fives", location=FIVES.clone())
    make_organisation("La Grappe", location=WAZEMMES.clone())
    page = client.get("/embed/carte/", {"quartier": "fives"})
    assert page.status_code == 200
    html = page.content.decode()
    api_url = "/api/v1/organisations/?quartier=fives"
    assert api_url in html
    assert "/carte/?quartier=fives" in html  # full Cartess opens on the same quartier
    shown = client.get(api_url).json()
    assert [f["properties"]["name"] for f in shown["features"]] == ["Les Jardins de Fives"]


def test_the_embeds_are_light_pages(client, world):
    embed = client.get("/embed/carte/", {"reseau": world.network_a.slug})
    html = embed.content.decode()
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert [src.rsplit("/", 1)[-1] for src in scripts] == ["leaflet.js", "embed-map.js"]
    assert "<nav" not in html  # no site header, menu or account links inside a partner's page
    assert "Set-Cookie" not in embed  # no session or CSRF cookie set in a third-party frame
    full = client.get("/carte/").content.decode()
    assert len(html) < len(full) / 2
    pathway = client.get("/embed/parcours/").content.decode()
    assert "<nav" not in pathway
    assert not re.findall(r"<script[^>]* src=", pathway)  # a form that needs no script


@pytest.mark.parametrize("path", ["/embed/carte/", "/embed/parcours/"])
def test_an_embed_links_the_legal_pages_in_a_new_tab(client, path):
    footer = client.get(path).content.decode().split('class="embed-footer"')[1]
    for page in ("/mentions-legales/", "/donnees-personnelles/", "/accessibilite/"):
        assert f'href="http://testserver{page}" target="_blank" rel="noopener"' in footer
    assert "Accessibilité : non conforme" in footer

"""`/financements/flux.atom`: new schemes and schemes about to close, filtered like the page."""

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from directory.models import FundingScheme
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db
URL = "/financements/flux.atom"
ATOM = "{http://www.w3.org/2005/Atom}"


def entry_titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    return [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]


@pytest.fixture
def schemes():
    today = date.today()
    scheme("Prêt d'honneur solidaire", stages=("amorcage",), instruments=("pret",))
    scheme("Appel à projets ESS", stages=("consolidation",), closes_on=today + timedelta(days=10))
    scheme("Fonds clos", closes_on=today - timedelta(days=1))
    old = scheme("Subvention ancienne", closes_on=today + timedelta(days=200))
    FundingScheme.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))


def test_the_feed_lists_new_schemes_and_those_closing_soon(client, schemes):
    closing = (date.today() + timedelta(days=10)).strftime("%-d")

    titles = entry_titles(client.get(URL))

    assert len(titles) == 2
    assert "Nouveau : Prêt d'honneur solidaire" in titles
    assert any(
        t.startswith(f"Clôture le {closing} ") and "Appel à projets ESS" in t for t in titles
    )


def test_the_feed_takes_the_filters_of_the_page(client, schemes):
    assert entry_titles(client.get(URL, {"stage": "amorcage"})) == [
        "Nouveau : Prêt d'honneur solidaire"
    ]
    assert entry_titles(client.get(URL, {"q": "emprunt"})) == ["Nouveau : Prêt d'honneur solidaire"]
    assert entry_titles(client.get(URL, {"instrument": "garantie"})) == []


def test_a_malformed_filter_is_a_400_in_french(client):
    response = client.get(URL, {"stage": "<script>"})

    assert response.status_code == 400
    assert "stage" in response.content.decode()


def test_the_funding_page_links_its_feed_with_its_filters(client, schemes):
    response = client.get("/financements/", {"stage": "amorcage"})

    assertContains(response, '<link rel="alternate" type="application/atom+xml"', count=1)
    assertContains(response, 'href="/financements/flux.atom?stage=amorcage"', count=2)

"""`/accompagnements/`: the published support offers, by name, 30 a page."""

import pytest

from directory.models import PublicationStatus, Stage, SupportKind
from directory.selectors.funding import SUPPORT_OFFER_PAGE_SIZE
from tests.factories import make_organisation, make_support_offer

pytestmark = pytest.mark.django_db


def test_the_list_names_each_offer_its_provider_stages_and_kinds(client):
    provider = make_organisation("BGE Hauts-de-France", kinds=("accompagnement",))
    offer = make_support_offer("Couveuse d'activités", provider=provider, cost="gratuit")
    offer.stages.set(Stage.objects.filter(slug="pre-amorcage"))
    offer.kinds.set(SupportKind.objects.filter(slug="hebergement-cae"))
    make_support_offer("DLA du Nord", provider_label="Opérateur DLA du Nord")
    make_support_offer("Offre retirée", publication_status=PublicationStatus.ARCHIVED)

    response = client.get("/accompagnements/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/accompagnements/{offer.slug}/"' in html
    assert "BGE Hauts-de-France" in html
    assert Stage.objects.get(slug="pre-amorcage").name in html
    assert SupportKind.objects.get(slug="hebergement-cae").name in html
    assert "Opérateur DLA du Nord" in html
    assert "Offre retirée" not in html
    assert "2 offres d'accompagnement" in html
    assert html.index("Couveuse") < html.index("DLA du Nord")


def test_the_list_is_paginated_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    kinds = list(SupportKind.objects.all()[:2])
    for number in range(SUPPORT_OFFER_PAGE_SIZE + 5):
        offer = make_support_offer(f"Accompagnement {number:02d}")
        offer.kinds.set(kinds)
        offer.stages.set(Stage.objects.all()[:3])

    with django_assert_max_num_queries(6):
        first = client.get("/accompagnements/").content.decode()
    second = client.get("/accompagnements/?page=2").content.decode()
    beyond = client.get("/accompagnements/?page=99")

    assert "Accompagnement 00" in first
    assert "Accompagnement 34" not in first
    assert "Page 1 sur 2" in first
    assert 'href="?page=2"' in first
    assert "Accompagnement 34" in second
    assert "Accompagnement 00" not in second
    assert beyond.status_code == 200


def test_a_support_offer_page_leads_back_to_the_list(client):
    offer = make_support_offer("Couveuse d'activités")
    html = client.get(f"/accompagnements/{offer.slug}/").content.decode()
    assert 'href="/accompagnements/"' in html


def test_the_funding_page_leads_to_the_support_offers(client):
    html = client.get("/financements/").content.decode()
    assert 'href="/accompagnements/"' in html

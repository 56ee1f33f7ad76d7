"""What search engines and reusers read on the public pages (issue 18): `/sitemap.xml`,
`/robots.txt` and the schema.org JSON-LD of organisation and funding scheme pages."""

import json
import re
from datetime import datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from directory.models import FundingInstrument, PublicationStatus
from directory.sitemaps import OrganisationSitemap
from tests.factories import (
    make_funding_scheme,
    make_organisation,
    make_support_offer,
)

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def sitemap_locations(response, path: str = "s:url/s:loc") -> list[str]:
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)
    return [element.text for element in root.findall(path, SITEMAP_NS)]


def sitemap_pages(client) -> list[str]:
    """The addresses of the index's sitemaps (`/sitemap.xml`), as a crawler reads them."""
    return [
        location.removeprefix("http://testserver")
        for location in sitemap_locations(client.get("/sitemap.xml"), "s:sitemap/s:loc")
    ]


def every_location(client) -> list[str]:
    return [
        location
        for page in sitemap_pages(client)
        for location in sitemap_locations(client.get(page))
    ]


def json_ld_of(response) -> dict:
    assert response.status_code == 200
    (block,) = JSON_LD.findall(response.content.decode())
    return json.loads(block)


def test_the_sitemap_lists_published_pages_only(client, django_assert_max_num_queries):
    shown = make_organisation("Les Jardins de Fives")
    hidden = make_organisation("Brouillon", publication_status=PublicationStatus.DRAFT)
    scheme = make_funding_scheme("Prêt d'honneur solidaire")
    offer = make_support_offer("Incubateur ESS")
    # The index: a count and the latest change per kind of record, however many there are.
    with django_assert_max_num_queries(6):
        pages = sitemap_pages(client)
    assert "/sitemap-organisations.xml" in pages
    locations = every_location(client)
    assert f"http://testserver/organisations/{shown.slug}/" in locations
    assert f"http://testserver/financements/{scheme.slug}/" in locations
    assert f"http://testserver/accompagnements/{offer.slug}/" in locations
    assert f"http://testserver/organisations/{hidden.slug}/" not in locations
    for page in ("/", "/annuaire/", "/carte/", "/parcours/", "/financements/"):
        assert f"http://testserver{page}" in locations


def test_a_national_directory_is_listed_in_pages_the_index_names(client, monkeypatch):
    # Issue 20: one file listed the first 50,000 organisations only; the index names every
    # page of each section, each page with its own count and rows (two queries).
    monkeypatch.setattr(OrganisationSitemap, "limit", 2)
    organisations = [make_organisation(f"Structure {number}") for number in range(5)]

    pages = sitemap_pages(client)

    sections = [page for page in pages if page.startswith("/sitemap-organisations.xml")]
    assert sections == [
        "/sitemap-organisations.xml",
        "/sitemap-organisations.xml?p=2",
        "/sitemap-organisations.xml?p=3",
    ]
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    latest = max(organisation.updated_at for organisation in organisations)
    lastmods = [element.text for element in index.findall("s:sitemap/s:lastmod", SITEMAP_NS)]
    section = lastmods[pages.index("/sitemap-organisations.xml")]
    assert datetime.fromisoformat(section) == latest
    listed = every_location(client)
    for organisation in organisations:
        assert listed.count(f"http://testserver/organisations/{organisation.slug}/") == 1


def test_an_unknown_section_or_page_of_the_sitemap_is_a_404(client):
    make_organisation("Les Jardins de Fives")
    for address in (
        "/sitemap-inconnue.xml",
        "/sitemap-organisations.xml?p=2",
        "/sitemap-organisations.xml?p=abc",
        "/sitemap-organisations.xml?p=0",
    ):
        assert client.get(address).status_code == 404, address


def test_robots_points_to_the_sitemap_and_keeps_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for private in ("/admin/", "/compte/", "/moderation/", "/foncier/"):
        assert f"Disallow: {private}" in lines
    assert "Disallow: /" not in lines


def test_an_organisation_page_describes_an_organization(client, moulins_point):
    organisation = make_organisation(
        "Coopérative <b>Fives</b> & Cie",
        acronym="CFC",
        street="12 rue Pierre Legrand",
        website="https://fives.example.org/",
        siren="123456789",
        location=moulins_point,
    )
    data = json_ld_of(client.get(f"/organisations/{organisation.slug}/"))
    page = f"http://testserver/organisations/{organisation.slug}/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["@id"] == page
    assert data["name"] == "Coopérative <b>Fives</b> & Cie"
    assert data["alternateName"] == "CFC"
    assert data["url"] == "https://fives.example.org/"
    assert data["sameAs"] == ["https://annuaire-entreprises.data.gouv.fr/entreprise/123456789"]
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "12 rue Pierre Legrand",
        "postalCode": "59000",
        "addressLocality": "Lille",
        "addressCountry": "FR",
    }
    assert data["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": round(moulins_point.y, 6),
        "longitude": round(moulins_point.x, 6),
    }


def test_json_ld_cannot_close_its_script(client):
    organisation = make_organisation("Asso", description="</script><script>alert(1)</script>")
    html = client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld_of(client.get(f"/organisations/{organisation.slug}/"))["description"] == (
        "</script><script>alert(1)</script>"
    )


def test_unknown_facts_are_left_out(client):
    organisation = make_organisation("Sans site", city="", postcode="")
    data = json_ld_of(client.get(f"/organisations/{organisation.slug}/"))
    assert data["url"] == f"http://testserver/organisations/{organisation.slug}/"
    for absent in ("geo", "sameAs", "address", "email", "telephone", "alternateName"):
        assert absent not in data


def test_a_loan_is_a_financial_product_with_its_amount(client):
    funder = make_organisation("France Active Nord")
    scheme = make_funding_scheme(
        "Prêt d'honneur solidaire",
        amount_min=Decimal("1000"),
        amount_max=Decimal("8000"),
        territory_label="Hauts-de-France",
        url="https://financeur.example.org/pret",
    )
    scheme.instruments.set(FundingInstrument.objects.filter(slug="pret-d-honneur"))
    scheme.funders.set([funder])
    data = json_ld_of(client.get(f"/financements/{scheme.slug}/"))
    assert data["@type"] == "FinancialProduct"
    assert data["url"] == "https://financeur.example.org/pret"
    assert data["amount"] == {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "minValue": 1000.0,
        "maxValue": 8000.0,
    }
    assert data["provider"] == [
        {
            "@type": "Organization",
            "name": "France Active Nord",
            "@id": f"http://testserver/organisations/{funder.slug}/",
        }
    ]
    assert data["areaServed"] == "Hauts-de-France"


def test_a_grant_is_a_service(client):
    scheme = make_funding_scheme("Aide à l'amorçage", funders_label="Ville de Lille")
    scheme.instruments.set(FundingInstrument.objects.filter(slug="subvention"))
    data = json_ld_of(client.get(f"/financements/{scheme.slug}/"))
    assert data["@type"] == "Service"
    assert data["category"] == ["Subvention"]
    assert data["provider"] == [{"@type": "Organization", "name": "Ville de Lille"}]
    assert "amount" not in data


def test_a_place_of_the_ess_is_also_a_place(client, moulins_point):
    place = make_organisation("Maison de l'ESS", location=moulins_point, place_roles=["lieu-totem"])
    data = json_ld_of(client.get(f"/organisations/{place.slug}/"))
    assert data["@type"] == ["Organization", "Place"]
    assert data["geo"]["@type"] == "GeoCoordinates"
    company = make_organisation("Coopérative sans local", location=moulins_point)
    assert json_ld_of(client.get(f"/organisations/{company.slug}/"))["@type"] == "Organization"


def test_a_grant_of_public_bodies_only_is_a_government_service(client):
    city = make_organisation("Ville de Lille", kinds=("collectivite",))
    region = make_organisation("Région Hauts-de-France", kinds=("collectivite", "financeur"))
    scheme = make_funding_scheme("Fonds de soutien aux associations")
    scheme.instruments.set(FundingInstrument.objects.filter(slug="subvention"))
    scheme.funders.set([city, region])
    data = json_ld_of(client.get(f"/financements/{scheme.slug}/"))
    assert data["@type"] == "GovernmentService"
    assert {provider["@type"] for provider in data["provider"]} == {"GovernmentOrganization"}

    scheme.funders.add(make_organisation("Fondation de France", kinds=("financeur",)))
    mixed = json_ld_of(client.get(f"/financements/{scheme.slug}/"))
    assert mixed["@type"] == "Service"
    assert sorted(provider["@type"] for provider in mixed["provider"]) == [
        "GovernmentOrganization",
        "GovernmentOrganization",
        "Organization",
    ]


def test_the_sitemap_s_files_are_kept_an_hour_and_dated_by_day(client, django_assert_num_queries):
    organisation = make_organisation("Les Jardins de Fives")
    first = client.get("/sitemap-organisations.xml")
    assert "max-age=3600" in first["Cache-Control"]
    # Each address with the day of its last change, in the site's time zone.
    root = ElementTree.fromstring(first.content)  # noqa: S314 (our own sitemap)
    [lastmod] = [element.text for element in root.findall("s:url/s:lastmod", SITEMAP_NS)]
    assert lastmod == timezone.localdate(organisation.updated_at).isoformat()
    # A crawler reading it again within the hour is answered from the cache.
    make_organisation("Publiée entre-temps")
    with django_assert_num_queries(0):
        again = client.get("/sitemap-organisations.xml")
    assert again.content == first.content
    index = client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        assert client.get("/sitemap.xml").content == index.content


def test_a_section_s_pages_are_ranges_of_ids_and_skip_those_without_a_published_row(
    client, monkeypatch, django_assert_max_num_queries
):
    # Issue 20: pages by ranges of ids, found by one loose index scan, rather than a count
    # of every row and an OFFSET (437 ms for the 200th page of 1,000,000 organisations).
    monkeypatch.setattr(OrganisationSitemap, "limit", 3)
    organisations = [make_organisation(f"Structure {number}") for number in range(12)]
    ranges = sorted({organisation.pk // 3 for organisation in organisations})
    hidden_range = ranges[1]
    for organisation in organisations:
        if organisation.pk // 3 == hidden_range:
            organisation.publication_status = PublicationStatus.DRAFT
            organisation.save()
    shown = [o for o in organisations if o.pk // 3 != hidden_range]

    pages = [p for p in sitemap_pages(client) if p.startswith("/sitemap-organisations.xml")]
    assert len(pages) == len(ranges) - 1  # the range of drafts has no page
    for page in pages:
        with django_assert_max_num_queries(2):  # the ranges, then the page's own range
            listed = sitemap_locations(client.get(page))
        slugs = {location.split("/")[-2] for location in listed}
        assert len({o.pk // 3 for o in organisations if o.slug in slugs}) == 1
        assert len(listed) <= 3
    listed = every_location(client)
    for organisation in organisations:
        expected = 1 if organisation in shown else 0
        assert listed.count(f"http://testserver/organisations/{organisation.slug}/") == expected

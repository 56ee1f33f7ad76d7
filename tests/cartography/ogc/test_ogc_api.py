"""OGC API Features at /ogc/ (issue 18): landing page, conformance, collections, items with
bbox, paging, datetime and the map's filters, items by id, errors in the standard's format."""

from datetime import date

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.http import QueryDict

from cartography.ogc import sql as ogc_sql
from cartography.ogc.collections import Selection, collection_get
from cartography.ogc.selectors import ogc_extent_get
from directory.models import PublicationStatus
from tests.factories import (
    FIVES,
    LILLE_CENTRE,
    WAZEMMES,
    make_area,
    make_funding_scheme,
    make_organisation,
    make_premises,
)

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
ITEMS = "/ogc/collections/{}/items"


@pytest.fixture
def territory():
    make_organisation("Les Jardins de Fives", location=FIVES.clone())
    make_organisation("La Grappe", location=WAZEMMES.clone(), kinds=("accompagnement",))
    make_organisation("Le Comptoir du centre", location=LILLE_CENTRE.clone())
    make_organisation("Brouillon", location=FIVES.clone(), publication_status="draft")
    make_area("quartier", "59350-4", "Fives", (3.08, 50.62, 3.10, 50.64))
    make_premises(
        "Friche Fives Cail",
        publication_status=PUBLISHED,
        available_from=date(2026, 9, 1),
        owner_name="SPL Euralille",
    )
    make_premises("Hangar en discussion")  # a draft: staff only
    make_funding_scheme(
        "Prêt d'honneur ESS", opens_on=date(2026, 1, 1), closes_on=date(2026, 6, 30)
    )
    make_funding_scheme("Fonds permanent")


def test_landing_page_links_conformance_and_collections(client):
    landing = client.get("/ogc/").json()
    rels = {
        link["rel"]: link["href"] for link in landing["links"] if link["type"] == "application/json"
    }
    assert rels["conformance"].endswith("/ogc/conformance")
    assert rels["data"].endswith("/ogc/collections")
    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance


def test_collections_list_layers_with_extent(client, territory):
    answer = client.get("/ogc/collections").json()
    by_id = {collection["id"]: collection for collection in answer["collections"]}
    assert {"organisations", "premises", "areas-quartier", "funding-schemes"} <= set(by_id)
    minlon, _minlat, maxlon, _maxlat = by_id["organisations"]["extent"]["spatial"]["bbox"][0]
    assert minlon == pytest.approx(WAZEMMES.x)
    assert maxlon == pytest.approx(FIVES.x)
    assert "spatial" not in by_id["funding-schemes"].get("extent", {})
    assert by_id["premises"]["title"] == "Locaux et terrains"


def test_the_organisations_extent_is_the_box_st_extent_gives(client, territory):
    # Issue 20: the bounds of the published open ones' coordinates, which PostgreSQL reads at
    # the ends of two B-tree indexes (organisation_lon_idx, organisation_lat_idx) at a
    # million rows, rather than every point's box: the same box as ST_Extent of those rows.
    closed = make_organisation("Fermée", location=Point(3.2, 50.7, srid=4326))
    closed.closed_on = date(2026, 1, 1)
    closed.save()
    collection = collection_get("organisations")
    selection = Selection(query=QueryDict())
    where, params = collection.clause(selection)
    source = {"geometry": "o.location", "table": "directory_organisation", "alias": "o"}
    with connection.cursor() as cursor:
        cursor.execute(ogc_sql.ogc_extent(**source, where=where), params)  # ST_Extent's
        expected = [pytest.approx(value) for value in cursor.fetchone()]

    assert ogc_extent_get(collection=collection, selection=selection) == expected
    assert expected[2] == pytest.approx(FIVES.x)  # not the closed one's 3.2


def test_items_page_with_counts_and_next_link(client, territory):
    page = client.get(ITEMS.format("organisations"), {"limit": 2}).json()
    assert page["type"] == "FeatureCollection"
    assert (page["numberMatched"], page["numberReturned"]) == (3, 2)
    (next_link,) = [link for link in page["links"] if link["rel"] == "next"]
    rest = client.get(next_link["href"]).json()
    assert rest["numberReturned"] == 1
    assert "numberMatched" not in rest  # counted on the first page only
    names = {f["properties"]["name"] for f in page["features"] + rest["features"]}
    assert names == {"Les Jardins de Fives", "La Grappe", "Le Comptoir du centre"}
    assert not [link for link in rest["links"] if link["rel"] == "next"]


def test_items_by_bbox_and_map_filters(client, territory):
    around_fives = {"bbox": "3.08,50.62,3.10,50.64"}
    page = client.get(ITEMS.format("organisations"), around_fives).json()
    assert [f["properties"]["name"] for f in page["features"]] == ["Les Jardins de Fives"]
    support = client.get(ITEMS.format("organisations"), {"kind": "accompagnement"}).json()
    assert [f["properties"]["name"] for f in support["features"]] == ["La Grappe"]
    areas = client.get(ITEMS.format("areas-quartier"), around_fives).json()
    assert areas["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_premises_public_fields_only_unless_city_staff(client, territory, city_staff):
    public = client.get(ITEMS.format("premises")).json()
    assert [f["properties"]["name"] for f in public["features"]] == ["Friche Fives Cail"]
    assert "owner_name" not in public["features"][0]["properties"]
    client.force_login(city_staff)
    staff = client.get(ITEMS.format("premises")).json()
    assert staff["numberMatched"] == 2
    assert "SPL Euralille" in {f["properties"].get("owner_name") for f in staff["features"]}


def test_datetime_selects_open_schemes_and_available_sites(client, territory):
    in_march = client.get(ITEMS.format("funding-schemes"), {"datetime": "2026-03-15"}).json()
    assert {f["properties"]["name"] for f in in_march["features"]} == {
        "Prêt d'honneur ESS",
        "Fonds permanent",
    }
    in_july = client.get(ITEMS.format("funding-schemes"), {"datetime": "2026-07-01/.."}).json()
    assert [f["properties"]["name"] for f in in_july["features"]] == ["Fonds permanent"]
    assert in_july["features"][0]["geometry"] is None
    summer = client.get(ITEMS.format("premises"), {"datetime": "2026-08-01T00:00:00Z"}).json()
    assert summer["numberMatched"] == 0
    autumn = client.get(ITEMS.format("premises"), {"datetime": "2026-10-01"}).json()
    assert autumn["numberMatched"] == 1


def test_item_by_id_and_hidden_item(client, territory):
    page = client.get(ITEMS.format("organisations")).json()
    feature = page["features"][0]
    one = client.get(f"{ITEMS.format('organisations')}/{feature['id']}")
    assert one.status_code == 200
    assert one["Content-Type"] == "application/geo+json"
    assert one.json()["properties"]["name"] == feature["properties"]["name"]
    draft = make_organisation("Autre brouillon", location=FIVES.clone(), publication_status="draft")
    hidden = client.get(f"{ITEMS.format('organisations')}/{draft.pk}")
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "NotFound"


def test_html_encoding_lists_the_features(client, territory):
    page = client.get(ITEMS.format("organisations"), {"f": "html", "limit": 2})
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "La Grappe" in page.content.decode()
    assert "Page suivante" in page.content.decode()


@pytest.mark.parametrize(
    ("url", "query", "status", "words"),
    [
        (ITEMS.format("organisations"), {"bbox": "3,50,nord"}, 400, "bbox"),
        (ITEMS.format("organisations"), {"bbox": "3.0,50.7,3.1,50.6"}, 400, "minimum"),
        (ITEMS.format("organisations"), {"limit": "0"}, 400, "limit"),
        (ITEMS.format("organisations"), {"limit": "beaucoup"}, 400, "limit"),
        (ITEMS.format("organisations"), {"offset": "-3"}, 400, "offset"),
        (ITEMS.format("organisations"), {"kind": "<script>"}, 400, "identifiant"),
        (ITEMS.format("organisations"), {"couleur": "rouge"}, 400, "couleur"),
        (ITEMS.format("organisations"), {"datetime": "2026-01-01"}, 400, "datetime"),
        (ITEMS.format("funding-schemes"), {"datetime": "hier"}, 400, "RFC 3339"),
        (ITEMS.format("funding-schemes"), {"bbox": "3.0,50.6,3.1,50.7"}, 400, "géométrie"),
        (ITEMS.format("rues"), {}, 404, "Collection inconnue"),
        ("/ogc/collections/rues", {}, 404, "rues"),
        (f"{ITEMS.format('organisations')}/abc", {}, 404, "Aucune entité"),
        (f"{ITEMS.format('organisations')}/99999999999999999999", {}, 404, "Aucune entité"),
    ],
)
def test_bad_requests_answer_the_standard_exception_in_french(client, url, query, status, words):
    answer = client.get(url, query)
    assert answer.status_code == status
    body = answer.json()
    assert set(body) == {"code", "description"}
    assert words in body["description"]


def test_too_large_limit_is_served_as_the_maximum(client, territory):
    page = client.get(ITEMS.format("organisations"), {"limit": "100000"}).json()
    assert page["numberReturned"] == 3


def test_an_items_page_is_one_statement(client, territory, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        page = client.get(ITEMS.format("organisations"), {"limit": 2, "kind": "accompagnement"})
    assert page.json()["numberReturned"] == 1


def test_an_unchanged_items_page_answers_304(client, territory):
    url = ITEMS.format("organisations")
    first = client.get(url, {"limit": 2})
    assert "timeStamp" not in first.json()  # the request's time would change the ETag
    again = client.get(url, {"limit": 2}, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert not again.content

    make_organisation("La Nouvelle Recyclerie", location=FIVES.clone())
    changed = client.get(url, {"limit": 2}, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_a_bbox_crossing_the_antimeridian_reads_both_sides(client, territory):
    """OGC API Features, Part 1: a first longitude larger than the third crosses the
    antimeridian (as OGC's test suite asks); the map's own filter still refuses it."""
    east = make_organisation("Côté est", location=Point(179.5, -17.0, srid=4326))
    west = make_organisation("Côté ouest", location=Point(-179.5, -17.0, srid=4326))
    page = client.get(ITEMS.format("organisations"), {"bbox": "170,-20,-170,-10"}).json()
    assert sorted(item["id"] for item in page["features"]) == sorted([east.pk, west.pk])
    narrow = client.get(ITEMS.format("organisations"), {"bbox": "179,-20,-179.9,-10"}).json()
    assert [item["id"] for item in narrow["features"]] == [east.pk]
    assert client.get("/api/v1/organisations/", {"bbox": "170,-20,-170,-10"}).status_code == 400

"""Every feature of /ogc/ says where it comes from (issue 18): its sources, their licences
and the date of their data, as flat text that GDAL and QGIS show as columns; a record typed
in Cartess is credited to Cartess under the export's licence."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cartography.ogc.collections import COLLECTIONS
from directory.models import (
    EditedBy,
    Organisation,
    Provenance,
    ProvenanceSighting,
    PublicationStatus,
    Source,
)
from tests.factories import (
    FIVES,
    WAZEMMES,
    make_area,
    make_funding_scheme,
    make_organisation,
    make_premises,
    make_user,
)

pytestmark = pytest.mark.django_db

IMPORTED = datetime.datetime(2026, 3, 14, 10, 30, tzinfo=datetime.UTC)
SIGHTED = datetime.datetime(2026, 4, 2, 6, 0, tzinfo=datetime.UTC)
ITEMS = "/ogc/collections/{}/items"


def _source(slug: str, name: str, **fields) -> Source:
    return Source.objects.create(slug=slug, name=name, **fields)


def _imported(record, source: Source, external_id: str) -> Provenance:
    return Provenance.objects.create(
        source=source,
        external_id=external_id,
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        content_hash="x",
        first_seen_at=IMPORTED,
        last_seen_at=IMPORTED,
    )


@pytest.fixture
def sources():
    sirene = _source(
        "sirene-test",
        "SIRENE (Insee)",
        licence="Licence Ouverte 2.0",
        data_dated="SIRENE au 1er novembre 2026",
    )
    anct = _source("tiers-lieux-test", "Tiers-lieux (ANCT)", licence="Licence Ouverte 2.0")
    return sirene, anct


def _by_name(page: dict) -> dict:
    return {feature["properties"]["name"]: feature["properties"] for feature in page["features"]}


def test_a_list_reads_as_text_on_the_html_page(client, sources):
    listing = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    _imported(listing, sources[1], "TL-1")

    page = client.get(ITEMS.format("organisations"), {"f": "html"}).content.decode()

    assert "<td>Tiers-lieux (ANCT)</td>" in page  # the map's `sources`, not ['...']
    assert "[&#x27;" not in page


def test_each_organisation_names_its_sources_licences_and_dates(client, sources):
    sirene, anct = sources
    both = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    _imported(both, anct, "TL-1")
    _imported(both, sirene, "123")
    typed = make_organisation("Régie de Fives", location=WAZEMMES.clone())
    Organisation.objects.filter(pk=typed.pk).update(updated_at=IMPORTED)
    hidden = _source("inconnue", "Sans licence")
    _imported(make_organisation("La Grappe", location=FIVES.clone()), hidden, "G")

    features = _by_name(client.get(ITEMS.format("organisations")).json())

    credited = features["Les Jardins de Fives"]
    assert credited["source"] == "SIRENE (Insee) | Tiers-lieux (ANCT)"
    assert credited["licence"] == "Licence Ouverte 2.0 | Licence Ouverte 2.0"
    # SIRENE dates its own data; the ANCT list does not: the day an import last read it.
    assert credited["data_date"] == "SIRENE au 1er novembre 2026 | import du 2026-03-14"
    assert features["Régie de Fives"] == {
        **features["Régie de Fives"],
        "source": "Cartess",
        "licence": "Licence Ouverte 2.0 (Etalab)",
        "data_date": "mise à jour le 2026-03-14",
    }
    assert features["La Grappe"]["licence"] == "non précisée"


def test_a_listing_corrected_by_hand_says_who_and_when_beside_its_sources(client, sources):
    """The hand-correction credit of issue 13 (the map's `edited`) reaches /ogc/ too."""
    listing = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    _imported(listing, sources[1], "TL-1")
    Organisation.objects.filter(pk=listing.pk).update(
        edited_by=EditedBy.OWNER, edited_on=datetime.date(2026, 12, 3)
    )
    make_organisation("Régie de Fives", location=WAZEMMES.clone())

    features = _by_name(client.get(ITEMS.format("organisations")).json())

    assert features["Les Jardins de Fives"]["edited"] == {
        "by": "owner",
        "network": None,
        "on": "2026-12-03",
    }
    assert features["Les Jardins de Fives"]["source"] == "Tiers-lieux (ANCT)"
    assert features["Régie de Fives"]["edited"] is None


def test_an_unchanged_import_run_dates_the_feature(client, sources):
    anct = sources[1]
    listing = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    seen = _imported(listing, anct, "TL-1")
    ProvenanceSighting.objects.create(
        source=anct, seen_at=SIGHTED, provenance_ids=[(seen.pk, seen.pk + 1)]
    )

    (feature,) = client.get(ITEMS.format("organisations")).json()["features"]

    assert feature["properties"]["data_date"] == "import du 2026-04-02"


def test_an_item_and_its_page_show_the_credit(client, sources):
    site = make_premises("Friche Fives Cail", publication_status=PublicationStatus.PUBLISHED)
    _imported(site, sources[0], "F-1")
    url = f"{ITEMS.format('premises')}/{site.pk}"

    feature = client.get(url).json()
    page = client.get(url, {"f": "html"}).content.decode()

    assert feature["properties"]["source"] == "SIRENE (Insee)"
    assert feature["properties"]["data_date"] == "SIRENE au 1er novembre 2026"
    assert '<th scope="col">licence</th>' in page
    assert "<td>SIRENE au 1er novembre 2026</td>" in page


def test_areas_and_funding_schemes_are_credited_too(client):
    make_area("quartier", "59350-4", "Fives", (3.08, 50.62, 3.10, 50.64))
    make_funding_scheme("Fonds permanent", publication_status=PublicationStatus.PUBLISHED)

    (area,) = client.get(ITEMS.format("areas-quartier")).json()["features"]
    (scheme,) = client.get(ITEMS.format("funding-schemes")).json()["features"]

    assert (area["properties"]["source"], area["properties"]["data_date"]) == ("Cartess", None)
    assert scheme["properties"]["source"] == "Cartess"
    assert scheme["properties"]["data_date"] == f"mise à jour le {timezone.now().date()}"


def test_paging_and_etag_hold_with_the_credit(client, sources, django_assert_max_num_queries):
    for number in range(5):
        listing = make_organisation(f"Structure {number}", location=FIVES.clone())
        _imported(listing, sources[number % 2], f"S-{number}")
    url = ITEMS.format("organisations")

    with django_assert_max_num_queries(1):  # the page is still one statement
        first = client.get(url, {"limit": 2})
    (after,) = [link["href"] for link in first.json()["links"] if link["rel"] == "next"]
    rest = client.get(after).json()
    again = client.get(url, {"limit": 2}, headers={"If-None-Match": first["ETag"]})

    assert [f["properties"]["source"] for f in rest["features"]] == [
        "SIRENE (Insee)",
        "Tiers-lieux (ANCT)",
    ]
    assert again.status_code == 304


def test_a_collection_names_its_sources_licence_and_attribution(client, sources):
    listing = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    _imported(listing, sources[1], "TL-1")
    Organisation.objects.update(updated_at=IMPORTED)

    collection = client.get("/ogc/collections/organisations").json()
    listed = client.get("/ogc/collections").json()["collections"]
    page = client.get("/ogc/collections/organisations", {"f": "html"}).content.decode()

    (licence,) = [link for link in collection["links"] if link["rel"] == "license"]
    assert licence["title"] == "Licence Ouverte 2.0 (Etalab)"
    assert licence["href"].startswith("https://www.etalab.gouv.fr/")
    assert collection["attribution"] == (
        "Données : Cartess, Tiers-lieux (ANCT). Licence : Licence Ouverte 2.0 (Etalab)."
    )
    assert collection["description"].startswith("Structures de l'ESS publiées")
    assert "Tiers-lieux (ANCT) (licence : Licence Ouverte 2.0)" in collection["description"]
    assert "Données au 14 mars 2026." in collection["description"]
    (same,) = [entry for entry in listed if entry["id"] == "organisations"]
    assert (same["description"], same["attribution"]) == (
        collection["description"],
        collection["attribution"],
    )
    assert "Données : Cartess, Tiers-lieux (ANCT)." in page


def test_the_collections_read_each_origin_once(client, django_assert_max_num_queries):
    # One extent per collection, one origin per model (four), not per collection. Counted
    # warm, as a server runs: the content types' cache filled by an earlier request (run
    # alone, the first request also read them).
    client.get("/ogc/collections")
    with django_assert_max_num_queries(len(COLLECTIONS) + 4):
        answer = client.get("/ogc/collections").json()

    areas = [c for c in answer["collections"] if c["id"].startswith("areas-")]
    assert all(c["attribution"] == areas[0]["attribution"] for c in areas)


def test_staff_read_the_sites_for_internal_use_only(client):
    client.force_login(make_user("agent-sig", groups=("Services de la Ville",)))

    collection = client.get("/ogc/collections/premises").json()

    assert not [link for link in collection["links"] if link["rel"] == "license"]
    assert collection["attribution"].endswith("Licence : Usage interne (champs confidentiels).")

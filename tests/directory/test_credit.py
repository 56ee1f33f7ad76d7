"""Honest credit everywhere (issue 13): the directory's API and its CSV export credit each
fact as the organisation's page does, from the same function (selectors/credit.py): an
imported value its source, licence and date; a value a person typed "saisi par la structure /
le réseau / l'équipe Cartess, le <date>"; in a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import escape

from directory.models import Organisation, OrganisationEditor, Provenance, Source
from tests.factories import make_organisation, make_user
from tests.roles import world  # noqa: F401

pytestmark = pytest.mark.django_db

SEEN = timezone.make_aware(datetime.datetime(2026, 3, 14, 10))
API = "/api/v1/directory/organisations/"


@pytest.fixture
def source() -> Source:
    return Source.objects.create(
        slug="tiers-lieux-test",
        name="Tiers-lieux (ANCT)",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        data_dated="inventaire CGET (ANCT) de 2019",
    )


def imported(organisation: Organisation, source: Source, **values) -> Provenance:
    return Provenance.objects.create(
        source=source,
        external_id=f"TL-{organisation.pk}",
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=organisation.pk,
        content_hash="x",
        raw=values,
        imported_values=values,
        first_seen_at=SEEN,
        last_seen_at=SEEN,
    )


def typed(organisation: Organisation, user, **values) -> None:
    """`user` changes `values` of `organisation`, as a form would save it (history row)."""
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation._history_user = user
    organisation.save()


@pytest.fixture
def listings(world, source):  # noqa: F811 (the fixture of tests.roles)
    """Les Jardins de Fives: imported, then its description typed by its network (APES) and
    its phone by its owner; La Recyclerie: imported only."""
    jardins, recyclerie = world.member_a, world.member_b
    imported(jardins, source, name=jardins.name, description="Maraîchage en insertion.")
    imported(recyclerie, source, name=recyclerie.name)
    owner = make_user("gerante-jardins")
    OrganisationEditor.objects.create(user=owner, organisation=jardins)
    typed(jardins, world.users["editeur A"], description="Maraîchage bio en insertion.")
    typed(jardins, owner, phone="03 20 12 34 56")
    typed(recyclerie, world.users["moderateur"], website="https://recyclerie.example")
    return jardins, recyclerie


def by_slug(results: list[dict]) -> dict[str, dict]:
    return {item["slug"]: item for item in results}


def test_the_api_credits_each_fact_like_the_page(client, listings):
    jardins, recyclerie = listings
    today = timezone.localdate().isoformat()

    results = by_slug(client.get(API, {"q": ""}).json()["results"])

    credit = results[jardins.slug]["credit"]
    assert credit["name"]["text"] == "Source : Tiers-lieux (ANCT)"
    assert credit["name"]["sources"] == [
        {
            "name": "Tiers-lieux (ANCT)",
            "licence": "Licence Ouverte 2.0",
            "licence_url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            "seen_on": "2026-03-14",
            "dated": "inventaire CGET (ANCT) de 2019",
        }
    ]
    assert credit["description"]["typed_by"] == {"who": "le réseau", "on": today}
    assert credit["description"]["text"].startswith("Saisi par le réseau, le ")
    assert credit["description"]["sources"] == []  # typed since: not the source's any more
    assert credit["phone"]["typed_by"]["who"] == "la structure"
    other = results[recyclerie.slug]["credit"]
    assert other["website"]["typed_by"]["who"] == "l'équipe Cartess"
    assert results[jardins.slug]["sources"][0]["licence"] == "Licence Ouverte 2.0"
    assert results[jardins.slug]["description"] == "Maraîchage bio en insertion."


def test_the_page_and_the_api_say_the_same(client, listings):
    jardins, _recyclerie = listings
    page = client.get(f"/organisations/{jardins.slug}/").content.decode()
    (item,) = [i for i in client.get(API).json()["results"] if i["slug"] == jardins.slug]
    for name in ("description", "phone"):
        assert escape(item["credit"][name]["text"]) in page


def test_the_csv_export_carries_sources_and_credit_per_column(client, listings):
    jardins, recyclerie = listings
    response = client.get("/annuaire/export.csv")
    body = response.content.decode("utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body), delimiter=";")}
    row = rows[jardins.slug]
    # The date the source gives its data, then the import's: never "vue le" a 2019 listing.
    assert row["sources"] == (
        "Tiers-lieux (ANCT) (Licence Ouverte 2.0, inventaire CGET (ANCT) de 2019, "
        "importée le 2026-03-14)"
    )
    assert "nom : Source : Tiers-lieux (ANCT)" in row["credit_par_champ"]
    assert "telephone : Saisi par la structure, le " in row["credit_par_champ"]
    assert "site_web" not in row["credit_par_champ"]  # no value, nothing to credit
    assert "site_web : Saisi par l'équipe Cartess, le " in rows[recyclerie.slug]["credit_par_champ"]


def test_credit_costs_the_same_queries_for_many_organisations(
    client,
    listings,
    source,
    world,  # noqa: F811
    django_assert_max_num_queries,
):
    for number in range(12):
        organisation = make_organisation(f"Atelier solidaire {number}")
        imported(organisation, source, name=organisation.name)
        typed(organisation, world.users["moderateur"], website=f"https://atelier{number}.example")
    with django_assert_max_num_queries(14):
        results = client.get(API).json()["results"]
    assert len(results) == 16
    assert all(item["credit"]["name"]["sources"] for item in results if "Atelier" in item["name"])
    with django_assert_max_num_queries(12):
        response = client.get("/annuaire/export.csv")
    assert response.content.decode("utf-8-sig").count("Saisi par l'équipe Cartess") >= 13


def test_a_bad_parameter_or_page_is_a_french_json_error(client, listings):
    assert client.get(API, {"page": "0"}).status_code == 400
    response = client.get(API, {"page": "99"})
    assert response.status_code == 404
    assert "page" in response.json()["detail"]


def test_the_page_dates_each_source_by_its_data_and_keeps_the_imports_apart(client, listings):
    jardins, _recyclerie = listings
    page = client.get(f"/organisations/{jardins.slug}/").content.decode()
    assert "<td>inventaire CGET (ANCT) de 2019</td>" in page
    assert "Dernier import" in page
    assert "Vue pour la dernière fois" not in page

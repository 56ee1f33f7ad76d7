"""Owner names, notes and pipeline stages never reach the public: every public URL is asked,
anonymously and as an ordinary user, and its body searched for the confidential facts."""

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver

from cartography.models import PipelineEvent, Premises, PremisesNeed, PremisesNote
from cartography.place_services import place_totem_set
from tests.factories import FIVES, PUBLISHED, make_organisation, make_place_services, make_premises

pytestmark = pytest.mark.django_db

SECRETS = (
    "Indivision Duvalier",  # owner's name
    "NOTE-INTERNE-42",  # legacy internal notes
    "Négociation confidentielle",  # a dated staff note
    "Étape confidentielle",  # a pipeline comment
    "Proposé à une structure",  # the label of the pipeline stage
    "pipeline_stage",
    "owner_name",
    "internal_notes",
    "lou.secret@example.org",  # a need's contact
)


@pytest.fixture
def secret_site() -> Premises:
    host = make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    site = make_premises(
        "Atelier partagé de Fives Cail",
        kind="espace-tiers-lieu",
        third_place=host,
        publication_status=PUBLISHED,
        owner_name="Indivision Duvalier",
        internal_notes="NOTE-INTERNE-42",
        pipeline_stage="propose",
        surface_m2=300,
    )
    PremisesNote.objects.create(premises=site, text="Négociation confidentielle")
    PipelineEvent.objects.create(
        premises=site, from_stage="qualifie", to_stage="propose", note="Étape confidentielle"
    )
    PremisesNeed.objects.create(
        title="Besoin", contact_name="Lou", contact_email="lou.secret@example.org"
    )
    return site


def public_urls(values: dict[str, str]) -> list[str]:
    """Every URL of the site but the admin, parameters filled from `values`."""
    urls = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith("admin/"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                for name, value in values.items():
                    for converter in ("slug", "int", "str"):
                        route = route.replace(f"<{converter}:{name}>", value)
                if "<" not in route:
                    urls.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns)
    return sorted(set(urls))


def assert_nothing_leaks(client, urls):
    # A page another change breaks (500) shows no data: its failure is another test's business.
    client.raise_request_exception = False
    asked = 0
    for url in urls:
        response = client.get(url)
        body = response.content.decode("utf-8", errors="replace")
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} leaks at {url}"
        asked += 1
    return asked


def test_no_public_url_shows_confidential_facts(client, secret_site):
    urls = public_urls({"slug": secret_site.third_place.slug, "pk": "1"})
    assert "/api/v1/premises/" in urls
    assert "/carte/" in urls
    assert f"/organisations/{secret_site.third_place.slug}/" in urls
    assert assert_nothing_leaks(client, urls) >= 15
    # The site itself is public: its public facts are there.
    assert "Atelier partagé de Fives Cail" in client.get("/api/v1/premises/").content.decode()


def test_ordinary_users_see_no_more_than_anonymous_visitors(client, secret_site):
    client.force_login(User.objects.create_user("habitant", password="x"))
    urls = public_urls({"slug": secret_site.slug, "pk": "1"})
    assert_nothing_leaks(client, urls)


def test_the_public_api_carries_public_fields_only(client, secret_site):
    (feature,) = client.get("/api/v1/premises/").json()["features"]
    public = set(Premises.PUBLIC_FIELDS) | {"third_place"}
    assert set(feature["properties"]) <= public
    assert feature["properties"]["third_place"]["name"] == "Fives Cail"


def test_exports_refuse_anyone_without_the_role(client, secret_site):
    for url in ("/foncier/export.csv", "/foncier/export.geojson"):
        assert client.get(url).status_code == 302
    client.force_login(User.objects.create_user("habitant", password="x"))
    for url in ("/foncier/export.csv", "/foncier/export.geojson"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Duvalier" not in response.content.decode()


def test_third_place_spaces_show_their_place_and_its_offers(client, secret_site):
    make_place_services(secret_site.third_place, "salles", "bureaux")
    (feature,) = client.get("/api/v1/premises/").json()["features"]
    assert feature["properties"]["third_place"]["offers"] == ["salles", "bureaux"]


def test_the_third_place_page_shows_its_offer_and_spaces_but_no_secret(client, secret_site):
    host = secret_site.third_place
    ateliers, _accompagnement = make_place_services(host, "ateliers", "accompagnement")
    ateliers.details = "Ateliers ouverts aux structures de l'ESS du quartier."
    ateliers.save()
    place_totem_set(organisation=host, totem=True)
    # The open space, its owner, notes and pipeline filled: only its public facts show.
    response = client.get(f"/organisations/{host.slug}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Atelier partagé de Fives Cail" in body
    assert "300 m²" in body
    assert "Accompagnement" in body
    assert "Ateliers ouverts aux structures de l&#x27;ESS du quartier." in body
    assert "Lieu totem de l'ESS" in body
    for secret in SECRETS:
        assert secret not in body, f"{secret!r} leaks on the organisation page"
    # Nor through the objects the template could reach.
    (space,) = response.context["third_place"].spaces
    assert space.get_deferred_fields() >= set(Premises.STAFF_ONLY_FIELDS)

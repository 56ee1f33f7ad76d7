"""The curated funders completed from the Recherche d'entreprises: a sure match fills their
blanks, a doubtful one waits for a moderator.

The API answers are real recorded results (tests/data/recherche-entreprises) placed in Lille
and renamed as the funders of the seed: the payload's format is the API's, the identities
are not the funders' (their SIREN is the recorded association's)."""

import copy

import pytest

from directory.models import Organisation, OrganisationAlias
from importers.engine.review import duplicate_candidates_refresh
from importers.engine.services import source_import
from importers.models import DuplicateCandidate, DuplicateOrigin, DuplicateStatus
from importers.sources.register_completion import name_variants
from tests.importers.sources.test_recherche_entreprises import (
    FILLERS,
    RESTOS,
    THEATRE,
    FakeApi,
    fetcher,
    in_lille,
    with_siren,
)

pytestmark = pytest.mark.django_db
__all__ = ["fetcher"]  # the recorded API's fetcher fixture, without waits

NORD_ACTIF = "Nord Actif (France Active Nord)"
URSCOP = "Union régionale des Scop et Scic Hauts-de-France (URSCOP)"


def named(result: dict, name: str, *, siren: str | None = None) -> dict:
    renamed = copy.deepcopy(with_siren(result, siren) if siren else result)
    renamed["nom_complet"] = renamed["nom_raison_sociale"] = name
    return in_lille(renamed)


@pytest.fixture
def seeded(fast_communes):
    source_import(slug="communes")
    source_import(slug="seed")
    return Organisation.objects.get(name=NORD_ACTIF)


def run(httpserver, fetcher, results: list[dict]):
    httpserver.expect_request("/search").respond_with_handler(FakeApi({"59350": results}))
    return source_import(slug="recherche-entreprises", url=httpserver.url_for("/"), fetcher=fetcher)


def test_the_curated_names_are_compared_whole_without_brackets_and_by_their_bracket():
    assert name_variants(URSCOP) == [
        "union regionale des scop et scic hauts-de-france (urscop)",
        "union regionale des scop et scic hauts-de-france",
        "urscop",
    ]


def test_a_sure_match_fills_the_funders_blanks_and_keeps_what_the_seed_said(
    seeded, httpserver, fetcher
):
    before = Organisation.objects.get(pk=seeded.pk)
    assert (before.siret, before.street, before.location) == ("", "", None)

    report = run(httpserver, fetcher, [named(THEATRE, "NORD ACTIF")])

    funder = Organisation.objects.get(pk=seeded.pk)
    assert funder.siret.startswith("800329849")
    assert (funder.street, funder.postcode) == ("235 BOULEVARD PAUL PAINLEVE", "59000")
    assert funder.location is not None
    assert funder.legal_family.slug == "association"
    assert funder.naf_code == "90.01Z"
    # What the seed said stays: its name, its presentation, its website.
    assert (funder.name, funder.website) == (NORD_ACTIF, before.website)
    assert funder.description == before.description
    assert not Organisation.objects.filter(name="NORD ACTIF").exists()
    assert OrganisationAlias.objects.filter(organisation=funder, former_name="NORD ACTIF").exists()
    assert any("complétées par le registre : 1 (Nord Actif" in line for line in report.details)

    again = run(httpserver, fetcher, [named(THEATRE, "NORD ACTIF")])
    assert (again.created, Organisation.objects.get(pk=seeded.pk).name) == (0, NORD_ACTIF)


def test_a_doubtful_match_waits_for_a_moderator_and_survives_the_next_refresh(
    seeded, httpserver, fetcher
):
    urscop = Organisation.objects.get(name=URSCOP)
    doubtful = named(FILLERS[0], "UNION DES SCOP HAUTS-DE-FRANCE", siren="842019050")

    run(httpserver, fetcher, [doubtful])

    register = Organisation.objects.get(name="UNION DES SCOP HAUTS-DE-FRANCE")
    urscop.refresh_from_db()
    assert urscop.siret == ""  # nothing merged without a person
    pair = DuplicateCandidate.objects.get(
        organisation_a=min(urscop, register, key=lambda o: o.pk),
        organisation_b=max(urscop, register, key=lambda o: o.pk),
    )
    assert (pair.status, pair.found_by) == (DuplicateStatus.PENDING, DuplicateOrigin.REGISTER)
    assert 0.5 <= pair.similarity < 0.8
    duplicate_candidates_refresh()  # another source's run: the proposal stays
    assert DuplicateCandidate.objects.filter(pk=pair.pk).exists()


def map_slugs(client) -> set[str]:
    features = client.get("/api/v1/organisations/").json()["features"]
    return {feature["properties"]["slug"] for feature in features}


def test_after_the_register_the_funder_and_the_ess_units_are_on_the_map_and_in_the_directory(
    seeded, httpserver, fetcher, client
):
    """Issue 15's check: funders on the map, Lille's ESS units on the map and in the
    directory, once the register has run."""
    assert seeded.slug not in map_slugs(client)  # the seed gives Nord Actif no point

    run(httpserver, fetcher, [named(THEATRE, "NORD ACTIF"), in_lille(RESTOS)])

    restos = Organisation.objects.get(name="LES RESTAURANTS DU COEUR")
    assert {seeded.slug, restos.slug} <= map_slugs(client)
    directory = client.get("/annuaire/", {"q": "restaurants coeur"}).content.decode()
    assert f"/organisations/{restos.slug}/" in directory
    assert (
        f"/organisations/{seeded.slug}/"
        in client.get("/annuaire/", {"q": "nord actif"}).content.decode()
    )

"""`/financements/couverture/`: the counts PostgreSQL makes, checked against a hand count."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from directory.models import PublicationStatus, ScaleUpStrategy, Sector, Stage
from directory.selectors.funding import CoverageCell, coverage_get
from tests.factories import make_organisation, make_support_offer
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)
DRAFT = PublicationStatus.DRAFT
PRE, AMO, CONSO, SCALE = "pre-amorcage", "amorcage", "consolidation", "changement-d-echelle"


def _offer(name, *, stages, provider=None, sectors=(), **fields):
    offer = make_support_offer(name, provider=provider, **fields)
    offer.stages.set(Stage.objects.filter(slug__in=stages))
    offer.sectors.set(Sector.objects.filter(slug__in=sectors))
    return offer


@pytest.fixture
def landscape():
    """Five schemes and three offers, with what must not count: a draft scheme, a scheme
    closed for good, a draft funder and a draft provider."""
    mel = make_organisation("Métropole Européenne de Lille", kinds=("financeur",))
    ville = make_organisation("Ville de Lille", kinds=("financeur",))
    region = make_organisation("Région Hauts-de-France", kinds=("financeur",))
    hidden = make_organisation("Financeur en brouillon", publication_status=DRAFT)
    incubator = make_organisation("Incubateur Évident", kinds=("accompagnement",))
    orphan = make_organisation("Atelier sans étape", kinds=("accompagnement",))

    open_to_all = scheme(
        "A — toutes filières", stages=(AMO, CONSO), instruments=("subvention", "pret")
    )
    open_to_all.funders.set([mel, ville, hidden])
    culture = scheme("B — culture", stages=(AMO,))
    culture.sectors.set(Sector.objects.filter(slug="culture"))
    culture.funders.set([ville])
    scheme("C — clos pour de bon", closes_on="2022-12-31", recurrence="ponctuelle").funders.set(
        [region]
    )
    returning = scheme(
        "D — clos mais récurrent",
        stages=(PRE,),
        instruments=("pret",),
        closes_on="2022-12-31",
        recurrence="recurrente",
    )
    returning.sectors.set(Sector.objects.filter(slug="alimentation-durable"))
    returning.funders.set([region])
    scheme("E — brouillon", publication_status=DRAFT).funders.set([mel])

    _offer("X — incubation", stages=(AMO,), provider=incubator)
    _offer("Y — culture", stages=(CONSO,), provider=hidden, sectors=("culture",))
    _offer("Z — sans étape", stages=(), provider=orphan)
    return {"mel": mel, "ville": ville, "region": region, "incubator": incubator, "orphan": orphan}


def _row(rows, slug) -> list[CoverageCell]:
    return next(cells for term, cells in rows if term.slug == slug)


def test_stage_by_sector_matches_a_hand_count(landscape):
    coverage = coverage_get(today=TODAY)
    gap = CoverageCell(0, 0, 0)
    # culture: A (all filières) + B (culture) + X (all) at amorçage; A + Y (culture) after.
    # The MEL, the city and the incubator; Y's provider and A's draft funder are unpublished.
    assert _row(coverage.by_sector, "culture") == [
        gap,
        CoverageCell(schemes=2, offers=1, actors=3, dedicated=1),
        CoverageCell(schemes=1, offers=1, actors=2, dedicated=1),
        gap,
    ]
    # alimentation durable: the recurring D at pré-amorçage (the region), A and X after.
    assert _row(coverage.by_sector, "alimentation-durable") == [
        CoverageCell(schemes=1, offers=0, actors=1, dedicated=1),
        CoverageCell(schemes=1, offers=1, actors=3, dedicated=0),
        CoverageCell(schemes=1, offers=0, actors=2, dedicated=0),
        gap,
    ]
    # Any other filière sees only what is open to all: A and X.
    assert _row(coverage.by_sector, "textile") == [
        gap,
        CoverageCell(schemes=1, offers=1, actors=3, dedicated=0),
        CoverageCell(schemes=1, offers=0, actors=2, dedicated=0),
        gap,
    ]
    assert [stage.slug for stage in coverage.stages] == [PRE, AMO, CONSO, SCALE]


def test_stage_by_instrument_counts_schemes_only(landscape):
    coverage = coverage_get(today=TODAY)
    gap = CoverageCell(0, 0, 0)
    assert _row(coverage.by_instrument, "subvention") == [
        gap,
        CoverageCell(schemes=2, offers=0, actors=2),  # A and B: the MEL and the city
        CoverageCell(schemes=1, offers=0, actors=2),
        gap,
    ]
    assert _row(coverage.by_instrument, "pret") == [
        CoverageCell(schemes=1, offers=0, actors=1),  # D, back again
        CoverageCell(schemes=1, offers=0, actors=2),
        CoverageCell(schemes=1, offers=0, actors=2),
        gap,
    ]
    sectors, instruments = len(coverage.by_sector), len(coverage.by_instrument)
    covered = sum(not cell.is_gap for _t, cells in coverage.by_sector for cell in cells)
    covered += sum(not cell.is_gap for _t, cells in coverage.by_instrument for cell in cells)
    assert coverage.gaps == 4 * (sectors + instruments) - covered


def test_actors_are_counted_per_stage_by_name(landscape):
    coverage = coverage_get(today=TODAY)
    assert [(actor.name, counts) for actor, counts in coverage.actors] == [
        ("Atelier sans étape", [0, 0, 0, 0]),  # its offer names no stage
        ("Incubateur Évident", [0, 1, 0, 0]),
        ("Métropole Européenne de Lille", [0, 1, 1, 0]),
        ("Région Hauts-de-France", [1, 0, 0, 0]),  # not the scheme closed for good
        ("Ville de Lille", [0, 2, 1, 0]),
    ]


def test_a_scheme_closed_for_good_still_counts_before_it_closed(landscape):
    coverage = coverage_get(today=date(2022, 6, 1))
    region = next(counts for actor, counts in coverage.actors if actor.name.startswith("Région"))
    # C (amorçage) was still open then, and D (pré-amorçage) too.
    assert region == [1, 1, 0, 0]


def test_the_coverage_takes_six_queries_whatever_the_data(
    client, landscape, django_assert_max_num_queries
):
    for n in range(10):
        scheme(f"Fonds n°{n}", stages=(PRE, AMO)).funders.set(
            [make_organisation(f"Financeur n°{n}")]
        )
    # Stages, the counts (one query), the actors, the filières, the instruments, the
    # scale-up strategies with their counts.
    with django_assert_max_num_queries(6):
        coverage = coverage_get(today=TODAY)
    assert _row(coverage.by_instrument, "subvention")[0].schemes == 10

    user = get_user_model().objects.create_user("agent", password="x", is_staff=True)
    client.force_login(user)
    # The same six, plus the session, the user and their permissions (the site's menu).
    with django_assert_max_num_queries(10):
        response = client.get("/financements/couverture/")
    assert "Financeur n°9" in response.content.decode()
    # The CSV also says its origin: one query each for schemes, offers and organisations.
    # Counted warm, as a server runs: the content types are then cached in the process (run
    # alone, this test would otherwise count their first lookup).
    client.get("/financements/couverture/export.csv")
    with django_assert_max_num_queries(13):
        csv = client.get("/financements/couverture/export.csv").content.decode("utf-8-sig")
    assert "filiere;culture;amorcage;12;1;13;0;1" in csv


def _serving(name, strategy, **fields):
    made = scheme(name, stages=(SCALE,), **fields)
    made.scale_up_strategies.set(ScaleUpStrategy.objects.filter(slug=strategy))
    return made


def test_each_strategy_counts_its_live_schemes_and_shows_its_gap(client):
    _serving("Essaimage", "duplication")
    _serving("Essaimage 2", "duplication", closes_on="2022-12-31", recurrence="recurrente")
    _serving("Fusion close", "fusion", closes_on="2022-12-31", recurrence="ponctuelle")
    _serving("Fusion en brouillon", "fusion", publication_status=DRAFT)
    counts = {s.slug: s.schemes_count for s in coverage_get(today=TODAY).by_strategy}
    assert counts == {
        "diversification": 0,
        "duplication": 2,
        "fertilisation": 0,
        "cooperation": 0,
        "fusion": 0,
    }
    user = get_user_model().objects.create_user("agent", password="x", is_staff=True)
    client.force_login(user)
    html = client.get("/financements/couverture/").content.decode()
    section = html[html.index('id="titre-strategies"') :]
    assert '<th scope="row">Fusion</th><td><span class="coverage-gap">0 (lacune)' in section
    csv = client.get("/financements/couverture/export.csv").content.decode("utf-8-sig")
    assert "strategie;duplication;changement-d-echelle;2;0;;0;" in csv


def test_each_strategy_counts_the_support_offers_serving_it_too(client):
    _serving("Essaimage", "duplication")
    for name, status in (("Essaimage accompagné", "publie"), ("Brouillon", DRAFT)):
        offer = make_support_offer(name, publication_status=status)
        offer.scale_up_strategies.set(
            ScaleUpStrategy.objects.filter(slug__in=["duplication", "fusion"])
        )
    by_slug = {s.slug: s for s in coverage_get(today=TODAY).by_strategy}
    assert (by_slug["duplication"].schemes_count, by_slug["duplication"].offers_count) == (1, 1)
    assert (by_slug["fusion"].schemes_count, by_slug["fusion"].offers_count) == (0, 1)
    user = get_user_model().objects.create_user("agent", password="x", is_staff=True)
    client.force_login(user)
    section = client.get("/financements/couverture/").content.decode()
    section = section[section.index('id="titre-strategies"') :]
    assert '<th scope="row">Fusion</th><td>0</td><td>1</td>' in section  # served: no gap
    csv = client.get("/financements/couverture/export.csv").content.decode("utf-8-sig")
    assert "strategie;fusion;changement-d-echelle;0;1;;0;" in csv
    assert "strategie;fertilisation;changement-d-echelle;0;0;;1;" in csv

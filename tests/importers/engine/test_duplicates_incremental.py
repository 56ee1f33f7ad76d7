"""After an import, possible duplicates are looked for among what the run changed only
(issue 20): a run touching one listing of many examines that listing's neighbourhood."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import Organisation
from importers.engine.review import duplicate_candidates_refresh
from importers.engine.services import source_import
from importers.models import DuplicateCandidate, DuplicateStatus
from tests.factories import FIVES, make_organisation, north_of

pytestmark = pytest.mark.django_db


def pair_names() -> set[frozenset[str]]:
    return {
        frozenset((c.organisation_a.name, c.organisation_b.name))
        for c in DuplicateCandidate.objects.select_related("organisation_a", "organisation_b")
    }


def pair_ids() -> set[tuple[int, int]]:
    return set(DuplicateCandidate.objects.values_list("organisation_a", "organisation_b"))


def many_listings(count: int) -> None:
    """`count` listings 300 m apart along a line, none a duplicate of another."""
    for index in range(count):
        make_organisation(
            f"Structure numéro {index} {'xyz' * (index % 5)}", location=north_of(FIVES, 300 * index)
        )


def test_only_the_changed_listing_and_its_neighbours_are_examined():
    many_listings(30)
    make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les jardins de FIVES", location=north_of(FIVES, 40))  # never examined
    gather_statistics()
    since = timezone.now()
    changed = make_organisation("La Ressourcerie du Nord", location=north_of(FIVES, 3000))
    make_organisation("Ressourcerie du Nord", location=north_of(FIVES, 3030))  # its twin

    with CaptureQueriesContext(connection) as queries:
        pending = duplicate_candidates_refresh(since=since)

    assert pair_names() == {frozenset(("La Ressourcerie du Nord", "Ressourcerie du Nord"))}
    assert pending == 1
    assert len(queries) == 3  # how many changed, the refresh, the count
    assert not any("ANALYZE" in query["sql"] for query in queries.captured_queries)
    assert changed.pk in DuplicateCandidate.objects.values_list("organisation_a", flat=True)
    assert duplicate_candidates_refresh() == 2  # the full refresh finds the other pair


def gather_statistics() -> None:
    """The organisations' statistics, as autovacuum leaves them on a running instance."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_organisation")


def test_a_run_that_changed_more_than_a_tenth_of_the_directory_gathers_its_statistics():
    """Past autovacuum's share (50 + a tenth of the rows), the run's writes, not yet
    committed, would be unknown to the planner: the search gathers the statistics first."""
    many_listings(10)
    gather_statistics()
    since = timezone.now()
    many_listings(52)  # 52 > 50 + 10 / 10

    with CaptureQueriesContext(connection) as queries:
        duplicate_candidates_refresh(since=since)

    assert [q["sql"] for q in queries.captured_queries][1] == "ANALYZE directory_organisation"


def test_a_pending_pair_is_dropped_only_when_one_of_its_listings_changed():
    first = make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les jardins de FIVES", location=north_of(FIVES, 40))
    other = make_organisation("Café Solidaire", location=north_of(FIVES, 2000))
    make_organisation("Cafe solidaire", location=north_of(FIVES, 2030))
    assert duplicate_candidates_refresh() == 2
    since = timezone.now()
    Organisation.objects.filter(pk=first.pk).update(
        name="Maison des Associations", updated_at=timezone.now()
    )

    assert duplicate_candidates_refresh(since=since) == 1
    survivor = DuplicateCandidate.objects.get(status=DuplicateStatus.PENDING)
    assert other.pk in (survivor.organisation_a_id, survivor.organisation_b_id)


def test_an_import_run_looks_for_duplicates_among_its_own_records_only(fast_communes):
    make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les jardins de FIVES", location=north_of(FIVES, 40))
    source_import(slug="communes")
    report = source_import(slug="tiers-lieux")
    assert frozenset(("Les Jardins de Fives", "Les jardins de FIVES")) not in pair_names()
    assert report.duplicates == DuplicateCandidate.objects.count() > 0


def test_when_nothing_changed_only_the_pending_pairs_are_counted():
    """A run that changed no listing (an unchanged re-run, a source of areas) gathers no
    statistics and examines nothing: 2 s of each run at 1,000,000 organisations (issue 20).
    The pairs found before stay as they were."""
    make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les jardins de FIVES", location=north_of(FIVES, 40))
    assert duplicate_candidates_refresh() == 1
    before = list(DuplicateCandidate.objects.values_list("pk", "status", "similarity"))
    since = timezone.now()

    with CaptureQueriesContext(connection) as queries:
        pending = duplicate_candidates_refresh(since=since)

    assert pending == 1
    assert len(queries) == 2  # how many changed, the count
    assert not any("ANALYZE" in query["sql"] for query in queries.captured_queries)
    assert list(DuplicateCandidate.objects.values_list("pk", "status", "similarity")) == before


def test_a_listing_without_point_or_street_pairs_with_a_changed_twin_of_its_commune():
    """The same name in the same commune, one of them without a point, is a pair whether or
    not either has a street: the run that adds the twin finds it, as a full refresh would."""
    make_organisation("Recyclerie des Moulins")  # no point, no street, no SIRET
    since = timezone.now()
    make_organisation(
        "Recyclerie des Moulins", location=FIVES, siren="501000012", siret="50100001200010"
    )

    assert duplicate_candidates_refresh(since=since) == 1
    assert duplicate_candidates_refresh() == 1


#: Names of a few families: within a family close enough to pair, across families not.
#: Similarities from 0.54 ("Ressourcerie du Nord", "La Ressourcerie") to 1.
_FAMILIES = (
    ("Les Jardins de Fives", "Les jardins de FIVES", "Jardins de Fives", "Jardins de Fives Cail"),
    ("Ressourcerie du Nord", "La Ressourcerie du Nord", "RESSOURCERIE DU NORD", "La Ressourcerie"),
    ("Café Solidaire", "Cafe solidaire", "Le Café Solidaire", "Café Solidaire de Fives"),
    ("Maison de l'ESS", "Maison de l ESS"),
)


def random_listing(rng, index: int, *, with_siret: float = 0.2) -> dict:
    """The fields of a listing drawn by `rng`: a name of a family, a point within 400 m of
    Fives (or none, with or without a street), a SIRET for a share `with_siret` of them, and
    a shared SIREN for one in ten."""
    family = rng.choice(_FAMILIES)
    fields = {"name": rng.choice(family)}
    if rng.random() < 0.8:
        fields["location"] = north_of(FIVES, rng.uniform(0, 400))
    elif rng.random() < 0.5:
        fields["street"] = rng.choice(("rue Pierre Legrand", "rue Pierre-Legrand"))
    kind = rng.random()
    if kind < with_siret:
        fields["siren"] = f"50{index:07d}"
        fields["siret"] = f"50{index:07d}00010"
    elif kind < with_siret + 0.1:
        fields["siren"] = rng.choice(("501000012", "502000011"))
    return fields


@pytest.mark.parametrize("seed", range(30))
def test_after_a_run_the_pairs_are_those_a_full_refresh_finds(seed):
    """Whatever a run changed (new listings, renamed or moved ones), the refresh of its changes
    lists every pair a complete refresh lists: it examines fewer listings, not fewer pairs.
    It may keep one more: a pending pair of two unchanged listings that a new, closer
    similar name pushed out of one's `DUPLICATE_NEIGHBOURS` nearest (only a pair with a
    changed listing is dropped; a person dismisses it). The one pair it may miss, which
    these draws do not meet, is named in importers.engine.sql.review: a listing that moves
    away frees a place among its former neighbours' nearest."""
    rng = random.Random(seed)
    listings = [make_organisation(**random_listing(rng, index)) for index in range(12)]
    duplicate_candidates_refresh()
    before = pair_ids()
    since = timezone.now()
    for listing in rng.sample(listings, 3):
        drawn = random_listing(rng, 100)
        moved = {"location": drawn["location"]} if listing.location and "location" in drawn else {}
        Organisation.objects.filter(pk=listing.pk).update(
            name=drawn["name"], updated_at=timezone.now(), **moved
        )
    for index in range(3):  # a register's new listings: most with a SIRET
        make_organisation(**random_listing(rng, 200 + index, with_siret=0.6))

    duplicate_candidates_refresh(since=since)
    incremental = pair_ids()
    DuplicateCandidate.objects.all().delete()
    duplicate_candidates_refresh()
    full = pair_ids()
    assert full <= incremental
    assert incremental - full <= before  # a pair found before, pushed out of a top 3

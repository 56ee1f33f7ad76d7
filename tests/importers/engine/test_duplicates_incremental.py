"""After an import, possible duplicates are looked for among what the run changed only
(issue 20): a run touching one listing of many examines that listing's neighbourhood."""

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
    since = timezone.now()
    changed = make_organisation("La Ressourcerie du Nord", location=north_of(FIVES, 3000))
    make_organisation("Ressourcerie du Nord", location=north_of(FIVES, 3030))  # its twin

    with CaptureQueriesContext(connection) as queries:
        pending = duplicate_candidates_refresh(since=since)

    assert pair_names() == {frozenset(("La Ressourcerie du Nord", "Ressourcerie du Nord"))}
    assert pending == 1
    assert len(queries) == 4  # anything changed?, statistics, the refresh, the count
    assert changed.pk in DuplicateCandidate.objects.values_list("organisation_a", flat=True)
    assert duplicate_candidates_refresh() == 2  # the full refresh finds the other pair


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
    assert len(queries) == 2  # anything changed?, the count
    assert not any("ANALYZE" in query["sql"] for query in queries.captured_queries)
    assert list(DuplicateCandidate.objects.values_list("pk", "status", "similarity")) == before

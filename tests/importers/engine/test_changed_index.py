"""The incremental duplicate search reads only what a run changed through an index on
`updated_at` (issue 20), not by scanning every organisation."""

import pytest
from django.db import connection
from django.utils import timezone

from importers.engine.sql.review import DUPLICATES_REFRESH_ALL, DUPLICATES_REFRESH_SINCE
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

#: The refresh's selection of what changed, as DUPLICATES_REFRESH_SINCE writes it.
CHANGED = "updated_at >= %(since)s"
EXPLAIN_CHANGED = (
    "EXPLAIN SELECT id FROM directory_organisation WHERE NOT %(full)s AND updated_at >= %(since)s"
)


def test_what_a_run_changed_is_found_through_the_updated_at_index():
    assert CHANGED in DUPLICATES_REFRESH_SINCE
    assert EXPLAIN_CHANGED.endswith(CHANGED)
    since = timezone.now()
    for number in range(20):
        make_organisation(f"Structure {number}")

    with connection.cursor() as cursor:
        # A table of 20 rows is read whole whatever its indexes: forbid that to see whether
        # an index can answer at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(EXPLAIN_CHANGED, {"full": False, "since": since})
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "organisation_updated_idx" in plan


def test_the_refresh_after_a_run_reads_its_scope_not_every_organisation():
    """After a run, each of the four searches draws its listings from the scope (what
    changed and what could pair with it); written `full OR x.id IN (scope)`, it filtered a
    scan of the whole directory (issue 20). The full refresh has no scope to test."""
    in_scope = "AND x.id IN (SELECT id FROM scope)"
    assert DUPLICATES_REFRESH_SINCE.count(in_scope) == 4
    assert "OR x.id IN" not in DUPLICATES_REFRESH_SINCE
    assert "x.id IN (SELECT id FROM scope)" not in DUPLICATES_REFRESH_ALL
    assert CHANGED in DUPLICATES_REFRESH_SINCE
    # Nothing else differs between the two.
    assert DUPLICATES_REFRESH_SINCE.replace(in_scope, "") == DUPLICATES_REFRESH_ALL

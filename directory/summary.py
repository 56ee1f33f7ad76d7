"""The home page's figures, kept by the database (issue 20).

PostgreSQL keeps them: triggers (migration `directory.0031`) add each committed change to
`SummaryDelta`, so the home page sums a handful of rows instead of counting a national
directory. The two writes below are the only ones Python makes.
"""

from django.db import connection

#: The home page's figures (`directory.summary`): each one the sum of its change rows,
#: all but the kinds' (their own query, with every kind's name and order).
SUMMARY_FIGURES = """
SELECT figure, sum(delta)::bigint, max(counted_at)
FROM directory_summarydelta
WHERE NOT starts_with(figure, 'kind:')
GROUP BY figure
"""
SUMMARY_KINDS = """
SELECT k.slug, k.name, coalesce(f.value, 0)::bigint
FROM directory_organisationkind k
LEFT JOIN (
    SELECT figure, sum(delta) AS value FROM directory_summarydelta
    WHERE starts_with(figure, 'kind:') GROUP BY figure
) f ON f.figure = 'kind:' || k.id
ORDER BY k.position, k.name
"""

#: How many organisations are published and open, up to `count_cap`, from the same rows:
#: the directory's count when nothing filters it (`sql.organisation_count`).
PUBLISHED_COUNT = """
SELECT least(coalesce(sum(delta), 0), %(count_cap)s)::bigint FROM directory_summarydelta
WHERE figure = 'organisations'
"""


def directory_summary_compact() -> None:
    """Fold the change rows into one row per figure (the import engine calls it after every
    successful run, so that the rows the home page sums stay a handful).

    One statement: changes still uncommitted are left alone and add themselves on commit.
    The figures and the time they were last changed are kept as they were.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT cartess_summary_compact()")


def directory_summary_rebuild() -> None:
    """Count every figure afresh and replace the change rows by the counts (a repair, and
    what a TRUNCATE of a counted table triggers). Reads every organisation: seconds at
    1,000,000 organisations.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT cartess_summary_rebuild()")

"""The dictionary the search corrects typos against (`directory_search_word`), kept up to
date: every edit adds the words of the rows it changed, once committed; an import run adds
those of the rows it wrote; the whole dictionary is rebuilt by `manage.py
search_words_refresh` (scheduled weekly), the only step that drops the words no published
row uses any more and recounts their frequencies. SQL in directory/search_sql.py.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction

from directory import search_sql

logger = logging.getLogger(__name__)


def search_words_refresh() -> None:
    """Rebuild the whole dictionary from every published organisation, funding scheme,
    support offer and place service, in the current transaction (readers see the old words
    until it commits). Drops the words no longer used. Two statements."""
    with connection.cursor() as cursor:
        for statement in search_sql.SEARCH_WORDS_REFRESH:
            cursor.execute(statement)


def search_words_add(
    *,
    organisation_ids: Iterable[int] = (),
    scheme_ids: Iterable[int] = (),
    offer_ids: Iterable[int] = (),
    since: datetime | None = None,
) -> None:
    """Add to the dictionary the words it lacks of the given published organisations (with
    their places' services), schemes and offers, or, with `since`, of every one changed since
    then (an import run's start). Now, in the current transaction; words stay until the next
    whole refresh. One statement."""
    if since is not None:
        statement, params = search_sql.search_words_add(rows="since"), {"since": since}
    else:
        statement = search_sql.search_words_add(rows="ids")
        params = {
            "organisation_ids": list(organisation_ids),
            "scheme_ids": list(scheme_ids),
            "offer_ids": list(offer_ids),
        }
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def search_words_add_on_commit(
    *,
    organisation_ids: Iterable[int] = (),
    scheme_ids: Iterable[int] = (),
    offer_ids: Iterable[int] = (),
) -> None:
    """`search_words_add` for these rows once the current transaction commits (at once
    outside one): after an edit in a form or the admin. A failure is logged, never raised:
    the edit is already saved, and the next whole refresh catches up."""
    rows = {
        "organisation_ids": list(organisation_ids),
        "scheme_ids": list(scheme_ids),
        "offer_ids": list(offer_ids),
    }
    transaction.on_commit(lambda: search_words_add(**rows), robust=True)

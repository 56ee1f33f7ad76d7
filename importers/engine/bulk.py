"""The bulk path: stage organisations with COPY, then merge them with set-based SQL.

Row-by-row loading (`importers.engine.loading`) costs a few queries per row, about 1,000 rows/s;
a national file (SIRENE: tens of millions of rows) needs another way. A bulk source streams
its files, maps every row with a pure mapper, and COPYs the results into temporary tables
of the run's transaction; then `organisations_merge` writes `directory_organisation`, its
kinds and sectors and `importers_provenance` in a dozen statements (SQL in importers.engine.sql).

What the bulk path guarantees, like the row-by-row one:
- upsert on (source, external id) through Provenance; then the same SIRET, then the same
  RNA id on a record without SIRET, is the same organisation (merged, not duplicated);
- a record whose raw content hash did not change, mapped by the same `mapping_version`,
  is left alone (only "seen"), unless the run must `remap`;
- the human-edit rule, field by field (see importers.engine.sql), the point and its geocoding
  quality deciding together as one field, each kept field recorded as a
  disagreement for review (importers.engine.review); kinds and sectors only gain
  terms, and a term a person removed is not added back; an organisation a person deleted
  is not created again;
- everything happens in the run's transaction: a failure leaves the database as it was.
What it does not do: the cross-source identities of importers.engine.identities (rows
without SIRET or RNA id are not deduplicated), and `full_clean()`: the mappers must only
stage values the model accepts (they check formats and lengths).
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from directory.models import Organisation
from importers.engine.base import BulkResult
from importers.engine.sql import merge as sql
from importers.engine.sql import review as review_sql
from importers.models import DisagreementStatus

logger = logging.getLogger(__name__)

#: How many kept fields a run lists (the report shows their number).
KEPT_LIMIT = 1000


def copy_rows(*, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """COPY `rows` (tuples in the order of `columns`) into the temporary table `table`.

    `table` and `columns` are fixed identifiers of importers.engine.sql, never input.
    Returns the number of rows written.
    """
    count = 0
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def execute(statement: str, params: dict | None = None) -> list[tuple]:
    """Run one statement of importers.engine.sql; the rows it returns, if any."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def session_prepare() -> None:
    """Give the run room for its temporary tables and hash joins (see importers.engine.sql).

    PostgreSQL refuses a new temp_buffers once the session has used temporary tables:
    the run then goes on with the session's value (slower, not wrong).
    """
    try:
        with transaction.atomic():
            execute(sql.SESSION_SETTINGS)
    except DatabaseError as error:
        logger.info("Keeping the session's temp_buffers: %s", error)
    execute(sql.TRANSACTION_SETTINGS)


def organisations_merge(
    *,
    stage: str,
    source_id: int,
    run_id: int,
    now: datetime,
    result: BulkResult,
    table: str,
    mapping_version: str,
    remap: bool = False,
) -> None:
    """Stage organisations with `stage` (a statement of importers.engine.sql), then merge them.

    Fills `result` (counts, kept fields, rejections); `table` names the file the rows came
    from. A staged record whose content hash and `mapping_version` match its provenance's is
    only "seen", unless `remap`. Side effects: writes organisations, their kinds and
    sectors, provenances, and the disagreements between this source and a person's values.
    """
    params = {
        "source_id": source_id,
        "run_id": run_id,
        "now": now,
        "mapping_version": mapping_version,
        "remap": remap,
        "content_type_id": ContentType.objects.get_for_model(Organisation).pk,
        "limit": KEPT_LIMIT,
    }
    execute(sql.DROP_STAGE)
    execute(sql.CREATE_STAGE)
    execute(stage, params)
    execute(sql.ANALYZE_STAGE)
    for number, external_id, raw in execute(sql.REJECTED):
        reason = _("Nom manquant : aucun nom publiable.")
        result.reject(number=number, external_id=external_id, raw=raw, reason=reason, table=table)
    execute(sql.REATTACH)
    result.deleted = [external_id for (external_id,) in execute(sql.DELETED)]
    execute(sql.MATCH_RNA)
    execute(sql.DROP_TAKEN_RNA)
    execute(sql.DROP_DUPLICATE_RNA)
    for statement in _CREATIONS:
        execute(statement, params)
    (result.created,) = execute(sql.COUNT_NEW)[0]
    execute(sql.CREATE_DECISIONS)
    result.kept.extend(f"{eid} : {name} conservé" for eid, name in execute(sql.KEPT_FIELDS, params))
    for statement in _WRITES:
        execute(statement, params)
    result.updated, unchanged = execute(sql.COUNT_DECISIONS)[0]
    result.unchanged = unchanged + execute(sql.COUNT_UNCHANGED)[0][0]
    params["open"] = DisagreementStatus.OPEN
    execute(review_sql.DISAGREEMENTS_DROP_STALE, params)
    result.disagreements = execute(review_sql.DISAGREEMENTS_RECORD, params)[0][0]
    execute(sql.DROP_STAGE)
    if result.created:
        execute(sql.ANALYZE_WRITTEN)


#: New organisations: slugs, rows, terms, provenances.
_CREATIONS = (
    sql.CREATE_NEW,
    sql.INSERT_ORGANISATIONS,
    sql.ANALYZE_NEW,
    sql.ADD_NEW_KINDS,
    sql.ADD_NEW_SECTORS,
    sql.INSERT_NEW_PROVENANCES,
)
#: After the decisions: write the organisations, then their terms, then the provenances.
_WRITES = (
    sql.UPDATE_ORGANISATIONS,
    sql.ADD_KINDS,
    sql.ADD_SECTORS,
    sql.INSERT_MERGED_PROVENANCES,
    sql.UPDATE_PROVENANCES,
    sql.TOUCH_PROVENANCES,
)

"""The bulk path: stage organisations with COPY, then merge them with set-based SQL.

Row-by-row loading (`importers.engine.upsert`) costs a few queries per row, about 1,000 rows/s;
a national file (SIRENE: tens of millions of rows) needs another way. A bulk source streams
its files, maps every row with a pure mapper, and COPYs the results into temporary tables
of the run's transaction; then `organisations_merge` writes `directory_organisation`, its
kinds and sectors and `importers_provenance` in a dozen statements (importers.engine.sql.merge).

What the bulk path guarantees, like the row-by-row one:
- upsert on (source, external id) through Provenance; then the same SIRET, then the same
  RNA id on a record without SIRET, is the same organisation (merged, not duplicated);
- a record whose raw content hash did not change, mapped by the same `mapping_version`,
  is left alone (only "seen"), unless the run must `remap`;
- the human-edit rule of the row-by-row path itself (importers.engine.human_edits.plan_record,
  with OrganisationLoader's fields, set fields and groups), applied here in Python to the
  rows matched to an existing organisation whose content changed: each kept field is
  reported and recorded as a disagreement for review (importers.engine.review); the set
  writes then follow its decisions; an organisation a person deleted is not created again;
- everything happens in the run's transaction: a failure leaves the database as it was.
What it does not do: the cross-source identities of importers.engine.identities (rows
without SIRET or RNA id are not deduplicated), and `full_clean()`: the mappers must only
stage values the model accepts (they check formats and lengths).
"""

import heapq
import json
import logging
from datetime import datetime
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from directory.models import Organisation
from importers.engine.base import BulkResult
from importers.engine.human_edits import kept_note, plan_record
from importers.engine.loaders import ORGANISATION_FIELDS, Loader, OrganisationLoader
from importers.engine.sql import copy_rows, execute
from importers.engine.sql import merge as sql
from importers.engine.sql import review as review_sql
from importers.engine.sql import sightings as sightings_sql
from importers.models import DisagreementStatus

logger = logging.getLogger(__name__)

#: How many kept fields a run lists (the report shows their number).
KEPT_LIMIT = 1000
#: Rows of TO_DECIDE read, decided and copied at a time: the memory of a batch, not of the
#: run, whatever the number of changed records.
DECISION_BATCH = 2000


def session_prepare() -> None:
    """Give the run room for its temporary tables and hash joins (importers.engine.sql.merge).

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
    """Stage organisations with `stage` (see importers.engine.sql.merge.stage_insert), then
    merge them.

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
    result.kept.extend(decisions_make())
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


def decisions_make() -> list[str]:
    """Decide, for each staged row matched to an existing organisation whose content
    changed, what the human-edit rule writes, remembers and keeps, and COPY the decisions
    into `import_decision` (importers.engine.sql.merge.DECISION_COLUMNS).

    The rule is the row-by-row path's (importers.engine.human_edits.plan_record), applied to
    the snapshots TO_DECIDE reads, a batch at a time through a server-side cursor. Returns
    the report's lines of the first KEPT_LIMIT kept fields, by external id.
    """
    loader = OrganisationLoader()
    kept: list[tuple[str, int, str]] = []
    execute(sql.CREATE_DECISIONS)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql.TO_DECIDE)
        while batch := cursor.fetchmany(DECISION_BATCH):
            decisions = [_decide(loader, row) for row in batch]
            copy_rows(table="import_decision", columns=Decision._fields, rows=decisions)
            found = [(d.external_id, *ranked) for d in decisions for ranked in enumerate(d.kept)]
            kept = heapq.nsmallest(KEPT_LIMIT, [*kept, *found])
    execute(sql.ANALYZE_DECISIONS)
    return [kept_note(external_id, name) for external_id, _rank, name in kept]


class Decision(NamedTuple):
    """A row of import_decision: the JSON columns as JSON text, as COPY takes them."""

    external_id: str
    org_id: int
    prov_id: int | None
    write: str
    imported: str
    kept: list[str]
    disagreements: str


def _decide(loader: Loader, row: tuple) -> Decision:
    """One row of TO_DECIDE -> its decision."""
    external_id, org_id, prov_id, previous, new_values, current_values = row
    previous = json.loads(previous) if previous is not None else {}
    incoming, current = _snapshot(loader, new_values), _snapshot(loader, current_values)
    plan, disagreements = plan_record(
        loader=loader, current=current, previous=previous, incoming=incoming
    )
    found = {
        item.field: {"current": item.current, "incoming": item.incoming, "previous": item.previous}
        for item in disagreements
    }
    return Decision(
        external_id=external_id,
        org_id=org_id,
        prov_id=prov_id,
        write=_json(plan.write),
        imported=_json(plan.imported),
        kept=list(plan.kept),
        disagreements=_json(found),
    )


def _snapshot(loader: Loader, text: str) -> dict[str, Any]:
    """A JSON snapshot of TO_DECIDE in the loader's shape: its fields in their order, the
    terms sorted (as OrganisationLoader sorts them)."""
    values = json.loads(text)
    return {
        name: sorted(values[name]) if name in loader.set_fields else values[name]
        for name in ORGANISATION_FIELDS
    }


_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


#: New organisations: slugs, rows, terms, provenances.
_CREATIONS = (
    sql.CREATE_NEW,
    sql.INSERT_ORGANISATIONS,
    sql.ANALYZE_NEW,
    *sql.ADD_NEW_TERMS,
    sql.INSERT_NEW_PROVENANCES,
)
#: After the decisions: write the organisations, then their terms, then the provenances.
_WRITES = (
    sql.UPDATE_ORGANISATIONS,
    *sql.ADD_TERMS,
    sql.INSERT_MERGED_PROVENANCES,
    sql.UPDATE_PROVENANCES,
    sightings_sql.SIGHT_STAGED,
)

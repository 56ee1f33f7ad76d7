"""Generic loading: upsert on (source, external id) through `Provenance`, field by field.

The rules (DESIGN: "a human edit is never silently overwritten by a re-import"):

- a raw record whose content hash has not changed, read by the same version of the
  source's mapper (`ImportSource.mapping_version`), is left alone (counted unchanged); a
  new mapping version, or a run asked to re-map (`remap`), maps it again under the rules
  below;
- a field is written when it is empty, or when it still holds the value this source wrote
  last time (`Provenance.imported_values`); a field whose value differs from what this
  source wrote was edited by a person, and a non-empty field this source never wrote
  belongs to a person or another source: both are kept, reported, and recorded as a
  disagreement for a person to settle (importers.engine.review.FieldDisagreement);
- many-to-many fields only gain terms, and a term a person removed is not added back;
- fields that only make sense together (a point and its geocoding quality and score) are
  one decision: when a person's value keeps one of them, the others are kept too.

This is the one definition of the rule: the bulk path (importers.engine.bulk) applies
`plan_record` too, to the snapshots its SQL reads.
"""

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import models

from directory.models import Provenance
from importers.engine.base import Mapped
from importers.engine.context import LoadContext
from importers.engine.loaders import Loader, loader_for
from importers.engine.review import Disagreement, disagreements_between, disagreements_record

_MISSING = object()


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def kept_note(external_id: str, field: str) -> str:
    """The report's line for a field a person's value kept (both loading paths)."""
    return f"{external_id} : {field} conservé"


def content_hash(raw: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of a raw record (sorted keys, no extra spaces)."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class FieldPlan:
    """What to write, what to remember as imported, and which fields a person's value kept.

    For a many-to-many field, `write` holds the terms to add.
    """

    write: dict[str, Any]
    imported: dict[str, Any]
    kept: tuple[str, ...]


def plan_fields(
    *,
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    incoming: Mapping[str, Any],
    set_fields: Collection[str] = (),
    empty_values: Mapping[str, Any] | None = None,
    groups: Collection[Collection[str]] = (),
) -> FieldPlan:
    """Decide, field by field, whether an import may write `incoming` over `current`.

    `previous` is what this source wrote last time (empty for a record it never wrote).
    `empty_values` gives, per field, a default that counts as empty (e.g. "inconnu").
    Each of `groups` names fields decided as one: if one of them is kept, none is written.
    Pure: no database.
    """
    write, imported, kept = {}, {}, []
    empties = empty_values or {}
    for name, new in incoming.items():
        now, before = current.get(name), previous.get(name, _MISSING)
        if name in set_fields:
            decision = _set_decision(now or [], before, new)
        else:
            empty = _is_empty(now) or now == empties.get(name, _MISSING)
            decision = _scalar_decision(now, before, new, empty)
        to_write, remembered, was_kept = decision
        if to_write is not _MISSING:
            write[name] = to_write
        if remembered is not _MISSING:
            imported[name] = remembered
        if was_kept:
            kept.append(name)
    for group in groups:
        if any(name in kept for name in group):
            _hold(group, current, previous, write, imported, kept)
    return FieldPlan(write=write, imported=imported, kept=tuple(kept))


def _hold(group: Collection[str], current: Mapping, previous: Mapping, write, imported, kept):
    """Keep every field of `group` as it is: nothing written, what this source wrote last
    time still remembered, and each field whose value differs from it reported as kept."""
    for name in group:
        if name not in write:
            continue
        del write[name]
        before = previous.get(name, _MISSING)
        if before is _MISSING:
            imported.pop(name, None)
        else:
            imported[name] = before
        if name not in kept:
            kept.append(name)


def _scalar_decision(current: Any, previous: Any, new: Any, empty: bool) -> tuple[Any, Any, bool]:
    """(value to write or _MISSING, value to remember or _MISSING, kept a person's value)."""
    if current == new:
        return _MISSING, new, False
    if (previous is _MISSING and empty) or (previous is not _MISSING and current == previous):
        return new, new, False
    return _MISSING, previous, True


def _set_decision(current: list, previous: Any, new: list) -> tuple[Any, Any, bool]:
    removed_by_person = set(previous) - set(current) if previous is not _MISSING else set()
    to_add = set(new) - set(current) - removed_by_person
    return (sorted(to_add) if to_add else _MISSING), sorted(new), bool(removed_by_person & set(new))


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def plan_record(
    *,
    loader: Loader,
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    incoming: Mapping[str, Any],
) -> tuple[FieldPlan, list[Disagreement]]:
    """The human-edit rule for one record of `loader`'s kind, as both loading paths apply it.

    `current`, `previous` and `incoming` are snapshots (the loader's shape): what the record
    holds, what this source wrote last time (empty when it never wrote the record), what it
    says now. Returns the plan of `plan_fields` under the loader's set fields, empty values
    and field groups, and the disagreements of the fields the plan kept. Pure.
    """
    plan = plan_fields(
        current=current,
        previous=previous,
        incoming=incoming,
        set_fields=loader.set_fields,
        empty_values=loader.empty_values,
        groups=loader.field_groups,
    )
    disagreements = disagreements_between(
        kept=plan.kept, current=current, incoming=incoming, previous=previous
    )
    return plan, disagreements


def loader_of(context: LoadContext, data: Any) -> Loader:
    """The loader of `data`: the source's own for its record types, else the engine's.
    Raises TypeError for a type no loader handles."""
    return context.loaders.get(type(data)) or loader_for(data)


def load_row(*, context: LoadContext, external_id: str, raw: dict, mapped: Mapped) -> Outcome:
    """Create or update the record of `mapped` and its provenance; return what happened.

    Raises ValidationError or a database error when the record breaks a rule of the model:
    the caller runs this in a savepoint and rejects the row.
    """
    digest = content_hash(raw)
    provenance = context.provenances.get(external_id)
    if context.is_fresh(provenance, digest):
        context.unchanged_ids.append(provenance.pk)
        return Outcome.UNCHANGED
    loader = loader_of(context, mapped.data)
    data = loader.resolve(mapped, context)
    instance = provenance.record if provenance is not None else None
    if instance is None:
        instance = loader.match(data, context, external_id)
        if instance is not None and provenance is not None:
            # A person deleted the record and made it again: this source never wrote the
            # new one, so it only fills its blanks.
            provenance.record, provenance.imported_values = instance, {}
    disagreements: list[Disagreement] | None = None
    if provenance is not None and instance is None:
        context.deleted.append(external_id)
        imported, outcome = provenance.imported_values, Outcome.UNCHANGED
    elif instance is None:
        instance = loader.create(data)
        imported, outcome = loader.snapshot_data(data), Outcome.CREATED
    else:
        imported, outcome, disagreements = _update(
            loader, instance, data, provenance, external_id, context
        )
    provenance = _save_provenance(context, provenance, external_id, instance, raw, digest, imported)
    if disagreements is not None:  # the record was compared with what the source says now
        context.disagreements += disagreements_record(
            provenance=provenance, run=context.run, disagreements=disagreements
        )
    return outcome


def _update(
    loader: Loader,
    instance: models.Model,
    data: Any,
    provenance: Provenance | None,
    external_id: str,
    context: LoadContext,
) -> tuple[dict, Outcome, list[Disagreement]]:
    """Write what the human-edit rule allows; what it kept becomes disagreements."""
    current, incoming = loader.snapshot_instance(instance), loader.snapshot_data(data)
    previous = provenance.imported_values if provenance is not None else {}
    plan, disagreements = plan_record(
        loader=loader, current=current, previous=previous, incoming=incoming
    )
    if plan.write:
        loader.update(instance, data, plan.write)
    context.notes.extend(kept_note(external_id, name) for name in plan.kept)
    # A record that gains a provenance from this source was merged: it changed too.
    changed = bool(plan.write) or provenance is None
    return plan.imported, Outcome.UPDATED if changed else Outcome.UNCHANGED, disagreements


def _save_provenance(
    context: LoadContext,
    provenance: Provenance | None,
    external_id: str,
    instance: models.Model | None,
    raw: dict,
    digest: str,
    imported: dict,
) -> Provenance:
    if provenance is None:
        provenance = Provenance(
            source=context.source,
            external_id=external_id,
            record=instance,
            first_seen_at=context.now,
        )
    provenance.content_hash = digest
    provenance.mapping_version = context.mapping_version
    provenance.raw = raw
    provenance.imported_values = imported
    provenance.last_seen_at = context.now
    provenance.last_run = context.run
    provenance.save()
    context.provenances[external_id] = provenance
    return provenance

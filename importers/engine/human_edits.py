"""The human-edit rule (DESIGN: "a human edit is never silently overwritten by a re-import"),
its one definition, pure: both loading paths apply it, row by row
(importers.engine.upsert.load_row) and in bulk (importers.engine.bulk, on the snapshots its
SQL reads).

- a field is written when it is empty, or when it still holds the value this source wrote
  last time (`Provenance.imported_values`); a field whose value differs from what this
  source wrote was edited by a person, and a non-empty field this source never wrote
  belongs to a person or another source: both are kept, reported, and recorded as a
  disagreement for a person to settle (importers.engine.review.FieldDisagreement);
- many-to-many fields only gain terms, and a term a person removed is not added back;
- fields that only make sense together (a point and its geocoding quality and score) are
  one decision: when a person's value keeps one of them, the others are kept too;
- a field the row says nothing about (`Mapped.unknown`) is not decided at all: not
  written, not compared, and what this source wrote last time is still remembered. A group
  with one unknown field is unknown as a whole.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from importers.engine.loaders import Loader
from importers.engine.review import Disagreement, disagreements_between

_MISSING = object()


def kept_note(external_id: str, field: str) -> str:
    """The report's line for a field a person's value kept (both loading paths)."""
    return f"{external_id} : {field} conservé"


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
    unknown: Collection[str] = frozenset(),
) -> tuple[FieldPlan, list[Disagreement]]:
    """The human-edit rule for one record of `loader`'s kind, as both loading paths apply it.

    `current`, `previous` and `incoming` are snapshots (the loader's shape): what the record
    holds, what this source wrote last time (empty when it never wrote the record), what it
    says now. `unknown` names the fields the source says nothing about this time
    (`Mapped.unknown`): left out of `incoming`, with the loader's field groups they belong
    to; the plan remembers for them what `previous` holds. Returns the plan of
    `plan_fields` under the loader's set fields, empty values and field groups, and the
    disagreements of the fields the plan kept. Pure.
    """
    silent = fields_unknown(loader=loader, unknown=unknown)
    incoming = {name: value for name, value in incoming.items() if name not in silent}
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
    remembered = {name: previous[name] for name in silent if name in previous}
    return replace(plan, imported=remembered | plan.imported), disagreements


def fields_unknown(*, loader: Loader, unknown: Collection[str]) -> frozenset[str]:
    """`unknown`, with every field of the loader's field groups one of them belongs to (a
    point the row does not give leaves its quality alone, and the other way round). Pure."""
    silent = set(unknown)
    for group in loader.field_groups:
        if silent & group:
            silent |= group
    return frozenset(silent)

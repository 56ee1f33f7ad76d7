"""Row-by-row loading: upsert on (source, external id) through `Provenance`, field by field.

A raw record whose content hash has not changed, read by the same version of the source's
mapper (`ImportSource.mapping_version`), is left alone (counted unchanged); a new mapping
version, or a run asked to re-map (`remap`), maps it again. A record this source already
wrote, or an existing one its loader matches, is updated under the human-edit rule
(importers.engine.human_edits); a record a person deleted is not created again. The fields
a row says nothing about (`Mapped.unknown`) are left as they are, and a record created from
the row does not remember them as written by this source.
"""

import hashlib
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.db import models

from directory.models import Provenance
from importers.engine.base import Mapped
from importers.engine.cells import raw_bounded
from importers.engine.context import LoadContext
from importers.engine.human_edits import fields_unknown, kept_note, plan_record
from importers.engine.loaders import Loader, loader_for
from importers.engine.review import Disagreement, disagreements_record


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def content_hash(raw: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of a raw record (sorted keys, no extra spaces)."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


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
        silent = fields_unknown(loader=loader, unknown=mapped.unknown)
        imported = {k: v for k, v in loader.snapshot_data(data).items() if k not in silent}
        outcome = Outcome.CREATED
    else:
        imported, outcome, disagreements = _update(
            loader, instance, data, mapped.unknown, provenance, external_id, context
        )
    provenance = _save_provenance(context, provenance, external_id, instance, raw, digest, imported)
    if instance is not None:
        loader.after_write(instance=instance, data=data, context=context)
    if disagreements is not None:  # the record was compared with what the source says now
        context.disagreements += disagreements_record(
            provenance=provenance, run=context.run, disagreements=disagreements
        )
    return outcome


def _update(
    loader: Loader,
    instance: models.Model,
    data: Any,
    unknown: frozenset[str],
    provenance: Provenance | None,
    external_id: str,
    context: LoadContext,
) -> tuple[dict, Outcome, list[Disagreement]]:
    """Write what the human-edit rule allows; what it kept becomes disagreements. The
    fields in `unknown` are neither written nor compared."""
    current, incoming = loader.snapshot_instance(instance), loader.snapshot_data(data)
    previous = provenance.imported_values if provenance is not None else {}
    plan, disagreements = plan_record(
        loader=loader, current=current, previous=previous, incoming=incoming, unknown=unknown
    )
    if plan.write:
        loader.update(instance, data, plan.write)
    context.notes.extend(kept_note(external_id, name) for name in plan.kept)
    context.kept[external_id] = plan.kept
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
    provenance.raw = raw_bounded(raw)
    provenance.imported_values = imported
    provenance.last_seen_at = context.now
    provenance.last_run = context.run
    provenance.save()
    context.provenances[external_id] = provenance
    return provenance

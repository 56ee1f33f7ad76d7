"""What loading needs across the rows of one run (importers.engine.upsert)."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from directory.models import Provenance, Source
from importers.engine.sql import execute, sightings
from importers.models import ImportRun


@dataclass
class LoadContext:
    """What loading needs across the rows of one run; `notes` collects kept fields.

    `mapping_version` is the source's, stored with each provenance written; with `remap`,
    every row is mapped again even when its content and mapping version did not change.
    `scope` is what the run is limited to, as its caller said (source_import's `scope`, e.g.
    the network of a network's own upload); None for a run limited to nothing. The source
    checks each row against it (ImportSource.check_scope) and its loaders may read it.
    """

    source: Source
    run: ImportRun
    now: datetime
    provenances: dict[str, Provenance]
    mapping_version: str = ""
    remap: bool = False
    #: External ids whose record a person deleted (the provenance outlived it).
    orphans: frozenset[str] = frozenset()
    unchanged_ids: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: The fields a person's value kept, by external id (the rows loaded so far).
    kept: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: External ids of records a person deleted, which this run did not create again.
    deleted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)
    #: The source's own loaders, by record type (ImportSource.loaders).
    loaders: dict[type, Any] = field(default_factory=dict)
    #: Disagreements with a person's values this run opened (importers.engine.review).
    disagreements: int = 0
    scope: Any = None

    @classmethod
    def start(
        cls,
        *,
        source: Source,
        run: ImportRun,
        now: datetime,
        mapping_version: str = "",
        remap: bool = False,
        loaders: dict[type, Any] | None = None,
        scope: Any = None,
    ) -> "LoadContext":
        """Read the provenances this source already has, once for the whole run, and find
        those whose record a person deleted (one query per kind of record)."""
        provenances = {p.external_id: p for p in Provenance.objects.filter(source=source)}
        return cls(
            source=source,
            run=run,
            now=now,
            provenances=provenances,
            orphans=_orphans(provenances.values()),
            mapping_version=mapping_version,
            remap=remap,
            loaders=dict(loaders or {}),
            scope=scope,
        )

    def is_fresh(self, provenance: Provenance | None, digest: str) -> bool:
        """Whether `provenance` already holds what mapping the raw record `digest` gives:
        same content, same mapping version, and no re-mapping asked."""
        return (
            provenance is not None
            and provenance.external_id not in self.orphans
            and not self.remap
            and provenance.content_hash == digest
            and provenance.mapping_version == self.mapping_version
        )

    def linked_ids(self, model: type[models.Model], external_ids: tuple[str, ...]) -> list[int]:
        """Ids of the `model` records this source loaded under `external_ids` (found ones)."""
        content_type = ContentType.objects.get_for_model(model)
        found = []
        for external_id in external_ids:
            provenance = self.provenances.get(external_id)
            if provenance is not None and provenance.content_type_id == content_type.pk:
                found.append(provenance.object_id)
        return found

    def finish(self) -> None:
        """Record that this run saw the unchanged records: one sighting row for all of
        them (importers.engine.sql.sightings), no provenance rewritten (one query)."""
        params = {"source_id": self.source.pk, "now": self.now, "ids": self.unchanged_ids}
        execute(sightings.SIGHT_IDS, params)


def _orphans(provenances: Collection[Provenance]) -> frozenset[str]:
    """The external ids of `provenances` whose record no longer exists."""
    by_kind: dict[int, list[Provenance]] = {}
    for provenance in provenances:
        by_kind.setdefault(provenance.content_type_id, []).append(provenance)
    orphans = set()
    for content_type_id, group in by_kind.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        ids = [provenance.object_id for provenance in group]
        existing = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        orphans.update(p.external_id for p in group if p.object_id not in existing)
    return frozenset(orphans)

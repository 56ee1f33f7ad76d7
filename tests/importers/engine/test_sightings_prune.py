"""Sightings are pruned: a source keeps its newest few, and "vue le" of every provenance is
exactly what it was before (issue 20)."""

import datetime
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from psycopg.types.range import Range

from directory.models import Organisation, Provenance, ProvenanceSighting, Source
from importers.engine.aftercare import SIGHTINGS_KEPT, sightings_prune
from importers.engine.services import source_import

pytestmark = pytest.mark.django_db

SIRENE = Path(__file__).resolve().parents[2] / "data" / "sirene"


def day(number: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 11, number, 6))


def provenances(source: Source, count: int) -> list[Provenance]:
    organisation_type = ContentType.objects.get_for_model(Organisation)
    return [
        Provenance.objects.create(
            source=source,
            external_id=f"{source.slug}-{number}",
            content_type=organisation_type,
            object_id=number,
            content_hash="0" * 64,
            first_seen_at=day(1),
            last_seen_at=day(1),
        )
        for number in range(count)
    ]


def sighting(source: Source, when: int, *held: Provenance) -> ProvenanceSighting:
    ranges = [Range(p.pk, p.pk, "[]") for p in held]
    return ProvenanceSighting.objects.create(
        source=source, seen_at=day(when), provenance_ids=ranges
    )


def seen() -> dict[int, datetime.datetime]:
    return dict(Provenance.objects.with_last_seen().values_list("pk", "last_seen"))


def test_pruning_keeps_the_newest_and_never_changes_when_a_record_was_last_seen():
    source = Source.objects.create(slug="tiers-lieux", name="Tiers-lieux")
    other = Source.objects.create(slug="rna", name="RNA")
    in_kept, only_pruned, written_later, never, twice = provenances(source, 5)
    Provenance.objects.filter(pk=written_later.pk).update(last_seen_at=day(20))
    sighting(source, 2, in_kept, only_pruned, written_later, twice)
    sighting(source, 3, only_pruned, twice)
    sighting(source, 4, in_kept)
    sighting(source, 5, in_kept)
    elsewhere = sighting(other, 2, *provenances(other, 1))
    before = seen()

    deleted = sightings_prune(source=source, kept=2)

    assert deleted == 2
    assert seen() == before
    assert sorted(s.seen_at for s in ProvenanceSighting.objects.filter(source=source)) == [
        day(4),
        day(5),
    ]
    assert ProvenanceSighting.objects.filter(pk=elsewhere.pk).exists()
    written = dict(Provenance.objects.values_list("pk", "last_seen_at"))
    assert written[only_pruned.pk] == day(3)  # its newest pruned sighting
    assert written[twice.pk] == day(3)
    assert written[in_kept.pk] == day(1)  # a kept sighting still says 5 November
    assert written[written_later.pk] == day(20)
    assert written[never.pk] == day(1)


def test_pruning_with_nothing_beyond_the_newest_deletes_nothing():
    source = Source.objects.create(slug="tiers-lieux", name="Tiers-lieux")
    (provenance,) = provenances(source, 1)
    sighting(source, 2, provenance)

    assert sightings_prune(source=source) == 0
    assert ProvenanceSighting.objects.count() == 1


def test_unchanged_reruns_keep_a_few_sightings_and_the_date_of_the_last():
    for _run in range(SIGHTINGS_KEPT + 2):
        source_import(slug="sirene", path=SIRENE)

    sightings = ProvenanceSighting.objects.filter(source__slug="sirene")
    assert sightings.count() == SIGHTINGS_KEPT
    newest = sightings.latest("seen_at").seen_at
    assert set(seen().values()) == {newest}

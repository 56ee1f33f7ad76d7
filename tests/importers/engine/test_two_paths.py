"""The human-edit rule is one rule: the same change, imported row by row (`load_row`) and in
bulk (`organisations_merge`), leaves the same organisation, the same provenance, the same
kept fields and the same disagreements, for every field the bulk path writes.

Each case builds the same world twice (an organisation, and what this source wrote last
time), runs one path in a savepoint, reads what it left, and rolls back.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from directory.models import Organisation, Provenance, Source
from directory.records import OrganisationData
from directory.services import organisation_create
from importers.engine.base import BulkResult, Mapped
from importers.engine.bulk import organisations_merge
from importers.engine.context import LoadContext
from importers.engine.loaders import ORGANISATION_FIELDS, OrganisationLoader
from importers.engine.sql import copy_rows, execute
from importers.engine.sql.fields import STAGE_COLUMNS
from importers.engine.sql.merge import stage_insert
from importers.engine.upsert import Outcome, load_row
from importers.models import FieldDisagreement, ImportRun

pytestmark = pytest.mark.django_db

SIRET = "50100001200010"
MAPPING_VERSION = "2"
LOADER = OrganisationLoader()
#: The organisation as this source, the directory and the person all agree on it; each
#: case changes one field (or one group of fields) of it.
BASE = OrganisationData(
    name="Association Les Jardins de Moulins",
    kinds=("entreprise-ess",),
    description="Jardins partagés du quartier de Moulins.",
    acronym="AJM",
    legal_family="association",
    legal_category_code="9220",
    legal_form="Association déclarée",
    ess_status="ess",
    ess_status_source="sirene",
    siren="501000012",
    siret=SIRET,
    rna_id="W595000777",
    naf_code="88.99B",
    sectors=("alimentation-durable",),
    street="12 RUE D'ARRAS",
    address_complement="BATIMENT B",
    postcode="59000",
    city="LILLE",
    insee_code="59350",
    location=Point(3.0651, 50.6182, srid=4326),
    geocoding_quality="source",
    qpv_code="QN05906M",
    website="https://jardins-moulins.example",
    email="contact@jardins-moulins.example",
    phone="03 20 52 00 00",
)

#: For each field decided alone: what this source wrote before, what it says now, and what
#: a person typed (None: the field has only two values besides its empty one).
VALUES: dict[str, tuple[Any, Any, Any]] = {
    "name": ("Les Jardins de Moulins", "Assoc. Jardins de Moulins", "Jardins partagés Moulins"),
    "description": ("Jardins partagés.", "Jardins et compost.", "Texte relu par l'APES."),
    "acronym": ("AJM", "AJDM", "JDM"),
    "legal_category_code": ("9220", "9210", "9230"),
    "legal_form": ("Association déclarée", "Association loi 1901", "Association de fait"),
    "ess_status": ("ess", "hors-ess", None),
    "ess_status_source": ("sirene", "statut", "reseau"),
    "siren": ("501000012", "501000020", "501000038"),
    "siret": ("50100001200010", "50100001200028", "50100001200036"),
    "rna_id": ("W595000777", "W595012345", "W595099999"),
    "naf_code": ("88.99B", "94.99Z", "81.30Z"),
    "street": ("12 RUE D'ARRAS", "14 RUE D'ARRAS", "12 rue d'Arras"),
    "address_complement": ("BATIMENT B", "BATIMENT C", "Au fond de la cour"),
    "postcode": ("59000", "59260", "59160"),
    "city": ("LILLE", "HELLEMMES-LILLE", "Lille"),
    "insee_code": ("59350", "59298", "59355"),
    "qpv_code": ("QN05906M", "QN05907M", "QN05908M"),
    "website": (
        "https://jardins-moulins.example",
        "https://www.jardins-moulins.example",
        "https://apes-hdf.example/jardins",
    ),
    "email": (
        "contact@jardins-moulins.example",
        "bonjour@jardins-moulins.example",
        "jardins@apes-hdf.example",
    ),
    "phone": ("03 20 52 00 00", "03 20 52 00 01", "06 12 34 56 78"),
    "legal_family": ("association", "fondation", "cooperative"),
}
#: Decided as one (OrganisationLoader.field_groups), and the many-to-many fields.
POINT = ("location", "geocoding_quality", "geocoding_score")
TERMS = ("kinds", "sectors")
#: A field whose change breaks a constraint unless the SIRET goes: a SIRET starts with its
#: SIREN (organisation_siret_matches_siren).
BASE_FOR = {"siren": {"siret": ""}}
#: A record without a name is rejected before the rule, by both paths.
NAME_REQUIRED = "name"
#: The source meets an organisation it never wrote by its SIRET: a different one is another
#: organisation, not a person's edit.
MET_BY = "siret"


@dataclass(frozen=True)
class World:
    """What a run finds and brings, as changes to BASE: the organisation's values now
    (`current`), what this source wrote last time (`previous`; None when it never wrote
    the organisation, which it then meets by SIRET), what it says now (`incoming`)."""

    current: dict[str, Any] = field(default_factory=dict)
    previous: dict[str, Any] | None = field(default_factory=dict)
    incoming: dict[str, Any] = field(default_factory=dict)
    base: dict[str, Any] = field(default_factory=dict)


def empty(name: str) -> Any:
    """What a source says when it does not know the field (OrganisationData's default)."""
    return OrganisationData.__dataclass_fields__[name].default


def scenarios(name: str) -> dict[str, World]:
    """The cases of a field decided alone: filled when empty, following the source when
    nobody touched it, kept when a person edited it (the source saying something new, or
    nothing), and kept when the source meets a person's value for the first time."""
    before, now, person = VALUES[name]
    base = BASE_FOR.get(name, {})
    if person is None:  # a person chose the source's other value; the source repeats itself
        person, now_if_edited = now, before
    else:
        now_if_edited = now
    cases = {
        "follows": World({name: before}, {name: before}, {name: now}, base),
        "edited": World({name: person}, {name: before}, {name: now_if_edited}, base),
    }
    if name != MET_BY:
        cases["met"] = World({name: person}, None, {name: now_if_edited}, base)
    if name != NAME_REQUIRED:
        cases["filled"] = World({name: empty(name)}, {name: empty(name)}, {name: now}, base)
        cases["silent"] = World({name: person}, {name: before}, {name: empty(name)}, base)
    return cases


def cases() -> list:
    return [
        pytest.param(name, case, world, id=f"{name}-{case}")
        for name in VALUES
        for case, world in scenarios(name).items()
    ]


def spot(x: float, y: float) -> Point:
    return Point(x, y, srid=4326)


SOURCE_POINT, MOVED_POINT, PERSON_POINT = (
    spot(3.0651, 50.6182),
    spot(3.0655, 50.6185),
    spot(3.0601, 50.6301),
)
NO_POINT = {"location": None, "geocoding_quality": "", "geocoding_score": None}
POINT_CASES = {
    "filled": World(NO_POINT, NO_POINT, {"location": SOURCE_POINT}),
    "follows": World({}, {}, {"location": MOVED_POINT}),
    "pin-and-quality-moved": World(
        {"location": PERSON_POINT, "geocoding_quality": "manual"}, {}, {"location": MOVED_POINT}
    ),
    "only-the-pin-moved": World({"location": PERSON_POINT}, {}, {"location": MOVED_POINT}),
    "source-drops-the-point": World(
        {"location": PERSON_POINT, "geocoding_quality": "manual"}, {}, NO_POINT
    ),
    "source-drops-its-point": World({}, {}, NO_POINT),
    "scored-by-another-source": World(
        {"location": PERSON_POINT, "geocoding_quality": "housenumber", "geocoding_score": 0.87},
        None,
        {"location": MOVED_POINT},
    ),
    "score-follows": World(
        {"geocoding_quality": "housenumber", "geocoding_score": 0.8},
        {"geocoding_quality": "housenumber", "geocoding_score": 0.8},
        {"location": MOVED_POINT, "geocoding_quality": "housenumber", "geocoding_score": 0.9},
    ),
}
TERM_CASES = {
    f"{name}-{case}": world
    for name, (before, now, person) in {
        "kinds": (
            ("accompagnement", "reseau"),
            ("accompagnement", "financeur", "reseau"),
            ("reseau",),  # a person removed "accompagnement"
        ),
        "sectors": (
            ("culture", "numerique"),
            ("culture", "education-jeunesse", "numerique"),
            ("numerique",),
        ),
    }.items()
    for case, world in {
        "filled": World({name: ()}, {name: ()}, {name: now}),
        "gains": World({name: before}, {name: before}, {name: now}),
        "removed-by-a-person": World({name: person}, {name: before}, {name: now}),
        "met": World({name: person}, None, {name: now}),
        "silent": World({name: person}, {name: before}, {name: ()}),
    }.items()
}


# --- The two paths ----------------------------------------------------------------------------


def row_by_row(source: Source, run: ImportRun, data: OrganisationData) -> tuple[str, list[str]]:
    context = LoadContext.start(
        source=source, run=run, now=timezone.now(), mapping_version=MAPPING_VERSION
    )
    outcome = load_row(
        context=context, external_id=SIRET, raw={"said": "now"}, mapped=Mapped(data=data)
    )
    return str(outcome), context.notes


def bulk(source: Source, run: ImportRun, data: OrganisationData) -> tuple[str, list[str]]:
    execute(
        "CREATE TEMP TABLE two_paths_incoming (row_number integer, external_id text, "
        + ", ".join(f"{name} {kind}" for name, kind in STAGE_COLUMNS)
        + ", raw jsonb, content_hash text)"
    )
    columns = ("row_number", "external_id", *(name for name, _kind in STAGE_COLUMNS))
    row = (1, SIRET, *(staged(data, name) for name, _kind in STAGE_COLUMNS))
    copy_rows(
        table="two_paths_incoming",
        columns=(*columns, "raw", "content_hash"),
        rows=[(*row, '{"said": "now"}', "now")],
    )
    result = BulkResult()
    organisations_merge(
        stage=stage_insert("SELECT * FROM two_paths_incoming"),
        source_id=source.pk,
        run_id=run.pk,
        now=timezone.now(),
        result=result,
        table="two-paths",
        mapping_version=MAPPING_VERSION,
    )
    outcome = (
        Outcome.CREATED
        if result.created
        else Outcome.UPDATED
        if result.updated
        else Outcome.UNCHANGED
    )
    return str(outcome), result.kept


def staged(data: OrganisationData, name: str) -> Any:
    """The value a bulk mapper stages for `name` (a point as hex EWKB, terms as a list)."""
    value = getattr(data, name)
    if name == "location":
        return value.hexewkb.decode() if value is not None else None
    return list(value) if name in TERMS else value


# --- One world, one path, what it left ---------------------------------------------------------


def organisation_data(world: World, changes: dict[str, Any]) -> OrganisationData:
    return replace(BASE, **world.base, **changes)


def run_path(path: Callable, world: World) -> dict[str, Any]:
    """Build `world`, import its change through `path`, and return what the import left."""
    with transaction.atomic():
        source = Source.objects.create(slug="deux-chemins", name="Deux chemins")
        run = ImportRun.objects.create(source=source)
        organisation = organisation_create(data=organisation_data(world, world.current))
        if world.previous is not None:
            now = timezone.now()
            Provenance.objects.create(
                source=source,
                external_id=SIRET,
                record=organisation,
                content_hash="before",
                mapping_version=MAPPING_VERSION,
                raw={"said": "before"},
                imported_values=LOADER.snapshot_data(organisation_data(world, world.previous)),
                first_seen_at=now,
                last_seen_at=now,
            )
        incoming = organisation_data(world, world.incoming)
        # The loader adds the sectors of the NAF code; a bulk source's SQL does the same.
        incoming = LOADER.resolve(
            Mapped(incoming),
            LoadContext(source=source, run=run, now=run.started_at, provenances={}),
        )
        outcome, kept = path(source, run, incoming)
        left = what_is_left(organisation.pk, source, outcome, kept)
        transaction.set_rollback(True)
    return left


def what_is_left(pk: int, source: Source, outcome: str, kept: list[str]) -> dict[str, Any]:
    organisation = Organisation.objects.get(pk=pk)
    provenance = Provenance.objects.get(source=source, external_id=SIRET)
    disagreements = FieldDisagreement.objects.filter(provenance=provenance).order_by("field")
    return {
        "outcome": outcome,
        "values": LOADER.snapshot_instance(organisation),
        "imported": provenance.imported_values,
        "kept": kept,
        "disagreements": [
            (d.field, d.current_value, d.incoming_value, d.previous_value, d.status)
            for d in disagreements
        ],
    }


def both_paths(world: World) -> dict[str, Any]:
    """What both paths left, once it is checked that they left the same."""
    by_row, in_bulk = run_path(row_by_row, world), run_path(bulk, world)
    assert in_bulk == by_row
    return by_row


# --- The cases ---------------------------------------------------------------------------------


def test_the_cases_cover_every_field_the_bulk_path_writes():
    covered = {*VALUES, *POINT, *TERMS}
    assert covered == set(ORGANISATION_FIELDS)
    # The fields the loader snapshots are the ones the bulk path stages, in the same order.
    assert list(LOADER.snapshot_data(BASE)) == list(ORGANISATION_FIELDS)
    assert [name for name, _kind in STAGE_COLUMNS] == list(ORGANISATION_FIELDS)


@pytest.mark.parametrize(("name", "case", "world"), cases())
def test_a_field_follows_the_same_rule_in_both_paths(name, case, world):
    left = both_paths(world)

    written = LOADER.snapshot_data(organisation_data(world, world.incoming))[name]
    person = LOADER.snapshot_data(organisation_data(world, world.current))[name]
    if case in {"filled", "follows"}:
        assert left["values"][name] == written
        assert left["kept"] == []
    else:
        assert left["values"][name] == person
        assert left["kept"] == [f"{SIRET} : {name} conservé"]
        disputed = [d[0] for d in left["disagreements"]]
        assert disputed == ([] if written in (None, "", []) else [name])


@pytest.mark.parametrize("world", POINT_CASES.values(), ids=POINT_CASES.keys())
def test_the_point_and_its_quality_follow_the_same_rule_in_both_paths(world):
    left = both_paths(world)

    values = left["values"]
    assert (values["location"] is None) == (values["geocoding_quality"] == "")


@pytest.mark.parametrize("world", TERM_CASES.values(), ids=TERM_CASES.keys())
def test_terms_follow_the_same_rule_in_both_paths(world):
    left = both_paths(world)

    name = next(iter(world.incoming))
    wrote = set(world.previous.get(name, ())) if world.previous is not None else set()
    removed_by_a_person = wrote - set(world.current[name])
    terms = set(left["values"][name])
    assert not removed_by_a_person & terms
    assert set(world.incoming[name]) - removed_by_a_person <= terms


def test_a_person_s_pin_holds_the_point_and_its_quality_in_both_paths():
    left = both_paths(POINT_CASES["pin-and-quality-moved"])

    assert left["values"]["location"] == [3.0601, 50.6301]
    assert left["values"]["geocoding_quality"] == "manual"
    assert [d[0] for d in left["disagreements"]] == ["geocoding_quality", "location"]
    assert left["imported"]["location"] == [3.0651, 50.6182]


def test_a_term_a_person_removed_stays_removed_and_new_ones_come_in_both_paths():
    left = both_paths(TERM_CASES["kinds-removed-by-a-person"])

    assert left["values"]["kinds"] == ["financeur", "reseau"]
    assert left["kept"] == [f"{SIRET} : kinds conservé"]
    assert left["imported"]["kinds"] == ["accompagnement", "financeur", "reseau"]

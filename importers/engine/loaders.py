"""One loader per kind of record: how to find, create, update and compare it.

A loader calls the domain services (directory.services, cartography.services) for every
write. `snapshot_data` and `snapshot_instance` give comparable, JSON-friendly values of the
same fields, which `importers.engine.human_edits.plan_fields` compares with what the source
wrote last. OrganisationLoader's set fields, empty values and field groups are also the
rule of the bulk path (importers.engine.bulk).
"""

import hashlib
from dataclasses import replace
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import GEOSGeometry
from django.db import models

from cartography.models import Premises, ReferenceArea
from cartography.services import (
    PREMISES_PLAIN_FIELDS,
    AreaData,
    PremisesData,
    area_create,
    area_parent,
    area_update,
    premises_create,
    premises_update,
)
from directory.models import (
    EssStatus,
    FundingScheme,
    Organisation,
    Provenance,
    Sector,
    SupportOffer,
)
from directory.records import (
    FUNDING_SCHEME_PLAIN_FIELDS,
    FUNDING_SCHEME_TERMS,
    ORGANISATION_PLAIN_FIELDS,
    SUPPORT_OFFER_PLAIN_FIELDS,
    SUPPORT_OFFER_TERMS,
    FundingSchemeData,
    OrganisationData,
    SupportOfferData,
    organisation_snapshot,
    point_value,
)
from directory.services import (
    funding_scheme_create,
    funding_scheme_update,
    organisation_create,
    organisation_update,
    support_offer_create,
    support_offer_update,
)
from importers.engine.base import Mapped
from importers.engine.context import LoadContext
from importers.engine.identities import same_records

#: Every field of an organisation the human-edit rule decides on, in the order of
#: OrganisationLoader's snapshots: the fields the services copy as they are, then the legal
#: family (a slug) and the terms. The one list of them: the bulk path stages, compares and
#: writes the same fields (importers.engine.sql.fields).
ORGANISATION_FIELDS = (*ORGANISATION_PLAIN_FIELDS, "legal_family", "kinds", "sectors")


class Loader:
    """Base class: the comparable fields and the empty values of a kind of record."""

    #: The model it writes (its field names name the errors of a rejected row).
    model: ClassVar[type[models.Model]]
    set_fields: ClassVar[frozenset[str]] = frozenset()
    empty_values: ClassVar[dict[str, Any]] = {}
    #: Fields decided as one by the human-edit rule (importers.engine.human_edits.plan_fields).
    field_groups: ClassVar[tuple[frozenset[str], ...]] = ()

    def resolve(self, mapped: Mapped, context: LoadContext) -> Any:
        """The record with its links to other records resolved (reads the database)."""
        return mapped.data

    def match(self, data: Any, context: LoadContext, external_id: str) -> models.Model | None:
        """An existing record that is the same thing, for a row this source never loaded."""
        return None

    def create(self, data: Any) -> models.Model:
        """Create the record through its domain service. Raises ValidationError."""
        raise NotImplementedError

    def update(self, instance: models.Model, data: Any, write: dict[str, Any]) -> None:
        """Write the fields of `write` (terms to add, for many-to-many fields). Raises
        ValidationError."""
        raise NotImplementedError

    def snapshot_data(self, data: Any) -> dict[str, Any]:
        """Comparable, JSON-friendly values of the record's fields."""
        raise NotImplementedError

    def snapshot_instance(self, instance: models.Model) -> dict[str, Any]:
        """The same values read from the database row, for `plan_fields`."""
        raise NotImplementedError

    def after_write(self, *, instance: models.Model, data: Any, context: LoadContext) -> None:
        """Called once the row's record and provenance are saved; nothing by default."""

    def _with_additions(self, data: Any, write: dict[str, Any]) -> Any:
        """`data` where each many-to-many field to write holds only the terms to add."""
        additions = {name: tuple(write[name]) for name in self.set_fields if name in write}
        return replace(data, **additions)


class OrganisationLoader(Loader):
    """Organisations: deduplicated on SIRET, then RNA id, then SIREN (see `_same_siren`),
    then known cross-source identities."""

    model = Organisation

    set_fields = frozenset({"kinds", "sectors"})
    empty_values = {"ess_status": EssStatus.UNKNOWN}
    #: A point goes with how it was found (the model's organisation_point_has_quality).
    field_groups = (frozenset({"location", "geocoding_quality", "geocoding_score"}),)

    def resolve(self, mapped: Mapped, context: LoadContext) -> OrganisationData:
        data: OrganisationData = mapped.data
        sectors = set(data.sectors) | _naf_sectors(data.naf_code, context)
        return replace(data, sectors=tuple(sorted(sectors)))

    def match(
        self, data: OrganisationData, context: LoadContext, external_id: str
    ) -> Organisation | None:
        if data.siret:
            found = Organisation.objects.filter(siret=data.siret).first()
            if found is not None:
                return found
        if data.rna_id:
            found = Organisation.objects.filter(rna_id=data.rna_id).first()
            if found is not None:
                return found
        return _same_siren(data) or _known_identity(Organisation, context.source.slug, external_id)

    # The table's constraints are checked by PostgreSQL (the row runs in a savepoint and a
    # violation becomes its rejection, with the constraint's own message: engine.services).
    def create(self, data: OrganisationData) -> Organisation:
        return organisation_create(data=data, validate_constraints=False)

    def update(self, instance: Organisation, data: OrganisationData, write: dict) -> None:
        organisation_update(
            organisation=instance,
            data=self._with_additions(data, write),
            fields=set(write),
            validate_constraints=False,
        )

    def snapshot_data(self, data: OrganisationData) -> dict[str, Any]:
        values = {name: getattr(data, name) for name in ORGANISATION_PLAIN_FIELDS}
        values["location"] = point_value(data.location)
        values["legal_family"] = data.legal_family
        values["kinds"] = sorted(data.kinds)
        values["sectors"] = sorted(data.sectors)
        return values

    def snapshot_instance(self, instance: Organisation) -> dict[str, Any]:
        return organisation_snapshot(instance)


class AreaLoader(Loader):
    """Reference areas: one per (kind, code); the outline is compared through a digest."""

    model = ReferenceArea

    def match(self, data: AreaData, context: LoadContext, external_id: str) -> ReferenceArea | None:
        return ReferenceArea.objects.filter(kind=data.kind, code=data.code).first()

    def create(self, data: AreaData) -> ReferenceArea:
        return area_create(data=data)

    def update(self, instance: ReferenceArea, data: AreaData, write: dict) -> None:
        area_update(area=instance, data=data, fields=set(write))

    def snapshot_data(self, data: AreaData) -> dict[str, Any]:
        parent = area_parent(data=data)
        return {
            "kind": data.kind,
            "code": data.code,
            "name": data.name,
            "geometry": geometry_digest(data.geometry),
            "parent": f"{parent.kind}:{parent.code}" if parent else "",
        }

    def snapshot_instance(self, instance: ReferenceArea) -> dict[str, Any]:
        parent = instance.parent
        return {
            "kind": instance.kind,
            "code": instance.code,
            "name": instance.name,
            "geometry": geometry_digest(instance.geometry),
            "parent": f"{parent.kind}:{parent.code}" if parent else "",
        }


class OfferLoader(Loader):
    """What funding schemes and support offers share: terms, areas, plain fields."""

    plain_fields: ClassVar[tuple[str, ...]] = ()
    terms: ClassVar[dict[str, type[models.Model]]] = {}

    def snapshot_data(self, data: Any) -> dict[str, Any]:
        values = {name: _plain(getattr(data, name)) for name in self.plain_fields}
        values |= {name: sorted(getattr(data, name)) for name in self.terms}
        values["territory_areas"] = sorted(data.territory_areas)
        return values

    def snapshot_instance(self, instance: Any) -> dict[str, Any]:
        values = {name: _plain(getattr(instance, name)) for name in self.plain_fields}
        values |= {name: _slugs(getattr(instance, name)) for name in self.terms}
        values["territory_areas"] = sorted(
            f"{kind}:{code}" for kind, code in instance.territory_areas.values_list("kind", "code")
        )
        return values


class FundingSchemeLoader(OfferLoader):
    model = FundingScheme
    set_fields = frozenset(
        {*FUNDING_SCHEME_TERMS, "funders", "co_financeable_with", "territory_areas"}
    )
    plain_fields = FUNDING_SCHEME_PLAIN_FIELDS
    terms = FUNDING_SCHEME_TERMS

    def resolve(self, mapped: Mapped, context: LoadContext) -> FundingSchemeData:
        funders = context.linked_ids(Organisation, mapped.links.get("funders", ()))
        partners = context.linked_ids(FundingScheme, mapped.links.get("co_financing", ()))
        return replace(
            mapped.data,
            funders=tuple(sorted(set(funders))),
            co_financeable_with=tuple(sorted(set(partners))),
            territory_areas=_existing_areas(mapped.data.territory_areas),
        )

    def create(self, data: FundingSchemeData) -> FundingScheme:
        return funding_scheme_create(data=data)

    def update(self, instance: FundingScheme, data: FundingSchemeData, write: dict) -> None:
        funding_scheme_update(
            scheme=instance, data=self._with_additions(data, write), fields=set(write)
        )

    def after_write(
        self, *, instance: FundingScheme, data: FundingSchemeData, context: LoadContext
    ) -> None:
        """A co-financing link is symmetric: the partner's row, loaded earlier, could not
        name this scheme yet. Remember the link as written by this source on the partner's
        side too, so that a person who removes it later is not overruled by a re-import."""
        partners = set(data.co_financeable_with)
        if not partners:
            return
        content_type = ContentType.objects.get_for_model(FundingScheme)
        for provenance in context.provenances.values():
            if provenance.content_type_id != content_type.pk:
                continue
            if provenance.object_id not in partners:
                continue
            remembered = set(provenance.imported_values.get("co_financeable_with", []))
            if instance.pk in remembered:
                continue
            provenance.imported_values = {
                **provenance.imported_values,
                "co_financeable_with": sorted(remembered | {instance.pk}),
            }
            provenance.save(update_fields=["imported_values"])

    def snapshot_data(self, data: FundingSchemeData) -> dict[str, Any]:
        return super().snapshot_data(data) | {
            "funders": sorted(data.funders),
            "co_financeable_with": sorted(data.co_financeable_with),
        }

    def snapshot_instance(self, instance: FundingScheme) -> dict[str, Any]:
        return super().snapshot_instance(instance) | {
            "funders": sorted(instance.funders.values_list("pk", flat=True)),
            "co_financeable_with": sorted(
                instance.co_financeable_with.values_list("pk", flat=True)
            ),
        }


class SupportOfferLoader(OfferLoader):
    model = SupportOffer
    set_fields = frozenset({*SUPPORT_OFFER_TERMS, "territory_areas"})
    plain_fields = SUPPORT_OFFER_PLAIN_FIELDS
    terms = SUPPORT_OFFER_TERMS

    def resolve(self, mapped: Mapped, context: LoadContext) -> SupportOfferData:
        providers = context.linked_ids(Organisation, mapped.links.get("provider", ()))
        return replace(
            mapped.data,
            provider=providers[0] if providers else None,
            territory_areas=_existing_areas(mapped.data.territory_areas),
        )

    def create(self, data: SupportOfferData) -> SupportOffer:
        return support_offer_create(data=data)

    def update(self, instance: SupportOffer, data: SupportOfferData, write: dict) -> None:
        support_offer_update(
            offer=instance, data=self._with_additions(data, write), fields=set(write)
        )

    def snapshot_data(self, data: SupportOfferData) -> dict[str, Any]:
        return super().snapshot_data(data) | {"provider": data.provider}

    def snapshot_instance(self, instance: SupportOffer) -> dict[str, Any]:
        return super().snapshot_instance(instance) | {"provider": instance.provider_id}


class PremisesLoader(Loader):
    """Premises: matched only through their provenance (no shared identifier exists)."""

    model = Premises

    empty_values = {"owner_type": "inconnu", "status": "inconnu", "pollution": "inconnu"}

    def create(self, data: PremisesData) -> Premises:
        return premises_create(data=data)

    def update(self, instance: Premises, data: PremisesData, write: dict) -> None:
        premises_update(premises=instance, data=data, fields=set(write))

    def snapshot_data(self, data: PremisesData) -> dict[str, Any]:
        return _premises_snapshot(data)

    def snapshot_instance(self, instance: Premises) -> dict[str, Any]:
        return _premises_snapshot(instance)


def _premises_snapshot(record: Any) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in PREMISES_PLAIN_FIELDS}
    values["location"] = point_value(record.location)
    values["footprint"] = geometry_digest(record.footprint) if record.footprint else None
    return values


LOADERS: dict[type, Loader] = {
    OrganisationData: OrganisationLoader(),
    AreaData: AreaLoader(),
    PremisesData: PremisesLoader(),
    FundingSchemeData: FundingSchemeLoader(),
    SupportOfferData: SupportOfferLoader(),
}


def loader_for(data: Any) -> Loader:
    """The loader of a record's type. Raises TypeError for a type no loader handles."""
    try:
        return LOADERS[type(data)]
    except KeyError:
        raise TypeError(f"No loader for {type(data).__name__}") from None


def geometry_digest(geometry: GEOSGeometry) -> str:
    """A short fingerprint of an outline, so that provenance does not store it twice."""
    return hashlib.sha256(bytes(geometry.wkb)).hexdigest()[:32]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _slugs(manager: Any) -> list[str]:
    return sorted(manager.values_list("slug", flat=True))


def _naf_sectors(naf_code: str, context: LoadContext) -> set[str]:
    """Sectors whose NAF prefixes ("88.10", "38") start the organisation's NAF code."""
    if not naf_code:
        return set()
    if "naf_prefixes" not in context.cache:
        context.cache["naf_prefixes"] = [
            (prefix, sector.slug)
            for sector in Sector.objects.all()
            for prefix in sector.naf_prefixes
        ]
    return {slug for prefix, slug in context.cache["naf_prefixes"] if naf_code.startswith(prefix)}


def _existing_areas(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The "kind:code" keys of the reference areas loaded so far."""
    if not keys:
        return ()
    loaded = {
        f"{kind}:{code}"
        for kind, code in ReferenceArea.objects.filter(
            code__in=[key.partition(":")[2] for key in keys]
        ).values_list("kind", "code")
    }
    return tuple(sorted(key for key in keys if key in loaded))


def _same_siren(data: OrganisationData) -> Organisation | None:
    """The one organisation with the same SIREN that cannot be another établissement.

    Two records with different SIRETs are two établissements (two places) of one legal
    unit and stay apart; so a record with a SIRET only matches one without a SIRET, and
    only when exactly one organisation has the SIREN.
    """
    if not data.siren:
        return None
    candidates = Organisation.objects.filter(siren=data.siren)
    if data.siret:
        candidates = candidates.filter(siret="")
    found = list(candidates[:2])
    return found[0] if len(found) == 1 else None


def _known_identity(
    model: type[models.Model], source_slug: str, external_id: str
) -> models.Model | None:
    """The record another source loaded under an id known to name the same thing."""
    content_type = ContentType.objects.get_for_model(model)
    for other_source, other_id in same_records(source_slug, external_id):
        provenance = Provenance.objects.filter(
            source__slug=other_source, external_id=other_id, content_type=content_type
        ).first()
        if provenance is not None and provenance.record is not None:
            return provenance.record
    return None

"""The typed records every write of the directory takes (directory.services): frozen
dataclasses that name taxonomy terms and reference areas by their stable slugs and codes, so
that a caller (an importer's pure mapper, a form) builds one without the database; the
field lists the services, the importers' loaders and the human-edit rule share; and an
organisation's snapshot, the shape in which imports remember what they wrote.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.gis.geos import Point

from directory.models import (
    EssStatus,
    FundingInstrument,
    LegalFamily,
    OrganisationKind,
    ScaleUpStrategy,
    Sector,
    Stage,
    SupportCost,
    SupportKind,
)


@dataclass(frozen=True)
class OrganisationData:
    """What is known about an organisation; empty strings mean "not known".

    `kinds`, `sectors` and `legal_family` are taxonomy slugs. A `location` needs a
    `geocoding_quality` (the model's constraint).
    """

    name: str
    kinds: tuple[str, ...] = ()
    description: str = ""
    acronym: str = ""
    legal_family: str = ""
    legal_category_code: str = ""
    legal_form: str = ""
    ess_status: str = EssStatus.UNKNOWN
    ess_status_source: str = ""
    siren: str = ""
    siret: str = ""
    rna_id: str = ""
    naf_code: str = ""
    sectors: tuple[str, ...] = ()
    street: str = ""
    address_complement: str = ""
    postcode: str = ""
    city: str = ""
    insee_code: str = ""
    location: Point | None = None
    geocoding_quality: str = ""
    geocoding_score: float | None = None
    qpv_code: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""


#: Fields of `OrganisationData` copied as they are onto the model.
ORGANISATION_PLAIN_FIELDS = (
    "name",
    "description",
    "acronym",
    "legal_category_code",
    "legal_form",
    "ess_status",
    "ess_status_source",
    "siren",
    "siret",
    "rna_id",
    "naf_code",
    "street",
    "address_complement",
    "postcode",
    "city",
    "insee_code",
    "location",
    "geocoding_quality",
    "geocoding_score",
    "qpv_code",
    "website",
    "email",
    "phone",
)


@dataclass(frozen=True)
class OfferData:
    """What funding schemes and support offers share.

    `stages`, `eligible_legal_families` and `sectors` are taxonomy slugs;
    `territory_areas` are reference areas as "kind:code" (e.g. "commune:59350").
    """

    name: str
    description: str = ""
    sourcing_note: str = ""
    url: str = ""
    stages: tuple[str, ...] = ()
    eligible_legal_families: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    territory_scope: str = ""
    territory_label: str = ""
    territory_areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class FundingSchemeData(OfferData):
    """A funding scheme; `funders` are Organisation ids, `instruments` and
    `scale_up_strategies` taxonomy slugs, `co_financeable_with` FundingScheme ids (a
    symmetric relation) and `scale_up_source` where those last two come from."""

    funders: tuple[int, ...] = ()
    funders_label: str = ""
    instruments: tuple[str, ...] = ()
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    amount_text: str = ""
    eligibility_text: str = ""
    recurrence: str = ""
    opens_on: date | None = None
    closes_on: date | None = None
    scale_up_strategies: tuple[str, ...] = ()
    co_financeable_with: tuple[int, ...] = ()
    scale_up_source: str = ""


@dataclass(frozen=True)
class SupportOfferData(OfferData):
    """A support offer; `provider` is an Organisation id, `kinds` SupportKind and
    `scale_up_strategies` ScaleUpStrategy slugs, `scale_up_source` where the latter come from."""

    provider: int | None = None
    provider_label: str = ""
    kinds: tuple[str, ...] = ()
    cost: str = SupportCost.UNKNOWN
    cost_details: str = ""
    eligibility_text: str = ""
    scale_up_strategies: tuple[str, ...] = ()
    scale_up_source: str = ""


OFFER_PLAIN_FIELDS = (
    "name",
    "description",
    "sourcing_note",
    "url",
    "territory_scope",
    "territory_label",
)
FUNDING_SCHEME_PLAIN_FIELDS = (
    *OFFER_PLAIN_FIELDS,
    "funders_label",
    "amount_min",
    "amount_max",
    "amount_text",
    "eligibility_text",
    "recurrence",
    "opens_on",
    "closes_on",
    "scale_up_source",
)
SUPPORT_OFFER_PLAIN_FIELDS = (
    *OFFER_PLAIN_FIELDS,
    "provider_label",
    "cost",
    "cost_details",
    "eligibility_text",
    "scale_up_source",
)

#: Many-to-many fields of each model and the taxonomy their slugs belong to.
ORGANISATION_TERMS = {"kinds": OrganisationKind, "sectors": Sector}
OFFER_TERMS = {"stages": Stage, "eligible_legal_families": LegalFamily, "sectors": Sector}
FUNDING_SCHEME_TERMS = {
    **OFFER_TERMS,
    "instruments": FundingInstrument,
    "scale_up_strategies": ScaleUpStrategy,
}
SUPPORT_OFFER_TERMS = {
    **OFFER_TERMS,
    "kinds": SupportKind,
    "scale_up_strategies": ScaleUpStrategy,
}


# --- Snapshots: an organisation's values as the imports remember them ---------------------

#: Decimal places kept when comparing coordinates (about 1 cm).
COORDINATE_DECIMALS = 7


def point_value(point: Point | None) -> list[float] | None:
    """[lon, lat] rounded to about a centimetre, or None."""
    if point is None:
        return None
    return [round(point.x, COORDINATE_DECIMALS), round(point.y, COORDINATE_DECIMALS)]


def organisation_snapshot(organisation) -> dict:
    """`organisation`'s values in the shape the imports remember what they wrote
    (`Provenance.imported_values`): its plain fields, the point as [lon, lat], the legal
    family's slug, the sorted slugs of its kinds and sectors (`term_slugs`)."""
    values = {name: getattr(organisation, name) for name in ORGANISATION_PLAIN_FIELDS}
    values["location"] = point_value(organisation.location)
    family = organisation.legal_family
    values["legal_family"] = family.slug if family else ""
    values["kinds"] = sorted(term_slugs(organisation, "kinds"))
    values["sectors"] = sorted(term_slugs(organisation, "sectors"))
    return values


#: The attribute a selector fills with a relation's terms, loaded with the row.
_LOADED_TERMS = {"kinds": "kind_list", "sectors": "sector_list"}


def term_slugs(organisation, relation: str) -> list[str]:
    """The slugs of `organisation`'s "kinds" or "sectors", in their taxonomy's order: from
    the list a selector loaded with its row (`kind_list`, `sector_list`: no query), else from
    the relation (no query when prefetched)."""
    loaded = getattr(organisation, _LOADED_TERMS[relation], None)
    terms = loaded if loaded is not None else getattr(organisation, relation).all()
    return [term.slug for term in terms]

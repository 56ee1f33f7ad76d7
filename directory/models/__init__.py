"""Directory models: who the ESS actors are, what they fund and how they support projects."""

from .offers import FundingScheme, Recurrence, SupportCost, SupportOffer, TerritoryScope
from .organisations import (
    EssStatus,
    EssStatusSource,
    GeocodingQuality,
    NetworkMembership,
    Organisation,
    PublicationStatus,
)
from .taxonomies import (
    FundingInstrument,
    LegalFamily,
    OrganisationKind,
    ScaleUpStrategy,
    Sector,
    Stage,
    SupportKind,
)

__all__ = [
    "EssStatus",
    "EssStatusSource",
    "FundingInstrument",
    "FundingScheme",
    "GeocodingQuality",
    "LegalFamily",
    "NetworkMembership",
    "Organisation",
    "OrganisationKind",
    "PublicationStatus",
    "Recurrence",
    "ScaleUpStrategy",
    "Sector",
    "Stage",
    "SupportCost",
    "SupportKind",
    "SupportOffer",
    "TerritoryScope",
]

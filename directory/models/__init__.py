"""Directory models: who the ESS actors are, what they fund and how they support projects."""

from .contributions import Suggestion, SuggestionKind, SuggestionStatus
from .networks import MODERATORS_GROUP, NETWORK_EDITORS_GROUP, NetworkEditor
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
    "MODERATORS_GROUP",
    "NETWORK_EDITORS_GROUP",
    "EssStatus",
    "EssStatusSource",
    "FundingInstrument",
    "FundingScheme",
    "GeocodingQuality",
    "LegalFamily",
    "NetworkEditor",
    "NetworkMembership",
    "Organisation",
    "OrganisationKind",
    "PublicationStatus",
    "Recurrence",
    "ScaleUpStrategy",
    "Sector",
    "Stage",
    "Suggestion",
    "SuggestionKind",
    "SuggestionStatus",
    "SupportCost",
    "SupportKind",
    "SupportOffer",
    "TerritoryScope",
]

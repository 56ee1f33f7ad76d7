"""Directory models: who the ESS actors are, what they fund and how they support projects."""

from .claims import ClaimStatus, OrganisationClaim, OrganisationEditor, RemovalRequest
from .contributions import Suggestion, SuggestionKind, SuggestionStatus
from .freshness import FreshnessReminder, LinkCheck, LinkOutcome, ReminderRole
from .merges import OrganisationAlias
from .networks import MembershipRequestStatus, NetworkEditor, NetworkMembershipRequest
from .offers import FundingScheme, Recurrence, SupportCost, SupportOffer, TerritoryScope
from .organisations import (
    EssStatus,
    EssStatusSource,
    GeocodingQuality,
    NetworkMembership,
    Organisation,
    PlaceRole,
    PublicationStatus,
)
from .provenance import Provenance, ProvenanceSighting, Source
from .taxonomies import (
    FundingInstrument,
    LegalFamily,
    OrganisationKind,
    ScaleUpStrategy,
    Sector,
    Stage,
    SupportKind,
)
from .tokens import NetworkApiToken

__all__ = [
    "ClaimStatus",
    "EssStatus",
    "EssStatusSource",
    "FreshnessReminder",
    "FundingInstrument",
    "FundingScheme",
    "GeocodingQuality",
    "LegalFamily",
    "LinkCheck",
    "LinkOutcome",
    "MembershipRequestStatus",
    "NetworkApiToken",
    "NetworkEditor",
    "NetworkMembership",
    "NetworkMembershipRequest",
    "Organisation",
    "OrganisationAlias",
    "OrganisationClaim",
    "OrganisationEditor",
    "OrganisationKind",
    "PlaceRole",
    "Provenance",
    "ProvenanceSighting",
    "PublicationStatus",
    "Recurrence",
    "ReminderRole",
    "RemovalRequest",
    "ScaleUpStrategy",
    "Sector",
    "Source",
    "Stage",
    "Suggestion",
    "SuggestionKind",
    "SuggestionStatus",
    "SupportCost",
    "SupportKind",
    "SupportOffer",
    "TerritoryScope",
]

"""Directory models: who the ESS actors are, what they fund and how they support projects."""

from .alerts import AlertAnnouncement, AnnouncementKind, SavedSearch, SavedSearchPage
from .claims import ClaimStatus, OrganisationClaim, OrganisationEditor, RemovalRequest
from .contributions import Suggestion, SuggestionKind, SuggestionStatus
from .freshness import FreshnessReminder, LinkCheck, LinkOutcome, ReminderRole
from .merges import OrganisationAlias
from .mobilisations import HolderProfile, Mobilisation, MobilisationKind, MobilisationStatus
from .networks import MembershipRequestStatus, NetworkEditor, NetworkMembershipRequest
from .offers import FundingScheme, Recurrence, SupportCost, SupportOffer, TerritoryScope
from .organisations import (
    EditedBy,
    EssStatus,
    EssStatusSource,
    GeocodingQuality,
    NetworkMembership,
    Organisation,
    PlaceRole,
    PublicationStatus,
)
from .provenance import Provenance, ProvenanceSighting, Source
from .summary import SummaryDelta
from .synonyms import SearchSynonym
from .taxonomies import (
    FundingInstrument,
    LegalFamily,
    OrganisationKind,
    ScaleUpStrategy,
    Sector,
    Stage,
    SupportKind,
)
from .tokens import NetworkApiToken, ReaderApiToken

__all__ = [
    "AlertAnnouncement",
    "AnnouncementKind",
    "ClaimStatus",
    "EditedBy",
    "EssStatus",
    "EssStatusSource",
    "FreshnessReminder",
    "FundingInstrument",
    "FundingScheme",
    "GeocodingQuality",
    "HolderProfile",
    "LegalFamily",
    "LinkCheck",
    "LinkOutcome",
    "MembershipRequestStatus",
    "Mobilisation",
    "MobilisationKind",
    "MobilisationStatus",
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
    "ReaderApiToken",
    "Recurrence",
    "ReminderRole",
    "RemovalRequest",
    "SavedSearch",
    "SavedSearchPage",
    "ScaleUpStrategy",
    "SearchSynonym",
    "Sector",
    "Source",
    "Stage",
    "Suggestion",
    "SuggestionKind",
    "SuggestionStatus",
    "SummaryDelta",
    "SupportCost",
    "SupportKind",
    "SupportOffer",
    "TerritoryScope",
]

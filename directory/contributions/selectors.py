"""Reads of contributions and networks' rights: the moderation queue (the suggestions and
claims a person may decide on; the rule for one of them is directory.access's), pending
claims, network API tokens."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone

from directory.access import SIRET_REGISTERS, user_is_moderator
from directory.models import (
    ClaimStatus,
    NetworkApiToken,
    NetworkEditor,
    Organisation,
    OrganisationClaim,
    Provenance,
    Suggestion,
    SuggestionStatus,
)


def _networks_scope(user) -> Q:
    """Suggestions about members of the networks `user` edits."""
    networks = NetworkEditor.objects.filter(user=user).values("network")
    return Q(organisation__memberships__network__in=networks)


#: A suggestion about a network's member is its network's to handle first, for this long;
#: moderators see it after the others meanwhile (and may still decide on it).
NETWORK_FIRST_DAYS = 7


def suggestion_queue_get(*, user, status: str = SuggestionStatus.PENDING) -> QuerySet:
    """The suggestions `user` may decide on, newest first, with their organisation.

    Moderators see all of them; a network editor those about their networks' members
    (they come to them first); anybody else none. For moderators, each row carries
    `network_until`: until then the suggestion is its network's to handle (a member of a
    network that has editors, received less than NETWORK_FIRST_DAYS ago), and such rows
    come after the others. Reads only.
    """
    queryset = Suggestion.objects.filter(status=status).select_related("organisation")
    if user_is_moderator(user=user):
        since = timezone.now() - timedelta(days=NETWORK_FIRST_DAYS)
        with_editors = NetworkEditor.objects.filter(
            network__memberships_as_network__member=OuterRef("organisation")
        )
        return queryset.annotate(
            network_until=Case(
                When(
                    Q(created_at__gt=since) & Exists(with_editors),
                    then=F("created_at") + timedelta(days=NETWORK_FIRST_DAYS),
                ),
                default=None,
                output_field=DateTimeField(),
            )
        ).order_by(F("network_until").asc(nulls_first=True), "-created_at")
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(_networks_scope(user)).distinct()


@dataclass(frozen=True)
class ChangeRow:
    """One proposed field beside the listing's value today."""

    label: str
    current: str
    proposed: str
    changed: bool


def suggestion_changes_get(*, suggestion: Suggestion) -> list[ChangeRow]:
    """The proposed fields (and, for a correction, the values today), in form order."""
    rows = []
    for name in Suggestion.PROPOSED_FIELDS:
        proposed = getattr(suggestion, name)
        current = getattr(suggestion.organisation, name, "") if suggestion.organisation else ""
        if not proposed and not current:
            continue
        label = Suggestion._meta.get_field(name).verbose_name.capitalize()
        changed = bool(proposed) and proposed != current
        rows.append(ChangeRow(label, current or "", proposed, changed))
    return rows


def _claim_siret_confirmed() -> Q:
    """Claims whose SIRET is the listing's, or the one a register lists it under (the rule
    of directory.access.claim_siret_confirmed, as a filter)."""
    registered = Provenance.objects.filter(
        source__slug__in=SIRET_REGISTERS,
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=OuterRef("organisation_id"),
        external_id=OuterRef("siret"),
    )
    return Q(siret=F("organisation__siret")) | (Q(organisation__siret="") & Exists(registered))


def claim_queue_get(*, user) -> QuerySet:
    """The pending claims `user` may decide on, newest first (directory.access's rule).

    Moderators see all of them; a network editor those about their networks' members whose
    SIRET is confirmed, except their own claims; anybody else none. Reads only.
    """
    queryset = OrganisationClaim.objects.filter(status=ClaimStatus.PENDING).select_related(
        "organisation", "user"
    )
    if user_is_moderator(user=user):
        return queryset.exclude(user=user)
    if not user.is_authenticated:
        return queryset.none()
    return (
        queryset.filter(_networks_scope(user))
        .filter(_claim_siret_confirmed())
        .exclude(user=user)
        .distinct()
    )


def claims_of_user_get(*, user) -> QuerySet:
    """The claims `user` made, newest first, for their account page."""
    return OrganisationClaim.objects.filter(user=user).select_related("organisation")


def organisations_owned_by_get(*, user) -> QuerySet:
    """The organisations whose listing `user` edits after an accepted claim, by name."""
    return Organisation.objects.filter(own_editors__user=user).order_by("name")


def claim_pending_for(*, user, organisation: Organisation) -> bool:
    """Has `user` a claim of `organisation` waiting for a decision? Reads only."""
    return user.is_authenticated and (
        OrganisationClaim.objects.filter(
            user=user, organisation=organisation, status=ClaimStatus.PENDING
        ).exists()
    )


def network_api_token_get(*, secret: str) -> NetworkApiToken | None:
    """The usable (not revoked) token whose secret is `secret`, or None. Reads only."""
    prefix, dot, _key = secret.partition(".")
    if not dot:
        return None
    token = (
        NetworkApiToken.objects.select_related("network")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    if not secrets.compare_digest(token.hashed_key, NetworkApiToken.hash_secret(secret)):
        return None
    return token


def network_api_tokens_get(*, network: Organisation) -> QuerySet:
    """The tokens of `network`, newest first, revoked ones included. Reads only."""
    return network.api_tokens.select_related("created_by", "revoked_by")

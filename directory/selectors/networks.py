"""Reads of networks: a network's public page and its members' freshness dashboard."""

from dataclasses import dataclass, field

from django.utils import timezone

from directory.access import NETWORK_KIND, network_edited_by
from directory.freshness.states import (
    Freshness,
    FreshnessState,
    freshness_of,
    organisation_freshness_annotate,
)
from directory.models import LinkCheck, Organisation, PublicationStatus

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass(frozen=True)
class NetworkPage:
    """A network, its published members and their points for the small map."""

    network: Organisation
    members: list
    points: list[dict]
    editable_member_ids: frozenset[int]
    #: Whether the person edits this network: its tools (freshness, CSV, API tokens) are
    #: theirs, members or not.
    can_edit: bool = False
    #: Published members that closed (`closed_on` set), shown apart, never counted.
    closed_members: list = field(default_factory=list)


def network_page_get(*, slug: str, user) -> NetworkPage:
    """The published network `slug` (an organisation of kind reseau) and its members.

    `members` are its published members that are still active; those that closed
    (`closed_on` set) are in `closed_members` (by name) and neither on the map nor counted.
    Each member carries its `freshness` (directory.freshness.states.Freshness) as of today.
    `points` are the members with a location, as {"name", "slug", "lat", "lon"};
    `editable_member_ids` the members `user` may edit, `can_edit` whether `user` edits the
    network itself. Reads only.

    Raises:
        Organisation.DoesNotExist: no published network has this slug.
    """
    network = Organisation.objects.get(
        slug=slug, publication_status=PUBLISHED, kinds__slug=NETWORK_KIND
    )
    members = list(
        organisation_freshness_annotate(
            network.members.filter(publication_status=PUBLISHED, closed_on__isnull=True),
            today=timezone.localdate(),
        )
        .prefetch_related("kinds")
        .order_by("name")
    )
    for member in members:
        member.freshness = freshness_of(member)
    points = [
        {"name": m.name, "slug": m.slug, "lat": m.location.y, "lon": m.location.x}
        for m in members
        if m.location is not None
    ]
    can_edit = network_edited_by(user=user, network=network)
    return NetworkPage(
        network=network,
        members=members,
        points=points,
        editable_member_ids=frozenset(m.pk for m in members) if can_edit else frozenset(),
        can_edit=can_edit,
        closed_members=network_closed_members_get(network=network, published_only=True),
    )


def network_closed_members_get(*, network: Organisation, published_only: bool) -> list:
    """The members of `network` that closed (`closed_on` set), by name, with their date.

    `published_only` leaves out drafts (the public page); the editors' freshness page shows
    them all. Reads only, one query.
    """
    closed = network.members.filter(closed_on__isnull=False)
    if published_only:
        closed = closed.filter(publication_status=PUBLISHED)
    return list(closed.order_by("name").only("pk", "name", "slug", "closed_on"))


@dataclass(frozen=True)
class FreshnessRow:
    """One member of a network: its freshness, its website's last check, what it lacks."""

    member: Organisation
    freshness: Freshness
    link_check: LinkCheck | None
    no_location: bool
    no_contact: bool
    no_siret: bool

    @property
    def stale(self) -> bool:
        return not self.freshness.is_fresh

    @property
    def broken_link(self) -> bool:
        return self.link_check is not None and not self.link_check.is_ok

    @property
    def complete(self) -> bool:
        return not (self.stale or self.broken_link or self.lacks)

    @property
    def lacks(self) -> bool:
        return self.no_location or self.no_contact or self.no_siret


def network_freshness_get(*, network: Organisation, today) -> list[FreshnessRow]:
    """Every active member of `network` (drafts included), the most to do first, in two
    queries. Closed members (`closed_on` set) are left out: they have nothing to verify
    (network_closed_members_get lists them).

    Each row has the member's freshness as of `today` (directory.freshness.states: "à
    actualiser" or "obsolète" is stale), the last check of its website, and whether it
    lacks a point, a contact (email, phone or website) or a SIRET. Reads only.
    """
    members = list(
        organisation_freshness_annotate(
            network.members.filter(closed_on__isnull=True).order_by("name"), today=today
        )
    )
    checks = {
        c.url: c
        for c in LinkCheck.objects.filter(url__in={m.website for m in members if m.website})
    }
    rows = [
        FreshnessRow(
            member=member,
            freshness=freshness_of(member),
            link_check=checks.get(member.website),
            no_location=member.location is None,
            no_contact=not (member.email or member.phone or member.website),
            no_siret=not member.siret,
        )
        for member in members
    ]
    return sorted(rows, key=_to_do, reverse=True)


_STATE_WEIGHT = {FreshnessState.OBSOLETE: 2, FreshnessState.DUE: 1, FreshnessState.FRESH: 0}


def _to_do(row: FreshnessRow) -> tuple[int, int]:
    missing = sum((row.broken_link, row.no_location, row.no_contact, row.no_siret))
    return (_STATE_WEIGHT[row.freshness.state], missing)

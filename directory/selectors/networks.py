"""Reads of networks: a network's public page and its members' freshness dashboard."""

from dataclasses import dataclass
from datetime import timedelta

from directory.access import NETWORK_KIND, network_edited_by
from directory.models import Organisation, PublicationStatus

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


def network_page_get(*, slug: str, user) -> NetworkPage:
    """The published network `slug` (an organisation of kind reseau) and its members.

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
        network.members.filter(publication_status=PUBLISHED)
        .prefetch_related("kinds")
        .order_by("name")
    )
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
    )


#: A listing nobody verified for this many days is stale on the freshness dashboard.
STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class FreshnessRow:
    """One member of a network and what its listing lacks."""

    member: Organisation
    stale: bool
    no_location: bool
    no_contact: bool
    no_siret: bool

    @property
    def complete(self) -> bool:
        return not (self.stale or self.no_location or self.no_contact or self.no_siret)


def network_freshness_get(*, network: Organisation, today) -> list[FreshnessRow]:
    """Every member of `network` (drafts included), the most incomplete first.

    A listing is stale when never verified or verified more than STALE_AFTER_DAYS before
    `today`; it lacks a contact without email, phone and website. Reads only.
    """
    limit = today - timedelta(days=STALE_AFTER_DAYS)
    rows = [
        FreshnessRow(
            member=member,
            stale=member.last_verified_on is None or member.last_verified_on < limit,
            no_location=member.location is None,
            no_contact=not (member.email or member.phone or member.website),
            no_siret=not member.siret,
        )
        for member in network.members.order_by("name")
    ]
    return sorted(rows, key=_missing_count, reverse=True)


def _missing_count(row: FreshnessRow) -> int:
    return sum((row.stale, row.no_location, row.no_contact, row.no_siret))

"""Who last corrected a listing by hand, kept on the listing for the map (issue 13).

The organisation's page and the directory's API credit each field from the history
(directory.selectors.credit); the map and its GeoJSON exports, built by PostGIS in one
statement per request, read instead three kept columns: `Organisation.edited_by` (its
owner, one of its networks, or the Cartess team), `edited_by_network` and `edited_on`.
They are written here, by the services that save a person's change, in the same
transaction: a listing edit (directory.services.organisation_listing_edit), an accepted
suggestion, a network's CSV or API sending (importers.web.uploads), the admin and a revert.
An import never writes them: its credit is the listing's provenance (`sources`).
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.utils import timezone

from directory.models import EditedBy, NetworkEditor, Organisation, OrganisationEditor


@dataclass(frozen=True)
class EditCredit:
    """Who a hand correction is credited to: `by` (EditedBy) and, for a network, which."""

    by: str
    network: Organisation | None = None


#: A correction by the Cartess team: a moderator, the admin, an accepted public suggestion.
TEAM = EditCredit(by=EditedBy.TEAM)


def edit_credit_for(*, organisation: Organisation, user) -> EditCredit:
    """The credit of `user`'s correction of `organisation`: its owner ("la structure"), an
    editor of one of its networks (that network; the first by name when several), else the
    Cartess team. At most two queries."""
    if user is None or not user.is_authenticated:
        return TEAM
    if OrganisationEditor.objects.filter(organisation=organisation, user=user).exists():
        return EditCredit(by=EditedBy.OWNER)
    editor = (
        NetworkEditor.objects.filter(
            user=user, network__memberships_as_network__member=organisation
        )
        .select_related("network")
        .order_by("network__name", "network__pk")
        .first()
    )
    return EditCredit(by=EditedBy.NETWORK, network=editor.network) if editor else TEAM


def organisation_edit_credit_note(*, organisation_ids: Collection[int], credit: EditCredit) -> int:
    """Record that `credit` corrected the organisations `organisation_ids` by hand today.

    One UPDATE, no history row (the change itself wrote one); call it inside the change's
    transaction. Returns how many listings were noted.
    """
    if not organisation_ids:
        return 0
    return Organisation.objects.filter(pk__in=list(organisation_ids)).update(
        edited_by=credit.by,
        edited_by_network=credit.network if credit.by == EditedBy.NETWORK else None,
        edited_on=timezone.localdate(),
    )

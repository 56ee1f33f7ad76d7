"""Which listing a network's row is, and whether the network may change it
(importers.sources.network_csv).

- `check_member`: within a network's own run, a listing that is not the network's member is
  never modified; the row opens a membership request instead (directory.access decides);
- `likely_member`: a row without SIRET or RNA is matched by name and place
  (directory.selectors.likeness) only when the network's editor confirms it (`meme_que`);
  until then the row is held, "à confirmer", and nothing is created.
"""

import re
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import access
from directory.contributions.membership_requests import (
    membership_request_latest,
    membership_request_open,
)
from directory.models import MembershipRequestStatus, NetworkMembershipRequest, Organisation
from directory.selectors.likeness import organisation_likeness_get
from importers.engine.errors import RowRejected
from importers.sources.network_rows import SAME_AS_NEW


def check_member(data: Any, member: Organisation) -> None:
    """Within a run limited to the network `data.scope`, raise RowRejected when `member` may
    not be modified by it: it is not the network's member (directory.access). The
    rejection's follow-up opens the network's membership request (none in a dry run, which
    only says so; none again after a refusal), so nothing of `member` changes until its
    owner or a moderator accepts."""
    scope = data.scope
    if scope is None or access.network_may_update_member(network=scope, member=member):
        return
    if member.pk == scope.pk:
        raise RowRejected(_("Un réseau ne peut pas être membre de lui-même."))
    latest = membership_request_latest(network=scope, member=member)
    if latest is not None and latest.status == MembershipRequestStatus.REFUSED:
        raise RowRejected(_refused(latest))
    if latest is not None and latest.status == MembershipRequestStatus.PENDING:
        raise RowRejected(PENDING % {"name": member.name})
    if data.dry_run:
        raise RowRejected(WILL_ASK % {"name": member.name})
    raise RowRejected(
        ASKED % {"name": member.name},
        follow_up=lambda: membership_request_open(network=scope, member=member),
    )


def likely_member(data: Any) -> Organisation | None:
    """For a row without SIRET or RNA: the listing the editor confirmed (`meme_que`), None
    for a new listing (no likely one, or the editor said "nouvelle"). A likely listing
    (directory.selectors.likeness: close name at the same place) the editor has not
    confirmed holds the row (RowRejected, TO_CONFIRM): never a silent duplicate."""
    organisation = data.organisation
    if organisation.siret or organisation.rna_id or data.same_as == SAME_AS_NEW:
        return None
    if data.same_as:
        named = Organisation.objects.filter(pk=int(data.same_as)).first()
        if named is None:
            raise RowRejected(
                _("meme_que : aucune fiche n° %(id)s dans Cartess.") % {"id": data.same_as}
            )
        return named
    likeness = organisation_likeness_get(
        name=organisation.name,
        location=organisation.location,
        postcode=organisation.postcode,
        city=organisation.city,
        insee_code=organisation.insee_code,
    )
    if likeness is None:
        return None
    raise RowRejected(
        TO_CONFIRM
        % {
            "name": likeness.organisation.name,
            "id": likeness.organisation.pk,
            "percent": likeness.percent,
            "new": SAME_AS_NEW,
        }
    )


#: A row held until its editor says whether it is this listing; `#<id>` is read back by the
#: preview (`likely_listing_id`).
TO_CONFIRM = gettext_lazy(
    "À confirmer : même structure que « %(name)s » (fiche #%(id)s) ? (ressemblance "
    "%(percent)s %%). Confirmez-le dans l'aperçu ou dans la colonne meme_que (son numéro, ou "
    "« %(new)s » pour une autre structure) ; rien n'est créé d'ici là."
)
_LIKELY_ID = re.compile(r"#(\d+)\)")


def likely_listing_id(reason: str) -> int | None:
    """The listing a TO_CONFIRM reason proposes, or None for another reason."""
    found = _LIKELY_ID.search(reason) if reason.startswith(str(TO_CONFIRM)[:12]) else None
    return int(found.group(1)) if found else None


ASKED = gettext_lazy(
    "Structure déjà dans l'annuaire (%(name)s), hors de votre réseau : une demande d'adhésion "
    "est envoyée à sa structure et à la modération ; rien n'est modifié d'ici là."
)
WILL_ASK = gettext_lazy(
    "Structure déjà dans l'annuaire (%(name)s), hors de votre réseau : à la confirmation, une "
    "demande d'adhésion sera envoyée à sa structure et à la modération ; rien n'est modifié "
    "d'ici là."
)
PENDING = gettext_lazy(
    "Structure déjà dans l'annuaire (%(name)s), hors de votre réseau : votre demande "
    "d'adhésion attend la réponse de sa structure ou de la modération ; rien n'est modifié "
    "d'ici là."
)


def _refused(membership_request: NetworkMembershipRequest) -> str:
    return _(
        "Structure déjà dans l'annuaire (%(name)s), hors de votre réseau : votre demande "
        "d'adhésion a été refusée le %(day)s (%(reason)s) ; rien n'est modifié. Pour en "
        "reparler, écrivez à la modération."
    ) % {
        "name": membership_request.member.name,
        "day": date_format(membership_request.decided_at or membership_request.created_at),
        "reason": membership_request.reason,
    }

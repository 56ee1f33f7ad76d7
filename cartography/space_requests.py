"""Space requests to places that no place could serve (issue 17): the places hand them to
the city services (directory.mobilisations), who make each one a premises need of the land
workspace, where the matching of sites applies (cartography.selectors.need_candidates_get)."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cartography.models import PremisesNeed
from directory.models import Mobilisation, MobilisationKind


def space_requests_for_city_get() -> QuerySet:
    """The space requests places handed to the city services and whose personal data is
    still kept, newest first, with the place asked and the need made from each (if any)."""
    return (
        Mobilisation.objects.filter(
            kind=MobilisationKind.SPACE,
            sent_to_city_at__isnull=False,
            anonymised_at__isnull=True,
        )
        .select_related("organisation", "premises_need")
        .order_by("-sent_to_city_at", "-pk")
    )


@transaction.atomic
def need_from_space_request(*, mobilisation: Mobilisation) -> PremisesNeed:
    """The premises need made from `mobilisation` (made now, once): its holder's contact,
    what they asked for and from when; the budget and the duration in the description,
    since a need's budget is monthly and the request's is not."""
    existing = PremisesNeed.objects.filter(space_request=mobilisation).first()
    if existing is not None:
        return existing
    return PremisesNeed.objects.create(
        space_request=mobilisation,
        title=(mobilisation.space_what or _("Demande d'espace"))[:200],
        holder_name=mobilisation.holder_name,
        contact_name=mobilisation.holder_name or mobilisation.holder_email,
        contact_email=mobilisation.holder_email,
        contact_phone=mobilisation.holder_phone,
        needed_from=mobilisation.space_from,
        description=_need_description(mobilisation),
    )


def _need_description(mobilisation: Mobilisation) -> str:
    lines = [mobilisation.project]
    lines.append(_("Demande d'espace adressée à %(place)s") % {"place": mobilisation.organisation})
    if mobilisation.space_from:
        day = date_format(mobilisation.space_from, "j F Y")
        lines.append(_("À partir du : %(day)s") % {"day": day})
    if mobilisation.space_duration:
        lines.append(_("Pour : %(duration)s") % {"duration": mobilisation.space_duration})
    if mobilisation.space_people:
        lines.append(_("Personnes : %(count)s") % {"count": mobilisation.space_people})
    if mobilisation.space_budget is not None:
        lines.append(_("Budget : %(euros)s €") % {"euros": mobilisation.space_budget})
    return "\n".join(line for line in lines if line)

"""Places of the ESS (issue 17): any organisation can be a tiers-lieu, a lieu totem or a
lieu-ressource (`Organisation.place_roles`), credited to the source that says so.

Who says an organisation is a place (`organisation_place_set`); the public list of the
places, with what they offer, is cartography's (`cartography.places`).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from directory.models import Organisation, PlaceRole


def organisation_place_set(
    *, organisation: Organisation, roles: Iterable[str], source: str = ""
) -> Organisation:
    """Say which kinds of place `organisation` is and who says so (`source`: a document's
    name, empty when a person decides). Raises ValidationError for an unknown role."""
    roles = sorted(set(roles))
    unknown = [role for role in roles if role not in PlaceRole.values]
    if unknown:
        message = _("Type de lieu inconnu : %(roles)s.")
        raise ValidationError(message % {"roles": ", ".join(unknown)})
    organisation.place_roles = roles
    organisation.place_source = source if roles else ""
    organisation.save(update_fields=["place_roles", "place_source", "updated_at"])
    return organisation

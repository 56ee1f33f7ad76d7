"""Places of the ESS (issue 17): any organisation can be a tiers-lieu, a lieu totem or a
lieu-ressource (`Organisation.place_roles`), credited to the source that says so.

Who says an organisation is a place (`organisation_place_set`), and the names of what it
offers as a query reads them (`service_names`); the public list of the places, with what they
offer, is cartography's (`cartography.places`).
"""

from collections.abc import Iterable

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from directory import search_sql
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


def service_names() -> RawSQL:
    """The names of an organisation's services, in the taxonomy's order (an empty list
    without any), for `QuerySet.annotate` on a query of Organisation's own table: the
    column the database keeps from the services (migration 0042), read with the row: the
    places' map no longer aggregates every place's services (its SQL 31.7 -> 28.7 ms at
    1,000,000 organisations, issue 20), and every screen gives the same order."""
    names = ArrayField(models.CharField(max_length=80))
    # A fixed column name, no parameter.
    return RawSQL(search_sql.PLACE_SERVICE_NAMES, (), output_field=names)  # noqa: S611

"""The reference areas the directory reads: quartiers for its filters, the territories of
funding schemes and support offers, the names of communes.

Reference areas (communes, quartiers, QPV) are cartography's model, and the app graph goes
one way: cartography imports directory, never the reverse. The directory's own models point
at them by name (`FundingScheme.territory_areas`, `"cartography.ReferenceArea"`), so the
model is reached through that relation, here and nowhere else in the directory.
"""

from collections.abc import Iterable

from django.db import connection, models

from directory import sql
from directory.models import FundingScheme

#: The kinds of areas (values of cartography's `AreaKind`) an address's commune can be.
COMMUNE_KINDS = ("commune", "commune-associee")


def reference_area_model() -> type[models.Model]:
    """The model of reference areas, as the directory's funding schemes declare it."""
    return FundingScheme._meta.get_field("territory_areas").related_model


def quartier_choices_get() -> list[tuple[str, str]]:
    """(slug, name) of every quartier, by name, for the filter panels. One query.

    The slug is the one the organisation filters accept (`quartier=fives`).
    """
    with connection.cursor() as cursor:
        cursor.execute(sql.QUARTIER_CHOICES)
        return [(slug, name) for slug, name in cursor.fetchall()]


def reference_areas_by_key_get(*, keys: Iterable[str]) -> list[models.Model]:
    """The reference areas named "kind:code" (`"quartier:59350-4"`) that exist; the others
    are not loaded yet and are left out. One query."""
    query = models.Q(pk__in=[])
    for key in keys:
        kind, _sep, code = key.partition(":")
        query |= models.Q(kind=kind, code=code)
    return list(reference_area_model().objects.filter(query))


def commune_names_get(*, codes: Iterable[str]) -> dict[str, str]:
    """INSEE code -> name of the loaded communes (and communes associées) among `codes`."""
    areas = reference_area_model().objects.filter(kind__in=COMMUNE_KINDS, code__in=list(codes))
    return dict(areas.values_list("code", "name"))

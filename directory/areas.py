"""The reference areas the directory reads: quartiers for its filters, the territories of
funding schemes and support offers, the names of communes.

Reference areas (communes, quartiers, QPV) are cartography's model, and the app graph goes
one way: cartography imports directory, never the reverse. The directory's own models point
at them by name (`FundingScheme.territory_areas`, `"cartography.ReferenceArea"`), so the
model is reached through that relation, here and nowhere else in the directory.
"""

from collections.abc import Iterable

from django.db import connection, models
from django.utils.translation import gettext as _

from directory import sql
from directory.filters import QPV_CODES, OrganisationFilters
from directory.models import FundingScheme

#: The kinds of areas (values of cartography's `AreaKind`) an address's commune can be.
COMMUNE_KINDS = ("commune", "commune-associee")


def reference_area_model() -> type[models.Model]:
    """The model of reference areas, as the directory's funding schemes declare it."""
    return FundingScheme._meta.get_field("territory_areas").related_model


def area_kinds_loaded_get() -> frozenset[str]:
    """The kinds of reference areas (values of cartography's `AreaKind`: "qpv", "quartier",
    "commune"...) of which at least one outline is loaded. One query.

    The one place that decides whether a layer of areas is loaded: a page, filter or map
    layer that depends on a kind not in this set says the layer is missing ("couche non
    chargée"), never "aucun" or 0 as if it were a fact. The set also holds `QPV_CODES`
    (not a kind) when an organisation has the QPV code its source gave.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql.AREA_KINDS_LOADED)
        return frozenset(kind for (kind,) in cursor.fetchall())


def area_filters_missing(
    *, filters: OrganisationFilters, loaded: frozenset[str] | None = None
) -> list[str]:
    """French messages, one per filter of `filters` that depends on a layer of areas not in
    `loaded` (see `area_kinds_loaded_get`); empty when every filter can be applied.

    Such a filter would answer an empty list, which reads as a fact ("aucune structure en
    QPV"): the callers show these messages instead of a result. Without `loaded`, the
    loaded kinds are read (one query) only when a filter depends on a layer of areas.
    """
    if not (filters.qpv or filters.quartier):
        return []
    if loaded is None:
        loaded = area_kinds_loaded_get()
    missing = []
    if filters.qpv and not {"qpv", QPV_CODES} & loaded:
        missing.append(
            _(
                "QPV : couche non chargée. Les contours des quartiers prioritaires ne sont "
                "pas encore importés : le filtre « en quartier prioritaire » ne peut pas "
                "être appliqué."
            )
        )
    if filters.quartier and "quartier" not in loaded:
        missing.append(
            _(
                "Quartiers : couche non chargée. Les contours des quartiers ne sont pas "
                "encore importés : le filtre par quartier ne peut pas être appliqué."
            )
        )
    return missing


def area_filters_partial(*, filters: OrganisationFilters, loaded: frozenset[str]) -> list[str]:
    """French notices, one per filter of `filters` that can answer only in part with the
    layers `loaded`: the QPV filter without the QPV outlines, when some organisations have
    the QPV code their source gave (SIRENE's geolocation), keeps only those. Pure."""
    if not filters.qpv or "qpv" in loaded or QPV_CODES not in loaded:
        return []
    return [
        _(
            "QPV : contours non chargés. Seuls les établissements dont la géolocalisation "
            "SIRENE (INSEE) donne le code d'un quartier prioritaire sont retenus ; les "
            "autres structures situées dans un QPV n'apparaissent pas."
        )
    ]


def area_filter_notices(
    *, filters: OrganisationFilters, loaded: frozenset[str] | None = None
) -> tuple[list[str], list[str]]:
    """(`area_filters_missing`, `area_filters_partial`) of `filters`: what to say instead
    of a result, and what to say beside it. Reads the loaded kinds (one query) only when
    `loaded` is not given and a filter depends on a layer of areas."""
    if not (filters.qpv or filters.quartier):
        return [], []
    if loaded is None:
        loaded = area_kinds_loaded_get()
    return (
        area_filters_missing(filters=filters, loaded=loaded),
        area_filters_partial(filters=filters, loaded=loaded),
    )


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

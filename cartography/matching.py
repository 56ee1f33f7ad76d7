"""The rules ranking sites for a premises need: pure functions, no database.

Each rule gives points and a reason in French that staff read next to the site:
surface fits the wished range, kind is among the wished ones, distance to the wished
quartiers (computed by PostGIS beforehand), availability by the wished date.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cartography.models import PremisesNeed, PremisesStatus

#: A surface this much outside the wished range still counts as "close".
SURFACE_SLACK = 0.20
#: Sites this close (metres) to a wished quartier count as "near".
NEAR_QUARTIER_M = 1000

Rule = tuple[int, str]


def surface_rule(*, surface: int | None, low: int | None, high: int | None) -> Rule:
    """Points for the usable surface (built, else land) against the wished range."""
    if surface is None:
        return 0, _("Surface non renseignée")
    low, high = low or 0, high or float("inf")
    if low <= surface <= high:
        return 3, _("Surface adaptée : %(n)s m²") % {"n": surface}
    if low * (1 - SURFACE_SLACK) <= surface <= high * (1 + SURFACE_SLACK):
        return 1, _("Surface proche de la fourchette : %(n)s m²") % {"n": surface}
    return -2, _("Surface hors fourchette : %(n)s m²") % {"n": surface}


def kind_rule(*, kind: str, wished: list[str], label: str) -> Rule:
    """Points for the kind of site against the wished kinds (none wished: any will do)."""
    if not wished:
        return 1, _("Tout type de lieu convient")
    if kind in wished:
        return 2, _("Type de lieu recherché : %(kind)s") % {"kind": label}
    return -1, _("Autre type de lieu : %(kind)s") % {"kind": label}


def distance_rule(*, distance_m: float | None) -> Rule | None:
    """Points for the distance to the nearest wished quartier; None without wished quartier."""
    if distance_m is None:
        return None
    if distance_m < 1:
        return 3, _("Dans un quartier souhaité")
    if distance_m <= NEAR_QUARTIER_M:
        return 1, _("À %(m)s m d'un quartier souhaité") % {"m": round(distance_m)}
    return 0, _("À %(km)s km des quartiers souhaités") % {"km": f"{distance_m / 1000:.1f}"}


def availability_rule(*, status: str, available_from, needed_from) -> Rule:
    """Points for when the site is free against the wished date."""
    if available_from and needed_from and available_from > needed_from:
        return -1, _("Disponible seulement à partir du %(date)s") % {
            "date": date_format(available_from)
        }
    if available_from:
        return 2, _("Disponible à partir du %(date)s") % {"date": date_format(available_from)}
    if status == PremisesStatus.AVAILABLE:
        return 2, _("Disponible")
    if status == PremisesStatus.SOON_AVAILABLE:
        return 1, _("Bientôt disponible")
    return 0, _("Disponibilité non renseignée")


def need_match_score(
    *, need: PremisesNeed, site, distance_m: float | None
) -> tuple[int, list[str]]:
    """The score of `site` (a Premises) for `need`, and the reasons, best rules first."""
    rules = [
        surface_rule(
            surface=site.built_surface_m2 or site.surface_m2,
            low=need.surface_min_m2,
            high=need.surface_max_m2,
        ),
        kind_rule(kind=site.kind, wished=need.kinds, label=site.get_kind_display()),
        distance_rule(distance_m=distance_m),
        availability_rule(
            status=site.status, available_from=site.available_from, needed_from=need.needed_from
        ),
    ]
    rules = [rule for rule in rules if rule is not None]
    return sum(points for points, _reason in rules), [reason for _points, reason in rules]

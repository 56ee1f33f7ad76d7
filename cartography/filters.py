"""Filters of cartography's map layers, validated once (French errors)."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from cartography.models import AreaKind


@dataclass(frozen=True)
class AreaFilters:
    """Which reference areas to serve: those of `kinds` (every kind when empty)."""

    kinds: tuple[str, ...] = ()


def area_filters_parse(query) -> AreaFilters:
    """The `kind` values of a query string (repeated or comma-separated) as filters.

    `query` is a QueryDict. Raises ValidationError naming, in French, the unknown kinds.
    """
    kinds = tuple(part for value in query.getlist("kind") for part in value.split(",") if part)
    unknown = sorted(set(kinds) - set(AreaKind.values))
    if unknown:
        raise forms.ValidationError(
            _("Type de zone inconnu : %(kinds)s.") % {"kinds": ", ".join(unknown)},
            code="unknown_kind",
        )
    return AreaFilters(kinds=kinds)


def area_kinds_missing(*, filters: AreaFilters, loaded: frozenset[str]) -> list[str]:
    """French messages, one per layer of areas that `filters` asks by name (QPV, quartiers)
    and that is not in `loaded` (directory.areas.area_kinds_loaded_get). Pure.

    An empty collection for such a layer would read as "no QPV here" when none was ever
    imported: the areas API answers these messages instead.
    """
    messages = {
        AreaKind.QPV: _(
            "QPV : couche non chargée. Les contours des quartiers prioritaires ne sont pas "
            "encore importés (manage.py import qpv)."
        ),
        AreaKind.QUARTIER: _(
            "Quartiers : couche non chargée. Les contours des quartiers ne sont pas encore "
            "importés (manage.py import quartiers)."
        ),
    }
    asked = set(filters.kinds) - loaded
    return [message for kind, message in messages.items() if kind in asked]

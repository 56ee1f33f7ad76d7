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

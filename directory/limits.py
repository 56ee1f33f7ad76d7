"""Bounds on what one request may ask of the database (issue 20), declared in one place.

Beyond them the page or the API answers 400 with a French message saying the bound,
rather than running a slow scan: a search text is at most SEARCH_MAX_CHARS characters and
SEARCH_MAX_WORDS words; a listing serves rows up to LIST_MAX_ROWS deep (page x page size,
or offset + limit), at most LIST_MAX_LIMIT a request; the map's extent spans at most
MAP_BBOX_MAX_DEGREES of longitude and of latitude (the map page clips the extent it asks
for to that span around its centre, cartography.selectors.map_config).
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 12
#: Like a search engine's result window: deeper pages cost an OFFSET scan of every row
#: before them; a person narrows the filters instead, a program uses the exports.
LIST_MAX_ROWS = 10_000
LIST_MAX_LIMIT = 100
#: Wider than metropolitan France (15 by 10 degrees): beyond, a map shows nothing useful.
MAP_BBOX_MAX_DEGREES = 40


def search_text_check(value: str) -> str:
    """`value` when it is short enough to search; else ValidationError in French."""
    if len(value) > SEARCH_MAX_CHARS:
        raise forms.ValidationError(
            _("La recherche est trop longue : %(max)s caractères au plus (ici %(n)s).")
            % {"max": SEARCH_MAX_CHARS, "n": len(value)},
            code="search_too_long",
        )
    if len(value.split()) > SEARCH_MAX_WORDS:
        raise forms.ValidationError(
            _("La recherche compte trop de mots : %(max)s au plus.") % {"max": SEARCH_MAX_WORDS},
            code="search_too_many_words",
        )
    return value


def search_field() -> forms.CharField:
    """The `q` field of every search form (directory, unified search, funding): optional,
    stripped, and bounded by `search_text_check` (one French message for every page)."""
    return forms.CharField(
        label=_lazy("Rechercher"), required=False, strip=True, validators=[search_text_check]
    )


def list_depth_check(*, offset: int, limit: int) -> None:
    """Raise ValidationError in French when rows `offset` to `offset + limit` lie beyond
    LIST_MAX_ROWS, or when `limit` is above LIST_MAX_LIMIT."""
    if limit > LIST_MAX_LIMIT:
        raise forms.ValidationError(
            _("Trop de résultats demandés : %(max)s au plus par page.") % {"max": LIST_MAX_LIMIT},
            code="limit_too_large",
        )
    if offset + limit > LIST_MAX_ROWS:
        raise forms.ValidationError(
            _(
                "Cette page est trop loin : seuls les %(max)s premiers résultats sont "
                "consultables. Affinez la recherche ou les filtres."
            )
            % {"max": LIST_MAX_ROWS},
            code="page_too_deep",
        )


def bbox_span_check(*, width: float, height: float) -> None:
    """Raise ValidationError in French when a map extent is wider or taller than
    MAP_BBOX_MAX_DEGREES."""
    if width > MAP_BBOX_MAX_DEGREES or height > MAP_BBOX_MAX_DEGREES:
        raise forms.ValidationError(
            _("L'emprise demandée est trop grande : %(max)s degrés de côté au plus. Zoomez.")
            % {"max": MAP_BBOX_MAX_DEGREES},
            code="bbox_too_large",
        )

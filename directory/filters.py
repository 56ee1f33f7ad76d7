"""The filters shared by the map, the directory and the API, validated once (French errors)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from directory import vocabulary
from directory.limits import (
    LIST_MAX_LIMIT,
    LIST_MAX_ROWS,
    bbox_span_check,
    list_depth_check,
    search_field,
)

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class BBox:
    """A bounding box in EPSG:4326 degrees."""

    minlon: float
    minlat: float
    maxlon: float
    maxlat: float


#: Not a kind of reference area: among the loaded kinds (`directory.areas.
#: area_kinds_loaded_get`), some organisation has the QPV code its source gave
#: (`Organisation.qpv_code`), so the QPV filter can answer even without the outlines.
QPV_CODES = "qpv-code"


@dataclass(frozen=True)
class OrganisationFilters:
    """What a visitor asked for; empty tuples and None mean "no filter"."""

    bbox: BBox | None = None
    kinds: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    legal_families: tuple[str, ...] = ()
    quartier: str = ""
    #: In a QPV: the point in a loaded QPV outline, or a QPV code from its source.
    qpv: bool = False
    q: str = ""
    #: The slug of a network: its members only (the embed of a network's site).
    network: str = ""


class SlugListField(forms.Field):
    """Slugs given repeated (`?kind=a&kind=b`) or comma-separated (`?kind=a,b`)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("« %(value)s » n'est pas un identifiant valide.")}

    def to_python(self, value) -> tuple[str, ...]:
        values = value if isinstance(value, list | tuple) else [value or ""]
        slugs = [part.strip() for item in values for part in str(item).split(",")]
        slugs = [slug for slug in slugs if slug]
        for slug in slugs:
            if not SLUG.match(slug):
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": slug[:64]}
                )
        return tuple(dict.fromkeys(slugs))


def parse_bbox(value: str, *, antimeridian: bool = False) -> BBox:
    """`minlon,minlat,maxlon,maxlat` in degrees, or a ValidationError saying what is wrong.
    With `antimeridian`, a first longitude larger than the third is a box crossing the
    antimeridian (OGC API Features), not a mistake."""
    parts = value.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or any(number != number for number in numbers):
        raise forms.ValidationError(
            _("bbox attend quatre nombres séparés par des virgules : minlon,minlat,maxlon,maxlat."),
            code="bbox_format",
        )
    box = BBox(*numbers)
    if not (-180 <= box.minlon <= 180 and -180 <= box.maxlon <= 180):
        raise forms.ValidationError(
            _("Les longitudes de bbox doivent être comprises entre -180 et 180."), code="bbox_lon"
        )
    if not (-90 <= box.minlat <= 90 and -90 <= box.maxlat <= 90):
        raise forms.ValidationError(
            _("Les latitudes de bbox doivent être comprises entre -90 et 90."), code="bbox_lat"
        )
    crossing = antimeridian and box.minlon > box.maxlon
    if (box.minlon >= box.maxlon and not crossing) or box.minlat >= box.maxlat:
        raise forms.ValidationError(
            _("bbox : le minimum doit être inférieur au maximum (minlon,minlat,maxlon,maxlat)."),
            code="bbox_order",
        )
    return box


def form_terms_check(form: forms.Form, taxonomies: dict[str, Iterable[str]]) -> None:
    """Adds to `form` (after its fields are cleaned) a French error on each field of
    `taxonomies` holding a value that is not one of its terms, naming the terms."""
    for name, terms in taxonomies.items():
        value = form.cleaned_data.get(name) or ()
        values = (value,) if isinstance(value, str) else value
        message = vocabulary.terms_unknown_message(name=name, values=values, terms=terms)
        if message:
            form.add_error(name, message)


#: What an API reads as a boolean (Django's BooleanField reads any other text as true).
_BOOLEAN_TEXTS = ("", "true", "false", "1", "0")


def form_booleans_check(form: forms.Form, names: tuple[str, ...]) -> None:
    """Adds to `form` a French error on each field of `names` whose text is not a boolean
    (`true`, `false`, `1`, `0` or empty), so that `?open=null` is not read as true."""
    for name in names:
        text = form.data.get(name)
        if text is not None and str(text).lower() not in _BOOLEAN_TEXTS:
            form.add_error(name, _("%(name)s vaut true ou false.") % {"name": name})


#: The taxonomies among the map's filters.
ORGANISATION_TAXONOMIES = {
    "kind": vocabulary.ORGANISATION_KINDS,
    "sector": vocabulary.SECTORS,
    "stage": vocabulary.STAGES,
    "legal_family": vocabulary.LEGAL_FAMILIES,
}


class OrganisationFilterForm(forms.Form):
    """Query-string filters of `/carte/`, `/annuaire/` and `/api/v1/organisations/`.

    On the pages, slugs are checked for their shape only: an unknown slug matches nothing
    (an old shared link still opens). With `strict` (the APIs), a value that is not a
    term of its taxonomy is an error naming the terms: a program's typo must not read as
    "no organisation".
    """

    def __init__(self, *args, strict: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.strict = strict

    def clean(self) -> dict:
        data = super().clean()
        if self.strict:
            form_terms_check(self, ORGANISATION_TAXONOMIES)
            form_booleans_check(self, ("qpv",))
        return data

    q = search_field()
    kind = SlugListField(label=_("Type d'acteur"), required=False)
    sector = SlugListField(label=_("Filière"), required=False)
    stage = SlugListField(label=_("Étape accompagnée ou financée"), required=False)
    legal_family = SlugListField(label=_("Famille juridique"), required=False)
    quartier = forms.RegexField(
        label=_("Quartier"),
        regex=SLUG,
        max_length=64,
        required=False,
        error_messages={"invalid": _("Quartier : un code ou un identifiant est attendu.")},
    )
    qpv = forms.BooleanField(label=_("En quartier prioritaire (QPV)"), required=False)
    bbox = forms.CharField(label=_("Emprise"), required=False)
    reseau = forms.RegexField(
        label=_("Membres du réseau"),
        regex=SLUG,
        max_length=64,
        required=False,
        error_messages={"invalid": _("Réseau : un identifiant est attendu.")},
    )

    def clean_bbox(self) -> BBox | None:
        value = self.cleaned_data["bbox"]
        if not value:
            return None
        bbox = parse_bbox(value)
        bbox_span_check(width=bbox.maxlon - bbox.minlon, height=bbox.maxlat - bbox.minlat)
        return bbox

    def filters(self) -> OrganisationFilters:
        """The validated filters; call after `is_valid()` returned True."""
        data = self.cleaned_data
        return OrganisationFilters(
            bbox=data.get("bbox"),
            kinds=data.get("kind") or (),
            sectors=data.get("sector") or (),
            stages=data.get("stage") or (),
            legal_families=data.get("legal_family") or (),
            quartier=data.get("quartier") or "",
            qpv=bool(data.get("qpv")),
            q=data.get("q") or "",
            network=data.get("reseau") or "",
        )

    def active_count(self) -> int:
        """How many filters the visitor applied: the text, each type, and each other filter.

        Counts what the query string asked for (the extent of the map aside), so that a
        collapsed filter panel can say "Filtres (3)". Reads the cleaned values when valid.
        """
        data = getattr(self, "cleaned_data", {})
        lists = ("kind", "sector", "stage", "legal_family")
        count = sum(len(data.get(name) or ()) for name in lists)
        return count + sum(bool(data.get(name)) for name in ("q", "quartier", "qpv", "reseau"))

    def error_text(self) -> str:
        """All errors in one French sentence per field, for a 400 or a page message."""
        return " ".join(str(message) for errors in self.errors.values() for message in errors)


class DirectorySortForm(forms.Form):
    """Sort and page of `/annuaire/`; `lat`/`lon` is the point distances are measured from."""

    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("relevance", _("pertinence")),
            ("name", _("nom")),
            ("distance", _("distance")),
        ],
    )
    lat = forms.FloatField(min_value=-90, max_value=90, required=False)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False)
    #: No directory has this many pages (20 a page): a larger number is refused like any
    #: other wrong page, never passed to PostgreSQL (whose offsets stop at 2**63).
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def __init__(self, *args, page_size: int = 20, **kwargs) -> None:
        """`page_size`: the rows of a page where this form is used (the depth bound of
        directory.limits counts rows, not pages)."""
        super().__init__(*args, **kwargs)
        self.page_size = page_size

    def clean_page(self) -> int | None:
        page = self.cleaned_data["page"]
        if page:
            list_depth_check(offset=(page - 1) * self.page_size, limit=self.page_size)
        return page


class DirectoryApiSortForm(DirectorySortForm):
    """Sort and page of `/api/v1/directory/organisations/`, with `limit`: the rows of a page
    (1 to LIST_MAX_LIMIT, the API's page size when absent), so that "the 10 nearest" is one
    small nearest-first read of the GiST index rather than a page of 50."""

    limit = forms.IntegerField(
        min_value=1,
        max_value=LIST_MAX_LIMIT,
        required=False,
        error_messages={
            "invalid": _("« limit » doit être un nombre entier."),
            "min_value": _("« limit » doit valoir au moins 1."),
            "max_value": _("Trop de résultats demandés : %(limit_value)s au plus par page."),
        },
    )

    def clean_page(self) -> int | None:
        # The depth depends on `limit`, cleaned after `page`: checked in clean().
        return self.cleaned_data["page"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("limit"):
            self.page_size = data["limit"]
        if data.get("page"):
            try:
                list_depth_check(offset=(data["page"] - 1) * self.page_size, limit=self.page_size)
            except forms.ValidationError as error:
                self.add_error("page", error)
        return data


#: The deepest `offset` of the API's lists: whatever the `limit` (at most LIST_MAX_LIMIT), a
#: page then ends within the LIST_MAX_ROWS first results, so that each bound stands alone
#: (the OpenAPI schema states both).
LIST_MAX_OFFSET = LIST_MAX_ROWS - LIST_MAX_LIMIT


class ListPagingForm(forms.Form):
    """`limit` and `offset` of the API's lists (funding schemes, support offers): whole
    numbers, `limit` from 1 to LIST_MAX_LIMIT, `offset` from 0 to LIST_MAX_OFFSET; absent
    or empty, the list's defaults."""

    limit = forms.IntegerField(
        min_value=1,
        max_value=LIST_MAX_LIMIT,
        required=False,
        error_messages={
            "invalid": _("« limit » doit être un nombre entier."),
            "min_value": _("« limit » doit valoir au moins 1."),
            "max_value": _("Trop de résultats demandés : %(limit_value)s au plus par page."),
        },
    )
    offset = forms.IntegerField(
        min_value=0,
        max_value=LIST_MAX_OFFSET,
        required=False,
        error_messages={
            "invalid": _("« offset » doit être un nombre entier."),
            "min_value": _("« offset » ne peut pas être négatif."),
            "max_value": _(
                "Cette page est trop loin : « offset » va au plus jusqu'à %(limit_value)s. "
                "Affinez la recherche ou les filtres."
            ),
        },
    )


def export_query_parse(query) -> tuple[OrganisationFilters, str]:
    """The filters and the sort of an export of the directory (`/annuaire/export.*`).

    `query` is the request's query string (a QueryDict). An invalid sort falls back to the
    default order. Raises ValidationError with the filters' errors in French (as
    `OrganisationFilterForm.error_text`) when a filter is invalid.
    """
    filters, sorting = OrganisationFilterForm(query), DirectorySortForm(query)
    if not filters.is_valid():
        raise forms.ValidationError(filters.error_text(), code="invalid")
    sorting.is_valid()
    return filters.filters(), sorting.cleaned_data.get("sort", "")


class UnifiedSearchForm(forms.Form):
    """The query string of `/recherche/`: the words, and the facets (kind of result, stage,
    quartier, service of a place). Slugs are checked for their shape only: an unknown slug
    matches nothing."""

    q = search_field()
    type = forms.ChoiceField(
        label=_("Type de résultat"),
        required=False,
        choices=[
            ("", _("Tous")),
            ("acteurs", _("Acteurs")),
            ("financements", _("Financements")),
            ("accompagnements", _("Accompagnements")),
            ("lieux", _("Lieux")),
        ],
    )
    stage = forms.RegexField(regex=SLUG, max_length=64, required=False, label=_("Étape"))
    quartier = forms.RegexField(regex=SLUG, max_length=64, required=False, label=_("Quartier"))
    service = forms.RegexField(
        regex=SLUG, max_length=64, required=False, label=_("Service d'un lieu")
    )

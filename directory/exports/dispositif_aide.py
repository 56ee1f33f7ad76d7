"""Funding schemes in the etalab schema `dispositif-aide` (v0.2.0, `schemas/`), the file
national aid platforms read: every column of the schema, in its order and formats.

Where Cartess holds no value for a required column, the column is composed from what it does
hold, never invented: an empty presentation becomes a factual summary of the scheme's
instruments and amounts, empty eligibility text the structured eligibility (stages, legal
families, sectors). Territories are written as Code Officiel Géographique codes.
"""

import json
from collections.abc import Iterator
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from directory.models import FundingScheme, TerritoryScope
from directory.selectors.funding import scheme_queryset

SCHEMA_PATH = Path(__file__).parent / "schemas" / "dispositif-aide.json"
PARIS = ZoneInfo("Europe/Paris")

#: The schema's `cibles` from a legal family's slug: associations and foundations are
#: "associations", the enterprises of the ESS "professionnels"; "autre" may be either.
TARGETS_BY_FAMILY = {
    "association": ("associations",),
    "fondation": ("associations",),
    "cooperative": ("professionnels",),
    "mutuelle": ("professionnels",),
    "societe-ess": ("professionnels",),
    "autre": ("professionnels", "associations"),
}
ALL_TARGETS = ("professionnels", "associations")
TARGET_ORDER = ("professionnels", "particuliers", "associations", "secteur public")

#: COG prefixes of the kinds of reference areas (cartography's `AreaKind` values).
COG_PREFIX_BY_AREA_KIND = {
    "commune": "COM",
    "commune-associee": "COMA",
    "epci": "EPCI",
    "departement": "DEP",
    "region": "REG",
}
#: A scope without outlines, for the territory Cartess covers (Lille, in the Métropole
#: Européenne de Lille, the Nord and Hauts-de-France). The Union européenne has no COG code:
#: France is the part of it the schemes listed here reach.
COG_BY_SCOPE = {
    TerritoryScope.EPCI: "EPCI-200093201",
    TerritoryScope.DEPARTEMENT: "DEP-59",
    TerritoryScope.REGION: "REG-32",
    TerritoryScope.NATIONAL: "PAYS-99100",
    TerritoryScope.EUROPE: "PAYS-99100",
}


@cache
def dispositif_aide_schema() -> dict:
    """The Table Schema `dispositif-aide`, as published (a copy in `schemas/`)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def dispositif_aide_header() -> list[str]:
    """The schema's column names, in its order."""
    return [field["name"] for field in dispositif_aide_schema()["fields"]]


def funding_scheme_export_list() -> QuerySet[FundingScheme]:
    """Published schemes by name with everything the export writes (a fixed number of
    queries, whatever the number of schemes)."""
    areas = FundingScheme._meta.get_field("territory_areas").related_model
    return (
        scheme_queryset()
        .prefetch_related(
            Prefetch(
                "territory_areas",
                queryset=areas.objects.select_related("parent").defer(
                    "geometry", "parent__geometry"
                ),
            )
        )
        .order_by("name")
    )


def _home_commune() -> str:
    return f"COM-{settings.CARTESS_TERRITORY_INSEE_CODES[0]}"


def _area_cog(area) -> str:
    """One area as a COG code; a quartier or QPV counts as its commune (COG has no code for
    it), the first commune of the territory when its commune is not known."""
    prefix = COG_PREFIX_BY_AREA_KIND.get(area.kind)
    if prefix and area.code.isdigit():
        return f"{prefix}-{area.code}"
    parent = area.parent
    if parent is not None and parent.kind in COG_PREFIX_BY_AREA_KIND and parent.code.isdigit():
        return f"{COG_PREFIX_BY_AREA_KIND[parent.kind]}-{parent.code}"
    return _home_commune()


def territory_cog(scheme: FundingScheme) -> str:
    """The scheme's territory as COG codes joined by `|`: its outlines when known, else its
    scope; a scheme listed without a territory is at least open to the territory's first
    commune (Cartess lists what a project of the territory can activate)."""
    codes = [_area_cog(area) for area in scheme.territory_areas.all()]
    if not codes:
        codes = [COG_BY_SCOPE.get(scheme.territory_scope, _home_commune())]
    return "|".join(dict.fromkeys(codes))


def targets(scheme: FundingScheme) -> str:
    """The schema's `cibles` from the eligible legal families (none listed: all of them)."""
    families = [family.slug for family in scheme.eligible_legal_families.all()]
    found = {t for slug in families for t in TARGETS_BY_FAMILY.get(slug, ALL_TARGETS)}
    return "|".join(t for t in TARGET_ORDER if t in (found or set(ALL_TARGETS)))


def _names(manager) -> str:
    return ", ".join(item.name for item in manager.all())


def description(scheme: FundingScheme) -> str:
    """The scheme's presentation, else a summary of its instruments, amounts and funders."""
    if scheme.description.strip():
        return scheme.description[:5000]
    parts = [_("Dispositif de financement « %(name)s ».") % {"name": scheme.name}]
    if instruments := _names(scheme.instruments):
        parts.append(_("Instruments : %(names)s.") % {"names": instruments})
    if scheme.amount_text:
        parts.append(_("Montants : %(text)s") % {"text": scheme.amount_text})
    return " ".join(parts)[:5000]


def eligibility(scheme: FundingScheme) -> str:
    """The eligibility as the source writes it, else the structured one, one point a line."""
    if scheme.eligibility_text.strip():
        return scheme.eligibility_text
    everyone = _("toutes")
    return "\n".join(
        [
            "• " + _("Étapes : %(names)s") % {"names": _names(scheme.stages) or everyone},
            "• "
            + _("Familles juridiques : %(names)s")
            % {"names": _names(scheme.eligible_legal_families) or everyone},
            "• " + _("Filières : %(names)s") % {"names": _names(scheme.sectors) or everyone},
        ]
    )


def carriers(scheme: FundingScheme) -> str:
    """The schema's `porteurs` (`{nom, siren, roles[]}[]`, written as JSON): the funders
    with a listing, else the funders as the source names them; `[]` when none is known."""
    funders = [
        {"nom": org.name, "siren": org.siren, "roles": ["financeur"]}
        if org.siren
        else {"nom": org.name, "roles": ["financeur"]}
        for org in scheme.funders.all()
    ]
    if not funders and scheme.funders_label:
        funders = [{"nom": scheme.funders_label, "roles": ["financeur"]}]
    return json.dumps(funders, ensure_ascii=False)


def _moment(day: date | None, at: time) -> str:
    if day is None:
        return ""
    return datetime.combine(day, at, tzinfo=PARIS).isoformat()


def _utc(moment: datetime) -> str:
    return (
        moment.astimezone(ZoneInfo("UTC")).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def funding_scheme_aid_row(scheme: FundingScheme) -> list[str]:
    """One scheme as a row of `dispositif-aide`, in the schema's column order."""
    return [
        str(scheme.uuid),
        scheme.name,
        "",  # promesse: a marketing line written for the schema, which no source gives
        description(scheme),
        eligibility(scheme),
        "financement",
        carriers(scheme),
        "",  # programmes_parents: no source names them
        scheme.url,
        targets(scheme),
        territory_cog(scheme),
        "",
        _moment(scheme.opens_on, time.min),
        _moment(scheme.closes_on, time(23, 59, 59)),
        _utc(scheme.updated_at),
    ]


def funding_scheme_aid_rows(schemes: QuerySet[FundingScheme]) -> Iterator[list[str]]:
    """Every scheme of `schemes` as rows of `dispositif-aide`."""
    for scheme in schemes:
        yield funding_scheme_aid_row(scheme)

"""The collections of `/ogc/`, each built on a layer of cartography.layers (one definition
of each layer): which variant it serves to whom, and how a request selects its rows.

A collection's `where` turns a `Selection` (the request's bbox, period, filters and
whether the caller is city staff) into a WHERE clause on the layer's alias and its bound
parameters; the parameters the layer's properties read (`published`, `tolerance`) are
always bound.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartography import sql
from cartography.layers import AREAS, FUNDING_SCHEMES, ORGANISATIONS, PREMISES, Layer, Property
from cartography.models import AreaKind
from cartography.ogc import sql as ogc_sql
from cartography.ogc.params import OgcError, Period, bad_request
from directory import sql as directory_sql
from directory.areas import area_filter_notices, area_filters_missing
from directory.filters import BBox, OrganisationFilterForm
from directory.models import PublicationStatus

#: What every statement binds: the properties of the layers read them.
BASE_PARAMS = {"published": PublicationStatus.PUBLISHED, "tolerance": 0}


#: What every feature of `/ogc/` says of its origin, as flat text (cartography.ogc.sql's
#: `ogc_credit`): GDAL and QGIS show each as a column, where a list of objects would be one
#: JSON string.
CREDIT_PROPERTIES = (
    Property("source", "credit.source"),
    Property("licence", "credit.licence"),
    Property("data_date", "credit.data_date"),
)


@dataclass(frozen=True)
class Selection:
    """What an items request asks: its query string, `bbox`, `period` and whether the caller
    is city staff (who see every site, with every field)."""

    query: QueryDict
    bbox: BBox | None = None
    period: Period | None = None
    staff: bool = False


Where = Callable[[Selection], tuple[list[str], dict]]


@dataclass(frozen=True)
class Collection:
    """One collection of `/ogc/collections/`; see the module's docstring. `geometry` is the
    column the bbox and the extent are computed on (None: no geometry), `temporal` says
    what `datetime` filters ("" when it has no meaning here), `parameters` are the
    collection's own query parameters (the map's filters)."""

    id: str
    title: Promise
    description: Promise
    layer: Layer
    where: Where
    geometry: str | None
    temporal: Promise | str = ""
    parameters: frozenset[str] = frozenset()
    staff_variant: str = ""
    #: Below this zoom its tiles hold clusters (count per cell), not features (0: never).
    cluster_below_zoom: int = 0
    #: Unfiltered, its cluster tiles are read from the cells PostgreSQL keeps (map_cells).
    kept_cells: bool = False
    #: Its geometry is a point: the extent is its coordinates' bounds (`ogc_sql.ogc_extent`).
    points: bool = False

    def variant(self, *, staff: bool) -> str:
        return self.staff_variant if staff and self.staff_variant else "map"

    def feature_sql(self, *, staff: bool) -> str:
        """The SQL of one Feature of the variant `staff` reads, with CREDIT_PROPERTIES after
        the layer's own: it reads the `credit` join of `credit()`."""
        chosen = self.layer.variants[self.variant(staff=staff)]
        properties = [
            # The organisations' `sources` (names) come from the same join.
            (prop.name, "credit.names" if prop.name == "sources" else prop.sql)
            for prop in (*chosen.properties, *CREDIT_PROPERTIES)
        ]
        return sql.feature(
            geometry=chosen.geometry, properties=properties, feature_id=f"{self.layer.alias}.id"
        )

    def credit(self) -> tuple[str, dict]:
        """The `credit` join of `feature_sql` (ogc_sql.ogc_credit) and its parameters."""
        meta, alias = self.layer.model._meta, self.layer.alias
        dated = any(field.name == "updated_at" for field in meta.concrete_fields)
        changed = f"{alias}.updated_at" if dated else "NULL::timestamptz"
        return ogc_sql.ogc_credit(alias=alias, changed=changed), {
            "credit_app": meta.app_label,
            "credit_model": meta.model_name,
            "credit_cartess": "Cartess",
            "credit_licence": settings.CARTESS_EXPORT_LICENCE,
            "credit_unknown": _("non précisée"),
            "credit_seen": _("import du {date}"),
            "credit_changed": _("mise à jour le {date}"),
        }

    def clause(self, selection: Selection) -> tuple[str, dict]:
        """The WHERE clause and parameters of `selection`. Raises OgcError (400) for a bbox
        on a collection without geometry or a datetime without meaning here."""
        if selection.bbox and not self.geometry:
            raise bad_request(_("Cette collection n'a pas de géométrie : bbox est sans objet."))
        if selection.period and not self.temporal:
            raise bad_request(_("Cette collection n'a pas de date : datetime est sans objet."))
        clauses, params = self.where(selection)
        params = {**BASE_PARAMS, **params}
        if selection.bbox:  # the organisations' form leaves it to this clause
            box = selection.bbox
            bbox = sql.OGC_BBOX_CROSSING if box.minlon > box.maxlon else sql.OGC_BBOX
            clauses.append(bbox.format(self.geometry))
            params.update(vars(box))
        return " AND ".join(clauses) or "TRUE", params


def _without_bbox(query: QueryDict) -> QueryDict:
    """`query` without its `bbox`, which `Collection.clause` reads (the map's form would
    refuse a box crossing the antimeridian, and bound its span for the map's clusters)."""
    query = query.copy()
    query.pop("bbox", None)
    return query


def _organisations(selection: Selection) -> tuple[list[str], dict]:
    form = OrganisationFilterForm(_without_bbox(selection.query), strict=True)
    if not form.is_valid():
        raise bad_request(form.error_text())
    missing = area_filters_missing(filters=form.filters())
    if missing:
        raise OgcError(409, "LayerNotLoaded", " ".join(missing))
    where, params = directory_sql.organisation_filter(form.filters())
    return [where], params


def organisations_notice(selection: Selection) -> str:
    """What a page of organisations cannot know, said beside its features (e.g. SIRENE's QPV
    codes known but no QPV outline loaded); empty when nothing. One query with a `qpv` or
    `quartier` filter, none otherwise. The selection was validated by `_organisations`."""
    form = OrganisationFilterForm(_without_bbox(selection.query), strict=True)
    if not form.is_valid():
        return ""
    return " ".join(area_filter_notices(filters=form.filters())[1])


def _premises(selection: Selection) -> tuple[list[str], dict]:
    clauses = [] if selection.staff else ["p.publication_status = %(published)s"]
    period = selection.period
    if period:  # a site is available from `available_from` on; unknown dates do not match
        clauses.append("p.available_from IS NOT NULL")
        if period.end:
            clauses.append("p.available_from <= %(period_end)s")
    return clauses, {"period_end": period.end if period else None}


def _funding_schemes(selection: Selection) -> tuple[list[str], dict]:
    clauses = ["f.publication_status = %(published)s"]
    period = selection.period
    if period and period.end:  # open between opens_on and closes_on; no date: always open
        clauses.append("(f.opens_on IS NULL OR f.opens_on <= %(period_end)s)")
    if period and period.start:
        clauses.append("(f.closes_on IS NULL OR f.closes_on >= %(period_start)s)")
    return clauses, {
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
    }


def _areas_of(kind: str) -> Where:
    def where(selection: Selection) -> tuple[list[str], dict]:
        return ["a.kind = %(kind)s"], {"kind": kind}

    return where


_ORGANISATION_FILTERS = frozenset(
    {"q", "kind", "sector", "stage", "legal_family", "quartier", "qpv", "reseau"}
)

COLLECTIONS: dict[str, Collection] = {
    collection.id: collection
    for collection in (
        Collection(
            id="organisations",
            title=ORGANISATIONS.title,
            description=gettext_lazy(
                "Structures de l'ESS publiées et en activité ; mêmes filtres que la carte "
                "(q, kind, sector, stage, legal_family, quartier, qpv, reseau)."
            ),
            layer=ORGANISATIONS,
            where=_organisations,
            geometry="o.location",
            parameters=_ORGANISATION_FILTERS,
            cluster_below_zoom=12,
            kept_cells=True,
            points=True,
        ),
        Collection(
            id="premises",
            title=PREMISES.title,
            description=gettext_lazy(
                "Locaux et terrains publiés, champs publics seulement (les services de la "
                "Ville voient tous les sites et tous les champs) ; datetime : disponibles à "
                "cette date."
            ),
            layer=PREMISES,
            where=_premises,
            geometry=sql.SITE_SHAPE,
            temporal=gettext_lazy("disponible à partir du"),
            staff_variant="land-export",
        ),
        *(
            Collection(
                id=f"areas-{kind.value}",
                title=kind.label,
                description=format_lazy("{} : {}", gettext_lazy("Zones de référence"), kind.label),
                layer=AREAS,
                where=_areas_of(kind.value),
                geometry="a.geometry",
            )
            for kind in AreaKind
        ),
        Collection(
            id="funding-schemes",
            title=FUNDING_SCHEMES.title,
            description=gettext_lazy(
                "Dispositifs de financement publiés, sans géométrie ; datetime : ouverts à "
                "cette date (entre ouverture et clôture)."
            ),
            layer=FUNDING_SCHEMES,
            where=_funding_schemes,
            geometry=None,
            temporal=gettext_lazy("ouverture et clôture"),
        ),
    )
}


def collection_get(collection_id: str) -> Collection:
    """The collection `collection_id`; raises OgcError (404) with a French message."""
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise OgcError(
            404, "NotFound", _("Collection inconnue : %(id)s.") % {"id": collection_id[:64]}
        ) from None

"""The public map layers, each declared once: organisations, premises, reference areas,
places of the ESS.

A `Layer` says what it is (its `name`, the id of its API collection and, later, of its OGC
collection and tile layer; its `title`), where its features come from (`model`, `geometry`
column, `srid`), which filters it accepts (`filters`), and how it is served (`variants`):
each `Variant` is for an audience (PUBLIC or STAFF), draws one geometry, exposes its
`properties` and turns a selection into one SQL statement. Every GeoJSON of Cartess is built
from these declarations, by PostGIS, in one statement (composed in cartography.sql):
`layer_get("organisations").feature_collection("map", filters=...)`.

A public variant of a model that lists its `PUBLIC_FIELDS` (premises) reads nothing else:
the declaration is refused at import otherwise.
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace

from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.db import connection, models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cartography import map_cells, sql
from cartography.filters import AreaFilters
from cartography.models import Premises, ReferenceArea
from cartography.places import PlaceFilters, place_list
from directory import sql as directory_sql
from directory.filters import BBox, OrganisationFilters
from directory.models import FundingScheme, Organisation, PublicationStatus
from directory.selectors import organisation_sort_resolve

PUBLIC, STAFF = "public", "staff"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Property:
    """One property of a layer's features: its `name`, the SQL expression (on the layer's
    table alias) that gives it, and the model fields it `reads`."""

    name: str
    sql: str
    reads: tuple[str, ...] = ()
    #: Staff-only fields read only to derive a public value (a rule of cartography.site_state),
    #: never shown as they are.
    derives: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):  # written into the SQL as a JSON key
            raise ValueError(f"Invalid property name: {self.name!r}")


def columns(model: type[models.Model], alias: str, *names: str, **renamed: str) -> tuple:
    """Properties that are the model's fields `names` as they are, and `renamed` (property
    name -> field name)."""
    pairs = [(name, name) for name in names] + list(renamed.items())
    return tuple(
        Property(key, f"{alias}.{model._meta.get_field(name).column}", reads=(name,))
        for key, name in pairs
    )


#: How a variant's selection becomes a statement: (feature SQL, **selection) -> (SQL, params).
Statement = Callable[..., tuple[str, Mapping | list]]


@dataclass(frozen=True)
class Variant:
    """One way a layer is served: to whom, drawn with which `geometry` (an SQL expression
    reading the model fields `geometry_reads`), with which properties, and the `statement`
    that selects its rows."""

    audience: str
    geometry: str
    geometry_reads: tuple[str, ...]
    properties: tuple[Property, ...]
    statement: Statement

    def reads(self) -> set[str]:
        """Every model field this variant reads."""
        return {*self.geometry_reads, *(name for prop in self.properties for name in prop.reads)}


@dataclass(frozen=True)
class Layer:
    """A map layer, declared once; see the module's docstring."""

    name: str
    title: Promise
    model: type[models.Model]
    alias: str
    #: The geometry column; None for a layer of features without geometry (funding schemes).
    geometry: str | None
    filters: type | None
    variants: Mapping[str, Variant] = field(default_factory=dict)
    srid: int = 4326

    def __post_init__(self) -> None:
        column = self.model._meta.get_field(self.geometry) if self.geometry else None
        if self.geometry and (not isinstance(column, GeometryField) or column.srid != self.srid):
            raise ValueError(f"{self.name}: {self.geometry} is not a geometry in {self.srid}")
        for key, variant in self.variants.items():
            hidden = self.non_public_reads(variant)
            if hidden:
                raise ValueError(f"{self.name}/{key} shows non-public fields: {sorted(hidden)}")

    def non_public_reads(self, variant: Variant) -> set[str]:
        """The fields a PUBLIC `variant` reads beyond the model's `PUBLIC_FIELDS` (none when
        the model does not list them, or for STAFF)."""
        public = getattr(self.model, "PUBLIC_FIELDS", None)
        if public is None or variant.audience != PUBLIC:
            return set()
        return variant.reads() - set(public)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def feature_sql(self, variant: str) -> str:
        """The SQL expression of one Feature of `variant` (its id, geometry, properties) on
        this layer's table alias. Raises KeyError for an unknown variant."""
        chosen = self.variants[variant]
        return sql.feature(
            geometry=chosen.geometry,
            properties=[(prop.name, prop.sql) for prop in chosen.properties],
            feature_id=f"{self.alias}.id",
        )

    def feature_collection(self, variant: str = "map", **selection) -> str:
        """This layer's `variant` as GeoJSON text (a FeatureCollection), built by PostGIS in
        one statement; `selection` is what the variant's statement takes (see LAYERS).

        Raises KeyError for an unknown variant. Reads only.
        """
        chosen = self.variants[variant]
        statement, params = chosen.statement(self.feature_sql(variant), **selection)
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return named_collection(cursor.fetchone()[0], name=self.name)


#: How PostgreSQL's json_build_object writes the start of every collection (cartography.sql).
_COLLECTION_HEAD = '{"type" : "FeatureCollection", '


def named_collection(text: str, *, name: str) -> str:
    """The FeatureCollection `text` with the top-level member `"name"` right after its type:
    what GDAL's GeoJSON driver (ogr2ogr, QGIS) takes as the layer's name, which is
    otherwise empty. Raises ValueError if `text` is not a collection PostGIS built."""
    return collection_with_members(text, name=name)


def collection_with_members(text: str, **members) -> str:
    """The FeatureCollection `text` (built by cartography.sql) with the top-level `members`
    (JSON values) right after its type, without parsing its features. Raises ValueError if
    `text` is not a collection PostGIS built."""
    if not text.startswith(_COLLECTION_HEAD):
        raise ValueError("Not a FeatureCollection built by cartography.sql")
    head = "".join(f"{json.dumps(key)} : {json.dumps(value)}, " for key, value in members.items())
    return f"{_COLLECTION_HEAD}{head}{text[len(_COLLECTION_HEAD) :]}"


# --- Organisations ---------------------------------------------------------------------------

#: Beyond this many points, the admin's map without clustering stops being readable.
OVERVIEW_FEATURE_LIMIT = 5000
#: The whole world, for the kept cells of a map asked for without an extent.
_WORLD = BBox(minlon=-180, minlat=-90, maxlon=180, maxlat=90)


def _organisation_map(feature: str, *, filters: OrganisationFilters, cap: int | None = None):
    """The published organisations with a point matching `filters`: points while at most
    `cap` match (default: the setting CARTESS_MAP_POINT_CAP), else clusters on the grid
    level fitted to the bounding box (`map_cells.cluster_level`). Without any filter but
    the extent, at a level PostgreSQL keeps, the clusters are read from the kept cells
    (`sql.organisation_map_kept`), else computed from the matching points
    (`sql.organisation_map`)."""
    where, params = directory_sql.organisation_filter(filters)
    level = map_cells.cluster_level(filters.bbox)
    params |= {
        "cap": cap if cap is not None else settings.CARTESS_MAP_POINT_CAP,
        "cell": map_cells.cell_size(level),
        "level": level,
    }
    unfiltered = replace(filters, bbox=None) == OrganisationFilters()
    if not unfiltered or level >= map_cells.KEPT_LEVELS:
        return sql.organisation_map(feature=feature, where=where), params
    extent = filters.bbox or _WORLD
    params |= {f"cell_{name}": value for name, value in asdict(extent).items()}
    return sql.organisation_map_kept(feature=feature, where=where), params


def _organisation_export(feature: str, *, filters: OrganisationFilters, sort: str = ""):
    """Every published organisation matching `filters`, with or without a point, in the
    directory's order (`relevance` with a query, else `name`): the directory's export."""
    sort = organisation_sort_resolve(sort=sort, filters=filters, origin=None)
    where, params = directory_sql.organisation_filter(filters)
    order = directory_sql.organisation_order(sort)
    return sql.organisation_export(feature=feature, where=where, order=order), params


def _organisation_overview(feature: str, *, queryset, limit: int = OVERVIEW_FEATURE_LIMIT):
    """The organisations of `queryset` (any status: staff only) with a point, by name, at
    most `limit`: the map above the admin's list."""
    subquery, params = queryset.order_by().values("pk").query.sql_with_params()
    return sql.organisation_overview(feature=feature, subquery=subquery), [*params, limit]


_KINDS = Property("kinds", directory_sql.KIND_SLUGS, reads=("kinds",))
#: Who to credit for the listing: the sources it was imported from (none: typed in Cartess).
_SOURCES = Property("sources", sql.ORGANISATION_SOURCES)
#: Who last corrected it by hand (its owner, a network, the Cartess team) and when; an
#: import never changes it: its credit stays in `sources`.
_EDITED = Property(
    "edited", sql.ORGANISATION_EDITED, reads=("edited_by", "edited_by_network", "edited_on")
)

ORGANISATIONS = Layer(
    name="organisations",
    title=_("Organisations de l'ESS"),
    model=Organisation,
    alias="o",
    geometry="location",
    filters=OrganisationFilters,
    variants={
        # /api/v1/organisations/ and /carte/: a popup's essentials, clusters at wide extents.
        "map": Variant(
            audience=PUBLIC,
            geometry="o.location",
            geometry_reads=("location",),
            properties=(
                *columns(
                    Organisation, "o", "slug", "name", "acronym", "street", "postcode", "city"
                ),
                _KINDS,
                _SOURCES,
                _EDITED,
            ),
            statement=_organisation_map,
        ),
        # /annuaire/export.geojson: the CSV export's columns, kinds as slugs.
        "export": Variant(
            audience=PUBLIC,
            geometry="o.location",
            geometry_reads=("location",),
            properties=(
                *(
                    _KINDS if name == "kinds" else Property(name, expression)
                    for name, expression in directory_sql.EXPORT_COLUMNS.items()
                    if name != "id"
                ),
                _SOURCES,
                _EDITED,
            ),
            statement=_organisation_export,
        ),
        # The admin's list of organisations: the map of its current selection.
        "overview": Variant(
            audience=STAFF,
            geometry="o.location",
            geometry_reads=("location",),
            properties=columns(Organisation, "o", "name"),
            statement=_organisation_overview,
        ),
    },
)


# --- Premises ----------------------------------------------------------------------------------


#: A site's availability as the public sees it (cartography.site_state): the recorded one,
#: unless the pipeline closed the site. It reads the stage only to derive that value.
PUBLIC_STATUS = Property(
    "status", sql.premises_public_status_sql("p"), reads=("status",), derives=("pipeline_stage",)
)


def _premises_published(feature: str):
    return sql.premises_published(feature=feature), {"published": PublicationStatus.PUBLISHED}


def _premises_of_ids(feature: str, *, ids: list[int]):
    return sql.premises_of_ids(feature=feature), {"ids": list(ids)}


#: Every field of a site but its geometries, under its column name, for the staff export.
_PREMISES_EVERY_FIELD = tuple(
    Property(column.column, f"p.{column.column}", reads=(column.name,))
    for column in Premises._meta.concrete_fields
    if not isinstance(column, GeometryField)
)

PREMISES = Layer(
    name="premises",
    title=_("Locaux et terrains"),
    model=Premises,
    alias="p",
    # A site has a point, an outline or both: the variants draw the point (else a point on
    # the outline) or the outline (else the point).
    geometry="location",
    filters=None,
    variants={
        # /api/v1/premises/: published sites, public fields only, each at a point (a site
        # known by its outline only is shown at a point on that outline).
        "map": Variant(
            audience=PUBLIC,
            geometry=sql.SITE_POINT,
            geometry_reads=("location", "footprint"),
            properties=(
                *columns(Premises, "p", "slug", "name", "kind", "surface_m2"),
                PUBLIC_STATUS,
                *columns(Premises, "p", "built_surface_m2", "street", "postcode", "city"),
                *columns(Premises, "p", "owner_type", "available_from", "social_lease"),
                Property("third_place", sql.PREMISES_THIRD_PLACE, reads=("third_place",)),
            ),
            statement=_premises_published,
        ),
        # /foncier/ (staff): the sites of the list, drawn by their outline when known.
        "land": Variant(
            audience=STAFF,
            geometry=sql.SITE_SHAPE_GEOJSON,
            geometry_reads=("location", "footprint"),
            properties=(
                *columns(Premises, "p", "slug", "name", "kind", stage="pipeline_stage"),
                PUBLIC_STATUS,
                *columns(Premises, "p", "surface_m2", "built_surface_m2", "street", "city"),
            ),
            statement=_premises_of_ids,
        ),
        # /foncier/export.geojson (staff): every field, the quartier and the computed area.
        "land-export": Variant(
            audience=STAFF,
            geometry=sql.SITE_SHAPE_GEOJSON,
            geometry_reads=("location", "footprint"),
            properties=(
                *_PREMISES_EVERY_FIELD,
                Property("quartier", sql.SITE_QUARTIER, reads=("location", "footprint")),
                Property("computed_surface_m2", sql.SITE_AREA_M2, reads=("footprint",)),
            ),
            statement=_premises_of_ids,
        ),
    },
)


# --- Reference areas ---------------------------------------------------------------------------

#: About 5 m at Lille's latitude: invisible on a city map, far lighter outlines.
AREA_SIMPLIFY_TOLERANCE = 0.00005


def _areas(feature: str, *, filters: AreaFilters | None = None, tolerance=AREA_SIMPLIFY_TOLERANCE):
    """Reference areas of `filters.kinds` (every kind without filters), outlines simplified
    by `tolerance` degrees."""
    kinds = list(filters.kinds) if filters else []
    return sql.areas(feature=feature), {"kinds": kinds, "tolerance": tolerance}


AREAS = Layer(
    name="areas",
    title=_("Communes, quartiers et QPV"),
    model=ReferenceArea,
    alias="a",
    geometry="geometry",
    filters=AreaFilters,
    variants={
        # /api/v1/areas/: `slug` is what the organisation filter `quartier=` accepts.
        "map": Variant(
            audience=PUBLIC,
            geometry=sql.AREA_OUTLINE,
            geometry_reads=("geometry",),
            properties=(
                *columns(ReferenceArea, "a", "kind", "code", "name"),
                Property("slug", directory_sql.AREA_SLUG, reads=("name",)),
            ),
            statement=_areas,
        ),
    },
)


# --- Places of the ESS (issue 17) ------------------------------------------------------------


def _places_map(feature: str, *, filters: PlaceFilters):
    """The places of /lieux/ matching `filters` (cartography.places.place_list) with a point,
    with the columns the map reads (its id, and `Variant.reads`)."""
    read = sorted({"id", *PLACES.variants["map"].reads()})
    places = place_list(filters=filters).filter(location__isnull=False).order_by().values(*read)
    subquery, params = places.query.sql_with_params()
    return sql.places_map(feature=feature, subquery=subquery), list(params)


PLACES = Layer(
    name="places",
    title=_("Lieux de l'ESS"),
    model=Organisation,
    alias="o",
    geometry="location",
    filters=PlaceFilters,
    variants={
        # /lieux/carte.geojson: the map of /lieux/, with the same filters as its list.
        "map": Variant(
            audience=PUBLIC,
            geometry="o.location",
            geometry_reads=("location",),
            properties=(
                *columns(Organisation, "o", "slug", "name", "street", "postcode", "city"),
                Property("totem", sql.PLACE_TOTEM, reads=("place_roles",)),
                Property("services", sql.PLACE_SERVICE_NAMES, reads=("service_names",)),
            ),
            statement=_places_map,
        ),
    },
)


# --- Funding schemes (no geometry) ----------------------------------------------------------


def _funding_schemes_published(feature: str):
    return sql.funding_schemes_published(feature=feature), {
        "published": PublicationStatus.PUBLISHED
    }


FUNDING_SCHEMES = Layer(
    name="funding-schemes",
    title=_("Dispositifs de financement"),
    model=FundingScheme,
    alias="f",
    geometry=None,
    filters=None,
    variants={
        # /ogc/collections/funding-schemes/: features without geometry (OGC API Features).
        "map": Variant(
            audience=PUBLIC,
            geometry="NULL::geometry",
            geometry_reads=(),
            properties=columns(
                FundingScheme,
                "f",
                *("slug", "name", "description", "url", "funders_label", "territory_scope"),
                *("territory_label", "amount_min", "amount_max", "amount_text", "recurrence"),
                *("opens_on", "closes_on", "last_verified_on", "updated_at"),
            ),
            statement=_funding_schemes_published,
        ),
    },
)


#: The layers by name: the map's, the places' and the funding schemes (served by OGC API
#: Features).
LAYERS: dict[str, Layer] = {
    layer.name: layer for layer in (ORGANISATIONS, PREMISES, AREAS, PLACES, FUNDING_SCHEMES)
}


def layer_get(name: str) -> Layer:
    """The layer called `name` ("organisations", "premises", "areas", "places",
    "funding-schemes").

    Raises KeyError for an unknown name.
    """
    return LAYERS[name]

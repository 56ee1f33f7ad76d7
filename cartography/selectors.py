"""Reads of the cartography app (STYLE rule 2): keyword-only functions named `<entity>_<action>`."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Count, Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cartography import sql
from cartography.layers import PREMISES
from cartography.matching import need_match_score
from cartography.models import (
    NeedProposal,
    PipelineEvent,
    PlaceService,
    PlaceSpace,
    Premises,
    PremisesKind,
    PremisesNeed,
    PremisesNote,
    ReferenceArea,
)
from cartography.origin import layer_collection_published
from cartography.services import surface_mismatch
from cartography.site_state import premises_open_q
from directory.limits import MAP_BBOX_MAX_DEGREES
from directory.models import Organisation, PlaceRole, PublicationStatus, Source
from directory.places import service_names

#: The slug of the source whose run loads the premises layer even when it brings no site.
PREMISES_SOURCE_SLUG = "cartofriches"


def premises_layer_missing() -> str:
    """A French message when the land and premises layer is not loaded, else "". One
    query when a site exists, two otherwise.

    Loaded means a premises row exists, published or not (a draft is a site under review:
    the layer is there, an empty public answer is then a fact), or a Cartofriches import
    has succeeded (it may have found no friche in the territory, a fact too). Without
    either, an empty collection would read as "no site" when nothing was ever loaded.
    The run is read through the directory's `Source` (its `runs`, importers' `ImportRun`):
    cartography never imports importers.
    """
    if Premises.objects.exists():
        return ""
    runs = Source.objects.filter(
        slug=PREMISES_SOURCE_SLUG, runs__status="reussi", runs__dry_run=False
    )
    if runs.exists():
        return ""
    return _(
        "Locaux et terrains : couche non chargée. Aucun local ni terrain n'est encore saisi "
        "et aucun import Cartofriches n'a abouti : une liste vide ne voudrait rien dire."
    )


def map_config_get() -> dict:
    """What the map script needs from the settings: tiles, default view, BAN address, no query.

    Tiles and the default view come from `LEAFLET_CONFIG` (django-leaflet), the address search
    from `CARTESS_BAN_BASE_URL`.
    """
    leaflet = settings.LEAFLET_CONFIG
    tiles = [
        {"name": name, "url": url, "options": options}
        for name, url, options in leaflet.get("TILES", [])
    ]
    return {
        "center": list(leaflet.get("DEFAULT_CENTER", (50.631, 3.057))),
        "zoom": leaflet.get("DEFAULT_ZOOM", 12),
        "minZoom": leaflet.get("MIN_ZOOM", 3),
        "maxZoom": leaflet.get("MAX_ZOOM", 19),
        "tiles": tiles,
        "banUrl": settings.CARTESS_BAN_BASE_URL.rstrip("/"),
        "bboxMaxDegrees": MAP_BBOX_MAX_DEGREES,
    }


def premises_published_count() -> int:
    """How many premises the public can find (published ones). One query."""
    return Premises.objects.filter(publication_status=PublicationStatus.PUBLISHED).count()


# --- Land workspace (/foncier/, staff only) -------------------------------------------------

#: The spatial context of a site looks this far for QPV, and for organisations.
QPV_DISTANCE_M = 300
NEARBY_DISTANCE_M = 500


@dataclass(frozen=True)
class LandFilters:
    """Filters of the list of sites; empty values filter nothing."""

    kinds: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    surface_min: int | None = None
    surface_max: int | None = None
    owner_type: str = ""
    status: str = ""
    planning_zone: str = ""
    pollution: str = ""
    quartier: ReferenceArea | None = None
    qpv: str = ""  # "dans" (intersects a QPV) or "proche" (within QPV_DISTANCE_M)
    social_lease: bool = False


def _land_queryset(filters: LandFilters) -> QuerySet[Premises]:
    surface = Coalesce("built_surface_m2", "surface_m2")
    queryset = Premises.objects.annotate(surface=surface)
    plain = {
        "kind__in": filters.kinds,
        "pipeline_stage__in": filters.stages,
        "surface__gte": filters.surface_min,
        "surface__lte": filters.surface_max,
        "owner_type": filters.owner_type,
        "status": filters.status,
        "planning_zone": filters.planning_zone,
        "pollution": filters.pollution,
        "social_lease": filters.social_lease,
    }
    queryset = queryset.filter(**{key: value for key, value in plain.items() if value})
    if filters.quartier is not None:
        queryset = queryset.filter(
            RawSQL(sql.PREMISES_IN_AREA, (filters.quartier.pk,), BooleanField())  # noqa: S611
        )
    if filters.qpv:
        distance = QPV_DISTANCE_M if filters.qpv == "proche" else 0
        queryset = queryset.filter(
            RawSQL(sql.PREMISES_NEAR_QPV, (distance,), BooleanField())  # noqa: S611
        )
    return queryset


def land_premises_list(*, filters: LandFilters) -> list[Premises]:
    """Sites matching `filters`, by name, each with `quartier_name` and `third_place`. One query.

    Staff only: the rows carry staff-only fields (pipeline stage, owner's name).
    """
    return list(
        _land_queryset(filters)
        .annotate(quartier_name=RawSQL(sql.PREMISES_QUARTIER_NAME, ()))  # noqa: S611
        .select_related("third_place")
        .only(*LAND_LIST_FIELDS)
        .order_by("name", "id")
    )


LAND_LIST_FIELDS = (
    "name",
    "slug",
    "kind",
    "street",
    "postcode",
    "city",
    "surface_m2",
    "built_surface_m2",
    "owner_type",
    "owner_name",
    "status",
    "available_from",
    "pipeline_stage",
    "planning_zone",
    "pollution",
    "publication_status",
    "third_place",
    "third_place__name",
    "third_place__slug",
)


def land_feature_collection_get(*, ids: list[int]) -> str:
    """Sites of `ids` as GeoJSON text built by PostGIS (staff fields included): the "land"
    variant of the premises layer. One query."""
    return PREMISES.feature_collection("land", ids=ids)


def land_export_geojson(*, ids: list[int]) -> str:
    """Every field of the sites of `ids`, their quartier and computed area, as GeoJSON: the
    "land-export" variant of the premises layer, with its origin (cartography.origin).
    Three queries."""
    return layer_collection_published(PREMISES, "land-export", ids=ids)


@dataclass(frozen=True)
class NearbyOrganisation:
    name: str
    slug: str
    distance: int
    third_place: bool


@dataclass(frozen=True)
class SiteContext:
    """Where a site stands: its quartier(s), QPV within 300 m, ESS actors within 500 m..."""

    quartiers: list[str]
    qpv: list[dict]
    nearby: list[NearbyOrganisation]
    nearest_third_place: dict | None
    computed_area_m2: float | None
    surface_gap: float | None

    @property
    def third_places_nearby(self) -> list[NearbyOrganisation]:
        return [organisation for organisation in self.nearby if organisation.third_place]

    @property
    def organisations_nearby(self) -> list[NearbyOrganisation]:
        return [organisation for organisation in self.nearby if not organisation.third_place]


def premises_context_get(*, premises: Premises) -> SiteContext:
    """The spatial context of `premises`, computed by PostGIS in one query.

    Distances are in metres on the spheroid, from the outline when there is one, else from
    the point; the area is the outline's, in Lambert 93 (EPSG:2154), compared with the
    declared land surface (`surface_gap` when they differ by more than 20 %).
    """
    params = {
        "premises_id": premises.pk,
        "qpv_m": QPV_DISTANCE_M,
        "near_m": NEARBY_DISTANCE_M,
        "published": PublicationStatus.PUBLISHED,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql.SITE_CONTEXT, params)
        quartiers, qpv, nearby, nearest, area = cursor.fetchone()
    return SiteContext(
        quartiers=quartiers,
        qpv=qpv,
        nearby=[NearbyOrganisation(**row) for row in nearby],
        nearest_third_place=nearest,
        computed_area_m2=area,
        surface_gap=surface_mismatch(declared_m2=premises.surface_m2, computed_m2=area),
    )


def premises_workspace_get(*, slug: str) -> Premises:
    """A site with its third place, notes, pipeline history and proposals (with authors).

    Raises Premises.DoesNotExist. Four queries.
    """
    return (
        Premises.objects.select_related("third_place")
        .prefetch_related(
            Prefetch("notes", PremisesNote.objects.select_related("author")),
            Prefetch("pipeline_events", PipelineEvent.objects.select_related("author", "need")),
            Prefetch("proposals", NeedProposal.objects.select_related("need", "author")),
        )
        .get(slug=slug)
    )


def _third_places(*, totem_only: bool) -> QuerySet[Organisation]:
    """Published third places, each with the names of its services (`service_names`, in the
    taxonomy's order)."""
    places = Organisation.objects.filter(
        kinds__slug="tiers-lieu", publication_status=PublicationStatus.PUBLISHED
    )
    places = places.annotate(service_names=service_names())
    return places.filter(place_roles__contains=[PlaceRole.TOTEM]) if totem_only else places


def third_places_to_qualify_get(*, totem_only: bool = False) -> list[Organisation]:
    """Published third places with no known space (no premises of kind espace-tiers-lieu yet).

    These are the real places city staff can qualify; no space is invented. `totem_only`
    keeps the "lieux totems". One query.
    """
    return list(
        _third_places(totem_only=totem_only)
        .exclude(spaces__kind=PremisesKind.THIRD_PLACE_SPACE)
        .only("name", "slug", "street", "postcode", "city", "location", "place_roles")
        .order_by("name")
        .distinct()
    )


def third_places_with_spaces_get(*, totem_only: bool = False) -> list[Organisation]:
    """Published third places with their services' names and their known spaces; `totem_only` keeps
    the "lieux totems". Two queries."""
    spaces = Premises.objects.filter(kind=PremisesKind.THIRD_PLACE_SPACE).only(
        *("name", "slug", "third_place_id", "status", "pipeline_stage"),
        *("surface_m2", "built_surface_m2"),
    )
    return list(
        _third_places(totem_only=totem_only)
        .filter(spaces__kind=PremisesKind.THIRD_PLACE_SPACE)
        .prefetch_related(Prefetch("spaces", spaces))
        .only("name", "slug", "street", "postcode", "city", "place_roles")
        .order_by("name")
        .distinct()
    )


@dataclass(frozen=True)
class ThirdPlacePublic:
    """The public face of a place of the ESS: what it offers (`services` with their
    conditions), whether it is a "lieu totem", the spaces it describes itself
    (`place_spaces`), and its published premises still open (public fields only: never the
    owner, notes or stage)."""

    totem: bool
    spaces: list[Premises]
    services: list[PlaceService] = field(default_factory=list)
    place_spaces: list[PlaceSpace] = field(default_factory=list)


#: What the public organisation page may read of a third place's spaces.
THIRD_PLACE_SPACE_PUBLIC_FIELDS = (
    "name",
    "kind",
    "surface_m2",
    "built_surface_m2",
    "status",
    "available_from",
    "third_place_id",
)


def organisation_is_place(*, organisation: Organisation) -> bool:
    """Whether `organisation` is a place of the ESS: a place role (directory.places) or the
    kind tiers-lieu, read from its prefetched kinds (no query then)."""
    return organisation.is_place


def third_place_public_get(*, organisation: Organisation) -> ThirdPlacePublic | None:
    """What the public page of `organisation` shows of it as a place of the ESS, or None.

    None when it is no place (`organisation_is_place`: no query) or when nothing is known
    (no service, own space nor open published space). Premises are the published ones naming
    it still open (cartography.site_state: neither attributed, abandoned, occupied nor
    reconverted), by name, read with public fields only. Three queries for a place.
    """
    if not organisation_is_place(organisation=organisation):
        return None
    services = list(organisation.place_services.select_related("kind"))
    place_spaces = list(organisation.place_spaces.all())
    spaces = list(
        Premises.objects.filter(
            third_place=organisation, publication_status=PublicationStatus.PUBLISHED
        )
        .filter(premises_open_q())
        .only(*THIRD_PLACE_SPACE_PUBLIC_FIELDS)
        .order_by("name", "id")
    )
    if not (spaces or services or place_spaces):
        return None
    return ThirdPlacePublic(
        totem=organisation.is_totem,
        spaces=spaces,
        services=services,
        place_spaces=place_spaces,
    )


def needs_list_get() -> list[PremisesNeed]:
    """Every declared need, newest first, with wished quartiers and proposal count. Two queries."""
    return list(
        PremisesNeed.objects.prefetch_related(
            Prefetch("quartiers", ReferenceArea.objects.only("name"))
        ).annotate(proposal_count=Count("proposals"))
    )


def need_proposals_get(*, need: PremisesNeed) -> list[NeedProposal]:
    """The sites proposed to `need`, newest first, each with its stage and availability
    (cartography.site_state) and the proposal's author. One query, however many."""
    return list(NeedProposal.objects.filter(need=need).select_related("premises", "author"))


@dataclass(frozen=True)
class Candidate:
    """A site ranked for a need, with the reasons of its score (French, for staff)."""

    premises: Premises
    score: int
    reasons: list[str]
    distance_m: float | None
    proposed: bool


def need_candidates_get(*, need: PremisesNeed, limit: int = 20) -> list[Candidate]:
    """Open sites (not allocated, abandoned, occupied or reconverted) ranked for `need`.

    The rules are `need_match_score`; the distance to the nearest wished quartier is computed
    by PostGIS. Best first, then by distance and name; at most `limit`. Three queries.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql.NEED_CANDIDATE_FACTS, {"need_id": need.pk})
        distances = dict(cursor.fetchall())
    sites = Premises.objects.filter(pk__in=list(distances)).only(*LAND_LIST_FIELDS[:-3])
    proposed = set(need.proposals.values_list("premises_id", flat=True))
    candidates = []
    for site in sites:
        score, reasons = need_match_score(need=need, site=site, distance_m=distances[site.pk])
        candidates.append(
            Candidate(site, score, reasons, distances[site.pk], proposed=site.pk in proposed)
        )
    candidates.sort(
        key=lambda c: (-c.score, c.distance_m if c.distance_m is not None else 1e9, c.premises.name)
    )
    return candidates[:limit]

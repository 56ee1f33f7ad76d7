"""The one place tests build objects: French data, points inside Lille (plain functions).

Every test module imports its organisations, offers, sites, areas, needs, users and points
from here. Points are real places of the territory, so that a reader sees where an
organisation stands; geometry helpers place others at a known distance from them.
"""

import math
from itertools import count

from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils.text import slugify

from cartography.models import (
    PlaceService,
    PlaceServiceKind,
    Premises,
    PremisesKind,
    PremisesNeed,
    ReferenceArea,
)
from directory.models import (
    FundingInstrument,
    FundingScheme,
    GeocodingQuality,
    Organisation,
    OrganisationKind,
    PublicationStatus,
    Stage,
    SupportOffer,
)

_sequence = count(1)

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
#: The password of every user made here.
PASSWORD = "mot-de-passe-solide-2026"

# --- Places of the territory -------------------------------------------------------------

#: Real places of the territory, to put organisations where a reader expects them.
LILLE_CENTRE = Point(3.0635, 50.6365, srid=4326)  # Grand'Place
WAZEMMES = Point(3.0497, 50.6263, srid=4326)  # place de la Nouvelle Aventure
FIVES = Point(3.0871, 50.6330, srid=4326)  # Fives Cail
HELLEMMES = Point(3.1081, 50.6263, srid=4326)  # mairie d'Hellemmes
LOMME = Point(3.0148, 50.6440, srid=4326)  # mairie de Lomme
#: Lille-Moulins (Maison Stéphane Hessel, 235 boulevard Paul Painlevé).
MOULINS = Point(3.0727, 50.6197, srid=4326)

#: Metres per degree of latitude; a degree of longitude is this times cos(latitude).
M_PER_DEGREE = 111_320


def east_of(point: Point, metres: float) -> Point:
    """The point `metres` east of `point` (good to a metre at Lille's scale)."""
    dlon = metres / (M_PER_DEGREE * math.cos(math.radians(point.y)))
    return Point(point.x + dlon, point.y, srid=4326)


def north_of(point: Point, metres: float) -> Point:
    """The point `metres` north of `point`."""
    return Point(point.x, point.y + metres / M_PER_DEGREE, srid=4326)


def square_east_of(point: Point, metres: float, side: float = 200) -> MultiPolygon:
    """A square of `side` metres whose west edge lies `metres` east of `point`."""
    west = east_of(point, metres).x
    east = east_of(point, metres + side).x
    half = side / 2 / M_PER_DEGREE
    polygon = Polygon.from_bbox((west, point.y - half, east, point.y + half))
    return MultiPolygon(polygon, srid=4326)


def square_around(point: Point, side: float) -> MultiPolygon:
    """A square of `side` metres centred on `point`."""
    half_lat = side / 2 / M_PER_DEGREE
    half_lon = side / 2 / (M_PER_DEGREE * math.cos(math.radians(point.y)))
    polygon = Polygon.from_bbox(
        (point.x - half_lon, point.y - half_lat, point.x + half_lon, point.y + half_lat)
    )
    return MultiPolygon(polygon, srid=4326)


def lille_square() -> MultiPolygon:
    """A rough square over Lille, enough for a reference area in a test."""
    return MultiPolygon(Polygon.from_bbox((2.97, 50.59, 3.13, 50.67)), srid=4326)


# --- Objects in the database -------------------------------------------------------------


def unique_slug(name: str) -> str:
    return f"{slugify(name)}-{next(_sequence)}"


def make_organisation(
    name: str = "Association La Piscine",
    *,
    kinds: tuple[str, ...] = ("entreprise-ess",),
    location: Point | None = None,
    **fields,
) -> Organisation:
    """An organisation of Lille with the kinds given by slug; published unless told."""
    if location is not None:
        fields.setdefault("geocoding_quality", GeocodingQuality.HOUSENUMBER)
    fields.setdefault("city", "Lille")
    fields.setdefault("postcode", "59000")
    fields.setdefault("insee_code", "59350")
    organisation = Organisation.objects.create(
        name=name, slug=unique_slug(name), location=location, **fields
    )
    organisation.kinds.set(OrganisationKind.objects.filter(slug__in=kinds))
    return organisation


def make_funding_scheme(name: str = "Fonds d'amorçage ESS", **fields) -> FundingScheme:
    return FundingScheme.objects.create(name=name, slug=unique_slug(name), **fields)


def make_pathway_scheme(
    name: str,
    *,
    stages: tuple[str, ...] = ("amorcage",),
    instruments: tuple[str, ...] = ("subvention",),
    areas=(),
    **fields,
) -> FundingScheme:
    """A regional grant (Hauts-de-France) at the stages and with the instruments given by
    slug, limited to `areas` when given: what the pathway tests match a project against."""
    fields.setdefault("territory_scope", "region")
    fields.setdefault("territory_label", "Hauts-de-France")
    made = make_funding_scheme(name, **fields)
    made.stages.set(Stage.objects.filter(slug__in=stages))
    made.instruments.set(FundingInstrument.objects.filter(slug__in=instruments))
    made.territory_areas.set(areas)
    return made


def make_support_offer(name: str = "Incubateur ESS de Lille", **fields) -> SupportOffer:
    return SupportOffer.objects.create(name=name, slug=unique_slug(name), **fields)


def make_premises(name: str = "Friche rue de Valenciennes", **fields) -> Premises:
    fields.setdefault("kind", PremisesKind.FRICHE)
    fields.setdefault("location", FIVES.clone())
    fields.setdefault("city", "Lille")
    return Premises.objects.create(name=name, slug=unique_slug(name), **fields)


def make_area(
    kind: str,
    code: str,
    name: str,
    geometry: MultiPolygon | tuple[float, float, float, float],
) -> ReferenceArea:
    """A reference area (quartier, QPV, commune...) of `geometry`, or of a bounding box
    (minlon, minlat, maxlon, maxlat)."""
    if isinstance(geometry, tuple):
        geometry = MultiPolygon(Polygon.from_bbox(geometry), srid=4326)
    return ReferenceArea.objects.create(kind=kind, code=code, name=name, geometry=geometry)


def make_need(**fields) -> PremisesNeed:
    """A need for premises, sent by Lou Martin unless told."""
    fields.setdefault("title", "Atelier de réparation de vélos")
    fields.setdefault("contact_name", "Lou Martin")
    fields.setdefault("contact_email", "lou@example.org")
    return PremisesNeed.objects.create(**fields)


def make_user(
    username: str, *, groups: tuple[str, ...] = (), password: str = PASSWORD, **fields
) -> User:
    """A user in the groups given by name (created by the data migrations)."""
    user = User.objects.create_user(
        username, email=f"{username}@exemple.fr", password=password, **fields
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def make_place_services(organisation: Organisation, *slugs: str) -> list[PlaceService]:
    """The services `organisation` offers as a place, by slug of the taxonomy (domiciliation,
    salles, bureaux, cuisine...), without conditions."""
    return [
        PlaceService.objects.create(
            organisation=organisation, kind=PlaceServiceKind.objects.get(slug=slug)
        )
        for slug in slugs
    ]

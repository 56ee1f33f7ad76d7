"""Small factories with French data and points inside Lille, for the web and browser tests."""

from itertools import count

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils.text import slugify

from cartography.models import Premises, PremisesKind
from directory.models import (
    FundingScheme,
    GeocodingQuality,
    Organisation,
    OrganisationKind,
    PublicationStatus,
    SupportOffer,
)

_sequence = count(1)

#: Real places of the territory, to put organisations where a reader expects them.
LILLE_CENTRE = Point(3.0635, 50.6365, srid=4326)  # Grand'Place
WAZEMMES = Point(3.0497, 50.6263, srid=4326)  # place de la Nouvelle Aventure
FIVES = Point(3.0871, 50.6330, srid=4326)  # Fives Cail
HELLEMMES = Point(3.1081, 50.6263, srid=4326)  # mairie d'Hellemmes
LOMME = Point(3.0148, 50.6440, srid=4326)  # mairie de Lomme


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


def make_support_offer(name: str = "Incubateur ESS de Lille", **fields) -> SupportOffer:
    return SupportOffer.objects.create(name=name, slug=unique_slug(name), **fields)


def make_premises(name: str = "Friche rue de Valenciennes", **fields) -> Premises:
    fields.setdefault("kind", PremisesKind.FRICHE)
    fields.setdefault("location", FIVES.clone())
    fields.setdefault("city", "Lille")
    return Premises.objects.create(name=name, slug=unique_slug(name), **fields)


def lille_square() -> MultiPolygon:
    """A rough square over Lille, enough for a reference area in a test."""
    return MultiPolygon(Polygon.from_bbox((2.97, 50.59, 3.13, 50.67)), srid=4326)


PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT

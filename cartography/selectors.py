"""Reads of the cartography app (STYLE rule 2): keyword-only functions named `<entity>_<action>`."""

from django.conf import settings
from django.db import connection

from cartography import sql
from directory.models import PublicationStatus

#: About 5 m at Lille's latitude: invisible on a city map, far lighter outlines.
AREA_SIMPLIFY_TOLERANCE = 0.00005


def area_feature_collection_get(
    *, kinds: tuple[str, ...] = (), tolerance: float = AREA_SIMPLIFY_TOLERANCE
) -> str:
    """Reference areas of `kinds` (all when empty) as GeoJSON text built by PostGIS.

    Each feature has `kind`, `code`, `name` and `slug` (what `quartier=` accepts); outlines
    are simplified by `tolerance` degrees, topology preserved, 6 decimals. One query.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql.AREA_FEATURE_COLLECTION, {"kinds": list(kinds), "tolerance": tolerance})
        return cursor.fetchone()[0]


def quartier_choices_get() -> list[tuple[str, str]]:
    """(slug, name) of every quartier, by name, for the filter panels. One query."""
    with connection.cursor() as cursor:
        cursor.execute(sql.QUARTIER_CHOICES)
        return [(slug, name) for slug, name in cursor.fetchall()]


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
    }


def premises_feature_collection_get() -> str:
    """Published premises as GeoJSON text built by PostGIS, with public fields only.

    Never reads `Premises.STAFF_ONLY_FIELDS` (owner's name, internal notes). One query.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql.PREMISES_FEATURE_COLLECTION, {"published": PublicationStatus.PUBLISHED})
        return cursor.fetchone()[0]

"""The territory Cartess covers, and the test a raw row must pass to be imported.

The territory is the set of INSEE codes of `settings.CARTESS_TERRITORY_INSEE_CODES`. When
the `communes` source has loaded their outlines, a row with a point is kept when the point
falls inside them (the reliable test: Saint-André-lez-Lille has postcode 59350 and a
"Lille" in its name, but lies outside); otherwise its INSEE code decides, then its commune
name.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.gis.geos.prepared import PreparedGeometry
from django.utils.text import slugify

from cartography.models import AreaKind, ReferenceArea
from importers.engine.base import Whereabouts

COMMUNE_KINDS = (AreaKind.COMMUNE, AreaKind.ASSOCIATED_COMMUNE)


@dataclass(frozen=True)
class Territory:
    """The INSEE codes, the outline (None until the communes are loaded) and commune names."""

    insee_codes: frozenset[str]
    boundary: PreparedGeometry | None = None
    city_names: frozenset[str] = frozenset()

    @property
    def test_name(self) -> str:
        """How rows with a point are tested: "contours" or "code INSEE"."""
        return "contours" if self.boundary is not None else "code INSEE"

    def contains(self, where: Whereabouts) -> bool:
        """Whether a row found at `where` belongs to the territory."""
        if where.point is not None and self.boundary is not None:
            return self.boundary.intersects(where.point)
        if where.insee_code:
            return where.insee_code in self.insee_codes
        if where.city:
            return city_key(where.city) in self.city_names
        return False


def city_key(name: str) -> str:
    """A comparable commune name: "LILLE" and "Lille " match, "Saint-André-lez-Lille" does not."""
    return slugify(name)


def territory_current() -> Territory:
    """The territory with the commune outlines and names loaded so far (reads the database)."""
    codes = frozenset(settings.CARTESS_TERRITORY_INSEE_CODES)
    areas = list(ReferenceArea.objects.filter(kind__in=COMMUNE_KINDS, code__in=codes))
    if not areas:
        return Territory(insee_codes=codes)
    outline: GEOSGeometry = areas[0].geometry
    for area in areas[1:]:
        outline = outline.union(area.geometry)
    names = {city_key(area.name) for area in areas}
    # Hellemmes-Lille is written "Hellemmes" in most files.
    names |= {name.removesuffix("-lille") for name in names}
    return Territory(insee_codes=codes, boundary=outline.prepared, city_names=frozenset(names))

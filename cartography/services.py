"""Write services of the cartography app: reference areas (communes, quartiers, QPV...).

Geometry arrives in EPSG:4326 only: callers parse their input and never let it choose a
spatial reference (see the `gis.W001` note in config/settings/base.py).
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cartography.models import ReferenceArea

#: The only spatial reference a stored geometry may have.
STORAGE_SRID = 4326

AREA_PLAIN_FIELDS = ("kind", "code", "name", "geometry")


@dataclass(frozen=True)
class AreaData:
    """An official outline. `parent_kind`/`parent_code` name the enclosing area, if any."""

    kind: str
    code: str
    name: str
    geometry: MultiPolygon
    parent_kind: str = ""
    parent_code: str = ""


def area_parent(*, data: AreaData) -> ReferenceArea | None:
    """The enclosing area `data` names, or None when it is not named or not loaded yet."""
    if not data.parent_code:
        return None
    return ReferenceArea.objects.filter(kind=data.parent_kind, code=data.parent_code).first()


def area_create(*, data: AreaData) -> ReferenceArea:
    """Create a reference area; its parent is linked when that area is already loaded.

    Raises ValidationError when the geometry is not an EPSG:4326 multipolygon or the
    (kind, code) pair is taken.
    """
    area = ReferenceArea(parent=area_parent(data=data))
    _write(area, data, AREA_PLAIN_FIELDS)
    area.save()
    return area


def area_update(*, area: ReferenceArea, data: AreaData, fields: Collection[str]) -> ReferenceArea:
    """Write the named `fields` of `data` (among kind, code, name, geometry, parent) onto `area`.

    Raises ValidationError like `area_create`.
    """
    plain = [name for name in AREA_PLAIN_FIELDS if name in fields]
    if "parent" in fields:
        area.parent = area_parent(data=data)
        plain.append("parent")
    if plain:
        _write(area, data, plain)
        area.save(update_fields=plain)
    return area


def _write(area: ReferenceArea, data: AreaData, names: Collection[str]) -> None:
    if data.geometry.srid != STORAGE_SRID:
        raise ValidationError(_("Un contour doit être en EPSG:%(srid)s.") % {"srid": STORAGE_SRID})
    for name in names:
        if name != "parent":
            setattr(area, name, getattr(data, name))
    area.full_clean()

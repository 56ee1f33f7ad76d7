"""Write services of the cartography app: reference areas (communes, quartiers, QPV...) and
premises opportunities (friches, vacant premises...).

Geometry arrives in EPSG:4326 only: callers parse their input and never let it choose a
spatial reference (see the `gis.W001` note in config/settings/base.py).
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.gis.geos import MultiPolygon, Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cartography.models import (
    OwnerType,
    Pollution,
    Premises,
    PremisesStatus,
    ReferenceArea,
)
from directory.models import PublicationStatus
from directory.services import unique_slug

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


@dataclass(frozen=True)
class PremisesData:
    """A land or premises opportunity; a `location`, a `footprint` or both (EPSG:4326).

    `owner_name` is a staff-only field (see `Premises.STAFF_ONLY_FIELDS`).
    """

    name: str
    kind: str
    description: str = ""
    location: Point | None = None
    footprint: MultiPolygon | None = None
    street: str = ""
    postcode: str = ""
    city: str = ""
    insee_code: str = ""
    surface_m2: int | None = None
    built_surface_m2: int | None = None
    owner_type: str = OwnerType.UNKNOWN
    owner_name: str = ""
    status: str = PremisesStatus.UNKNOWN
    planning_zone: str = ""
    pollution: str = Pollution.UNKNOWN
    publication_status: str = PublicationStatus.DRAFT


PREMISES_PLAIN_FIELDS = (
    "name",
    "kind",
    "description",
    "location",
    "footprint",
    "street",
    "postcode",
    "city",
    "insee_code",
    "surface_m2",
    "built_surface_m2",
    "owner_type",
    "owner_name",
    "status",
    "planning_zone",
    "pollution",
    "publication_status",
)


def premises_create(*, data: PremisesData) -> Premises:
    """Create a premises opportunity with a unique slug built from its name.

    Raises ValidationError when a value breaks a rule of the model (no geometry, a
    geometry outside EPSG:4326, an unknown status...).
    """
    premises = Premises(slug=unique_slug(model=Premises, name=data.name))
    _write_premises(premises, data, PREMISES_PLAIN_FIELDS)
    premises.save()
    return premises


def premises_update(*, premises: Premises, data: PremisesData, fields: Collection[str]) -> Premises:
    """Write the named `fields` of `data` onto `premises`, and only those.

    Raises ValidationError like `premises_create`.
    """
    plain = [name for name in PREMISES_PLAIN_FIELDS if name in fields]
    if plain:
        _write_premises(premises, data, plain)
        premises.save(update_fields=[*plain, "updated_at"])
    return premises


def _write_premises(premises: Premises, data: PremisesData, names: Collection[str]) -> None:
    for geometry in (data.location, data.footprint):
        if geometry is not None and geometry.srid != STORAGE_SRID:
            raise ValidationError(
                _("Une géométrie doit être en EPSG:%(srid)s.") % {"srid": STORAGE_SRID}
            )
    for name in names:
        setattr(premises, name, getattr(data, name))
    premises.full_clean()

"""Write services of the cartography app: reference areas (communes, quartiers, QPV...) and
premises opportunities (friches, vacant premises...).

Geometry arrives in EPSG:4326 only: callers parse their input and never let it choose a
spatial reference (see the `gis.W001` note in config/settings/base.py).
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cartography import sql
from cartography.models import (
    PIPELINE_TRANSITIONS,
    NeedProposal,
    NeedStatus,
    OwnerType,
    PipelineEvent,
    PipelineStage,
    Pollution,
    Premises,
    PremisesNeed,
    PremisesNote,
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


# --- Land workspace: geometry rules, pipeline, notes, needs and proposals ----------------------

#: A rectangle around Lille, Hellemmes and Lomme (minlon, minlat, maxlon, maxlat): the
#: territory when its communes are not loaded.
LILLE_BBOX = (2.96, 50.58, 3.15, 50.68)
#: Declared and drawn surfaces differing by more than this share get a warning.
SURFACE_TOLERANCE = 0.20


def territory_covers(*, geometry: GEOSGeometry) -> bool:
    """Whether Lille, Hellemmes and Lomme cover `geometry` (their outlines, else a rectangle)."""
    minlon, minlat, maxlon, maxlat = LILLE_BBOX
    params = {
        "insee_codes": list(settings.CARTESS_TERRITORY_INSEE_CODES),
        "minlon": minlon,
        "minlat": minlat,
        "maxlon": maxlon,
        "maxlat": maxlat,
        "ewkt": geometry.ewkt,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql.TERRITORY_COVERS, params)
        return bool(cursor.fetchone()[0])


def premises_geometry_validate(
    *, location: Point | None, footprint: MultiPolygon | None
) -> dict[str, str]:
    """Check the geometry of a site drawn by a person; return the error of each bad field.

    A site needs a point or an outline; an outline must not cross itself; both must lie in
    Lille, Hellemmes or Lomme. Only EPSG:4326 is accepted (never let input choose a CRS).
    """
    if location is None and footprint is None:
        return {"location": _("Placez le site sur la carte : un point, une emprise ou les deux.")}
    errors = {}
    for name, geometry in (("location", location), ("footprint", footprint)):
        if geometry is None:
            continue
        if geometry.srid != STORAGE_SRID:
            errors[name] = _("Une géométrie doit être en EPSG:%(srid)s.") % {"srid": STORAGE_SRID}
        elif not geometry.valid:
            errors[name] = _(
                "L'emprise dessinée n'est pas valide (%(reason)s) : ses côtés se croisent "
                "sans doute. Redessinez-la sans croisement."
            ) % {"reason": geometry.valid_reason}
        elif not territory_covers(geometry=geometry):
            errors[name] = _(
                "Cette géométrie sort du territoire de Lille, Hellemmes et Lomme : "
                "placez-la dans ces communes."
            )
    return errors


def surface_mismatch(*, declared_m2: int | None, computed_m2: float | None) -> float | None:
    """The relative gap between a declared and a computed surface, when above the tolerance.

    Returns None when either is unknown or they agree within `SURFACE_TOLERANCE`.
    """
    if not declared_m2 or not computed_m2:
        return None
    gap = abs(declared_m2 - computed_m2) / computed_m2
    return gap if gap > SURFACE_TOLERANCE else None


#: Paths of /foncier/ that a site's slug must not take.
RESERVED_SLUGS = frozenset({"connexion", "deconnexion", "sites", "tiers-lieux", "besoins"})


def premises_staff_save(*, premises: Premises) -> Premises:
    """Save a site created or edited by city staff in /foncier/ (a new one gets its slug).

    The caller has validated the geometry (`premises_geometry_validate`). Raises
    ValidationError when a value breaks a rule of the model.
    """
    if not premises.slug:
        slug = unique_slug(model=Premises, name=premises.name)
        # /foncier/<slug>/ shares its URL space with the workspace's own pages.
        premises.slug = f"{slug}-site" if slug in RESERVED_SLUGS else slug
    premises.full_clean()
    premises.save()
    return premises


@transaction.atomic
def premises_stage_move(
    *, premises: Premises, to_stage: str, note: str, author: AbstractBaseUser
) -> PipelineEvent:
    """Move `premises` along the pipeline and record the move (append-only history).

    Raises ValidationError when the pipeline does not allow the move from the current stage.
    """
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    from_stage = premises.pipeline_stage
    if to_stage not in PIPELINE_TRANSITIONS.get(from_stage, ()):
        raise ValidationError(
            _("Un site à l'étape « %(from)s » ne peut pas passer à « %(to)s ».")
            % {
                "from": PipelineStage(from_stage).label,
                "to": dict(PipelineStage.choices).get(to_stage, to_stage),
            }
        )
    premises.pipeline_stage = to_stage
    premises.save(update_fields=["pipeline_stage", "updated_at"])
    return PipelineEvent.objects.create(
        premises=premises, from_stage=from_stage, to_stage=to_stage, note=note, author=author
    )


def premises_note_add(*, premises: Premises, text: str, author: AbstractBaseUser) -> PremisesNote:
    """Add a dated note by `author` to `premises`. Notes are never edited afterwards.

    Raises ValidationError when the text is empty.
    """
    text = text.strip()
    if not text:
        raise ValidationError(_("La note est vide."))
    return PremisesNote.objects.create(premises=premises, text=text, author=author)


@dataclass(frozen=True)
class NeedData:
    """A premises need, as declared by a project holder (public form) or staff."""

    title: str
    contact_name: str
    contact_email: str
    holder_name: str = ""
    contact_phone: str = ""
    surface_min_m2: int | None = None
    surface_max_m2: int | None = None
    kinds: list[str] = field(default_factory=list)
    quartiers: Collection[ReferenceArea] = ()
    budget_per_month: int | None = None
    needed_from: date | None = None
    description: str = ""


@transaction.atomic
def need_create(*, data: NeedData) -> PremisesNeed:
    """Save a declared need (status "nouveau") with its wished quartiers.

    Raises ValidationError when a value breaks a rule (surface range out of order...).
    """
    values = {name: getattr(data, name) for name in NeedData.__dataclass_fields__}
    del values["quartiers"]
    need = PremisesNeed(**values)
    need.full_clean()
    need.save()
    need.quartiers.set(data.quartiers)
    return need


@transaction.atomic
def need_proposal_create(
    *, need: PremisesNeed, premises: Premises, note: str, author: AbstractBaseUser
) -> NeedProposal:
    """Propose `premises` to `need`, and record it in the site's pipeline.

    A site still at "identifié" or "qualifié" moves to "proposé à une structure"; otherwise
    the event records the proposal without a move. A new need becomes "en cours d'étude".
    Raises ValidationError when the site was already proposed to this need.
    """
    if NeedProposal.objects.filter(need=need, premises=premises).exists():
        raise ValidationError(_("Ce site a déjà été proposé pour ce besoin."))
    proposal = NeedProposal.objects.create(need=need, premises=premises, note=note, author=author)
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    from_stage = premises.pipeline_stage
    to_stage = from_stage
    if from_stage in (PipelineStage.IDENTIFIED, PipelineStage.QUALIFIED):
        to_stage = PipelineStage.PROPOSED
        premises.pipeline_stage = to_stage
        premises.save(update_fields=["pipeline_stage", "updated_at"])
    text = _("Proposé pour le besoin « %(need)s ».") % {"need": need.title}
    PipelineEvent.objects.create(
        premises=premises,
        from_stage=from_stage,
        to_stage=to_stage,
        note=f"{text} {note}".strip(),
        need=need,
        author=author,
    )
    if need.status == NeedStatus.NEW:
        need.status = NeedStatus.IN_PROGRESS
        need.save(update_fields=["status", "updated_at"])
    return proposal


def need_status_set(*, need: PremisesNeed, status: str) -> PremisesNeed:
    """Set where city staff stand with a need (nouveau, en cours, satisfait, clos).

    Raises ValidationError for an unknown status.
    """
    if status not in NeedStatus.values:
        raise ValidationError(_("Statut de besoin inconnu."))
    need.status = status
    need.save(update_fields=["status", "updated_at"])
    return need


def needs_purge(*, now: datetime | None = None) -> int:
    """Erase the personal data (PremisesNeed.PERSONAL_FIELDS) of the needs met or closed
    more than CARTESS_NEED_RETENTION_MONTHS ago, and of any need left unchanged twice that
    long. Keeps what the city counts. Returns how many needs were anonymised."""
    now = now or timezone.now()
    months = settings.CARTESS_NEED_RETENTION_MONTHS
    limit = now - timedelta(days=round(months * 30.44))
    late = now - timedelta(days=round(2 * months * 30.44))
    ended = Q(status__in=[NeedStatus.MET, NeedStatus.CLOSED], updated_at__lt=limit)
    expired = PremisesNeed.objects.filter(anonymised_at__isnull=True).filter(
        ended | Q(updated_at__lt=late)
    )
    return expired.update(**dict.fromkeys(PremisesNeed.PERSONAL_FIELDS, ""), anonymised_at=now)

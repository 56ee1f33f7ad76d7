"""Merging two listings of one organisation: which one survives, which values it keeps, and
the move of everything that points at the other.

- `merge_survivor_pick`: the rule deciding which listing survives (a human source first,
  then the claimed owner, then the most complete, then the oldest);
- `merge_fields_get`: the fields a moderator chooses between, with the rule's default;
- `organisations_merge`: the merge itself, atomic, recorded in the history and as an
  `OrganisationAlias` so that the absorbed listing's address answers 301.

Every relation to Organisation is found from the models (`_meta`), so a relation added
later is moved too; provenances (a generic relation) are moved as well, and all of them
kept. The list of candidate pairs is the importers' (importers.models.DuplicateCandidate);
this module imports neither importers nor cartography.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalChanges

from directory.history import history_reason
from directory.models import (
    Organisation,
    OrganisationAlias,
    OrganisationEditor,
    Provenance,
)
from directory.records import organisation_snapshot

#: The history's reason for the rows a merge writes.
MERGE_REASON = "fusion"


@dataclass(frozen=True)
class MergeField:
    """A field, or fields that only make sense together, chosen as one from either side."""

    key: str
    label: str
    names: tuple[str, ...]


#: What a moderator chooses between, in the order of the page. Kinds and sectors are not
#: chosen: the survivor gets both listings' terms.
MERGE_FIELDS = (
    MergeField("name", gettext_lazy("Nom"), ("name",)),
    MergeField("acronym", gettext_lazy("Sigle"), ("acronym",)),
    MergeField("description", gettext_lazy("Présentation"), ("description",)),
    MergeField("identifiers", gettext_lazy("SIREN et SIRET"), ("siren", "siret")),
    MergeField("rna_id", gettext_lazy("Numéro RNA"), ("rna_id",)),
    MergeField(
        "legal",
        gettext_lazy("Forme juridique"),
        ("legal_family", "legal_category_code", "legal_form", "naf_code"),
    ),
    MergeField("ess_status", gettext_lazy("Statut ESS"), ("ess_status", "ess_status_source")),
    MergeField(
        "address",
        gettext_lazy("Adresse"),
        ("street", "address_complement", "postcode", "city", "insee_code"),
    ),
    MergeField(
        "location",
        gettext_lazy("Position sur la carte"),
        # The QPV code a source gave describes the point: they go together.
        ("location", "geocoding_quality", "geocoding_score", "qpv_code"),
    ),
    MergeField("website", gettext_lazy("Site web"), ("website",)),
    MergeField("email", gettext_lazy("Courriel"), ("email",)),
    MergeField("phone", gettext_lazy("Téléphone"), ("phone",)),
    MergeField("publication_status", gettext_lazy("Publication"), ("publication_status",)),
    MergeField("last_verified_on", gettext_lazy("Vérifiée le"), ("last_verified_on",)),
)
#: Values that say nothing (a field left at its default counts as empty).
_EMPTY_TEXTS = ("", "inconnu")


class MergeRefused(ValidationError):
    """The two listings cannot be merged as asked; the message says why, in French."""


# --- The survivor rule -------------------------------------------------------------------


def organisation_has_human_source(*, organisation: Organisation) -> bool:
    """Did a person write this listing? True when no import ever wrote it (no provenance:
    typed in a form or the admin), or when its history holds a change made by a person
    signed in (a form, a network's upload, a moderator)."""
    content_type = ContentType.objects.get_for_model(Organisation)
    imported = Provenance.objects.filter(content_type=content_type, object_id=organisation.pk)
    if not imported.exists():
        return True
    return organisation.history.filter(history_user__isnull=False).exists()


def organisation_filled_count(*, organisation: Organisation) -> int:
    """How complete a listing is: its filled fields among MERGE_FIELDS', plus its kinds and
    sectors."""
    names = [name for field in MERGE_FIELDS for name in field.names]
    filled = sum(not _empty(getattr(organisation, _attribute(name))) for name in names)
    return filled + organisation.kinds.count() + organisation.sectors.count()


def _survivor_key(organisation: Organisation) -> tuple:
    return (
        not organisation_has_human_source(organisation=organisation),
        not OrganisationEditor.objects.filter(organisation=organisation).exists(),
        -organisation_filled_count(organisation=organisation),
        organisation.created_at,
        organisation.pk,
    )


def merge_survivor_pick(
    *, first: Organisation, second: Organisation
) -> tuple[Organisation, Organisation]:
    """Which of two listings of one organisation survives a merge: `(survivor, absorbed)`.

    The rule, each step deciding only when the previous ones tie: a listing a person wrote
    (`organisation_has_human_source`) wins over one only imports wrote; then the one with
    an owner (an accepted claim, OrganisationEditor); then the most complete
    (`organisation_filled_count`); then the oldest (then the smaller id). Reads only.
    """
    ranked = sorted((first, second), key=_survivor_key)
    return ranked[0], ranked[1]


#: Why the survivor won, by the step of the rule that decided.
_RULE_STEPS = (
    gettext_lazy("elle a été saisie ou corrigée par une personne"),
    gettext_lazy("elle a un responsable (revendication acceptée)"),
    gettext_lazy("elle est la plus complète"),
    gettext_lazy("elle est la plus ancienne"),
    gettext_lazy("elle est la plus ancienne"),
)


def merge_survivor_reason(*, survivor: Organisation, absorbed: Organisation) -> str:
    """The step of `merge_survivor_pick`'s rule that made `survivor` win, in French."""
    kept, other = _survivor_key(survivor), _survivor_key(absorbed)
    step = next(
        (index for index, pair in enumerate(zip(kept, other, strict=True)) if pair[0] != pair[1]), 4
    )
    return str(_RULE_STEPS[step])


# --- The fields a moderator chooses ------------------------------------------------------


@dataclass(frozen=True)
class FieldChoice:
    """One MergeField of two listings: both values shown, and the side the rule keeps."""

    field: MergeField
    survivor_value: str
    absorbed_value: str
    default: str  # "survivor" or "absorbed"

    @property
    def differs(self) -> bool:
        return self.survivor_value != self.absorbed_value


def merge_fields_get(*, survivor: Organisation, absorbed: Organisation) -> list[FieldChoice]:
    """Each MergeField with both listings' values as a person reads them, and the default:
    the survivor's, unless it is empty and the absorbed listing's is not."""
    choices = []
    for field in MERGE_FIELDS:
        kept, other = _shown(survivor, field), _shown(absorbed, field)
        default = (
            "absorbed"
            if _is_empty(survivor, field) and not _is_empty(absorbed, field)
            else "survivor"
        )
        choices.append(FieldChoice(field, kept, other, default))
    return choices


def _attribute(name: str) -> str:
    return "legal_family_id" if name == "legal_family" else name


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value in _EMPTY_TEXTS)


def _is_empty(organisation: Organisation, field: MergeField) -> bool:
    return _empty(getattr(organisation, _attribute(field.names[0])))


def _shown(organisation: Organisation, field: MergeField) -> str:
    """The field's values as the page shows them (choices by their label)."""
    parts = []
    for name in field.names:
        value = getattr(organisation, name)
        if name == "location" and value is not None:
            value = f"{value.y:.5f}, {value.x:.5f}"
        elif organisation._meta.get_field(name).choices:
            value = getattr(organisation, f"get_{name}_display")() if value else ""
        if value not in (None, ""):
            parts.append(str(value))
    return " · ".join(parts)


# --- The merge ---------------------------------------------------------------------------


@transaction.atomic
def organisations_merge(
    *,
    survivor: Organisation,
    absorbed: Organisation,
    choices: Mapping[str, str] | None = None,
    user=None,
) -> Organisation:
    """Merge `absorbed` into `survivor`, in one transaction.

    `choices` maps a MergeField key to "survivor" or "absorbed" (the side whose values the
    survivor keeps); a field not named takes `merge_fields_get`'s default. Every relation
    to Organisation (memberships, claims, owners, suggestions, offers, premises, requests,
    aliases... found through `_meta`) and every provenance of `absorbed` move to
    `survivor`; a relation the survivor already has (the same network, the same kind) is
    kept once; kinds and sectors are united, and so is place data: the place roles, and a
    one-to-one record both hold becomes one, the survivor's,
    completed by the absorbed one (`_one_to_one_unite`). `absorbed` is then deleted, its slug and id
    recorded as an OrganisationAlias (its page answers 301 to the survivor's), and the
    history says "fusion" on both. Returns the survivor. Raises MergeRefused (nothing
    written) when both are the same listing, or when the chosen values break a rule of the
    listing (a SIRET not starting with the SIREN).
    """
    if survivor.pk == absorbed.pk:
        raise MergeRefused(_("Une fiche ne peut pas être fusionnée avec elle-même."))
    defaults = {
        item.field.key: item.default
        for item in merge_fields_get(survivor=survivor, absorbed=absorbed)
    }
    chosen = {**defaults, **(choices or {})}
    values = (
        {
            name: getattr(absorbed, name)
            for field in MERGE_FIELDS
            if chosen.get(field.key) == "absorbed"
            for name in field.names
        }
        | _place_united(survivor, absorbed)
        | _credit_united(survivor, absorbed)
    )
    alias = OrganisationAlias(
        slug=absorbed.slug,
        former_id=absorbed.pk,
        former_name=absorbed.name,
        organisation=survivor,
        merged_by=user if user is not None and user.is_authenticated else None,
        snapshot=organisation_snapshot(absorbed),
    )
    with history_reason(MERGE_REASON):
        _relations_move(survivor=survivor, absorbed=absorbed)
        _provenances_move(survivor=survivor, absorbed=absorbed)
        absorbed._change_reason = f"{MERGE_REASON} dans {survivor.name} ({survivor.pk})"
        absorbed.delete()
        alias.save()
        _values_write(survivor, values, absorbed_name=alias.former_name)
    return survivor


def _values_write(survivor: Organisation, values: dict[str, Any], *, absorbed_name: str) -> None:
    for name, value in values.items():
        setattr(survivor, name, value)
    survivor._change_reason = f"{MERGE_REASON} avec {absorbed_name}"
    try:
        chosen = {_attribute(name) for name in values} | set(values)
        survivor.clean_fields(
            exclude=[
                field.attname
                for field in Organisation._meta.concrete_fields
                if field.attname not in chosen and field.name not in chosen
            ]
        )
        survivor.validate_constraints()
        with transaction.atomic():
            survivor.save()
    except (ValidationError, IntegrityError) as error:
        raise MergeRefused(
            _("Les valeurs choisies ne vont pas ensemble : %(error)s")
            % {"error": " ".join(_messages(error))}
        ) from error


def _place_united(survivor: Organisation, absorbed: Organisation) -> dict[str, Any]:
    """The survivor's place roles with the absorbed one's added, and its place source, or
    the absorbed one's when it has none; {} when the absorbed listing adds nothing."""
    roles = [
        *survivor.place_roles,
        *(r for r in absorbed.place_roles if r not in survivor.place_roles),
    ]
    united = {"place_roles": roles} if roles != list(survivor.place_roles) else {}
    if absorbed.place_source and not survivor.place_source:
        united["place_source"] = absorbed.place_source
    return united


def _credit_united(survivor: Organisation, absorbed: Organisation) -> dict[str, Any]:
    """The newer of the two hand corrections' credits (directory.edit_credit), so the map
    still says who last corrected the organisation; {} when the survivor's is as recent. A
    merge is not itself a correction: it credits no one."""
    if absorbed.edited_on is None or (
        survivor.edited_on is not None and survivor.edited_on >= absorbed.edited_on
    ):
        return {}
    network_id = absorbed.edited_by_network_id
    return {
        "edited_by": absorbed.edited_by,
        "edited_by_network_id": survivor.pk if network_id == absorbed.pk else network_id,
        "edited_on": absorbed.edited_on,
    }


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [_("une règle de la fiche est enfreinte.")]


def _relations_move(*, survivor: Organisation, absorbed: Organisation) -> None:
    """Point every foreign key to `absorbed` at `survivor` (the many-to-many tables too,
    through their hidden foreign keys); the history's own copies stay as they were."""
    for relation in Organisation._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or relation.many_to_many:
            continue
        model = relation.related_model
        if issubclass(model, HistoricalChanges):
            continue
        _rows_move(model, relation.field, survivor=survivor, absorbed=absorbed)


def _rows_move(
    model: type[models.Model],
    field: models.Field,
    *,
    survivor: Organisation,
    absorbed: Organisation,
) -> None:
    """Move the rows of `model` whose `field` is `absorbed`; in one statement when nothing
    conflicts, else row by row, dropping a row that repeats one the survivor has."""
    rows = model._base_manager.filter(**{field.name: absorbed})
    try:
        with transaction.atomic():
            rows.update(**{field.name: survivor})
        return
    except IntegrityError:
        pass
    for row in rows:
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=row.pk).update(**{field.name: survivor})
        except IntegrityError:
            if field.one_to_one:
                _one_to_one_unite(model, field, survivor=survivor, absorbed_row=row)
            else:
                row.delete()


def _one_to_one_unite(
    model: type[models.Model], field: models.Field, *, survivor: Organisation, absorbed_row
) -> None:
    """Both listings hold a record of `model` (one each at most): the survivor's takes what
    only the absorbed one says (the union of its lists, in order; a value where it has
    none), then the absorbed one is deleted. Raises MergeRefused when another record still
    points at the absorbed one (it would go with it)."""
    kept = model._base_manager.get(**{field.name: survivor})
    changed = []
    for column in model._meta.concrete_fields:
        if column.primary_key or column is field or getattr(column, "auto_now", False):
            continue
        mine, theirs = getattr(kept, column.attname), getattr(absorbed_row, column.attname)
        if isinstance(mine, list) and isinstance(theirs, list):
            united = [*mine, *(value for value in theirs if value not in mine)]
        else:
            united = theirs if _empty(mine) and not _empty(theirs) else mine
        if united != mine:
            setattr(kept, column.attname, united)
            changed.append(column.attname)
    if changed:
        kept.save()
    try:
        with transaction.atomic():
            absorbed_row.delete()
    except models.ProtectedError as error:
        raise MergeRefused(
            _("Les deux fiches ont chacune « %(record)s » : rapprochez-les d'abord à la main.")
            % {"record": model._meta.verbose_name}
        ) from error


def _provenances_move(*, survivor: Organisation, absorbed: Organisation) -> None:
    """Every provenance of `absorbed` now describes `survivor`: all are kept."""
    content_type = ContentType.objects.get_for_model(Organisation)
    Provenance.objects.filter(content_type=content_type, object_id=absorbed.pk).update(
        object_id=survivor.pk
    )


def organisation_alias_target(*, slug: str) -> Organisation | None:
    """The listing that absorbed the merged listing named `slug` (its old slug, or its old
    id in digits), or None when no merged listing had that name. Reads only."""
    aliases = OrganisationAlias.objects.select_related("organisation")
    alias = aliases.filter(slug=slug).first()
    if alias is None and slug.isdigit():
        alias = aliases.filter(former_id=int(slug)).first()
    return alias.organisation if alias else None

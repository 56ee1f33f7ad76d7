"""What the imports leave to a person: possible duplicates, and disagreements with a source.

Imports never merge two organisations on a name, and never overwrite a person's value
(DESIGN: "a human edit is never silently overwritten"). Instead they list:

- `DuplicateCandidate`: two organisations with close names within 200 m (or in the same
  street, when one has no point) and no identifier telling them apart
  (`duplicate_candidates_refresh`, one set-based query);
- `FieldDisagreement`: a field where a source's value differs from the one a person
  kept (`disagreements_record` for the row-by-row path; the statements of
  importers.engine.sql.review for the bulk path).

A person then settles each one: `duplicate_merge` (directory.merging does the merge),
`duplicates_mark_different` ("pas un doublon": never listed again), `disagreement_accept`,
`disagreement_dismiss`. Nothing is merged without a person.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cartography.models import Premises
from cartography.services import PremisesData
from directory.merging import MergeRefused, merge_survivor_pick, organisations_merge
from directory.models import FundingScheme, Organisation, Provenance, SupportOffer
from directory.records import FundingSchemeData, OrganisationData, SupportOfferData
from importers.engine.loaders import loader_for
from importers.engine.sql import execute
from importers.engine.sql import review as sql
from importers.models import (
    DisagreementStatus,
    DuplicateCandidate,
    DuplicateOrigin,
    DuplicateStatus,
    FieldDisagreement,
    ImportRun,
)

logger = logging.getLogger(__name__)

#: Trigram similarity (0..1) of the folded names from which two organisations may be one:
#: "1624 COWORKIN'LILLE" and "1624 Cowork'in Lille" score 0.6; "Maison de l'ESS" and
#: "Maison de la Nature" 0.4.
DUPLICATE_SIMILARITY = 0.5
#: Two places farther apart than this are two organisations (metres).
DUPLICATE_DISTANCE_M = 200.0
#: Each organisation is paired with at most this many others (its nearest similar names):
#: the pairs grow with the number of organisations, not with its square.
DUPLICATE_NEIGHBOURS = 3
#: Pairs of the same SIREN or of the same name close by are all listed, up to this many per
#: organisation: complete in practice, bounded against a file of one name repeated.
DUPLICATE_COMPLETE = 100
#: At most this many pairs are listed at once (the closest names first); reaching it is
#: logged, since a person cannot review more anyway.
DUPLICATE_CAP = 10_000
#: Metres in one degree of longitude at latitude 69°, the northernmost of France and its
#: overseas territories: `distance / this` degrees around a point cover `distance` metres.
_METRES_PER_DEGREE_FLOOR = 40_000

#: Fields whose source value is not stored (a digest of an outline), or that only one
#: source's own loader writes (the seed's kinds of place, importers.sources.seed_places):
#: a person copies them.
_NOT_APPLICABLE = frozenset({"footprint", "geometry", "place_roles", "place_source"})

#: Fields accepted together: the model requires a point to come with its quality.
_GO_TOGETHER = {"location": ("geocoding_quality",), "geocoding_quality": ("location",)}

#: The domain record built to write one field, by model.
_DATA_CLASSES: dict[type[models.Model], type] = {
    Organisation: OrganisationData,
    FundingScheme: FundingSchemeData,
    SupportOffer: SupportOfferData,
    Premises: PremisesData,
}


def duplicate_candidates_refresh(
    *,
    similarity: float = DUPLICATE_SIMILARITY,
    distance_m: float = DUPLICATE_DISTANCE_M,
    neighbours: int = DUPLICATE_NEIGHBOURS,
    complete: int = DUPLICATE_COMPLETE,
    cap: int = DUPLICATE_CAP,
    since: datetime | None = None,
) -> int:
    """List the pairs of organisations that may be one, for a person to review.

    With `since` (an import run's start), only the organisations changed since then and
    the listings that could pair with them are examined, and only the pending pairs of a
    changed organisation can be dropped (incremental: a small run on a large directory
    costs its neighbourhood, not the table); without, every organisation is.

    One of the two has no SIRET and no identifier tells them apart (two RNA ids, or two
    different SIRENs), and either they share a SIREN, or the folded names (lower case, no
    accents) have a trigram similarity of at least `similarity` (0.3 or more) and their
    places are close: both points within `distance_m` metres or, when one has no point,
    street names as close as the names in the same commune (distance unknown, None).
    Bounded but complete where it matters: the same SIREN, or the same folded name within
    `distance_m` (or in the same commune when one has no point), gives every pair, up to
    `complete` per organisation; other similar names pair each organisation with its
    `neighbours` nearest only; at most `cap` pairs are kept (a warning is logged when the
    cap is reached).
    With `since` (an import's start), only organisations changed since then are examined, with
    the listings they could pair with; when none changed, only the count is read. The
    organisations' statistics are gathered first (ANALYZE) for a full refresh, or when the
    run changed more than autovacuum's share of them (50 + a tenth).
    Statements (importers.engine.sql.review): with `since`, ORGANISATIONS_CHANGED; then,
    when needed, ORGANISATIONS_ANALYZE; DUPLICATES_REFRESH_ALL (or _SINCE with `since`);
    and the count. Pairs found before and still pending are refreshed, pending pairs that
    no longer qualify are dropped, reviewed pairs (merged, or "pas un doublon") are kept
    and never listed again.
    Returns the number of pending pairs. Side effects: writes DuplicateCandidate rows.
    """
    params = {
        "threshold": similarity,
        "distance": distance_m,
        "degrees": distance_m / _METRES_PER_DEGREE_FLOOR,
        "neighbours": neighbours,
        "complete": complete,
        "cap": cap,
        "pending": DuplicateStatus.PENDING,
        "nearby": DuplicateOrigin.NEARBY,
        "now": timezone.now(),
        "full": since is None,
        "since": since or timezone.now(),
    }
    stale = True
    if since is not None:
        changed, enough, never = execute(sql.ORGANISATIONS_CHANGED, params)[0]
        if not changed:
            # Nothing changed since the run started: no pair to find or drop (issue 20: 2 s
            # of an unchanged run at 1,000,000 organisations).
            return execute(sql.DUPLICATES_PENDING, params)[0][0]
        # A run that changed 63 listings of a million keeps the statistics it found
        # (issue 20: ANALYZE was 0.7 s of each such run); a first load gathers them.
        stale = never or changed > enough
    if stale:
        # Fresh statistics: an import that has just written thousands of rows in this
        # transaction would otherwise leave the planner counting on an empty table (nested
        # loops over every pair).
        execute(sql.ORGANISATIONS_ANALYZE)
    statement = sql.DUPLICATES_REFRESH_ALL if since is None else sql.DUPLICATES_REFRESH_SINCE
    (found,) = execute(statement, params)[0]
    if found >= cap:
        logger.warning(
            "Duplicate candidates capped at %s pairs: the closest names are listed first", cap
        )
    return execute(sql.DUPLICATES_PENDING, params)[0][0]


def duplicate_merge(
    *, candidate: DuplicateCandidate, choices: Mapping[str, str], user: AbstractBaseUser | None
) -> Organisation:
    """Merge the pair `candidate` names, the survivor picked by the rule
    (directory.merging.merge_survivor_pick) and the values by `choices` (MergeField key ->
    "survivor" or "absorbed"; directory.merging.organisations_merge). The candidate goes
    with the absorbed listing; the merge is recorded by its alias and in the history.
    Returns the survivor. Raises MergeRefused when the pair was already reviewed or the
    merge is refused (nothing written).
    """
    if candidate.status != DuplicateStatus.PENDING:
        raise MergeRefused(_("Cette paire a déjà été examinée."))
    survivor, absorbed = merge_survivor_pick(
        first=candidate.organisation_a, second=candidate.organisation_b
    )
    return organisations_merge(survivor=survivor, absorbed=absorbed, choices=choices, user=user)


def duplicates_mark_different(
    *, candidates: QuerySet[DuplicateCandidate], user: AbstractBaseUser | None
) -> int:
    """Record that each pair of `candidates` is two organisations; it is not listed again.

    Returns the number of pairs marked.
    """
    return candidates.update(
        status=DuplicateStatus.DIFFERENT, reviewed_by=user, reviewed_at=timezone.now()
    )


@dataclass(frozen=True)
class Disagreement:
    """A field the human-edit rule kept, with the values on each side (snapshot shape)."""

    field: str
    current: Any
    incoming: Any
    previous: Any = None


def disagreements_between(
    *,
    kept: Iterable[str],
    current: Mapping[str, Any],
    incoming: Mapping[str, Any],
    previous: Mapping[str, Any],
) -> list[Disagreement]:
    """The disagreements of the `kept` fields, from the snapshots `plan_fields` compared.

    A source that has no value for a field (None, "", []) does not disagree with a person's
    value: it merely does not know it (e.g. a member file without coordinates).
    """
    return [
        Disagreement(
            field=name,
            current=current.get(name),
            incoming=incoming.get(name),
            previous=previous.get(name),
        )
        for name in kept
        if incoming.get(name) not in (None, "", [])
    ]


def disagreements_record(
    *, provenance: Provenance, run: ImportRun, disagreements: Iterable[Disagreement]
) -> int:
    """Record what a source says against a person's values, once.

    `disagreements` are all those of the record as the source says it now: the open
    disagreement of a field is refreshed with the latest values; a new one is opened unless
    a person already accepted or dismissed this very source value; an open one on a field
    the source no longer disputes (it now agrees, or has no value) is dropped, so that
    nobody applies a value the source no longer gives. Returns the number opened.
    """
    disagreements = list(disagreements)
    FieldDisagreement.objects.filter(provenance=provenance, status=DisagreementStatus.OPEN).exclude(
        field__in=[item.field for item in disagreements]
    ).delete()
    opened = 0
    for item in disagreements:
        open_ones = FieldDisagreement.objects.filter(
            provenance=provenance, field=item.field, status=DisagreementStatus.OPEN
        )
        current = _json(item.current)
        if open_ones.update(current_value=current, incoming_value=item.incoming, run=run):
            continue
        settled = FieldDisagreement.objects.filter(
            provenance=provenance, field=item.field, incoming_value=item.incoming
        ).exclude(status=DisagreementStatus.OPEN)
        if settled.exists():
            continue
        FieldDisagreement.objects.create(
            provenance=provenance,
            field=item.field,
            current_value=current,
            incoming_value=item.incoming,
            previous_value=item.previous,
            run=run,
        )
        opened += 1
    return opened


def _json(value: Any) -> Any:
    """`value` for a JSON column that is NOT NULL: an empty value of the record (a listing
    with a point but no geocoding score) is JSON's null, which Django would write as SQL
    NULL and the database refuse (the whole row rejected)."""
    return models.Value(None, models.JSONField()) if value is None else value


@transaction.atomic
def disagreement_accept(
    *, disagreement: FieldDisagreement, user: AbstractBaseUser | None
) -> models.Model:
    """Write the source's value onto the record, through the domain services.

    A point goes with its geocoding quality: accepting one accepts the other's open
    disagreement too. The provenance then remembers the values as imported, so the next
    import sees the fields as the source's again. For kinds and sectors, the source's
    terms are added. Returns the record. Raises ValidationError when the disagreement is
    settled, the record is gone, the value cannot be applied (an outline) or breaks a
    rule of the model.
    """
    _check_open(disagreement)
    provenance = disagreement.provenance
    record = provenance.record
    if record is None:
        raise ValidationError(_("La fiche a été supprimée."))
    accepted = [disagreement, *_companions(disagreement)]
    values = {item.field: item.incoming_value for item in accepted}
    data = _data_with(record, values)
    loader_for(data).update(record, data, values)
    provenance.imported_values = {**provenance.imported_values, **values}
    provenance.save(update_fields=["imported_values"])
    for item in accepted:
        _settle(item, DisagreementStatus.ACCEPTED, user)
    return record


def _companions(disagreement: FieldDisagreement) -> list[FieldDisagreement]:
    """The open disagreements of the fields that go with this one's (point and quality)."""
    names = _GO_TOGETHER.get(disagreement.field)
    if not names:
        return []
    return list(
        FieldDisagreement.objects.filter(
            provenance=disagreement.provenance_id,
            field__in=names,
            status=DisagreementStatus.OPEN,
        ).exclude(pk=disagreement.pk)
    )


def disagreement_dismiss(*, disagreement: FieldDisagreement, user: AbstractBaseUser | None):
    """Keep the person's value; this source value will not be raised again.

    Raises ValidationError when the disagreement is already settled.
    """
    _check_open(disagreement)
    _settle(disagreement, DisagreementStatus.DISMISSED, user)


def _check_open(disagreement: FieldDisagreement) -> None:
    if disagreement.status != DisagreementStatus.OPEN:
        raise ValidationError(_("Ce désaccord a déjà été tranché."))


def _settle(disagreement: FieldDisagreement, status: str, user: AbstractBaseUser | None) -> None:
    disagreement.status = status
    disagreement.reviewed_by = user
    disagreement.reviewed_at = timezone.now()
    disagreement.save(update_fields=["status", "reviewed_by", "reviewed_at"])


def _data_with(record: models.Model, values: Mapping[str, Any]) -> Any:
    """The domain record of `record`'s kind holding `values` (snapshot shape)."""
    data_class = _DATA_CLASSES.get(type(record))
    if data_class is None or _NOT_APPLICABLE & set(values):
        raise ValidationError(
            _("La valeur de la source ne peut pas être appliquée ici : reprenez-la à la main.")
        )
    required = {
        spec.name: getattr(record, spec.name)
        for spec in fields(data_class)
        if spec.default is spec.default_factory  # both MISSING: a required field
    }
    converted = {name: _python_value(record, name, value) for name, value in values.items()}
    return replace(data_class(**required), **converted)


def _python_value(record: models.Model, name: str, value: Any) -> Any:
    """A snapshot value (JSON) back into what the domain record holds."""
    if name == "location":
        return Point(*value, srid=4326) if value else None
    if isinstance(value, list):
        return tuple(value)
    if name in {"legal_family", "provider"}:
        return value
    return record._meta.get_field(name).to_python(value)

"""Where a change came from, for the history of listings (django-simple-history).

django-simple-history records who and when (its middleware gives the person of the request);
this module adds from which screen or source: code that writes runs inside
`history_reason("import sirene")`, and every history row written meanwhile says so, unless
the writer gave its own reason (`instance._change_reason`, e.g. the admin's "admin").
`history_versions_get` reads the versions for the moderators' history page.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import models
from django.utils.translation import gettext as _

from directory.selectors.credit import history_credits_get

_reason: ContextVar[str] = ContextVar("history_reason", default="")

#: The reasons Cartess writes; an import adds its source's slug ("import sirene").
ADMIN_REASON = "admin"
REVERT_REASON = "annulation (admin)"
NETWORK_EDIT_REASON = "édition réseau"
OWNER_EDIT_REASON = "édition structure"
IMPORT_REASON = "import {slug}"
#: A person confirmed the listing is still right (directory.freshness), on the page or by the
#: "toujours à jour" link of a reminder; an edit opened by a reminder's "modifier" link.
CONFIRM_REASON = "confirmation « toujours à jour »"
CONFIRM_LINK_REASON = "confirmation « toujours à jour » (lien de rappel)"
REMINDER_EDIT_REASON = "édition (lien de rappel)"


@contextmanager
def history_reason(reason: str) -> Iterator[None]:
    """Label with `reason` the history rows written inside the block (nested: innermost)."""
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def fill_change_reason(sender, *, history_instance, **kwargs) -> None:
    """Receiver of `pre_create_historical_record`: the block's reason when none was given,
    and the kinds and sectors the change made (`instance._history_terms`, set by
    directory.services.organisation_terms_note) on the models that keep them."""
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = _reason.get() or None
    instance = kwargs.get("instance")
    if hasattr(history_instance, "history_terms") and instance is not None:
        history_instance.history_terms = instance.__dict__.pop("_history_terms", None)


#: The reason of a revert from the history page; the moderator's own words follow it.
REVERT_SCREEN_REASON = "annulation"
#: The history page shows this many versions, newest first.
VERSIONS_SHOWN = 50


@dataclass(frozen=True)
class VersionChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Version:
    """One historical record: who, when, from where, and what changed from the one before."""

    history_id: int
    date: datetime
    user: str
    reason: str
    kind: str
    changes: list[VersionChange]
    is_current: bool
    #: Who its values are credited to (directory.selectors.credit.history_credits_get).
    credit: str = ""


def history_versions_get(*, instance: models.Model) -> list[Version]:
    """The last VERSIONS_SHOWN versions of `instance`, newest first, each with its diff
    against the version before (a creation lists the values it set) and its credit. Reads
    only."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : VERSIONS_SHOWN + 1
        ]
    )
    credits = history_credits_get(instance=instance, records=records[:VERSIONS_SHOWN])
    versions = []
    for index, record in enumerate(records[:VERSIONS_SHOWN]):
        previous = records[index + 1] if index + 1 < len(records) else None
        version = _version(record, previous, is_current=index == 0)
        versions.append(replace(version, credit=credits.get(record.history_id, "")))
    return versions


def _version(record, previous, *, is_current: bool) -> Version:
    user = record.history_user
    return Version(
        history_id=record.history_id,
        date=record.history_date,
        user=(user.get_full_name() or user.get_username()) if user else "",
        reason=record.history_change_reason or "",
        kind=record.get_history_type_display(),
        changes=_changes(record, previous),
        is_current=is_current,
    )


def _changes(record, previous) -> list[VersionChange]:
    model = record.instance_type
    if previous is None:
        names = [f.name for f in model._meta.concrete_fields]
        pairs = [(n, None, getattr(record, n, None)) for n in names if getattr(record, n, None)]
    else:
        delta = record.diff_against(previous)
        pairs = [(c.field, c.old, c.new) for c in delta.changes]
    # Kinds and sectors: what the change made of them (TermsHistory), as slugs.
    terms = getattr(record, "history_terms", None) or {}
    pairs += [(name, ", ".join(c["old"]), ", ".join(c["new"])) for name, c in terms.items()]
    return [
        VersionChange(str(model._meta.get_field(name).verbose_name), _shown(old), _shown(new))
        for name, old, new in pairs
        if name not in ("updated_at", "created_at", "id", "history_terms")
    ]


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, GEOSGeometry):
        if isinstance(value, Point):
            return _("point %(lat).5f, %(lon).5f") % {"lat": value.y, "lon": value.x}
        return _("contour de %(n)s sommets") % {"n": value.num_coords}
    return str(value)

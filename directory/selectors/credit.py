"""Who is to credit for each fact of an organisation: the source whose last import wrote the
value it holds (name, licence, date), or the person who typed it ("saisi par la structure /
le réseau / l'équipe Cartess, le <date>").

Decided once, here, for every place that shows a fact: the organisation's page
(`organisation_detail_get`), the directory's API (`/api/v1/directory/organisations/`) and its
CSV export. `organisation_credits_get` reads any number of organisations in a fixed number of
queries.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import prefetch_related_objects
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from directory import credit_sql
from directory.models import NetworkEditor, Organisation, OrganisationEditor, Source
from directory.prepared import prepared_cursor
from directory.records import organisation_snapshot

#: History rows read per organisation to find who typed each value (the newest first).
TYPED_HISTORY_ROWS = 50

#: Fields decided as one with the point: a source that gave the point gave them too.
_POINT_FIELDS = ("location", "geocoding_quality", "geocoding_score")


@dataclass(frozen=True)
class FactSource:
    """One source behind a record: who published it, under which licence, when it was seen,
    and the fields whose value is still the one it wrote."""

    name: str
    url: str
    licence: str
    licence_url: str
    external_id: str
    first_seen_at: datetime
    last_seen_at: datetime
    fields: frozenset[str]
    #: The date the source gives its data ("inventaire CGET (ANCT) de 2019"), "" if none.
    dated: str = ""
    #: The source's slug ("sirene"), for a fact worded after the source that gave it.
    slug: str = ""

    @cached_property
    def api_dict(self) -> dict:
        """How the API names this source beside each field it gave (name, licence, date last
        seen): built once per source, not once per field (issue 20). Read only."""
        return {
            "name": self.name,
            "licence": self.licence,
            "licence_url": self.licence_url,
            "seen_on": _local_date(self.last_seen_at).isoformat(),
            "dated": self.dated,
        }


@dataclass(frozen=True)
class TypedBy:
    """Who typed a field's value in Cartess ("la structure", "le réseau", "l'équipe
    Cartess") and when."""

    who: str
    date: datetime


@dataclass(frozen=True)
class OrganisationCredit:
    """Everything to credit for one organisation: its sources, and for the values no source
    gave, who typed them."""

    sources: list[FactSource] = field(default_factory=list)
    #: Field name -> who typed its value and when, for the values no source gave.
    typed_by: dict[str, TypedBy] = field(default_factory=dict)

    def field_sources(self, name: str) -> list[FactSource]:
        """The sources whose last import gave field `name` the value it holds."""
        return [source for source in self.sources if name in source.fields]

    def field_as_dict(self, name: str) -> dict:
        """The credit of field `name` for the API: the phrase, the sources (name, licence,
        date last seen) or who typed it and when."""
        sources = self.field_sources(name)
        typed = None if sources else self.typed_by.get(name)
        return {
            "text": self.field_text(name, sources=sources),
            "sources": [source.api_dict for source in sources],
            "typed_by": {"who": typed.who, "on": _local_date(typed.date).isoformat()}
            if typed
            else None,
        }

    def field_text(self, name: str, *, sources: list[FactSource] | None = None) -> str:
        """The credit of field `name` in one French phrase, as the page says it: "Source :
        <names>", "Saisi par <who>, le <date>", or "Saisi dans Cartess" when nobody is
        known (a value typed before the history was kept). `sources`: the field's, when
        the caller has them already."""
        sources = self.field_sources(name) if sources is None else sources
        if sources:
            return _("Source : %(names)s") % {"names": ", ".join(s.name for s in sources)}
        typed = self.typed_by.get(name)
        if typed:
            return _("Saisi par %(who)s, le %(date)s") % {
                "who": typed.who,
                "date": formats.date_format(_local_date(typed.date), "j F Y"),
            }
        return _("Saisi dans Cartess")


def _local_date(moment: datetime) -> date:
    """The day of `moment` in the site's time zone, as the page's `|date` filter shows it."""
    return timezone.localdate(moment)


def organisation_credits_get(*, organisations: list[Organisation]) -> dict[int, OrganisationCredit]:
    """Organisation id -> its `OrganisationCredit`, for every organisation of `organisations`.

    Each needs `legal_family` loaded (select_related); `kinds` and `sectors` are prefetched
    here unless they already are, or came with the row (`kind_list`, `sector_list`). At most
    six queries whatever the number of organisations: the kinds and sectors, the
    provenances, the newest `TYPED_HISTORY_ROWS` history rows of each, and the owners and
    network editors among the people who saved them. Reads only.
    """
    by_id = {organisation.pk: organisation for organisation in organisations}
    if not by_id:
        return {}
    # Not for those whose selector loaded them with the row (`records.term_slugs`).
    unloaded = [o for o in organisations if getattr(o, "kind_list", None) is None]
    prefetch_related_objects(unloaded, "kinds", "sectors")
    sources = _fact_sources(by_id)
    credited = {pk: {name for s in sources.get(pk, []) for name in s.fields} for pk in by_id}
    typed = _typed_by(by_id, credited=credited)
    return {
        pk: OrganisationCredit(sources=sources.get(pk, []), typed_by=typed.get(pk, {}))
        for pk in by_id
    }


def _fact_sources(by_id: dict[int, Organisation]) -> dict[int, list[FactSource]]:
    """Organisation id -> what each of its sources said, oldest first (one query,
    `credit_sql.FACT_SOURCES`)."""
    params = {
        "content_type": ContentType.objects.get_for_model(Organisation).pk,
        "ids": list(by_id),
    }
    with prepared_cursor() as cursor:  # one fixed statement, one plan (directory.prepared)
        cursor.execute(credit_sql.FACT_SOURCES, params)
        rows = cursor.fetchall()
    snapshots = {}
    found: dict[int, list[FactSource]] = {}
    for pk, external_id, first_seen, last_seen, imported, *source in rows:
        name, url, licence, licence_url, dated, slug = source
        if pk not in snapshots:
            snapshots[pk] = organisation_snapshot(by_id[pk])
        found.setdefault(pk, []).append(
            FactSource(
                name=name,
                url=url,
                licence=licence,
                licence_url=licence_url,
                external_id=external_id,
                first_seen_at=first_seen,
                last_seen_at=last_seen,
                fields=_still_held(snapshots[pk], imported or {}),
                dated=dated,
                slug=slug,
            )
        )
    return found


def _still_held(current: dict, imported: dict) -> frozenset[str]:
    """The fields whose value (`current`, the record's snapshot) is still the one a source's
    last import wrote (`imported`, in the importers' snapshot shape: slugs, [lon, lat]). A
    value a person typed since (an accepted suggestion, the owner's or a network's edit) is
    not that source's any more."""
    held = {
        name
        for name, value in imported.items()
        if value and name in current and _same(name, value, current[name])
    }
    if "location" not in held:
        held.difference_update(_POINT_FIELDS)
    return frozenset(held)


def _same(name: str, imported, now) -> bool:
    """Whether the record still holds what the source wrote: for kinds and sectors (which
    an import only adds to), one of its terms at least."""
    if name in ("kinds", "sectors"):
        return bool(set(imported) & set(now))
    return imported == now


def _typed_by(
    by_id: dict[int, Organisation], *, credited: dict[int, set[str]]
) -> dict[int, dict[str, TypedBy]]:
    """Organisation id -> field name -> who typed the value it holds, and when, for the
    fields no source is credited with: the newest change of the field in the history whose
    author is a person (an import writes none). The author's role names them: the structure
    (its owner), its network (an editor of a network it belongs to), or the Cartess team
    (anyone else: a moderator, the admin, an accepted suggestion). Three queries at most;
    none when the selector that loaded them says no person ever saved any of them
    (`has_typed_history`, `credit_sql.HAS_TYPED_HISTORY`: what an imported directory mostly is)."""
    ids = [
        pk for pk, organisation in by_id.items() if getattr(organisation, "has_typed_history", True)
    ]
    if not ids:
        return {}
    rows = Organisation.history.model.objects.raw(
        credit_sql.TYPED_HISTORY, {"ids": ids, "rows": TYPED_HISTORY_ROWS + 1}
    )
    per_record: dict[int, list] = {}
    for row in rows:
        per_record.setdefault(row.id, []).append(row)
    changes = {
        pk: found
        for pk, history in per_record.items()
        if (found := _changes_by_person(history, exclude=credited.get(pk, set())))
    }
    users = {row.history_user_id for found in changes.values() for row in found.values()}
    if not users:
        return {}
    roles = organisation_roles_get(organisations=set(changes), users=users)
    return {
        pk: {
            name: TypedBy(who=roles(pk, row.history_user_id), date=row.history_date)
            for name, row in found.items()
        }
        for pk, found in changes.items()
    }


def _changes_by_person(rows: list, *, exclude: set[str]) -> dict:
    """Field name -> the newest history row (of `rows`, newest first) a person saved that
    changed it; fields in `exclude` left out. Kinds and sectors are read from the rows'
    `history_terms` (what the change made of them)."""
    kept = {f.attname for f in Organisation.history.model._meta.concrete_fields}
    fields = [
        f for f in Organisation._meta.concrete_fields if f.name not in exclude and f.attname in kept
    ]
    found = {}
    for row, older in zip(rows, [*rows[1:], None], strict=True):
        if row.history_user_id is None:
            continue
        for name in (row.history_terms or {}).keys() - exclude:
            found.setdefault(name, row)
        for model_field in fields:
            name, column = model_field.name, model_field.attname
            if name not in found and (
                older is None or getattr(row, column) != getattr(older, column)
            ):
                found[name] = row
    return found


def organisation_roles_get(*, organisations: set[int], users: set[int]):
    """`(organisation id, user id) -> how the credit names the person`: "la structure" (an
    owner), "le réseau" (an editor of one of its networks), "l'équipe Cartess" (anyone
    else). Two queries."""
    owners = set(
        OrganisationEditor.objects.filter(
            organisation__in=organisations, user_id__in=users
        ).values_list("organisation_id", "user_id")
    )
    network_editors = set(
        NetworkEditor.objects.filter(
            user_id__in=users, network__memberships_as_network__member__in=organisations
        ).values_list("network__memberships_as_network__member", "user_id")
    )

    def role(organisation: int, user: int) -> str:
        if (organisation, user) in owners:
            return _("la structure")
        if (organisation, user) in network_editors:
            return _("le réseau")
        return _("l'équipe Cartess")

    return role


#: History reasons of imports start with this (directory.history.IMPORT_REASON).
_IMPORT_PREFIX = "import "


def history_credits_get(*, instance, records: list) -> dict[int, str]:
    """History id -> who a version of `instance` is credited to, as its history page says
    it: an import "importé de <source>", a person's change to an organisation "saisi par la
    structure / le réseau / l'équipe Cartess" (the admin and moderators are the team), ""
    otherwise (a job of Cartess itself; a person's change to another record, whose editors
    have no such roles, e.g. the city services on a site). At most three queries (the
    sources, then the roles)."""
    imports = {
        record.history_id: reason[len(_IMPORT_PREFIX) :]
        for record in records
        if (reason := record.history_change_reason or "").startswith(_IMPORT_PREFIX)
    }
    names = dict(Source.objects.filter(slug__in=set(imports.values())).values_list("slug", "name"))
    users = {record.history_user_id for record in records if record.history_user_id}
    is_organisation = isinstance(instance, Organisation)
    if is_organisation and users:
        role = organisation_roles_get(organisations={instance.pk}, users=users)
    credits = {}
    for record in records:
        if record.history_id in imports:
            slug = imports[record.history_id]
            credits[record.history_id] = _("importé de %(source)s") % {
                "source": names.get(slug, slug)
            }
        elif is_organisation and record.history_user_id:
            credits[record.history_id] = _("saisi par %(who)s") % {
                "who": role(instance.pk, record.history_user_id)
            }
    return credits

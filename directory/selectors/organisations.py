"""Reads of one organisation and of the home page's figures."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.freshness.states import Freshness, freshness_of, organisation_freshness_annotate
from directory.models import (
    FundingScheme,
    NetworkEditor,
    Organisation,
    OrganisationEditor,
    OrganisationKind,
    Provenance,
    PublicationStatus,
    SupportOffer,
)
from directory.records import organisation_snapshot

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass(frozen=True)
class KindCount:
    """How many published organisations carry one kind (an organisation may carry several)."""

    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class DirectorySummary:
    """The live figures of the home page; everything counted is published."""

    kinds: list[KindCount]
    organisations: int
    organisations_on_map: int
    funding_schemes: int
    support_offers: int


def directory_summary_get() -> DirectorySummary:
    """Count what the public can find in the directory today, in four queries whatever the
    data (the home page adds the published premises: cartography's `premises_published_count`).

    Returns every `OrganisationKind` in its taxonomy order with its number of published
    organisations (zeros included), the number of published organisations and of those with
    a point (shown on the map), and the numbers of published funding schemes and support
    offers. Reads only; no side effect.
    """
    kinds = OrganisationKind.objects.annotate(
        published=Count(
            "organisations", filter=Q(organisations__publication_status=PUBLISHED), distinct=True
        )
    ).values_list("slug", "name", "published")
    organisations = Organisation.objects.filter(publication_status=PUBLISHED).aggregate(
        total=Count("pk"), on_map=Count("pk", filter=Q(location__isnull=False))
    )
    return DirectorySummary(
        kinds=[KindCount(slug=slug, name=name, count=count) for slug, name, count in kinds],
        organisations=organisations["total"],
        organisations_on_map=organisations["on_map"],
        funding_schemes=FundingScheme.objects.filter(publication_status=PUBLISHED).count(),
        support_offers=SupportOffer.objects.filter(publication_status=PUBLISHED).count(),
    )


def database_postgis_version_get() -> str:
    """Return the version of the PostGIS library of the default database, e.g. "3.3.2".

    Runs `SELECT postgis_lib_version()` through GeoDjango on every call (never cached).

    Raises:
        django.db.Error: the database cannot be reached or PostGIS is missing.
    """
    return connection.ops.postgis_lib_version()


@dataclass(frozen=True)
class FactSource:
    """One source behind a record: who published it, under which licence, when it was seen."""

    name: str
    url: str
    licence: str
    licence_url: str
    external_id: str
    first_seen_at: object
    last_seen_at: object
    fields: frozenset[str]


@dataclass(frozen=True)
class TypedBy:
    """Who typed a field's value in Cartess ("la structure", "le réseau", "l'équipe
    Cartess") and when."""

    who: str
    date: object


@dataclass(frozen=True)
class OrganisationDetail:
    """Everything the detail page shows about one published organisation."""

    organisation: Organisation
    kinds: list
    sectors: list
    stages: list
    funding_schemes: list
    support_offers: list
    networks: list
    members: list
    sources: list[FactSource]
    #: Field name -> who typed its value and when, for the values no source gave.
    typed_by: dict = field(default_factory=dict)
    #: "à jour", "à actualiser" or "obsolète", with the date (directory.freshness).
    freshness: Freshness | None = None

    @property
    def fact_sources(self) -> dict[str, str]:
        """Field name -> names of the sources whose last import gave it the value it holds.

        A field missing from the mapping was entered or edited in Cartess.
        """
        names: dict[str, list[str]] = {}
        for source in self.sources:
            for field_name in source.fields:
                names.setdefault(field_name, []).append(source.name)
        return {field_name: ", ".join(values) for field_name, values in names.items()}


def _fact_sources(organisation: Organisation) -> list[FactSource]:
    """What each source of `organisation` said (one query)."""
    provenances = (
        Provenance.objects.filter(
            content_type=ContentType.objects.get_for_model(Organisation),
            object_id=organisation.pk,
        )
        .select_related("source")
        .order_by("first_seen_at")
    )
    return [
        FactSource(
            name=provenance.source.name,
            url=provenance.source.url,
            licence=provenance.source.licence,
            licence_url=provenance.source.licence_url,
            external_id=provenance.external_id,
            first_seen_at=provenance.first_seen_at,
            last_seen_at=provenance.last_seen_at,
            fields=_still_held(organisation, provenance.imported_values or {}),
        )
        for provenance in provenances
    ]


#: Fields decided as one with the point: a source that gave the point gave them too.
_POINT_FIELDS = ("location", "geocoding_quality", "geocoding_score")


def _still_held(organisation: Organisation, imported: dict) -> frozenset[str]:
    """The fields whose value is still the one a source's last import wrote (`imported`, in
    the importers' snapshot shape: slugs, [lon, lat]). A value a person typed since (an
    accepted suggestion, the owner's or a network's edit) is not that source's any more.
    Needs `kinds`, `sectors` and `legal_family` loaded (no query)."""
    current = organisation_snapshot(organisation)
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


def organisation_detail_get(*, slug: str) -> OrganisationDetail:
    """The published organisation `slug` with every related fact, in a fixed number of queries.

    Funding schemes it funds and support offers it provides are the published ones, with
    their stages; `stages` is their union, in life-cycle order. `networks` are the networks
    it belongs to, `members` its members (published only). `sources` come from its
    provenances. Reads only.

    Raises:
        Organisation.DoesNotExist: no published organisation has this slug.
    """
    published_offers = Q(publication_status=PUBLISHED)
    organisation = (
        organisation_freshness_annotate(Organisation.objects.all(), today=timezone.localdate())
        .select_related("legal_family")
        .prefetch_related(
            "kinds",
            "sectors",
            Prefetch(
                "funding_schemes",
                queryset=FundingScheme.objects.filter(published_offers).prefetch_related(
                    "stages", "instruments"
                ),
            ),
            Prefetch(
                "support_offers",
                queryset=SupportOffer.objects.filter(published_offers).prefetch_related(
                    "stages", "kinds"
                ),
            ),
            Prefetch("networks", queryset=Organisation.objects.filter(published_offers)),
            Prefetch("members", queryset=Organisation.objects.filter(published_offers)),
        )
        .get(slug=slug, publication_status=PUBLISHED)
    )
    offers = [*organisation.funding_schemes.all(), *organisation.support_offers.all()]
    stages = {stage.pk: stage for offer in offers for stage in offer.stages.all()}
    sources = _fact_sources(organisation)
    return OrganisationDetail(
        organisation=organisation,
        freshness=freshness_of(organisation),
        kinds=list(organisation.kinds.all()),
        sectors=list(organisation.sectors.all()),
        stages=sorted(stages.values(), key=lambda stage: (stage.position, stage.name)),
        funding_schemes=list(organisation.funding_schemes.all()),
        support_offers=list(organisation.support_offers.all()),
        networks=list(organisation.networks.all()),
        members=list(organisation.members.all()),
        sources=sources,
        typed_by=_typed_by(organisation, credited={name for s in sources for name in s.fields}),
    )


#: History rows read to find who typed each value (the newest first).
TYPED_HISTORY_ROWS = 50


def _typed_by(organisation: Organisation, *, credited: set[str]) -> dict[str, TypedBy]:
    """Field name -> who typed the value it holds, and when, for the fields no source is
    credited with: the newest change of the field in the history whose author is a person
    (an import writes none). The author's role names them: the structure (its owner), its
    network (an editor of a network it belongs to), or the Cartess team (anyone else: a
    moderator, the admin, an accepted suggestion). Three queries."""
    rows = list(
        organisation.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[: TYPED_HISTORY_ROWS + 1]
    )
    changes = _changes_by_person(rows, exclude=credited)
    if not changes:
        return {}
    roles = _roles_of(organisation, users={row.history_user_id for row in changes.values()})
    return {
        name: TypedBy(who=roles[row.history_user_id], date=row.history_date)
        for name, row in changes.items()
    }


def _changes_by_person(rows: list, *, exclude: set[str]) -> dict:
    """Field name -> the newest history row (of `rows`, newest first) a person saved that
    changed it; fields in `exclude` left out."""
    kept = {f.attname for f in Organisation.history.model._meta.concrete_fields}
    fields = [
        f for f in Organisation._meta.concrete_fields if f.name not in exclude and f.attname in kept
    ]
    found = {}
    for row, older in zip(rows, [*rows[1:], None], strict=True):
        if row.history_user_id is None:
            continue
        for model_field in fields:
            name, column = model_field.name, model_field.attname
            if name not in found and (
                older is None or getattr(row, column) != getattr(older, column)
            ):
                found[name] = row
    return found


def _roles_of(organisation: Organisation, *, users: set[int]) -> dict[int, str]:
    """User id -> how the page names them for `organisation`."""
    owners = set(
        OrganisationEditor.objects.filter(organisation=organisation, user_id__in=users).values_list(
            "user_id", flat=True
        )
    )
    network_editors = set(
        NetworkEditor.objects.filter(
            user_id__in=users, network__memberships_as_network__member=organisation
        ).values_list("user_id", flat=True)
    )
    return {user: _role_name(user, owners, network_editors) for user in users}


def _role_name(user: int, owners: set[int], network_editors: set[int]) -> str:
    if user in owners:
        return _("la structure")
    if user in network_editors:
        return _("le réseau")
    return _("l'équipe Cartess")

"""Matching a page of Recherche d'entreprises results in one query.

The row-by-row engine looks for the organisation a new row is (importers.engine.loaders.
OrganisationLoader.match) with up to three queries a row: same SIRET, same RNA id, the one
organisation with the same SIREN. The API gives its units 25 a page: `PageMatches.prefetch`
reads, before the rows of a page are loaded, every organisation that has one of their
SIRETs, RNA ids or SIRENs in one query, and `PagedOrganisationLoader.match` answers from it
with the same rules in the same order.

The answer stays the one the queries would give: a row whose identifiers were not all read
by the prefetch, or that an earlier row of the run created or updated (its identifiers are
then "written"), is matched by the engine's own queries. The cross-source identities
(importers.engine.identities) are still looked up the engine's way.
"""

from collections.abc import Iterable, Iterator

from django.db.models import Q

from directory.models import Organisation
from directory.records import OrganisationData
from importers.engine.base import RawRow
from importers.engine.context import LoadContext
from importers.engine.errors import RowRejected
from importers.engine.loaders import OrganisationLoader, _known_identity

#: Rows read ahead and matched in one query: a page of the API.
PAGE_SIZE = 25


def identifiers(data: OrganisationData) -> set[str]:
    """The keys a record is matched on: "siret:…", "rna:…", "siren:…"."""
    keys = {f"siret:{data.siret}"} if data.siret else set()
    if data.rna_id:
        keys.add(f"rna:{data.rna_id}")
    if data.siren:
        keys.add(f"siren:{data.siren}")
    return keys


def _instance_identifiers(instance: Organisation) -> set[str]:
    return {
        f"{kind}:{value}"
        for kind, value in (
            ("siret", instance.siret),
            ("rna", instance.rna_id),
            ("siren", instance.siren),
        )
        if value
    }


class PageMatches:
    """The organisations a page of rows may be, by SIRET, RNA id and SIREN."""

    def __init__(self) -> None:
        self.covered: set[str] = set()
        self.written: set[str] = set()
        self.by_siret: dict[str, Organisation] = {}
        self.by_rna: dict[str, Organisation] = {}
        self.by_siren: dict[str, list[Organisation]] = {}

    def prefetch(self, records: Iterable[OrganisationData]) -> None:
        """Read, in one query, every organisation sharing an identifier with `records`."""
        records = list(records)
        sirets = {data.siret for data in records if data.siret}
        rnas = {data.rna_id for data in records if data.rna_id}
        sirens = {data.siren for data in records if data.siren}
        self.covered = {key for data in records for key in identifiers(data)}
        self.by_siret, self.by_rna, self.by_siren = {}, {}, {}
        if not self.covered:
            return
        found = Organisation.objects.filter(
            Q(siret__in=sirets) | Q(rna_id__in=rnas) | Q(siren__in=sirens)
        ).order_by("pk")
        for organisation in found:
            if organisation.siret:
                self.by_siret[organisation.siret] = organisation
            if organisation.rna_id:
                self.by_rna[organisation.rna_id] = organisation
            if organisation.siren:
                self.by_siren.setdefault(organisation.siren, []).append(organisation)

    def knows(self, data: OrganisationData) -> bool:
        """Whether the prefetch answers for `data` as the queries would."""
        keys = identifiers(data)
        return bool(keys) and keys <= self.covered and not keys & self.written

    def same_siren(self, data: OrganisationData) -> Organisation | None:
        """As importers.engine.loaders._same_siren, from the prefetched organisations."""
        if not data.siren:
            return None
        candidates = self.by_siren.get(data.siren, [])
        if data.siret:
            candidates = [organisation for organisation in candidates if not organisation.siret]
        return candidates[0] if len(candidates) == 1 else None


class PagedOrganisationLoader(OrganisationLoader):
    """OrganisationLoader whose `match` reads the page's prefetched organisations."""

    def __init__(self, matches: PageMatches) -> None:
        self.matches = matches

    def match(
        self, data: OrganisationData, context: LoadContext, external_id: str
    ) -> Organisation | None:
        if not self.matches.knows(data):
            return super().match(data, context, external_id)
        if data.siret and (found := self.matches.by_siret.get(data.siret)) is not None:
            return found
        if data.rna_id and (found := self.matches.by_rna.get(data.rna_id)) is not None:
            return found
        return self.matches.same_siren(data) or _known_identity(
            Organisation, context.source.slug, external_id
        )

    def create(self, data: OrganisationData) -> Organisation:
        organisation = super().create(data)
        self.matches.written |= identifiers(data) | _instance_identifiers(organisation)
        return organisation

    def update(self, instance: Organisation, data: OrganisationData, write: dict) -> None:
        self.matches.written |= identifiers(data) | _instance_identifiers(instance)
        super().update(instance, data, write)
        self.matches.written |= _instance_identifiers(instance)


def rows_prefetched(
    rows: Iterator[RawRow], *, matches: PageMatches | None, mapper
) -> Iterator[RawRow]:
    """`rows`, read PAGE_SIZE ahead; before a page is yielded, `matches` prefetches the
    organisations its rows (as `mapper` maps them; a rejected row adds nothing) may be."""
    page: list[RawRow] = []
    for row in rows:
        page.append(row)
        if len(page) == PAGE_SIZE:
            yield from _page_prefetched(page, matches, mapper)
            page = []
    yield from _page_prefetched(page, matches, mapper)


def _page_prefetched(page: list[RawRow], matches: PageMatches | None, mapper) -> list[RawRow]:
    if matches is not None and page:
        records = []
        for row in page:
            try:
                records.append(mapper(row.data).data)
            except (RowRejected, TypeError, ValueError, AttributeError):
                continue  # the engine rejects it with the mapper's own reason
        matches.prefetch(records)
    return page

"""The published schemes and offers as the pathway judges them: one query each (issue 20).

Every relation the rules, the page and the API read is a JSON array aggregated in the
offers' own row (`sql.JUDGED_SCHEMES`, `sql.JUDGED_OFFERS`) rather than one prefetch query
per relation: the terms (stages, families, sectors, instruments or kinds, strategies), a
scheme's published funders and its published co-financing partners, an offer's provider.
Reads only.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.db.models.query import RawQuerySet

from directory.models import FundingScheme, PublicationStatus, SupportOffer, TerritoryScope
from directory.pathway import sql
from directory.pathway.rules import OfferFacts, Term, TerritoryFit

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass(frozen=True)
class Linked:
    """A scheme's funder or co-financing partner, an offer's provider: enough to name it
    and link to it."""

    pk: int
    slug: str
    name: str
    #: A partner's funders in words ("" for a funder).
    funders_label: str = ""
    #: A funder's closing date as ISO text, None while it is open.
    closed_on: str | None = None
    #: Whether an organisation is published (the funders and partners always are).
    published: bool = True


def judged_schemes() -> Iterator[FundingScheme]:
    """The published funding schemes by name, as the pathway judges them: every relation
    it reads as JSON in the same row (`sql.JUDGED_SCHEMES`), set as attributes
    (`<relation>_terms`, `funder_refs`, `partner_refs`). One query, compiled by no ORM:
    building the same query with subquery annotations cost more than running it. The
    search vector is deferred (read from the database if ever asked)."""
    return _unpacked(FundingScheme.objects.raw(sql.JUDGED_SCHEMES, _PARAMETERS))


def judged_offers() -> Iterator[SupportOffer]:
    """The published support offers by name with their terms and provider (`provider_ref`),
    as the pathway judges them (`sql.JUDGED_OFFERS`). One query."""
    return _unpacked(SupportOffer.objects.raw(sql.JUDGED_OFFERS, _PARAMETERS))


_PARAMETERS = {"published": PUBLISHED.value}


def _unpacked(rows: RawQuerySet) -> Iterator:
    for row in rows:
        for name, value in row.judged.items():
            setattr(row, name, value)
        yield row


def linked_list(values: list[dict] | None) -> list[Linked]:
    """The `funder_refs` or `partner_refs` of a judged scheme as Linked."""
    return [Linked(**value) for value in values or ()]


def linked_one(value: dict | None) -> Linked | None:
    """The `provider_ref` of a judged offer as Linked (None without a provider)."""
    return None if value is None else Linked(**value)


def _terms(offer, relation: str) -> tuple[Term, ...]:
    annotated = getattr(offer, f"{relation}_terms", None)
    if annotated is None:
        return tuple(Term(item.slug, item.name) for item in getattr(offer, relation).all())
    return tuple(_term(term["slug"], term["name"]) for term in annotated)


@lru_cache(maxsize=4096)
def _term(slug: str, name: str) -> Term:
    """One Term per slug and name (they are immutable): a few hundred offers name the same
    few dozen terms, and hash them again in the rules' memo (issue 20)."""
    return Term(slug, name)


def offer_facts(
    *, offer: FundingScheme | SupportOffer, territory: TerritoryFit | None
) -> OfferFacts:
    """The facts the rules read, from a scheme or offer of `judged_queryset` (or any
    scheme or offer: relations not annotated are read from the database)."""
    is_scheme = isinstance(offer, FundingScheme)
    return OfferFacts(
        stages=_terms(offer, "stages"),
        families=_terms(offer, "eligible_legal_families"),
        sectors=_terms(offer, "sectors"),
        instruments=_terms(offer, "instruments") if is_scheme else (),
        kinds=() if is_scheme else _terms(offer, "kinds"),
        scope=offer.territory_scope,
        scope_label=TerritoryScope(offer.territory_scope).label if offer.territory_scope else "",
        territory_label=offer.territory_label,
        territory=territory or TerritoryFit(),
        amount_min=getattr(offer, "amount_min", None),
        amount_max=getattr(offer, "amount_max", None),
        opens_on=getattr(offer, "opens_on", None),
        closes_on=getattr(offer, "closes_on", None),
        recurrence=getattr(offer, "recurrence", ""),
        eligibility_text=getattr(offer, "eligibility_text", ""),
        strategies=_terms(offer, "scale_up_strategies"),
    )

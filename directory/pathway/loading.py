"""The published schemes and offers as the pathway judges them: one query each (issue 20).

Every relation the rules, the page and the API read is a JSON array aggregated in the
offers' own row (`sql.JUDGED_SCHEMES`, `sql.JUDGED_OFFERS`) rather than one prefetch query
per relation: the terms (stages, families, sectors, instruments or kinds, strategies), a
scheme's published funders and its published co-financing partners, an offer's provider.
Reads only.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from directory.models import FundingScheme, PublicationStatus, SupportOffer, TerritoryScope
from directory.pathway import sql
from directory.pathway.rules import OfferFacts, Term, TerritoryFit
from directory.prepared import prepared_cursor

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


@dataclass(slots=True)
class JudgedOffer:
    """A published funding scheme or support offer (`model` says which) as the pathway
    judges and shows it: the columns its rules, page, API and alerts read, and every
    relation it reads. A record rather than a model instance (issue 20: building a few
    hundred model instances cost more than their SQL); the model's own row is
    `model.objects.get(pk=...)`."""

    model: type
    pk: int
    slug: str
    name: str
    url: str
    territory_scope: str
    territory_label: str
    eligibility_text: str
    created_at: datetime
    #: relation (`stages`, `sectors`...) -> its terms, in the taxonomy's order.
    judged_terms: dict[str, tuple[Term, ...]]
    funders_label: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    amount_text: str = ""
    recurrence: str = ""
    opens_on: date | None = None
    closes_on: date | None = None
    #: A scheme's published funders and co-financing partners (JSON objects, None: none).
    funder_refs: list[dict] | None = None
    partner_refs: list[dict] | None = None
    provider_id: int | None = None
    provider_label: str = ""
    cost: str = ""
    cost_details: str = ""
    #: An offer's provider (a JSON object, None without one).
    provider_ref: dict | None = None


def judged_schemes() -> list[JudgedOffer]:
    """The published funding schemes by name, as the pathway judges them, with every
    relation it reads (`sql.JUDGED_SCHEMES`: terms, `funder_refs`, `partner_refs`). One
    query, compiled by no ORM: building the same query with subquery annotations cost more
    than running it."""
    return _loaded(FundingScheme, sql.JUDGED_SCHEMES, sql.SCHEME_TERMS)


def judged_offers() -> list[JudgedOffer]:
    """The published support offers by name with their terms and provider (`provider_ref`),
    as the pathway judges them (`sql.JUDGED_OFFERS`). One query."""
    return _loaded(SupportOffer, sql.JUDGED_OFFERS, sql.OFFER_TERMS)


_PARAMETERS = {"published": PUBLISHED.value}


def _loaded(model, query: str, relations: tuple[str, ...]) -> list[JudgedOffer]:
    """The rows of `query` as JudgedOffer of `model`: its columns are JudgedOffer's fields,
    then the terms of `relations` (JSON text, the last columns). Prepared: its planning cost
    as much as running it (directory.prepared)."""
    with prepared_cursor() as cursor:
        cursor.execute(query, _PARAMETERS)
        names = [column.name for column in cursor.description]
        rows = cursor.fetchall()
    width = len(names) - len(relations)
    fields = names[:width]
    return [
        JudgedOffer(
            model=model,
            judged_terms=dict(zip(relations, map(_terms_parsed, row[width:]), strict=True)),
            **dict(zip(fields, row, strict=False)),
        )
        for row in rows
    ]


@lru_cache(maxsize=4096)
def _terms_parsed(text: str) -> tuple[Term, ...]:
    """A JSON list of [slug, name] as Terms, parsed once per distinct list: a few hundred
    offers name the same few dozen lists (issue 20). Terms are immutable."""
    return tuple(Term(slug, name) for slug, name in json.loads(text))


def linked_list(values: list[dict] | None) -> list[Linked]:
    """The `funder_refs` or `partner_refs` of a judged scheme as Linked."""
    return [Linked(**value) for value in values or ()]


def linked_one(value: dict | None) -> Linked | None:
    """The `provider_ref` of a judged offer as Linked (None without a provider)."""
    return None if value is None else Linked(**value)


def _terms(offer, relation: str) -> tuple[Term, ...]:
    if isinstance(offer, JudgedOffer):
        return offer.judged_terms.get(relation, ())
    return tuple(Term(item.slug, item.name) for item in getattr(offer, relation).all())


def offer_facts(
    *, offer: JudgedOffer | FundingScheme | SupportOffer, territory: TerritoryFit | None
) -> OfferFacts:
    """The facts the rules read, from a JudgedOffer (or any scheme or offer: its relations
    are then read from the database)."""
    is_scheme = isinstance(offer, FundingScheme) or getattr(offer, "model", None) is FundingScheme
    return OfferFacts(
        stages=_terms(offer, "stages"),
        families=_terms(offer, "eligible_legal_families"),
        sectors=_terms(offer, "sectors"),
        instruments=_terms(offer, "instruments") if is_scheme else (),
        kinds=() if is_scheme else _terms(offer, "kinds"),
        scope=offer.territory_scope,
        scope_label=_scope_label(offer.territory_scope),
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


def _scope_label(scope: str) -> str:
    """The scope's label in the active language, as text (hashed in the rules' memo)."""
    return str(TerritoryScope(scope).label) if scope else ""

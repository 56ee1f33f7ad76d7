"""The published schemes and offers as the pathway judges them: one query each (issue 20).

Every relation the rules, the page and the API read is a JSON array aggregated in the
offers' own row (`sql.JUDGED_SCHEMES`, `sql.JUDGED_OFFERS`) rather than one prefetch query
per relation: the terms (stages, families, sectors, instruments or kinds, strategies), a
scheme's published funders and its published co-financing partners, an offer's provider.
Reads only.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from django.db import connection

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


def judged_schemes() -> list[FundingScheme]:
    """The published funding schemes by name, as the pathway judges them: every relation
    it reads in the same row (`sql.JUDGED_SCHEMES`), set as attributes (`<relation>_terms`
    as Terms, `funder_refs`, `partner_refs`). One query, compiled by no ORM: building the
    same query with subquery annotations cost more than running it. The columns no page of
    the pathway reads (description, search vector...) are deferred (read from the database
    if ever asked)."""
    return _loaded(FundingScheme, sql.JUDGED_SCHEMES, sql.SCHEME_TERMS)


def judged_offers() -> list[SupportOffer]:
    """The published support offers by name with their terms and provider (`provider_ref`),
    as the pathway judges them (`sql.JUDGED_OFFERS`). One query."""
    return _loaded(SupportOffer, sql.JUDGED_OFFERS, sql.OFFER_TERMS)


_PARAMETERS = {"published": PUBLISHED.value}


def _loaded(model, query: str, relations: tuple[str, ...]) -> list:
    """The rows of `query` as instances of `model` (its columns first, then the terms of
    `relations` and the references): one fetch and `from_db` per row, without
    RawQuerySet's per-row column mapping (issue 20)."""
    with connection.cursor() as cursor:
        cursor.execute(query, _PARAMETERS)
        names = [column.name for column in cursor.description]
        rows = cursor.fetchall()
    # from_db takes the loaded fields' values in the model's field order.
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in names]
    own = itemgetter(*(names.index(name) for name in fields))
    extra = [(index, name) for index, name in enumerate(names) if name not in fields]
    terms = {f"{relation}_terms" for relation in relations}
    loaded = []
    for row in rows:
        instance = model.from_db(connection.alias, fields, own(row))
        for index, name in extra:
            value = row[index]
            setattr(instance, name, _terms_parsed(value) if name in terms else value)
        loaded.append(instance)
    return loaded


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
    annotated = getattr(offer, f"{relation}_terms", None)
    if annotated is None:
        return tuple(Term(item.slug, item.name) for item in getattr(offer, relation).all())
    return annotated


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

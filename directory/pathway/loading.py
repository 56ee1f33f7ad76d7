"""The published schemes and offers as the pathway judges them: one query each (issue 20).

Every relation the rules, the page and the API read is an array aggregated in the offers'
own query (`ArraySubquery` of JSON objects) rather than one prefetch query per relation:
the terms (stages, families, sectors, instruments or kinds, strategies), a scheme's
published funders and its published co-financing partners. A support offer's provider is
joined. Reads only.
"""

from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject

from directory.models import (
    FundingScheme,
    Organisation,
    PublicationStatus,
    SupportOffer,
    TerritoryScope,
)
from directory.pathway.rules import OfferFacts, Term, TerritoryFit
from directory.selectors.funding import scheme_queryset, support_offer_queryset

PUBLISHED = PublicationStatus.PUBLISHED

#: The term relations loaded as annotations (`<relation>_terms`, a list of {slug, name}).
JUDGED_TERMS = {
    FundingScheme: (
        "stages",
        "eligible_legal_families",
        "sectors",
        "instruments",
        "scale_up_strategies",
    ),
    SupportOffer: ("stages", "eligible_legal_families", "sectors", "kinds"),
}


@dataclass(frozen=True)
class Linked:
    """A scheme's funder or co-financing partner: enough to name it and link to it."""

    pk: int
    slug: str
    name: str
    #: A partner's funders in words ("" for a funder).
    funders_label: str = ""
    #: A funder's closing date as ISO text, None while it is open.
    closed_on: str | None = None


def _terms_annotated(model, relation: str) -> ArraySubquery:
    field = model._meta.get_field(relation)
    terms = field.related_model.objects.filter(**{field.related_query_name(): OuterRef("pk")})
    return ArraySubquery(
        terms.order_by("position", "name").values(json=JSONObject(slug="slug", name="name"))
    )


def _funders_annotated() -> ArraySubquery:
    funders = Organisation.objects.filter(
        funding_schemes=OuterRef("pk"), publication_status=PUBLISHED
    ).order_by("name", "pk")
    return ArraySubquery(
        funders.values(json=JSONObject(pk="pk", slug="slug", name="name", closed_on="closed_on"))
    )


def _partners_annotated() -> ArraySubquery:
    through = FundingScheme.co_financeable_with.through
    partners = through.objects.filter(
        from_fundingscheme=OuterRef("pk"), to_fundingscheme__publication_status=PUBLISHED
    ).order_by("to_fundingscheme__name", "to_fundingscheme")
    return ArraySubquery(
        partners.values(
            json=JSONObject(
                pk="to_fundingscheme",
                slug="to_fundingscheme__slug",
                name="to_fundingscheme__name",
                funders_label="to_fundingscheme__funders_label",
            )
        )
    )


def judged_queryset(queryset: QuerySet) -> QuerySet:
    """`queryset` (the published schemes or offers of `directory.selectors.funding`) with
    every relation the pathway reads as an annotation instead of a prefetch: one query."""
    model = queryset.model
    annotations = {
        f"{relation}_terms": _terms_annotated(model, relation) for relation in JUDGED_TERMS[model]
    }
    if model is FundingScheme:
        annotations.update(funder_refs=_funders_annotated(), partner_refs=_partners_annotated())
    return queryset.prefetch_related(None).annotate(**annotations)


def judged_schemes() -> QuerySet[FundingScheme]:
    """The published funding schemes, as the pathway judges them (one query)."""
    return judged_queryset(scheme_queryset())


def judged_offers() -> QuerySet[SupportOffer]:
    """The published support offers with their provider, as the pathway judges them."""
    return judged_queryset(support_offer_queryset())


def linked_list(values: list[dict] | None) -> list[Linked]:
    """The `funder_refs` or `partner_refs` of a judged scheme as Linked."""
    return [Linked(**value) for value in values or ()]


def _terms(offer, relation: str) -> tuple[Term, ...]:
    annotated = getattr(offer, f"{relation}_terms", None)
    if annotated is None:
        return tuple(Term(item.slug, item.name) for item in getattr(offer, relation).all())
    return tuple(Term(term["slug"], term["name"]) for term in annotated)


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
        strategies=_terms(offer, "scale_up_strategies") if is_scheme else (),
    )

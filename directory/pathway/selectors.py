"""The pathway (parcours): what fits a project now, why, and the road ahead. Reads only.

`pathway_get` is the entry point; the rules live in `directory.pathway.rules` (pure, one
function each), the place and its territory fits in `directory.pathway.places`, the
published schemes and offers loaded in `directory.pathway.loading`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.contrib.gis.db.models.functions import GeoFunc, GeometryDistance
from django.db.models import FloatField, Q
from django.utils.translation import gettext as _

from directory.models import FundingScheme, Organisation, PublicationStatus, Stage, SupportOffer
from directory.pathway import rules
from directory.pathway.loading import (
    JudgedOffer,
    Linked,
    judged_offers,
    judged_schemes,
    linked_list,
    linked_one,
    offer_facts,
)
from directory.pathway.places import PathwayContext, Place, PlaceQuery, pathway_context_get
from directory.pathway.rules import OfferFacts, Term, Verdict
from directory.pathway.venues import (
    VenueHit,
    venue_condition,
    venue_services,
    venue_services_annotated,
)

PUBLISHED = PublicationStatus.PUBLISHED
SCHEME, OFFER = "scheme", "offer"
MONEY, SUPPORT = "money", "support"


@dataclass(frozen=True)
class Project:
    """What the holder answered. Slugs of DESIGN.md; empty means "not said"."""

    stage: str
    legal_family: str = ""
    sector: str = ""
    needs: frozenset[str] = frozenset({MONEY, SUPPORT})
    instruments: tuple[str, ...] = ()
    amount: int | None = None
    support_kinds: tuple[str, ...] = ()
    place: PlaceQuery = field(default_factory=PlaceQuery)
    #: A ScaleUpStrategy slug, asked at changement d'échelle only ("" when not said).
    strategy: str = ""
    #: The services of a place the project needs (PlaceServiceKind slugs; issue 17).
    place_services: tuple[str, ...] = ()


@dataclass
class Match:
    """One scheme or offer judged against the project, with every reason for and against."""

    kind: str
    #: A JudgedOffer in a pathway's answer (a model instance when judged alone).
    offer: JudgedOffer | FundingScheme | SupportOffer | None
    status: str
    reasons: list[Verdict]
    checks: list[Verdict]
    exclusions: list[Verdict]
    later_stages: list[Term]
    #: Every stage the scheme or offer covers, in the taxonomy's order.
    stages: tuple[Term, ...] = ()
    #: Published schemes declared co-financeable with this one (for a scheme).
    partners: list[Linked] = field(default_factory=list)
    #: The scheme's published funders, by name (for a scheme).
    funders: list[Linked] = field(default_factory=list)
    #: The offer's provider, published or not (for a support offer).
    provider: Linked | None = None

    @cached_property
    def serves_strategy(self) -> bool:
        return any(verdict.rule == "strategy" for verdict in self.reasons)

    @cached_property
    def score(self) -> int:
        return sum(verdict.weight for verdict in self.reasons)


@dataclass(frozen=True)
class OrganisationHit:
    """An organisation behind a fitting scheme or offer; `distance_m` from the place."""

    organisation: Organisation
    roles: tuple[str, ...]
    distance_m: float | None

    @property
    def distance_km(self) -> float | None:
        return None if self.distance_m is None else self.distance_m / 1000


@dataclass(frozen=True)
class RoadStep:
    """A later stage: what opens there, and how many of today's matches carry on."""

    stage: Term
    matches: list[Match]
    carried_on: int


@dataclass(frozen=True)
class Pathway:
    """The whole answer: now (schemes, offers, soon), organisations, road ahead, excluded."""

    project: Project
    stage: Term
    place: Place
    schemes: list[Match]
    support_offers: list[Match]
    soon: list[Match]
    organisations: list[OrganisationHit]
    road_ahead: list[RoadStep]
    recurring: list[Match]
    excluded: list[Match]
    #: The places offering a service the project needs, nearest first (issue 17).
    venues: list[VenueHit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.schemes) + len(self.support_offers)

    @property
    def amount_label(self) -> str:
        """The amount needed as the page writes it ("10 000 €"), or ""."""
        return "" if self.project.amount is None else rules.euros(self.project.amount)


# --- Judging ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The project's answers as taxonomy terms (unknown slugs are dropped)."""

    stages: tuple[Term, ...]
    stage: Term
    family: Term | None
    sector: Term | None
    instruments: tuple[Term, ...]
    kinds: tuple[Term, ...]
    strategy: Term | None = None


def project_named(project: Project) -> dict:
    """The terms `project` names, as `pathway_context_get` takes them."""
    return {
        "family": project.legal_family,
        "sector": project.sector,
        "instruments": list(project.instruments),
        "kinds": list(project.support_kinds),
        "strategy": project.strategy or "",
    }


def vocabulary_from_terms(*, project: Project, rows: list[tuple[str, str, str]]) -> Vocabulary:
    """The project's answers as terms, from the (what, slug, name) rows of the pathway's
    context (every stage, then the terms it names). No query.

    Raises Stage.DoesNotExist for an unknown stage.
    """
    terms: dict[str, list[Term]] = defaultdict(list)
    for what, slug, name in rows:
        terms[what].append(Term(slug, name))
    stages = tuple(terms["stage"])
    current = next((term for term in stages if term.slug == project.stage), None)
    if current is None:
        raise Stage.DoesNotExist(project.stage)
    return Vocabulary(
        stages=stages,
        stage=current,
        family=terms["family"][0] if terms["family"] else None,
        sector=terms["sector"][0] if terms["sector"] else None,
        instruments=tuple(terms["instrument"]),
        kinds=tuple(terms["kind"]),
        strategy=terms["strategy"][0] if terms["strategy"] else None,
    )


def _need_verdicts(*, kind: str, facts: OfferFacts, project: Project, words: Vocabulary):
    if kind == SCHEME:
        return [
            rules.instrument_rule(facts=facts, instruments=words.instruments),
            rules.amount_rule(facts=facts, amount=project.amount),
        ]
    return [rules.support_kind_rule(facts=facts, kinds=words.kinds)]


_MISSING = object()


def _remembered(memo: dict | None, key: tuple, judge):
    """`judge()`, or the verdict it gave for the same `key` in this `memo` (issue 20: a few
    hundred schemes share a few dozen stage lists, territories and dates, and the French
    sentences cost more to write than to look up)."""
    if memo is None:
        return judge()
    verdict = memo.get(key, _MISSING)
    if verdict is _MISSING:
        verdict = memo[key] = judge()
    return verdict


def _verdicts(
    *,
    kind: str,
    facts: OfferFacts,
    project: Project,
    words: Vocabulary,
    place: Place,
    today: date,
    memo: dict | None,
) -> list[Verdict | None]:
    """Each rule's verdict, remembered in `memo` under the facts that rule reads."""
    f, w = facts, words
    territory = (f.territory, f.scope, f.scope_label, f.territory_label)
    needs = (kind, f.instruments, f.kinds, f.amount_min, f.amount_max)
    return [
        _remembered(memo, ("stage", f.stages), lambda: rules.stage_rule(facts=f, stage=w.stage)),
        _remembered(
            memo, ("family", f.families), lambda: rules.family_rule(facts=f, family=w.family)
        ),
        _remembered(
            memo, ("sector", f.sectors), lambda: rules.sector_rule(facts=f, sector=w.sector)
        ),
        _remembered(
            memo,
            ("territory", *territory),
            lambda: rules.territory_rule(facts=f, place_phrase=place.phrase),
        ),
        *_remembered(
            memo,
            ("needs", *needs),
            lambda: _need_verdicts(kind=kind, facts=f, project=project, words=w),
        ),
        _remembered(
            memo,
            ("strategy", f.strategies),
            lambda: rules.strategy_rule(facts=f, strategy=w.strategy),
        ),
        _remembered(
            memo,
            ("dates", f.opens_on, f.closes_on, f.recurrence),
            lambda: rules.date_rule(facts=f, today=today),
        ),
        _remembered(
            memo, ("eligibility", f.eligibility_text), lambda: rules.eligibility_rule(facts=f)
        ),
    ]


def offer_judge(
    *,
    kind: str,
    facts: OfferFacts,
    project: Project,
    words: Vocabulary,
    place: Place,
    today: date,
    memo: dict | None = None,
) -> Match:
    """Every verdict on one scheme (`kind` SCHEME) or support offer (OFFER). Pure.

    Base rules (legal family, sector, territory) hold at every stage; need rules
    (instrument and amount for a scheme, support kind for an offer) only for what the holder
    needs now; the stage rule and the dates decide between now, soon and the road ahead.
    `memo`, shared by the offers judged for one project on one day, keeps each rule's
    verdict on the facts it reads (verdicts are immutable).
    """
    # Offers with the same facts (stages, territory, dates...) get the same verdicts: one
    # hash of the facts rather than a key per rule (issue 20).
    status, reasons, checks, exclusions, later = _remembered(
        memo,
        ("judgement", kind, facts),
        lambda: _judgement(kind, facts, project, words, place, today, memo=memo),
    )
    return Match(
        kind=kind,
        offer=None,
        status=status,
        reasons=list(reasons),
        checks=list(checks),
        exclusions=list(exclusions),
        later_stages=list(later),
        stages=facts.stages,
    )


def _judgement(kind, facts, project, words, place, today, *, memo) -> tuple:
    """(status, reasons, checks, exclusions, later stages) of one scheme or offer."""
    verdicts = _verdicts(
        kind=kind, facts=facts, project=project, words=words, place=place, today=today, memo=memo
    )
    verdicts = [verdict for verdict in verdicts if verdict is not None]
    position = {term.slug: index for index, term in enumerate(words.stages)}
    current = position[words.stage.slug]
    return (
        rules.date_status(facts=facts, today=today),
        tuple(verdict for verdict in verdicts if verdict.fits is True),
        tuple(verdict for verdict in verdicts if verdict.fits is None),
        tuple(verdict for verdict in verdicts if verdict.fits is False),
        tuple(term for term in facts.stages if position.get(term.slug, -1) > current),
    )


BASE_RULES = frozenset({"family", "sector", "territory"})


def _fails(match: Match, names: frozenset[str] | set[str]) -> bool:
    return any(verdict.rule in names for verdict in match.exclusions)


def _place_in_lists(match: Match, facts: OfferFacts, lists: dict[str, list[Match]]) -> None:
    """now / soon / recurring / road / excluded: where one judged offer goes (see Pathway)."""
    if _fails(match, BASE_RULES):
        lists["excluded"].append(match)
    elif match.status == rules.CLOSED:
        lists["recurring" if rules.is_recurring(facts) else "excluded"].append(match)
    elif not match.exclusions:
        lists["soon" if match.status == rules.SOON else match.kind].append(match)
    elif _fails(match, {"stage"}) and match.later_stages:
        lists["road"].append(match)
    else:
        lists["excluded"].append(match)


def _ranked(matches: list[Match]) -> list[Match]:
    """Those serving the holder's scale-up strategy first, then by score and name; a
    scheme's co-financing partners among them come right after it (presented together)."""
    ranked = sorted(
        matches,
        key=lambda match: (not match.serves_strategy, -match.score, match.offer.name.lower()),
    )
    return _partners_together(ranked)


def _partners_together(matches: list[Match]) -> list[Match]:
    by_pk = {match.offer.pk: match for match in matches if match.kind == SCHEME}
    placed: set[int] = set()
    result = []
    for match in matches:
        if id(match) in placed:
            continue
        result.append(match)
        placed.add(id(match))
        for partner in match.partners:
            other = by_pk.get(partner.pk)
            if other is not None and id(other) not in placed:
                result.append(other)
                placed.add(id(other))
    return result


def _road_ahead(*, words: Vocabulary, road: list[Match], now: list[Match]) -> list[RoadStep]:
    """One step per later stage: what opens there (an offer covering two later stages shows
    at both), and how many of today's matches carry on to it."""
    position = {term.slug: index for index, term in enumerate(words.stages)}
    steps = []
    for stage in words.stages[position[words.stage.slug] + 1 :]:
        opening = [m for m in road if stage.slug in {term.slug for term in m.later_stages}]
        carried = sum(1 for match in now if stage.slug in {t.slug for t in match.later_stages})
        steps.append(RoadStep(stage=stage, matches=_ranked(opening), carried_on=carried))
    return steps


def _judge_all(
    *, project: Project, words: Vocabulary, context: PathwayContext, today: date
) -> dict:
    """Every published scheme and offer judged and put in its list (two queries)."""
    place = context.place
    lists: dict[str, list[Match]] = defaultdict(list)
    memo: dict = {}
    for kind, queryset in ((SCHEME, judged_schemes()), (OFFER, judged_offers())):
        for offer in queryset:
            facts = offer_facts(offer=offer, territory=context.fits.get((kind, offer.pk)))
            match = offer_judge(
                kind=kind,
                facts=facts,
                project=project,
                words=words,
                place=place,
                today=today,
                memo=memo,
            )
            match.offer = offer
            if kind == SCHEME:
                match.partners = linked_list(offer.partner_refs)
                match.funders = linked_list(offer.funder_refs)
            else:
                match.provider = linked_one(offer.provider_ref)
            _place_in_lists(match, facts, lists)
    return lists


def _wanted(matches: list[Match], project: Project, need: str) -> list[Match]:
    return _ranked(matches) if need in project.needs else []


def pathway_get(*, project: Project, today: date) -> Pathway:
    """The ranked pathway of `project` on `today`: what fits now and why, and what comes next.

    - `schemes` and `support_offers`: published, open on `today`, every rule met, ranked
      by score (the sum of `rules.WEIGHTS` of their reasons), then name; only for the needs
      the holder named (`project.needs`: money, support).
    - `soon`: would fit, but open after `today`.
    - `organisations`: funders and providers of the above, nearest first when the place
      has a point (PostGIS `<->`), with their distance.
    - `road_ahead`: for each later stage, what opens there (family, sector and territory
      fit; today's instrument, amount and support kind are not asked of the future).
    - `recurring`: closed schemes that come back (récurrente, permanente).
    - `excluded`: everything else, each with the reasons it was set aside.
    - `venues`: the places offering a service of `project.place_services`, nearest first
      (with the organisations: no query of their own).

    Raises Stage.DoesNotExist for an unknown stage. Four queries, whatever the data (issue
    20): the context (terms, place, territory fits), the schemes, the offers, the
    organisations.
    """
    context = pathway_context_get(query=project.place, named=project_named(project))
    words = vocabulary_from_terms(project=project, rows=context.terms)
    place = context.place
    lists = _judge_all(project=project, words=words, context=context, today=today)
    schemes = _wanted(lists[SCHEME], project, MONEY)
    offers = _wanted(lists[OFFER], project, SUPPORT)
    organisations, venues = contacts_get(
        matches=[*schemes, *offers], place=place, services=project.place_services
    )
    return Pathway(
        project=project,
        stage=words.stage,
        place=place,
        schemes=schemes,
        support_offers=offers,
        soon=_wanted(lists["soon"], project, MONEY),
        organisations=organisations,
        road_ahead=_road_ahead(words=words, road=lists["road"], now=[*schemes, *offers]),
        recurring=_ranked(lists["recurring"]),
        excluded=sorted(lists["excluded"], key=lambda match: match.offer.name.lower()),
        venues=venues,
    )


def _roles(matches: list[Match]) -> dict[int, list[str]]:
    roles: dict[int, list[str]] = defaultdict(list)
    for match in matches:
        if match.kind == SCHEME:
            for funder in match.funders:
                roles[funder.pk].append(_("Finance : %(name)s") % {"name": match.offer.name})
        elif match.provider is not None and match.provider.published:
            roles[match.provider.pk].append(_("Accompagne : %(name)s") % {"name": match.offer.name})
    return roles


def contacts_get(
    *, matches: list[Match], place: Place, services: tuple[str, ...] = ()
) -> tuple[list[OrganisationHit], list[VenueHit]]:
    """The organisations that fund or run `matches`, and the places offering one of
    `services`, both nearest first from `place` when it has a point (`<->` on the GiST
    index, then those without a point by name), else by name. One query for both.
    """
    roles = _roles(matches)
    queryset = Organisation.objects.filter(Q(pk__in=roles) | venue_condition(services=services))
    if services:
        queryset = queryset.annotate(venue_services=venue_services_annotated(services=services))
    point = place.point
    if point is None:
        queryset = queryset.order_by("name", "pk")
    else:
        queryset = queryset.annotate(distance_m=SphereDistance("location", point)).order_by(
            GeometryDistance("location", point).asc(nulls_last=True), "name", "pk"
        )
    hits, venues = [], []
    for organisation in queryset:
        distance = getattr(organisation, "distance_m", None)
        if organisation.pk in roles:
            hits.append(OrganisationHit(organisation, tuple(roles[organisation.pk]), distance))
        offered = venue_services(getattr(organisation, "venue_services", None))
        if offered:
            venues.append(VenueHit(organisation, offered, distance))
    return hits, venues


class SphereDistance(GeoFunc):
    """Metres between two points on the sphere, as a float: GeoDjango's `Distance` would
    ask the database for the SRID's units once per process, one more query."""

    function = "ST_DistanceSphere"
    geom_param_pos = (0, 1)
    output_field = FloatField()

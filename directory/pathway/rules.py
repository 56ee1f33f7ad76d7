"""The rules of the pathway, one function each, pure: facts of an offer + the project -> verdict.

Every rule returns a `Verdict`: `fits` (True: a reason it fits; False: a reason it is set
aside; None: a point to check, shown but not scored), the French sentence the holder reads
and the weight it adds to the score. The weights (see `WEIGHTS`) say how *specifically* an
offer fits: a scheme written for associations in the alimentation durable filière of Lille
ranks above one open to anyone anywhere in France, which still fits.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

#: Weight of each reason a scheme or offer fits. Required rules (stage, legal family, sector,
#: territory, instrument, support kind, minimum amount) set an offer aside when they fail;
#: the weights only order what fits.
WEIGHTS = {
    "stage": 3,  # covers the project's stage
    "stage_dedicated": 1,  # ... and that stage only
    "family_named": 3,  # names the project's legal family
    "family_all": 1,  # open to every legal family
    "sector_named": 3,  # names the project's filière
    "sector_all": 1,  # every filière
    "instrument": 3,  # offers an instrument the holder asked for
    "instrument_related": 1,  # ... or one that answers the same need (RELATED_INSTRUMENTS)
    "support_kind": 3,  # offers a support kind the holder asked for
    "amount_covered": 3,  # the amount needed lies in the stated range
    "amount_partial": 1,  # the stated maximum covers part of the need
    "open_until": 1,  # a known closing date still ahead: apply now
    "permanent": 1,  # always open
    "strategy": 3,  # serves the scale-up strategy the holder chose (ranked first as well)
}
#: Territory weight by the narrowest area (or scope) that contains the place: the more
#: local an offer, the more it is meant for the project.
TERRITORY_WEIGHTS = {
    "quartier": 4,
    "qpv": 4,
    "commune-associee": 3,
    "commune": 3,
    "epci": 2,
    "departement": 1,
    "region": 1,
    "national": 0,
    "europe": 0,
}
#: Scopes that always contain a place of Lille: Lille lies in the MEL, the Nord, the
#: Hauts-de-France, France and the EU. Cartess only lists offers that can be activated in
#: Lille, so a scope this wide without an outline is taken to cover the whole territory.
COVERING_SCOPES = ("epci", "departement", "region", "national", "europe")

#: Instruments that answer the need a holder names, though the source calls them otherwise:
#: an avance remboursable is a loan at 0 % (the Région's "aide au développement des
#: structures de l'ESS", DASESS) and a prêt participatif, filed under quasi-fonds propres, is
#: a loan too (FRIS); equity and quasi-equity both strengthen the balance sheet; an appel à
#: projets hands out subventions. Asked -> also fits (with `instrument_related`, and says so).
RELATED_INSTRUMENTS = {
    "pret": ("avance-remboursable", "quasi-fonds-propres"),
    "avance-remboursable": ("pret",),
    "fonds-propres": ("quasi-fonds-propres",),
    "quasi-fonds-propres": ("fonds-propres",),
    "subvention": ("appel-a-projets",),
    "appel-a-projets": ("subvention",),
}
#: A later stage that the schemes of an earlier one also serve, as a point to check: a
#: changement d'échelle is growth (diversification, duplication...), and the schemes written
#: for "consolidation / développement" fund growth (Autonomie & Solidarité's equity, the
#: PESS...). Shown to a project at the later stage, unscored, never the other way round.
GROWTH_STAGES = {"changement-d-echelle": "consolidation"}

#: "Ouvert aux associations", "Réservé aux coopératives": the legal families, plural.
FAMILY_PLURALS = {
    "association": "associations",
    "cooperative": "coopératives",
    "mutuelle": "mutuelles",
    "fondation": "fondations",
    "societe-ess": "sociétés commerciales de l'ESS",
    "autre": "autres structures",
}


@dataclass(frozen=True)
class Verdict:
    """One reason, for or against: `fits` True (scored), False (excluded), None (to check)."""

    rule: str
    fits: bool | None
    text: str
    weight: int = 0


@dataclass(frozen=True)
class Term:
    """A taxonomy term as the rules need it."""

    slug: str
    name: str


@dataclass(frozen=True)
class TerritoryFit:
    """What PostGIS said about the offer's territory and the project's place.

    `covering` names the areas containing the place (narrowest first) with their kind;
    `touching` the areas that only overlap it; `has_areas` whether the offer has outlines.
    """

    has_areas: bool = False
    covering: tuple[tuple[str, str], ...] = ()
    touching: tuple[str, ...] = ()


@dataclass(frozen=True)
class OfferFacts:
    """The facts of a funding scheme or a support offer that the rules read."""

    stages: tuple[Term, ...]
    families: tuple[Term, ...] = ()
    sectors: tuple[Term, ...] = ()
    instruments: tuple[Term, ...] = ()
    kinds: tuple[Term, ...] = ()
    scope: str = ""
    scope_label: str = ""
    territory_label: str = ""
    territory: TerritoryFit = field(default_factory=TerritoryFit)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    recurrence: str = ""
    eligibility_text: str = ""
    strategies: tuple[Term, ...] = ()


def euros(amount: Decimal | int) -> str:
    """30000 -> "30\u00a0000 €" in French, "30,000" in English: the active language's
    grouping (Django's formats), as the templates' `floatformat:"0g"`; where the sign
    goes is the catalogue's ("€30,000" in English)."""
    grouped = formats.number_format(int(amount), force_grouping=True)
    return _("%(amount)s €") % {"amount": grouped}


def day(value: date) -> str:
    """A day in the short format of the active language (French: 04/12/2026)."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _names(terms: tuple[Term, ...]) -> str:
    return ", ".join(term.name for term in terms)


def stage_rule(*, facts: OfferFacts, stage: Term) -> Verdict:
    """Covers the project's stage, or set aside saying which stages it covers.

    At a stage of `GROWTH_STAGES`, covering the stage it grows from is a point to check."""
    slugs = {term.slug for term in facts.stages}
    grows_from = next(
        (term for term in facts.stages if term.slug == GROWTH_STAGES.get(stage.slug)), None
    )
    if stage.slug not in slugs and grows_from is not None:
        text = _("Couvre l'étape %(covered)s : à vérifier pour un projet en %(stage)s") % {
            "covered": grows_from.name.lower(),
            "stage": stage.name.lower(),
        }
        return Verdict("stage", None, text)
    if stage.slug not in slugs:
        text = _("Ne couvre pas l'étape %(stage)s (couvre : %(stages)s)") % {
            "stage": stage.name.lower(),
            "stages": _names(facts.stages).lower(),
        }
        return Verdict("stage", False, text)
    weight = WEIGHTS["stage"] + (WEIGHTS["stage_dedicated"] if len(slugs) == 1 else 0)
    return Verdict(
        "stage", True, _("Couvre l'étape %(stage)s") % {"stage": stage.name.lower()}, weight
    )


def _family_plural(term: Term) -> str:
    return FAMILY_PLURALS.get(term.slug, term.name.lower())


def family_rule(*, facts: OfferFacts, family: Term | None) -> Verdict | None:
    """Open to the project's legal family (an empty list: open to all). None without family."""
    if family is None:
        return None
    if not facts.families:
        return Verdict(
            "family", True, _("Ouvert à toutes les familles juridiques"), WEIGHTS["family_all"]
        )
    if family.slug in {term.slug for term in facts.families}:
        text = _("Ouvert aux %(family)s") % {"family": _family_plural(family)}
        return Verdict("family", True, text, WEIGHTS["family_named"])
    reserved = _(" et aux ").join(_family_plural(term) for term in facts.families)
    return Verdict("family", False, _("Réservé aux %(families)s") % {"families": reserved})


def sector_rule(*, facts: OfferFacts, sector: Term | None) -> Verdict | None:
    """Open to the project's filière (an empty list: all filières). None without filière."""
    if sector is None:
        return None
    if not facts.sectors:
        return Verdict("sector", True, _("Toutes filières"), WEIGHTS["sector_all"])
    if sector.slug in {term.slug for term in facts.sectors}:
        text = _("Filière %(sector)s") % {"sector": sector.name.lower()}
        return Verdict("sector", True, text, WEIGHTS["sector_named"])
    text = _("Réservé aux filières : %(sectors)s") % {"sectors": _names(facts.sectors).lower()}
    return Verdict("sector", False, text)


def territory_rule(*, facts: OfferFacts, place_phrase: str) -> Verdict:
    """The offer's territory contains the place (`place_phrase`: "votre adresse"...).

    With outlines, PostGIS decides (see `TerritoryFit`); without, a scope of `COVERING_SCOPES`
    contains any place of Lille, and a narrower or unknown scope is a point to check.
    """
    fit = facts.territory
    if fit.has_areas:
        return _areas_verdict(fit=fit, place_phrase=place_phrase)
    label = facts.territory_label or facts.scope_label
    if facts.scope in COVERING_SCOPES:
        text = _("Territoire : %(label)s, qui contient %(place)s") % {
            "label": label,
            "place": place_phrase,
        }
        return Verdict("territory", True, text, TERRITORY_WEIGHTS[facts.scope])
    text = _("Territoire à vérifier : %(label)s") % {"label": label or _("non précisé")}
    return Verdict("territory", None, text)


def _areas_verdict(*, fit: TerritoryFit, place_phrase: str) -> Verdict:
    if fit.covering:
        name, kind = fit.covering[0]
        text = _("Territoire : %(label)s, qui contient %(place)s") % {
            "label": name,
            "place": place_phrase,
        }
        return Verdict("territory", True, text, TERRITORY_WEIGHTS.get(kind, 0))
    if fit.touching:
        text = _("Territoire : %(label)s, une partie seulement de %(place)s : à vérifier") % {
            "label": ", ".join(fit.touching),
            "place": place_phrase,
        }
        return Verdict("territory", None, text)
    return Verdict("territory", False, _("Hors territoire"))


def instrument_rule(*, facts: OfferFacts, instruments: tuple[Term, ...]) -> Verdict | None:
    """Offers one of the instruments asked for, or else one of `RELATED_INSTRUMENTS` (a
    lower weight, naming it). None when the holder asked for none."""
    verdict = _choice_rule(
        rule="instrument",
        offered=facts.instruments,
        wanted=instruments,
        label=_("Instrument"),
        unknown=_("Instrument non précisé par la source : à vérifier"),
    )
    if verdict is None or verdict.fits is not False:
        return verdict
    related = {slug for term in instruments for slug in RELATED_INSTRUMENTS.get(term.slug, ())}
    close = tuple(term for term in facts.instruments if term.slug in related)
    if not close:
        return verdict
    text = _("Instrument proche de votre demande : %(offered)s (vous cherchez : %(wanted)s)") % {
        "offered": _names(close).lower(),
        "wanted": _names(instruments).lower(),
    }
    return Verdict("instrument", True, text, WEIGHTS["instrument_related"])


def support_kind_rule(*, facts: OfferFacts, kinds: tuple[Term, ...]) -> Verdict | None:
    """Offers one of the support kinds asked for. None when the holder asked for none."""
    return _choice_rule(
        rule="support_kind",
        offered=facts.kinds,
        wanted=kinds,
        label=_("Accompagnement"),
        unknown=_("Type d'accompagnement non précisé par la source : à vérifier"),
    )


def _choice_rule(*, rule: str, offered, wanted, label: str, unknown: str) -> Verdict | None:
    if not wanted:
        return None
    if not offered:
        return Verdict(rule, None, unknown)
    common = [term for term in offered if term.slug in {w.slug for w in wanted}]
    if common:
        return Verdict(rule, True, f"{label} : {_names(tuple(common)).lower()}", WEIGHTS[rule])
    text = _("%(label)s : %(offered)s ; vous cherchez : %(wanted)s") % {
        "label": label,
        "offered": _names(offered).lower(),
        "wanted": _names(wanted).lower(),
    }
    return Verdict(rule, False, text)


def _range_text(facts: OfferFacts) -> str:
    low, high = facts.amount_min, facts.amount_max
    if low is not None and high is not None:
        return _("Montant de %(low)s à %(high)s") % {"low": euros(low), "high": euros(high)}
    if high is not None:
        return _("Montant jusqu'à %(high)s") % {"high": euros(high)}
    return _("Montant à partir de %(low)s") % {"low": euros(low)}


def amount_rule(*, facts: OfferFacts, amount: int | None) -> Verdict | None:
    """The amount needed against the stated range. None without a need; a need below the
    minimum sets the scheme aside; above the maximum, it covers part of the need."""
    if amount is None:
        return None
    if facts.amount_min is None and facts.amount_max is None:
        return Verdict("amount", None, _("Montant non précisé en chiffres : voir la fiche"))
    need = _("votre besoin : %(need)s") % {"need": euros(amount)}
    if facts.amount_min is not None and amount < facts.amount_min:
        text = _("Montant minimum %(low)s, au-dessus de %(need)s") % {
            "low": euros(facts.amount_min),
            "need": need,
        }
        return Verdict("amount", False, text)
    if facts.amount_max is not None and amount > facts.amount_max:
        text = _("%(range)s : une partie de votre besoin (%(need)s)") % {
            "range": _range_text(facts),
            "need": euros(amount),
        }
        return Verdict("amount", True, text, WEIGHTS["amount_partial"])
    return Verdict("amount", True, f"{_range_text(facts)}, {need}", WEIGHTS["amount_covered"])


#: What `date_status` returns: open now, opening later, or closed.
OPEN, SOON, CLOSED = "ouvert", "bientot", "cloture"


def date_status(*, facts: OfferFacts, today: date) -> str:
    """OPEN, SOON (opens after `today`) or CLOSED (closed before `today`)."""
    if facts.closes_on is not None and facts.closes_on < today:
        return CLOSED
    if facts.opens_on is not None and facts.opens_on > today:
        return SOON
    return OPEN


def date_rule(*, facts: OfferFacts, today: date) -> Verdict | None:
    """Dates and recurrence: closed (set aside now), opening later (to check), open until a
    known date or permanent (scored), or None when the source gives no date."""
    status = date_status(facts=facts, today=today)
    if status == CLOSED:
        return Verdict("dates", False, _("Clôturé le %(day)s") % {"day": day(facts.closes_on)})
    if status == SOON:
        return Verdict("dates", None, _("Ouvre le %(day)s") % {"day": day(facts.opens_on)})
    if facts.closes_on is not None:
        text = _("Ouvert jusqu'au %(day)s") % {"day": day(facts.closes_on)}
        return Verdict("dates", True, text, WEIGHTS["open_until"])
    if facts.recurrence == "permanente":
        return Verdict("dates", True, _("Dispositif permanent"), WEIGHTS["permanent"])
    return None


def is_recurring(facts: OfferFacts) -> bool:
    """A closed scheme that comes back (récurrent or permanent): the road ahead shows it."""
    return facts.recurrence in ("recurrente", "permanente")


#: Longest excerpt of the source's eligibility conditions quoted in a reason.
ELIGIBILITY_EXCERPT = 160


def eligibility_rule(*, facts: OfferFacts) -> Verdict | None:
    """The source's own words on who is eligible, as a point to check: the structured
    eligibility (legal families, filières) may be wider than what the source writes."""
    text = " ".join(facts.eligibility_text.split())
    if not text:
        return None
    if len(text) > ELIGIBILITY_EXCERPT:
        text = text[: ELIGIBILITY_EXCERPT - 1].rsplit(" ", 1)[0] + "…"
    return Verdict(
        "eligibility", None, _("Conditions selon la source : « %(text)s »") % {"text": text}
    )


def strategy_rule(*, facts: OfferFacts, strategy: Term | None) -> Verdict | None:
    """A reason when the scheme serves the scale-up strategy the holder chose. A scheme
    that does not say which strategies it serves is not set aside for it: most sources
    never say."""
    if strategy is None or strategy.slug not in {term.slug for term in facts.strategies}:
        return None
    return Verdict(
        "strategy",
        True,
        _("Soutient votre stratégie : %(name)s") % {"name": strategy.name.lower()},
        WEIGHTS["strategy"],
    )

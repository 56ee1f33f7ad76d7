"""Each ranking and explanation rule of the pathway, one by one (pure functions)."""

from datetime import date
from decimal import Decimal

import pytest

from directory.pathway import rules
from directory.pathway.rules import OfferFacts, Term, TerritoryFit

AMORCAGE = Term("amorcage", "Amorçage")
CONSOLIDATION = Term("consolidation", "Consolidation / développement")
ASSOCIATION = Term("association", "Association")
COOPERATIVE = Term("cooperative", "Coopérative")
ALIMENTATION = Term("alimentation-durable", "Alimentation durable et agriculture urbaine")
CULTURE = Term("culture", "Culture")
SUBVENTION = Term("subvention", "Subvention")
PRET_HONNEUR = Term("pret-d-honneur", "Prêt d'honneur")
INCUBATION = Term("incubation", "Incubation")
TODAY = date(2026, 11, 21)


def facts(**fields) -> OfferFacts:
    fields.setdefault("stages", (AMORCAGE,))
    return OfferFacts(**fields)


def test_stage_rule_fits_the_covered_stage_and_says_so():
    verdict = rules.stage_rule(facts=facts(stages=(AMORCAGE, CONSOLIDATION)), stage=AMORCAGE)
    assert verdict.fits is True
    assert verdict.text == "Couvre l'étape amorçage"
    assert verdict.weight == rules.WEIGHTS["stage"]


def test_stage_rule_weighs_more_a_scheme_dedicated_to_the_stage():
    dedicated = rules.stage_rule(facts=facts(stages=(AMORCAGE,)), stage=AMORCAGE)
    assert dedicated.weight == rules.WEIGHTS["stage"] + rules.WEIGHTS["stage_dedicated"]


def test_stage_rule_sets_aside_another_stage_naming_what_it_covers():
    verdict = rules.stage_rule(facts=facts(stages=(CONSOLIDATION,)), stage=AMORCAGE)
    assert verdict.fits is False
    assert verdict.text == (
        "Ne couvre pas l'étape amorçage (couvre : consolidation / développement)"
    )


def test_legal_family_empty_means_open_to_all():
    verdict = rules.family_rule(facts=facts(), family=ASSOCIATION)
    assert (verdict.fits, verdict.text) == (True, "Ouvert à toutes les familles juridiques")


def test_legal_family_named_fits_and_weighs_more_than_open_to_all():
    verdict = rules.family_rule(facts=facts(families=(ASSOCIATION,)), family=ASSOCIATION)
    assert (verdict.fits, verdict.text) == (True, "Ouvert aux associations")
    assert verdict.weight > rules.WEIGHTS["family_all"]


def test_legal_family_reserved_to_others_is_excluded():
    verdict = rules.family_rule(facts=facts(families=(COOPERATIVE,)), family=ASSOCIATION)
    assert (verdict.fits, verdict.text) == (False, "Réservé aux coopératives")


def test_legal_family_not_given_is_no_rule():
    assert rules.family_rule(facts=facts(families=(COOPERATIVE,)), family=None) is None


def test_sector_empty_means_every_filiere():
    verdict = rules.sector_rule(facts=facts(), sector=ALIMENTATION)
    assert (verdict.fits, verdict.text) == (True, "Toutes filières")


def test_sector_named_fits():
    verdict = rules.sector_rule(facts=facts(sectors=(ALIMENTATION,)), sector=ALIMENTATION)
    assert verdict.fits is True
    assert verdict.text == "Filière alimentation durable et agriculture urbaine"
    assert verdict.weight == rules.WEIGHTS["sector_named"]


def test_sector_of_another_filiere_is_excluded():
    verdict = rules.sector_rule(facts=facts(sectors=(CULTURE,)), sector=ALIMENTATION)
    assert (verdict.fits, verdict.text) == (False, "Réservé aux filières : culture")


def test_territory_wide_scope_without_outline_contains_any_place_of_lille():
    offer = facts(scope="region", territory_label="Hauts-de-France")
    verdict = rules.territory_rule(facts=offer, place_phrase="votre adresse")
    assert verdict.fits is True
    assert verdict.text == "Territoire : Hauts-de-France, qui contient votre adresse"
    assert verdict.weight == rules.TERRITORY_WEIGHTS["region"]


def test_territory_outline_containing_the_place_fits_and_local_weighs_more():
    local = facts(territory=TerritoryFit(has_areas=True, covering=(("Lille", "commune"),)))
    verdict = rules.territory_rule(facts=local, place_phrase="le quartier Lille-Moulins")
    assert verdict.text == "Territoire : Lille, qui contient le quartier Lille-Moulins"
    national = rules.territory_rule(facts=facts(scope="national"), place_phrase="x")
    assert verdict.weight > national.weight


def test_territory_outline_elsewhere_is_excluded():
    offer = facts(territory=TerritoryFit(has_areas=True))
    verdict = rules.territory_rule(facts=offer, place_phrase="votre adresse")
    assert (verdict.fits, verdict.text) == (False, "Hors territoire")


def test_territory_outline_overlapping_part_of_the_place_is_to_check():
    offer = facts(territory=TerritoryFit(has_areas=True, touching=("Lille-Moulins",)))
    verdict = rules.territory_rule(facts=offer, place_phrase="tout Lille")
    assert verdict.fits is None
    assert "une partie seulement de tout Lille" in verdict.text


def test_territory_narrow_scope_without_outline_is_to_check():
    verdict = rules.territory_rule(facts=facts(scope="commune"), place_phrase="votre adresse")
    assert verdict.fits is None


def test_instrument_asked_and_offered_fits():
    verdict = rules.instrument_rule(
        facts=facts(instruments=(SUBVENTION,)), instruments=(SUBVENTION,)
    )
    assert (verdict.fits, verdict.text) == (True, "Instrument : subvention")


def test_instrument_not_offered_is_excluded_saying_both():
    verdict = rules.instrument_rule(
        facts=facts(instruments=(PRET_HONNEUR,)), instruments=(SUBVENTION,)
    )
    assert verdict.fits is False
    assert verdict.text == "Instrument : prêt d'honneur ; vous cherchez : subvention"


def test_instrument_not_asked_is_no_rule():
    assert rules.instrument_rule(facts=facts(instruments=(PRET_HONNEUR,)), instruments=()) is None


def test_support_kind_fits_or_is_excluded():
    offer = facts(kinds=(INCUBATION,))
    assert rules.support_kind_rule(facts=offer, kinds=(INCUBATION,)).fits is True
    other = rules.support_kind_rule(facts=offer, kinds=(Term("dla", "DLA"),))
    assert other.fits is False
    unknown = rules.support_kind_rule(facts=facts(), kinds=(INCUBATION,))
    assert unknown.fits is None


def test_amount_within_the_range_fits_saying_both_figures():
    offer = facts(amount_max=Decimal(30000))
    verdict = rules.amount_rule(facts=offer, amount=10000)
    assert verdict.text == "Montant jusqu'à 30\xa0000 €, votre besoin : 10\xa0000 €"
    assert verdict.weight == rules.WEIGHTS["amount_covered"]


def test_amount_above_the_maximum_covers_part_of_the_need():
    verdict = rules.amount_rule(facts=facts(amount_max=Decimal(30000)), amount=50000)
    assert verdict.fits is True
    assert verdict.weight == rules.WEIGHTS["amount_partial"]
    assert "une partie de votre besoin (50\xa0000 €)" in verdict.text


def test_amount_below_the_minimum_is_excluded():
    offer = facts(amount_min=Decimal(10000), amount_max=Decimal(50000))
    verdict = rules.amount_rule(facts=offer, amount=5000)
    assert verdict.fits is False
    assert verdict.text == "Montant minimum 10\xa0000 €, au-dessus de votre besoin : 5\xa0000 €"


def test_amount_unknown_is_to_check():
    assert rules.amount_rule(facts=facts(), amount=5000).fits is None


def test_closed_scheme_is_not_now_and_says_when():
    offer = facts(closes_on=date(2022, 12, 31))
    assert rules.date_status(facts=offer, today=TODAY) == rules.CLOSED
    verdict = rules.date_rule(facts=offer, today=TODAY)
    assert (verdict.fits, verdict.text) == (False, "Clôturé le 31/12/2022")


def test_scheme_opening_later_is_soon():
    offer = facts(opens_on=date(2027, 3, 1))
    assert rules.date_status(facts=offer, today=TODAY) == rules.SOON
    assert rules.date_rule(facts=offer, today=TODAY).text == "Ouvre le 01/03/2027"


def test_open_scheme_with_a_deadline_says_until_when():
    verdict = rules.date_rule(facts=facts(closes_on=TODAY), today=TODAY)
    assert (verdict.fits, verdict.text) == (True, "Ouvert jusqu'au 21/11/2026")


@pytest.mark.parametrize(("recurrence", "expected"), [("recurrente", True), ("ponctuelle", False)])
def test_only_recurring_schemes_come_back(recurrence, expected):
    assert rules.is_recurring(facts(recurrence=recurrence)) is expected


def test_the_sources_eligibility_words_are_a_point_to_check():
    verdict = rules.eligibility_rule(facts=facts(eligibility_text="associations  employeuses"))
    assert (verdict.fits, verdict.text) == (
        None,
        "Conditions selon la source : « associations employeuses »",
    )
    assert rules.eligibility_rule(facts=facts()) is None

"""Rules fixed after checking the pathway against the schemes' stated eligibility (seed data):
a loan asked for finds the avances remboursables and prêts participatifs, and a project at
changement d'échelle finds the schemes written for growth ("consolidation / développement")."""

from datetime import date

import pytest

from directory.pathway import rules
from directory.pathway.rules import OfferFacts, Term
from directory.pathway.selectors import MONEY, pathway_get
from tests.directory.pathway.test_pathway_selector import names, project
from tests.factories import make_pathway_scheme as scheme

AMORCAGE = Term("amorcage", "Amorçage")
CONSOLIDATION = Term("consolidation", "Consolidation / développement")
SCALE_UP = Term("changement-d-echelle", "Changement d'échelle")
PRET = Term("pret", "Prêt bancaire ou solidaire")
AVANCE = Term("avance-remboursable", "Avance remboursable")
QUASI = Term("quasi-fonds-propres", "Quasi-fonds propres / titres participatifs")
FONDS_PROPRES = Term("fonds-propres", "Apport en fonds propres")
GARANTIE = Term("garantie", "Garantie")
TODAY = date(2026, 11, 22)


def facts(**fields) -> OfferFacts:
    fields.setdefault("stages", (CONSOLIDATION,))
    return OfferFacts(**fields)


# --- Instruments: the same need under another name -----------------------------------


def test_an_avance_remboursable_answers_a_loan_with_a_lower_weight_and_says_so():
    verdict = rules.instrument_rule(facts=facts(instruments=(AVANCE,)), instruments=(PRET,))
    assert verdict.fits is True
    assert verdict.weight == rules.WEIGHTS["instrument_related"] < rules.WEIGHTS["instrument"]
    assert verdict.text == (
        "Instrument proche de votre demande : avance remboursable "
        "(vous cherchez : prêt bancaire ou solidaire)"
    )


def test_a_pret_participatif_answers_a_loan_and_quasi_equity_answers_equity():
    assert rules.instrument_rule(facts=facts(instruments=(QUASI,)), instruments=(PRET,)).fits
    equity = rules.instrument_rule(facts=facts(instruments=(QUASI,)), instruments=(FONDS_PROPRES,))
    assert (equity.fits, equity.weight) == (True, rules.WEIGHTS["instrument_related"])


def test_the_exact_instrument_wins_over_a_related_one():
    verdict = rules.instrument_rule(facts=facts(instruments=(AVANCE, PRET)), instruments=(PRET,))
    assert (verdict.text, verdict.weight) == ("Instrument : prêt bancaire ou solidaire", 3)


def test_unrelated_instruments_are_still_set_aside():
    # A bank loan is no equity, and a guarantee is no loan.
    assert not rules.instrument_rule(facts=facts(instruments=(PRET,)), instruments=(QUASI,)).fits
    verdict = rules.instrument_rule(facts=facts(instruments=(GARANTIE,)), instruments=(PRET,))
    assert verdict.fits is False
    assert verdict.text == "Instrument : garantie ; vous cherchez : prêt bancaire ou solidaire"


# --- Stages: growth schemes for a changement d'échelle ---------------------------------


def test_a_growth_scheme_is_a_point_to_check_for_a_scale_up_project():
    verdict = rules.stage_rule(facts=facts(stages=(AMORCAGE, CONSOLIDATION)), stage=SCALE_UP)
    assert (verdict.fits, verdict.weight) == (None, 0)
    assert verdict.text == (
        "Couvre l'étape consolidation / développement : "
        "à vérifier pour un projet en changement d'échelle"
    )


def test_only_growth_reaches_the_next_stage_and_never_backwards():
    # An amorçage scheme does not fund a scale-up, nor a scale-up scheme a consolidation.
    assert rules.stage_rule(facts=facts(stages=(AMORCAGE,)), stage=SCALE_UP).fits is False
    assert rules.stage_rule(facts=facts(stages=(SCALE_UP,)), stage=CONSOLIDATION).fits is False
    # A scheme covering the stage itself still scores it.
    both = rules.stage_rule(facts=facts(stages=(CONSOLIDATION, SCALE_UP)), stage=SCALE_UP)
    assert (both.fits, both.weight) == (True, rules.WEIGHTS["stage"])


# --- The journeys that showed it, on the selector ---------------------------------------


@pytest.mark.django_db
def test_a_scop_needing_a_loan_finds_the_zero_rate_advance_after_the_loans():
    # Like the Région's "Aide au développement des structures de l'ESS" (SCOP/SCIC eligible).
    scheme("Avance à taux zéro", stages=("consolidation",), instruments=("avance-remboursable",))
    scheme("Prêt solidaire", stages=("consolidation",), instruments=("pret",))
    scheme("Garantie", stages=("consolidation",), instruments=("garantie",))
    result = pathway_get(
        project=project(
            stage="consolidation",
            legal_family="cooperative",
            needs=frozenset({MONEY}),
            instruments=("pret",),
        ),
        today=TODAY,
    )
    assert names(result.schemes) == ["Prêt solidaire", "Avance à taux zéro"]
    assert names(result.excluded) == ["Garantie"]


@pytest.mark.django_db
def test_a_scale_up_company_needing_equity_finds_the_growth_investors_after_scale_up_ones():
    # Like Autonomie & Solidarité (création, consolidation / développement) for an SAS ESUS.
    scheme(
        "Fonds de croissance", stages=("amorcage", "consolidation"), instruments=("fonds-propres",)
    )
    scheme("Fonds d'essaimage", stages=("changement-d-echelle",), instruments=("fonds-propres",))
    scheme("Fonds d'amorçage", stages=("amorcage",), instruments=("fonds-propres",))
    result = pathway_get(
        project=project(
            stage="changement-d-echelle",
            legal_family="societe-ess",
            needs=frozenset({MONEY}),
            instruments=("fonds-propres",),
        ),
        today=TODAY,
    )
    assert names(result.schemes) == ["Fonds d'essaimage", "Fonds de croissance"]
    growth = result.schemes[1]
    assert "à vérifier pour un projet en changement d'échelle" in growth.checks[0].text
    assert names(result.excluded) == ["Fonds d'amorçage"]

"""The seed's scale-up columns: strategies, the co-financing partner and their source."""

import pytest

from directory.models import FundingScheme, ScaleUpStrategy, SupportOffer
from importers.engine.services import source_import
from importers.sources.seed import map_scheme

ENTREPRENDRE = "appel-a-projets-permanent-entreprendre-autrement"


def _row(**values) -> dict:
    row = {
        "name": "AAP",
        "funder": "",
        "instrument": "subvention",
        "stages": "changement d'échelle",
        "scale_up_strategies": "",
        "co_financing_with": "",
        "strategy_source": "",
    }
    return row | values


def test_strategies_map_to_slugs_and_an_unknown_one_warns():
    mapped = map_scheme(
        _row(scale_up_strategies="Diversification; coopération; essaimage", strategy_source="D")
    )
    assert mapped.data.scale_up_strategies == ("cooperation", "diversification")
    assert mapped.data.scale_up_source == "D"
    assert mapped.warnings == ("Stratégie de changement d'échelle inconnue ignorée : essaimage",)


def test_the_partner_is_a_link_to_another_scheme_of_the_file():
    mapped = map_scheme(_row(co_financing_with="Appel « Ville »", strategy_source="D"))
    assert mapped.links["co_financing"] == ("funding_schemes:appel-ville",)


def test_a_row_naming_neither_says_nothing_about_them():
    mapped = map_scheme(_row())
    assert {"scale_up_strategies", "co_financeable_with", "scale_up_source"} <= mapped.unknown


@pytest.mark.django_db
def test_the_seed_links_the_ville_and_mel_calls_both_ways_with_their_source():
    source_import(slug="seed")
    mel = FundingScheme.objects.get(slug=ENTREPRENDRE)
    assert sorted(mel.scale_up_strategies.values_list("slug", flat=True)) == [
        "cooperation",
        "diversification",
        "duplication",
    ]
    ville = mel.co_financeable_with.get()
    assert ville.funders_label == "Ville de Lille"
    assert list(ville.co_financeable_with.all()) == [mel]
    assert mel.scale_up_source.startswith("Délibération")


@pytest.mark.django_db
def test_a_person_removing_a_partner_or_a_strategy_is_not_overruled_by_a_reimport():
    source_import(slug="seed")
    mel = FundingScheme.objects.get(slug=ENTREPRENDRE)
    mel.co_financeable_with.clear()
    mel.scale_up_strategies.remove(*mel.scale_up_strategies.filter(slug="fusion"))
    mel.scale_up_strategies.remove(*mel.scale_up_strategies.filter(slug="duplication"))
    mel.scale_up_source = "Saisi par l'équipe"
    mel.save()
    source_import(slug="seed", remap=True)
    mel.refresh_from_db()
    assert not mel.co_financeable_with.exists()
    assert "duplication" not in mel.scale_up_strategies.values_list("slug", flat=True)
    assert mel.scale_up_source == "Saisi par l'équipe"


def test_a_support_offer_row_keeps_its_strategies_and_says_nothing_without_them():
    mapped = map_scheme(
        _row(instrument="accompagnement", scale_up_strategies="Duplication", strategy_source="S")
    )
    assert mapped.data.scale_up_strategies == ("duplication",)
    assert mapped.data.scale_up_source == "S"
    silent = map_scheme(_row(instrument="accompagnement"))
    assert {"scale_up_strategies", "scale_up_source"} <= silent.unknown
    assert "co_financeable_with" not in silent.unknown  # an offer has no such field


@pytest.mark.django_db
def test_an_editor_s_strategies_on_a_seeded_offer_survive_a_reimport():
    source_import(slug="seed")
    dla = SupportOffer.objects.get(name__startswith="DLA")
    dla.scale_up_strategies.set(ScaleUpStrategy.objects.filter(slug="cooperation"))
    source_import(slug="seed", remap=True)
    assert list(dla.scale_up_strategies.values_list("slug", flat=True)) == ["cooperation"]

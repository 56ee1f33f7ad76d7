"""Dates and numbers follow the page's language (Django's formats, English dates in
config/formats/en): "4 décembre 2026" and "30 000 €" on a French page, "December 4, 2026"
and "€30,000" on an English one."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from directory.pathway.rules import day, euros
from tests.factories import make_organisation, make_pathway_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """An /en/ request leaves English active in this thread: the next tests expect French."""
    yield
    translation.deactivate()


@pytest.fixture
def scheme():
    return make_pathway_scheme(
        "Prêt d'honneur solidaire",
        last_verified_on=date(2026, 12, 4),
        amount_max=Decimal(30000),
        opens_on=date(2026, 1, 15),
        closes_on=date(2026, 12, 31),
    )


def test_a_french_page_spells_its_dates_the_french_way(client, scheme):
    html = client.get(f"/financements/{scheme.slug}/").content.decode()
    assert "vérifiée le 4 décembre 2026" in html
    assert "15/01/2026" in html
    assert "31/12/2026" in html


def test_an_english_page_spells_its_dates_the_english_way(client, scheme):
    html = client.get(f"/en/financements/{scheme.slug}/").content.decode()
    assert "December 4, 2026" in html
    assert "Jan 15, 2026" in html
    assert "Dec 31, 2026" in html
    assert "4 décembre 2026" not in html
    assert "31/12/2026" not in html


def test_a_closed_organisation_says_when_in_the_page_language(client):
    closed = make_organisation("Atelier fermé", closed_on=date(2026, 12, 4))
    french = client.get(f"/organisations/{closed.slug}/").content.decode()
    english = client.get(f"/en/organisations/{closed.slug}/").content.decode()
    assert "4 décembre 2026" in french
    assert "December 4, 2026" in english
    assert "décembre" not in english


def test_the_pathway_reasons_give_days_in_the_active_language():
    with translation.override("fr"):
        assert day(date(2026, 12, 4)) == "04/12/2026"
    with translation.override("en"):
        assert day(date(2026, 12, 4)) == "Dec 4, 2026"


def test_the_pathway_amounts_are_grouped_the_way_of_the_active_language():
    with translation.override("fr"):
        assert euros(Decimal(30000)) == "30\xa0000 €"
    with translation.override("en"):
        assert "30,000" in euros(Decimal(30000))


def test_a_scheme_amount_is_grouped_the_way_of_the_page_language(client, scheme):
    french = client.get(f"/financements/{scheme.slug}/").content.decode()
    english = client.get(f"/en/financements/{scheme.slug}/").content.decode()
    assert "30\xa0000 €" in french
    assert "€30,000" in english

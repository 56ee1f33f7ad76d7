"""The seed's places (issue 17): the lieux totems named by the city's ESS strategy, read
from the `lieu_totem` column, credited to its source, never over a person's value."""

import pytest

from directory.models import Organisation
from directory.places import organisation_place_set
from importers.engine.services import source_import
from importers.sources.seed import DATA_DIR, map_organisation
from tests.directory.test_admin import organisation_form

STRATEGY = "Stratégie ESS de Lille 2021-2026, objectif 1.7"


def row(**values):
    return {"name": "Maison de l'ESS", "kind": "lieu-ressource", **values}


def test_a_row_marked_oui_is_a_lieu_totem_credited_to_its_source():
    data = map_organisation(row(lieu_totem="oui", lieu_totem_source=STRATEGY)).data
    assert data.place_roles == ("lieu-ressource", "lieu-totem")
    assert data.place_source == STRATEGY


def test_an_empty_cell_says_nothing_of_a_totem():
    data = map_organisation(row(kind="tiers-lieu", lieu_totem_source=STRATEGY)).data
    assert data.place_roles == ("tiers-lieu",)
    assert data.place_source == ""
    assert map_organisation(row(kind="financement")).data.place_roles == ()


@pytest.mark.django_db
def test_the_bundled_seed_marks_the_five_places_the_strategy_names():
    report = source_import(slug="seed", path=DATA_DIR)
    assert report.rejected == 0
    totems = Organisation.objects.filter(place_roles__contains=["lieu-totem"])
    assert sorted(totems.values_list("name", flat=True)) == [
        "Bazaar St So",
        "Fabrique Citoyenne des TransitionS (Lomme)",
        "Maison de l'économie sociale et solidaire de Lille (MESS)",
        "Maison des Associations de Lille",
        "Maison régionale de l'environnement et des solidarités (MRES)",
    ]
    assert all("objectif 1.7" in totem.place_source for totem in totems)


@pytest.mark.django_db
def test_a_totem_a_person_took_back_stays_taken_back_after_the_next_import():
    source_import(slug="seed", path=DATA_DIR)
    mres = Organisation.objects.get(name__startswith="Maison régionale de l'environnement")
    organisation_place_set(organisation=mres, roles=["lieu-ressource"])

    source_import(slug="seed", path=DATA_DIR, remap=True)

    mres.refresh_from_db()
    assert mres.place_roles == ["lieu-ressource"]
    assert mres.place_source == ""


def test_a_totem_untick_in_the_admin_stays_after_the_next_import(admin_user):
    source_import(slug="seed", path=DATA_DIR)
    mess = Organisation.objects.get(name__startswith="Maison de l'économie sociale")
    assert mess.is_totem
    form = organisation_form(mess, admin_user, place_roles=["lieu-ressource"])
    assert form.is_valid(), form.errors
    form.save()

    source_import(slug="seed", path=DATA_DIR, remap=True)

    mess.refresh_from_db()
    assert (mess.place_roles, mess.place_source) == (["lieu-ressource"], "")

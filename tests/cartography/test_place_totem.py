"""The city's "lieu totem" mark (issue 17) is set on the place's own form
(`/lieux/<slug>/offre/`), by moderators and city staff only."""

import re

import pytest

from directory.models import Organisation, OrganisationEditor
from directory.places import organisation_place_set
from tests.cartography.test_place_offer import URL, form_data
from tests.factories import MOULINS, make_organisation, make_user

pytestmark = pytest.mark.django_db

TOTEM_FIELD = 'name="lieu-totem"'


@pytest.fixture
def mres():
    place = make_organisation("MRES", location=MOULINS)
    organisation_place_set(organisation=place, roles=["lieu-ressource"], source="Stratégie ESS")
    return place


@pytest.mark.parametrize("group", ["Services de la Ville", "Modérateurs"])
def test_staff_make_a_place_a_lieu_totem_and_back(client, mres, group):
    client.force_login(make_user("agent", groups=(group,)))
    assert TOTEM_FIELD in client.get(URL.format(slug=mres.slug)).content.decode()

    data = {**form_data(services=[{"kind": "salles"}]), "lieu-totem": "on"}
    assert client.post(URL.format(slug=mres.slug), data).status_code == 302
    mres.refresh_from_db()
    assert mres.place_roles == ["lieu-ressource", "lieu-totem"]
    assert mres.place_source == ""  # a person decided
    assert "Lieu totem de l'ESS" in client.get(f"/organisations/{mres.slug}/").content.decode()
    page = client.get(URL.format(slug=mres.slug)).content.decode()
    assert re.search(r'<input type="checkbox" name="lieu-totem"[^>]* checked>', page)

    assert client.post(URL.format(slug=mres.slug), form_data()).status_code == 302
    assert Organisation.objects.get(pk=mres.pk).place_roles == ["lieu-ressource"]


def test_the_place_itself_sees_no_totem_box_and_cannot_tick_it(client, mres):
    owner = make_user("proprietaire")
    OrganisationEditor.objects.create(user=owner, organisation=mres)
    client.force_login(owner)
    assert TOTEM_FIELD not in client.get(URL.format(slug=mres.slug)).content.decode()

    data = {**form_data(services=[{"kind": "salles"}]), "lieu-totem": "on"}
    assert client.post(URL.format(slug=mres.slug), data).status_code == 302
    mres.refresh_from_db()
    assert mres.place_roles == ["lieu-ressource"]
    assert mres.place_source == "Stratégie ESS"
    assert list(mres.place_services.values_list("kind__slug", flat=True)) == ["salles"]

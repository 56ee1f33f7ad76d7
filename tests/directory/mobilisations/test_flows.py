"""Issue 16: the staff's anonymised picture of the requests (objective 1.5): who refers to
whom, by stage and sector; never a person's data."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from directory.mobilisations.services import mobilisation_refer
from directory.models import Mobilisation, Sector
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(client, actors, form) -> Mobilisation:
    sector = Sector.objects.order_by("position").first()
    client.post(f"/organisations/{actors.funder.slug}/mobiliser/", {**form, "sector": sector.pk})
    other = make_organisation("Incubateur Les Premières", kinds=("accompagnement",))
    return mobilisation_refer(mobilisation=Mobilisation.objects.get(), to=other, note="Secret")


@pytest.mark.parametrize("role", ["moderateur", "ville", "superuser"])
def test_staff_read_the_flows_without_personal_data(world, referred, role):
    client = Client()
    client.force_login(world.users[role])
    page = client.get("/demandes/flux/")
    assertContains(page, "2 demandes envoyées par Cartess")
    assertContains(
        page,
        "<td>France Active Hauts-de-France</td><td>Incubateur Les Premières</td><td>1</td>",
        html=False,
    )
    assertContains(page, "Amorçage")
    assertContains(page, Sector.objects.order_by("position").first().name)
    for personal in ("Lou Martin", "lou@exemple.fr", "03 20 00 00 00", "vélos", "Secret"):
        assertNotContains(page, personal)


@pytest.mark.parametrize(
    ("role", "status"), [("anonyme", 302), ("utilisateur", 403), ("editeur A", 403)]
)
def test_the_flows_are_for_staff_only(world, referred, role, status):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    assert client.get("/demandes/flux/").status_code == status

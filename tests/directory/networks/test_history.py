"""Every change to a listing is recorded (who, when, from where), shown as a diff, revertable."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from pytest_django.asserts import assertContains

from directory.models import Organisation
from directory.records import OrganisationData
from directory.services import organisation_create
from importers.engine.services import source_import
from tests.factories import make_funding_scheme, make_premises, make_support_offer

pytestmark = pytest.mark.django_db

NETWORK_CSV = (
    Path(__file__).resolve().parents[2] / "data" / "network-csv" / "members_utf8_comma.csv"
)


def edit(client, organisation: Organisation, **values) -> None:
    form = {"description": "", "street": "", "postcode": "", "city": "", "sectors": []}
    response = client.post(f"/organisations/{organisation.slug}/modifier/", {**form, **values})
    assert response.status_code == 302


def test_a_network_edit_is_recorded_with_the_person_and_the_screen(client, world):
    client.force_login(world.users["editeur A"])
    edit(client, world.member_a, description="Nouvelle présentation.")
    last = world.member_a.history.first()
    assert last.history_user == world.users["editeur A"]
    assert last.history_change_reason == "édition réseau"
    assert last.description == "Nouvelle présentation."
    assert last.prev_record.description == "Maraîchage en insertion."


def test_an_import_run_labels_its_changes_with_its_source():
    apes = organisation_create(data=OrganisationData(name="APES", kinds=("reseau",)))
    Organisation.objects.filter(pk=apes.pk).update(slug="apes")
    source_import(slug="network-csv", path=NETWORK_CSV)
    atelier = Organisation.objects.get(siret="50100001200010")
    assert atelier.history.first().history_change_reason == "import network-csv"
    assert atelier.history.first().history_type == "+"


def test_schemes_offers_and_premises_keep_a_history_too():
    for record in (make_funding_scheme(), make_support_offer(), make_premises()):
        assert record.history.count() == 1


def test_a_moderator_sees_the_diff_and_reverts_a_change_in_the_admin(client, world):
    client.force_login(world.users["editeur A"])
    edit(client, world.member_a, description="Texte vandalisé.")
    moderator = world.users["moderateur"]
    client.force_login(moderator)
    history_url = f"/admin/directory/organisation/{world.member_a.pk}/history/"
    page = client.get(history_url)
    assertContains(page, "édition réseau")
    assertContains(page, "Texte vandalisé.")  # the diff: old -> new
    assertContains(page, "Maraîchage en insertion.")
    before = world.member_a.history.last()
    revert_url = f"{history_url}{before.history_id}/"
    form = client.get(revert_url)
    assert form.status_code == 200
    data = {
        key: value
        for key, value in form.context["adminform"].form.initial.items()
        if value is not None and key not in ("kinds", "sectors", "location")
    }
    data["kinds"] = [kind.pk for kind in world.member_a.kinds.all()]
    data["location"] = world.member_a.location.geojson
    confirmed = timezone.localdate()  # confirmed since: a revert does not undo that
    Organisation.objects.filter(pk=world.member_a.pk).update(last_verified_on=confirmed)
    response = client.post(revert_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.member_a.refresh_from_db()
    assert world.member_a.description == "Maraîchage en insertion."
    assert world.member_a.last_verified_on == confirmed
    last = world.member_a.history.first()
    assert (last.history_user, last.history_change_reason) == (moderator, "annulation (admin)")


def test_a_network_editor_has_no_access_to_the_history_admin(client, world):
    client.force_login(world.users["editeur A"])
    response = client.get(f"/admin/directory/organisation/{world.member_a.pk}/history/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not User.objects.get(username="editrice-apes").is_staff

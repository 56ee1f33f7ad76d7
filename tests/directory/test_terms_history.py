"""Changes of kinds and sectors are in the listing's history with who made them, so their
credit is known ("Saisi par le réseau, le …"), as for every other field."""

import pytest
from django.utils import timezone

from directory.history import history_reason, history_versions_get
from directory.records import OrganisationData
from directory.services import organisation_update
from tests.roles import world  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1/directory/organisations/"


def test_a_network_editor_changing_kinds_and_sectors_is_recorded_and_credited(
    client,
    world,  # noqa: F811
):
    member = world.member_a
    before = sorted(kind.slug for kind in member.kinds.all())
    client.force_login(world.users["editeur A"])
    form = {"description": "", "street": "", "postcode": "", "city": ""}
    terms = {"kinds": ["entreprise-ess", "tiers-lieu"], "sectors": ["textile"]}
    response = client.post(f"/organisations/{member.slug}/modifier/", form | terms)
    assert response.status_code == 302

    last = member.history.first()
    assert last.history_user == world.users["editeur A"]
    assert last.history_change_reason == "édition réseau"
    assert last.history_terms == {
        "kinds": {"old": before, "new": ["entreprise-ess", "tiers-lieu"]},
        "sectors": {"old": [], "new": ["textile"]},
    }
    changes = {c.label: (c.old, c.new) for c in history_versions_get(instance=member)[0].changes}
    assert changes["filières"] == ("", "textile")
    assert changes["types d'acteur"][1] == "entreprise-ess, tiers-lieu"

    credit = client.get(f"{API}{member.slug}/").json()["credit"]
    today = timezone.localdate().isoformat()
    assert credit["kinds"]["typed_by"] == {"who": "le réseau", "on": today}
    assert credit["sectors"]["text"].startswith("Saisi par le réseau, le ")


def test_an_import_adding_a_kind_records_it_under_the_source_and_credits_nobody(
    world,  # noqa: F811
):
    member = world.member_b
    with history_reason("import siae"):
        organisation_update(
            organisation=member,
            data=OrganisationData(name=member.name, kinds=("siae",)),
            fields={"kinds"},
        )
    last = member.history.first()
    assert last.history_change_reason == "import siae"
    assert last.history_user is None
    assert "siae" in last.history_terms["kinds"]["new"]
    assert "siae" not in last.history_terms["kinds"]["old"]
    assert "siae" in {kind.slug for kind in member.kinds.all()}
    # Nothing new to add: no history row.
    count = member.history.count()
    organisation_update(
        organisation=member,
        data=OrganisationData(name=member.name, kinds=("siae",)),
        fields={"kinds"},
    )
    assert member.history.count() == count

"""Changes of kinds and sectors are in the listing's history with who made them, so their
credit is known ("Saisi par le réseau, le …"), as for every other field."""

import pytest
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains

from directory.history import history_reason, history_versions_get
from directory.models import Organisation, OrganisationEditor, OrganisationKind, Source
from directory.records import OrganisationData
from directory.services import organisation_create, organisation_update
from tests.factories import make_funding_scheme, make_user
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


def _admin_form_data(page) -> dict:
    """What the admin's change or add page would send back unchanged: its form's values
    (terms as ids, the point as EWKT) and the management forms of its inlines."""
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            value = [getattr(item, "pk", item) for item in value]
        data[name] = str(value) if hasattr(value, "ewkt") else value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    return data


def test_a_change_of_kinds_in_the_admin_is_in_the_history_credited_to_the_team(
    client,
    world,  # noqa: F811
):
    member = world.member_a
    moderator = world.users["moderateur"]
    client.force_login(moderator)
    url = f"/admin/directory/organisation/{member.pk}/change/"
    data = _admin_form_data(client.get(url))
    siae = OrganisationKind.objects.get(slug="siae")
    data["kinds"] = [*data.get("kinds", []), siae.pk]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    last = member.history.first()
    assert (last.history_user, last.history_change_reason) == (moderator, "admin")
    assert "siae" in last.history_terms["kinds"]["new"]
    assert "siae" not in last.history_terms["kinds"]["old"]
    page = client.get(f"/organisations/{member.slug}/historique/")
    assertContains(page, "crédit : saisi par l&#x27;équipe Cartess")
    version = page.context["versions"][0]
    changes = {change.label: change.new for change in version.changes}
    assert "siae" in changes["types d'acteur"]


def test_a_listing_created_in_the_admin_has_its_first_kinds_in_its_history(
    client,
    world,  # noqa: F811
):
    client.force_login(world.users["superuser"])
    url = "/admin/directory/organisation/add/"
    data = _admin_form_data(client.get(url))
    data |= {
        "name": "La Cuisine Solidaire",
        "slug": "la-cuisine-solidaire",
        "kinds": [OrganisationKind.objects.get(slug="entreprise-ess").pk],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    created = Organisation.objects.get(slug="la-cuisine-solidaire")
    first = created.history.get()
    assert first.history_type == "+"
    assert first.history_terms == {"kinds": {"old": [], "new": ["entreprise-ess"]}}
    credit = client.get(f"{API}{created.slug}/").json()["credit"]
    assert credit["kinds"]["text"].startswith("Saisi par l'équipe Cartess, le ")


def test_an_imported_listing_has_its_first_terms_in_its_history_credited_to_the_source(
    client,
    world,  # noqa: F811
):
    source, _ = Source.objects.get_or_create(
        slug="siae", defaults={"name": "Structures d'insertion (ASP)"}
    )
    with history_reason("import siae"):
        created = organisation_create(
            data=OrganisationData(name="Atelier Vélo Solidaire", kinds=("siae",))
        )
    first = created.history.get()
    assert first.history_terms == {"kinds": {"old": [], "new": ["siae"]}}
    assert set(created.kinds.values_list("slug", flat=True)) == {"siae"}

    client.force_login(world.users["moderateur"])
    page = client.get(f"/organisations/{created.slug}/historique/")
    assertContains(page, f"crédit : importé de {escape(source.name)}")
    changes = {change.label: change.new for change in page.context["versions"][0].changes}
    assert changes["types d'acteur"] == "siae"


def test_an_owner_edit_is_credited_to_the_structure_on_the_history_page(
    client,
    world,  # noqa: F811
):
    member = world.member_b
    owner = make_user("proprietaire-recyclerie")
    OrganisationEditor.objects.create(organisation=member, user=owner)
    client.force_login(owner)
    form = {"description": "Réemploi.", "street": "", "postcode": "", "city": ""}
    response = client.post(f"/organisations/{member.slug}/modifier/", form | {"kinds": ["siae"]})
    assert response.status_code == 302

    client.force_login(world.users["moderateur"])
    page = client.get(f"/organisations/{member.slug}/historique/")
    assert page.context["versions"][0].credit == "saisi par la structure"


def test_a_person_s_change_to_a_scheme_names_no_role_it_has_not(world):  # noqa: F811
    scheme = make_funding_scheme("Prêt d'honneur solidaire")
    scheme.description = "Jusqu'à 8 000 €."
    scheme._history_user = world.users["ville"]
    scheme.save()
    assert history_versions_get(instance=scheme)[0].credit == ""

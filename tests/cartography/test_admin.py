"""The admin of the land workspace: needs, proposals and places' services with filters and
search; the pipeline, notes and proposals read only (they are written by /foncier/)."""

import pytest

from cartography.models import (
    NeedProposal,
    PipelineEvent,
    PlaceService,
    PlaceServiceKind,
    Premises,
    PremisesNeed,
    PremisesNote,
)
from cartography.services import (
    NeedData,
    need_create,
    need_proposal_create,
    premises_note_add,
    premises_stage_move,
)
from tests.factories import FIVES, WAZEMMES, make_organisation, make_place_services, make_premises

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(admin_user):
    """A friche moved along the pipeline, with a note, proposed to a need; a third place."""
    friche = make_premises("Friche Saint-Sauveur", surface_m2=2300)
    premises_note_add(premises=friche, text="Visite prévue avec la MEL", author=admin_user)
    premises_stage_move(
        premises=friche, to_stage="qualifie", note="Surface mesurée", author=admin_user
    )
    recyclerie = need_create(
        data=NeedData(
            title="Recyclerie de quartier",
            contact_name="Lou Martin",
            contact_email="lou@example.org",
            kinds=["friche"],
        )
    )
    need_create(
        data=NeedData(
            title="Bureaux pour une SCOP",
            contact_name="Sam",
            contact_email="sam@example.org",
            kinds=["bureau-atelier"],
        )
    )
    need_proposal_create(need=recyclerie, premises=friche, note="", author=admin_user)
    place = make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    make_place_services(place, "salles")
    other = make_organisation("La Malterie", kinds=("tiers-lieu",), location=WAZEMMES.clone())
    make_place_services(other, "ateliers")
    return friche


APPEND_ONLY = {
    "pipelineevent": PipelineEvent,
    "premisesnote": PremisesNote,
    "needproposal": NeedProposal,
}


def test_every_land_record_has_a_searchable_filtered_list(admin_client, workspace):
    pages = {
        "premisesneed": ({"q": "recyclerie", "status__exact": "en-cours"}, "Recyclerie"),
        "needproposal": ({"q": "saint-sauveur"}, "Friche Saint-Sauveur"),
        "placeservice": ({"q": "fives"}, "Fives Cail"),
        "pipelineevent": ({"q": "surface", "to_stage__exact": "qualifie"}, "Friche Saint"),
        "premisesnote": ({"q": "MEL"}, "Visite prévue avec la MEL"),
    }
    for model, (params, expected) in pages.items():
        response = admin_client.get(f"/admin/cartography/{model}/", params)
        assert response.status_code == 200, model
        assert response.context["cl"].result_count == 1, model
        assert expected in response.content.decode(), model


def test_needs_and_services_filter_on_their_kinds(admin_client, workspace):
    needs = admin_client.get("/admin/cartography/premisesneed/", {"kinds": "bureau-atelier"})
    assert [need.title for need in needs.context["cl"].result_list] == ["Bureaux pour une SCOP"]
    ateliers = PlaceServiceKind.objects.get(slug="ateliers")
    services = admin_client.get(
        "/admin/cartography/placeservice/", {"kind__id__exact": ateliers.pk}
    )
    assert [str(row) for row in services.context["cl"].result_list] == ["La Malterie : Atelier"]


@pytest.mark.parametrize("model", APPEND_ONLY)
def test_the_pipeline_notes_and_proposals_are_read_only(admin_client, workspace, model):
    row = APPEND_ONLY[model].objects.first()
    base = f"/admin/cartography/{model}/"
    assert admin_client.get(f"{base}add/").status_code == 403
    change = admin_client.get(f"{base}{row.pk}/change/")
    assert change.status_code == 200
    body = change.content.decode()
    assert 'name="_save"' not in body
    assert f"{base}{row.pk}/delete/" not in body
    assert admin_client.post(f"{base}{row.pk}/change/", {}).status_code == 403
    assert admin_client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert APPEND_ONLY[model].objects.filter(pk=row.pk).exists()
    listing = admin_client.get(base).content.decode()
    assert "delete_selected" not in listing


def test_a_site_page_shows_its_pipeline_and_notes_and_its_history(admin_client, workspace):
    body = admin_client.get(f"/admin/cartography/premises/{workspace.pk}/change/").content.decode()
    assert "Visite prévue avec la MEL" in body
    assert "Surface mesurée" in body
    history = admin_client.get(f"/admin/cartography/premises/{workspace.pk}/history/")
    assert history.status_code == 200
    # Creation, the stage move and the proposal: each a version of the site.
    assert workspace.history.count() == 3


def test_a_site_can_still_be_deleted_with_its_records(admin_client, workspace):
    url = f"/admin/cartography/premises/{workspace.pk}/delete/"
    confirmation = admin_client.get(url)
    assert not confirmation.context["perms_lacking"]
    admin_client.post(url, {"post": "yes"})
    assert not Premises.objects.filter(pk=workspace.pk).exists()
    assert not PremisesNote.objects.exists()
    assert not PipelineEvent.objects.exists()


def test_staff_edit_what_a_place_offers_in_the_admin(admin_client, workspace):
    service = PlaceService.objects.get(organisation__name="La Malterie")
    response = admin_client.post(
        f"/admin/cartography/placeservice/{service.pk}/change/",
        {
            "organisation": service.organisation_id,
            "kind": service.kind_id,
            "price": "10 € la journée",
            "accessibility": "accessible",
            "details": "Sur rendez-vous",
        },
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.price == "10 € la journée"
    assert service.details == "Sur rendez-vous"


def test_staff_edit_a_need_in_the_admin(admin_client, workspace):
    need = PremisesNeed.objects.get(title="Bureaux pour une SCOP")
    page = admin_client.get(f"/admin/cartography/premisesneed/{need.pk}/change/")
    assert page.status_code == 200
    response = admin_client.post(
        f"/admin/cartography/premisesneed/{need.pk}/change/",
        {
            "title": need.title,
            "contact_name": "Sam",
            "contact_email": "sam@example.org",
            "surface_min_m2": "200",
            "surface_max_m2": "100",
            "kinds": ["bureau-atelier"],
            "status": "nouveau",
            "proposals-TOTAL_FORMS": "0",
            "proposals-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # refused, with the model's French message
    assert "La surface minimale doit être inférieure" in response.content.decode()

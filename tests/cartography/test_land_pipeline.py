"""The opportunity pipeline and the notes: moves allowed, history kept, authors recorded."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cartography.models import PipelineEvent, PipelineStage
from cartography.services import premises_note_add, premises_stage_move
from tests.factories import make_premises

pytestmark = pytest.mark.django_db


def test_a_site_moves_along_the_pipeline_and_keeps_its_history(city_staff):
    site = make_premises("Friche Fives Cail")
    assert site.pipeline_stage == PipelineStage.IDENTIFIED

    premises_stage_move(premises=site, to_stage="qualifie", note="Visite faite", author=city_staff)
    premises_stage_move(premises=site, to_stage="propose", note="", author=city_staff)

    site.refresh_from_db()
    assert site.pipeline_stage == PipelineStage.PROPOSED
    history = list(site.pipeline_events.values_list("from_stage", "to_stage", "note", "author"))
    assert history == [
        ("qualifie", "propose", "", city_staff.pk),
        ("identifie", "qualifie", "Visite faite", city_staff.pk),
    ]


def test_a_site_cannot_skip_a_stage(city_staff):
    site = make_premises("Local rue Solférino")
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        premises_stage_move(premises=site, to_stage="attribue", note="", author=city_staff)
    assert not PipelineEvent.objects.exists()


def test_notes_are_dated_signed_and_never_empty(city_staff):
    site = make_premises("Local rue Solférino")
    note = premises_note_add(premises=site, text="  Propriétaire joignable  ", author=city_staff)
    assert note.text == "Propriétaire joignable"
    assert note.created_at is not None
    assert note.author == city_staff
    with pytest.raises(ValidationError):
        premises_note_add(premises=site, text="   ", author=city_staff)


def test_the_site_page_adds_a_note_and_moves_the_site(
    staff_client, city_staff, django_assert_max_num_queries
):
    site = make_premises("Friche Saint-Sauveur")

    response = staff_client.post(f"/foncier/{site.slug}/notes/", {"text": "Rencontre avec la SPL"})
    assert response.status_code == 302
    response = staff_client.post(
        f"/foncier/{site.slug}/etape/", {"to_stage": "qualifie", "note": "Surface vérifiée"}
    )
    assert response.status_code == 302

    # Session, user, permissions (2), the site, notes, moves, proposals, context, the layers
    # of areas loaded, GeoJSON, the open needs to propose it to.
    with django_assert_max_num_queries(12):
        page = staff_client.get(f"/foncier/{site.slug}/")
    body = page.content.decode()
    assert "Rencontre avec la SPL" in body
    assert "Surface vérifiée" in body
    assert "Camille Agent" in body
    assert "Site passé à l&#x27;étape « Qualifié »" in body


def test_a_refused_move_is_explained_in_french(staff_client):
    site = make_premises("Friche Saint-Sauveur")
    response = staff_client.post(f"/foncier/{site.slug}/etape/", {"to_stage": "attribue"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = staff_client.post(f"/foncier/{site.slug}/notes/", {"text": ""})
    assert response.status_code == 400
    assert "Écrivez la note avant de l&#x27;ajouter." in response.content.decode()


def test_posts_need_the_csrf_token(city_staff):

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(city_staff)
    site = make_premises("Friche Saint-Sauveur")
    assert csrf_client.post(f"/foncier/{site.slug}/notes/", {"text": "x"}).status_code == 403
    assert not site.notes.exists()

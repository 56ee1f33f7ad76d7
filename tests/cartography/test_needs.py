"""Premises needs: the public form, the matching rules and the proposals to a need."""

import datetime

import pytest

from cartography.matching import (
    availability_rule,
    distance_rule,
    kind_rule,
    need_match_score,
    surface_rule,
)
from cartography.models import (
    AreaKind,
    NeedProposal,
    NeedStatus,
    PipelineStage,
    Premises,
    PremisesKind,
    PremisesNeed,
    ReferenceArea,
)
from cartography.selectors import need_candidates_get
from tests.factories import (
    FIVES,
    WAZEMMES,
    east_of,
    make_area,
    make_need,
    make_premises,
    square_around,
)

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2027, 6, 1)


# --- The rules, one by one (no database) ---------------------------------------------------


def test_surface_rule():
    assert surface_rule(surface=120, low=100, high=150)[0] == 3
    assert surface_rule(surface=170, low=100, high=150)[0] == 1  # within 20 %
    assert surface_rule(surface=400, low=100, high=150)[0] == -2
    assert surface_rule(surface=None, low=100, high=150) == (0, "Surface non renseignée")
    assert surface_rule(surface=5000, low=100, high=None)[0] == 3


def test_kind_rule():
    assert kind_rule(kind="friche", wished=[], label="Friche")[0] == 1
    assert kind_rule(kind="friche", wished=["friche"], label="Friche")[0] == 2
    assert kind_rule(kind="terrain", wished=["friche"], label="Terrain")[0] == -1


def test_distance_rule():
    assert distance_rule(distance_m=None) is None
    assert distance_rule(distance_m=0)[0] == 3
    assert distance_rule(distance_m=600) == (1, "À 600 m d'un quartier souhaité")
    assert distance_rule(distance_m=2500) == (0, "À 2.5 km des quartiers souhaités")


def test_availability_rule():
    late = datetime.date(2027, 9, 1)
    assert availability_rule(status="disponible", available_from=None, needed_from=JUNE)[0] == 2
    assert availability_rule(status="inconnu", available_from=late, needed_from=JUNE)[0] == -1
    assert availability_rule(status="bientot", available_from=None, needed_from=None)[0] == 1
    assert availability_rule(status="inconnu", available_from=None, needed_from=None)[0] == 0


# --- Ranking against the database ------------------------------------------------------------


@pytest.fixture
def fives() -> ReferenceArea:
    return make_area(AreaKind.QUARTIER, "59350-5", "Fives", square_around(FIVES, 800))


def test_candidates_are_ranked_with_their_reasons(fives, django_assert_max_num_queries):
    need = make_need(
        surface_min_m2=100, surface_max_m2=200, kinds=["local-vacant"], needed_from=JUNE
    )
    need.quartiers.add(fives)
    best = make_premises(
        "Local à Fives",
        kind=PremisesKind.VACANT_PREMISES,
        location=FIVES.clone(),
        built_surface_m2=150,
        status="disponible",
    )
    near = make_premises(
        "Local à 600 m de Fives",
        kind=PremisesKind.VACANT_PREMISES,
        location=east_of(FIVES, 1000),
        built_surface_m2=150,
        status="disponible",
    )
    make_premises(
        "Grande friche à Wazemmes", location=WAZEMMES.clone(), surface_m2=9000, status="disponible"
    )
    make_premises("Local attribué", location=FIVES.clone(), pipeline_stage="attribue")
    make_premises("Local occupé", location=FIVES.clone(), status="occupe")

    with django_assert_max_num_queries(3):
        candidates = need_candidates_get(need=need)

    assert [c.premises.name for c in candidates] == [
        "Local à Fives",
        "Local à 600 m de Fives",
        "Grande friche à Wazemmes",
    ]
    assert candidates[0].premises == best
    assert "Dans un quartier souhaité" in candidates[0].reasons
    assert "Surface adaptée : 150 m²" in candidates[0].reasons
    assert candidates[1].premises == near
    assert candidates[1].distance_m == pytest.approx(600, abs=5)
    assert "Surface hors fourchette : 9000 m²" in candidates[2].reasons


def test_score_without_wished_quartier_ignores_distance():
    need = PremisesNeed(kinds=[], surface_min_m2=None, surface_max_m2=None)
    site = make_premises("Local", built_surface_m2=80, status="disponible")
    score, reasons = need_match_score(need=need, site=site, distance_m=None)
    assert score == 3 + 1 + 2
    assert len(reasons) == 3


# --- The public form and the staff pages ------------------------------------------------------


def need_form(**overrides) -> dict:
    data = {
        "title": "Recyclerie de quartier",
        "holder_name": "Association Réemploi Fives",
        "surface_min_m2": "100",
        "surface_max_m2": "300",
        "kinds": ["local-vacant", "bureau-atelier"],
        "budget_per_month": "800",
        "needed_from": "2027-06-01",
        "contact_name": "Lou Martin",
        "contact_email": "lou@example.org",
        "site_web": "",
    }
    return data | overrides


def test_a_project_holder_declares_a_need_without_an_account(client, fives):
    response = client.post("/foncier/besoins/nouveau/", need_form(quartiers=[fives.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/foncier/besoins/merci/"
    need = PremisesNeed.objects.get()
    assert need.title == "Recyclerie de quartier"
    assert need.kinds == ["local-vacant", "bureau-atelier"]
    assert list(need.quartiers.all()) == [fives]
    assert need.status == NeedStatus.NEW


def test_the_honeypot_drops_robots_silently(client):
    response = client.post("/foncier/besoins/nouveau/", need_form(site_web="http://spam.example"))
    assert response.status_code == 302
    assert not PremisesNeed.objects.exists()


def test_the_need_form_explains_errors_in_french(client):
    response = client.post(
        "/foncier/besoins/nouveau/",
        need_form(contact_email="pas-un-courriel", surface_min_m2="500", surface_max_m2="100"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide." in body
    assert "La surface maximale doit être supérieure ou égale à la surface minimale." in body
    assert not PremisesNeed.objects.exists()


def test_staff_propose_a_site_and_the_pipeline_records_it(staff_client, city_staff, fives):
    need = make_need()
    site = make_premises("Local à Fives", location=FIVES.clone(), built_surface_m2=150)

    page = staff_client.get(f"/foncier/besoins/{need.pk}/")
    assert "Local à Fives" in page.content.decode()
    response = staff_client.post(
        f"/foncier/besoins/{need.pk}/", {"premises": site.pk, "note": "Visite à caler"}
    )

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.pipeline_stage == PipelineStage.PROPOSED
    event = site.pipeline_events.get()
    assert (event.need, event.author, event.to_stage) == (need, city_staff, "propose")
    assert "Visite à caler" in event.note
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PROGRESS
    again = staff_client.post(f"/foncier/besoins/{need.pk}/", {"premises": site.pk})
    assert again.status_code == 400
    assert "déjà été proposé" in again.content.decode()


def test_a_proposal_from_the_need_page_comes_back_to_the_proposed_sites(staff_client):
    need = make_need(title="Cuisine partagée")
    site = make_premises("Local à Fives", location=FIVES.clone(), built_surface_m2=150)

    response = staff_client.post(f"/foncier/besoins/{need.pk}/", {"premises": site.pk})

    # Not the top of the page: the outcome, above the proposed sites, is the URL's target.
    assert response["Location"] == f"/foncier/besoins/{need.pk}/#resultat-proposition"
    body = staff_client.get(response["Location"]).content.decode()
    proposed = body.split('id="titre-proposes"')[1].split('id="titre-candidats"')[0]
    outcome = proposed.split('id="resultat-proposition"')[1].split("</div>")[0]
    assert "data-focus-on-load" in outcome
    assert "Site proposé ; son suivi l&#x27;enregistre." in outcome
    assert "Local à Fives</a>" in proposed.split('id="resultat-proposition"')[1]
    # Shown once: not also at the top of the page.
    assert body.count("Site proposé ; son suivi") == 1


def test_a_refused_proposal_puts_the_focus_on_its_error(staff_client):
    need = make_need()
    site = make_premises("Local à Fives", location=FIVES.clone())
    staff_client.post(f"/foncier/besoins/{need.pk}/", {"premises": site.pk})

    again = staff_client.post(f"/foncier/besoins/{need.pk}/", {"premises": site.pk})

    errors = again.content.decode().split('class="form-errors"')[1].split("</div>")[0]
    assert "data-focus-on-load" in errors
    assert "déjà été proposé" in errors


def test_the_needs_list_shows_every_need(staff_client, django_assert_max_num_queries):
    make_need(title="Atelier vélo")
    make_need(title="Cuisine partagée")
    with django_assert_max_num_queries(6):
        body = staff_client.get("/foncier/besoins/").content.decode()
    assert "Atelier vélo" in body
    assert "Cuisine partagée" in body


def test_staff_close_a_need(staff_client):
    need = make_need()
    response = staff_client.post(f"/foncier/besoins/{need.pk}/statut/", {"status": "satisfait"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.MET
    refused = staff_client.post(f"/foncier/besoins/{need.pk}/statut/", {"status": "inconnu"})
    assert refused.status_code == 400


def test_staff_propose_a_site_from_its_page(staff_client):
    need = make_need(title="Cuisine partagée")
    site = make_premises("Local à Fives", location=FIVES.clone(), pipeline_stage="qualifie")
    assert "Cuisine partagée" in staff_client.get(f"/foncier/{site.slug}/").content.decode()

    response = staff_client.post(f"/foncier/{site.slug}/proposer/", {"need": need.pk})

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.pipeline_stage == PipelineStage.PROPOSED
    assert site.proposals.get().need == need
    empty = staff_client.post(f"/foncier/{site.slug}/proposer/", {"need": ""})
    assert empty.status_code == 400
    assert "Choisissez le besoin auquel proposer ce site." in empty.content.decode()


# --- What was proposed, from both sides ---------------------------------------------------------


def _propose(need, *names_and_stages):
    for name, stage in names_and_stages:
        site = make_premises(name, location=FIVES.clone(), status="disponible")
        NeedProposal.objects.create(need=need, premises=site, note=f"Visite de {name}")
        Premises.objects.filter(pk=site.pk).update(pipeline_stage=stage)


def test_a_need_shows_the_sites_proposed_to_it_with_their_stage(
    staff_client, django_assert_max_num_queries
):
    need = make_need(title="Cuisine partagée")
    _propose(need, ("Local rue Pierre-Legrand", "propose"))
    with django_assert_max_num_queries(12) as one:
        staff_client.get(f"/foncier/besoins/{need.pk}/")
    _propose(need, ("Halle attribuée", "attribue"), ("Friche abandonnée", "abandonne"))

    with django_assert_max_num_queries(len(one.captured_queries)):
        body = staff_client.get(f"/foncier/besoins/{need.pk}/").content.decode()

    proposed = body.split('id="titre-proposes"')[1].split('id="titre-candidats"')[0]
    halle = Premises.objects.get(name="Halle attribuée")
    assert f'href="/foncier/{halle.slug}/"' in proposed
    assert "Halle attribuée</a> — <strong>Attribué</strong> · Projet en cours" in proposed
    assert "Friche abandonnée</a> — <strong>Abandonné</strong> · Non renseigné" in proposed
    assert "Local rue Pierre-Legrand</a> — <strong>Proposé à une structure</strong>" in proposed
    assert "Visite de Halle attribuée" in proposed


def test_a_need_without_proposal_says_so(staff_client):
    need = make_need()
    body = staff_client.get(f"/foncier/besoins/{need.pk}/").content.decode()
    assert "Aucun site n'a encore été proposé à ce besoin." in body


def test_a_site_shows_the_needs_it_was_proposed_to(staff_client, django_assert_max_num_queries):
    site = make_premises("Local rue Pierre-Legrand", location=FIVES.clone())
    NeedProposal.objects.create(need=make_need(title="Cuisine partagée"), premises=site)
    with django_assert_max_num_queries(30) as one:
        staff_client.get(f"/foncier/{site.slug}/")
    need = make_need(title="Atelier vélo", status=NeedStatus.MET)
    NeedProposal.objects.create(need=need, premises=site, note="À visiter")

    with django_assert_max_num_queries(len(one.captured_queries)):
        body = staff_client.get(f"/foncier/{site.slug}/").content.decode()

    assert "Cuisine partagée</a> — Nouveau · proposé le" in body
    assert "Atelier vélo</a> — Satisfait · proposé le" in body
    assert "À visiter" in body

"""Possible duplicates: close names in close places are listed for a person, never merged."""

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from directory.models import Organisation
from importers.engine.review import DUPLICATE_NEIGHBOURS, duplicate_candidates_refresh
from importers.engine.services import source_import
from importers.models import DuplicateCandidate, DuplicateStatus
from tests.factories import FIVES, make_organisation, north_of

pytestmark = pytest.mark.django_db


def pairs() -> set[tuple[str, str]]:
    return {
        (candidate.organisation_a.name, candidate.organisation_b.name)
        for candidate in DuplicateCandidate.objects.select_related(
            "organisation_a", "organisation_b"
        )
    }


def test_a_near_identical_name_50_m_away_is_listed_for_review():
    make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les jardins de FIVES", location=north_of(FIVES, 50))

    assert duplicate_candidates_refresh() == 1
    candidate = DuplicateCandidate.objects.get()
    assert candidate.status == DuplicateStatus.PENDING
    assert candidate.similarity == pytest.approx(1.0)
    assert 45 < candidate.distance_m < 55
    assert Organisation.objects.count() == 2  # listed, not merged


def test_the_same_name_250_m_away_is_another_organisation():
    make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les Jardins de Fives", location=north_of(FIVES, 250))

    assert duplicate_candidates_refresh() == 0
    assert not DuplicateCandidate.objects.exists()


def test_different_names_at_the_same_place_are_not_duplicates():
    make_organisation("Maison de l'ESS", location=FIVES)
    make_organisation("Maison de la Nature", location=FIVES)

    assert duplicate_candidates_refresh() == 0


def test_two_different_sirets_are_never_duplicates():
    make_organisation(
        "Les Jardins de Fives", location=FIVES, siren="501000012", siret="50100001200010"
    )
    make_organisation(
        "Les Jardins de Fives", location=FIVES, siren="501000012", siret="50100001200028"
    )

    assert duplicate_candidates_refresh() == 0


def test_two_different_rna_ids_are_never_duplicates():
    make_organisation("Les Jardins de Fives", location=FIVES, rna_id="W595000001")
    make_organisation("Les Jardins de Fives", location=FIVES, rna_id="W595000002")

    assert duplicate_candidates_refresh() == 0


def test_a_siret_holder_and_a_record_without_identifier_can_be_duplicates():
    make_organisation("Les Jardins de Fives", location=FIVES, siret="50100001200010")
    make_organisation("Jardins de Fives", location=north_of(FIVES, 20))

    assert duplicate_candidates_refresh() == 1
    assert pairs() == {("Les Jardins de Fives", "Jardins de Fives")}


def test_rerunning_lists_each_pair_once_and_forgets_pairs_that_no_longer_match():
    jardins = make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les jardins de Fives", location=north_of(FIVES, 30))
    duplicate_candidates_refresh()
    assert duplicate_candidate_count() == 1
    duplicate_candidates_refresh()
    assert duplicate_candidate_count() == 1

    jardins.name = "Ferme urbaine du Sart"
    jardins.save()
    duplicate_candidates_refresh()
    assert duplicate_candidate_count() == 0


def duplicate_candidate_count() -> int:
    return DuplicateCandidate.objects.count()


def test_a_pair_a_person_marked_different_is_not_raised_again(admin_client):
    make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les jardins de Fives", location=north_of(FIVES, 30))
    duplicate_candidates_refresh()
    candidate = DuplicateCandidate.objects.get()

    response = admin_client.post(
        reverse("admin:importers_duplicatecandidate_changelist"),
        {"action": "mark_different", "_selected_action": [candidate.pk]},
        follow=True,
    )
    assertContains(response, "1 paire(s) marquée(s) comme différentes")

    assert duplicate_candidates_refresh() == 0
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DIFFERENT
    assert candidate.reviewed_by is not None
    assert candidate.reviewed_at is not None


def test_the_review_list_shows_both_names_linked_to_their_pages(admin_client):
    jardins = make_organisation("Les Jardins de Fives", location=FIVES)
    twin = make_organisation("Les jardins de Fives", location=north_of(FIVES, 50))
    duplicate_candidates_refresh()

    response = admin_client.get(reverse("admin:importers_duplicatecandidate_changelist"))
    for organisation in (jardins, twin):
        url = reverse("admin:directory_organisation_change", args=[organisation.pk])
        assertContains(response, f'<a href="{url}">{organisation.name}</a>', html=True)
    assertContains(response, "100%")
    assertContains(response, "50 m")
    candidate = DuplicateCandidate.objects.get()
    page = admin_client.get(
        reverse("admin:importers_duplicatecandidate_change", args=[candidate.pk])
    )
    assert page.status_code == 200


def test_the_demo_s_two_coworkings_are_listed_with_an_unknown_distance(fast_communes):
    """ANCT 134 "1624 COWORKIN'LILLE" (no point, 12 ter rue des Tours) and 736 "1624
    Cowork'in Lille" (a point, 12 rue des Tours): one place, listed for a person."""
    source_import(slug="communes")
    report = source_import(slug="tiers-lieux")

    assert report.duplicates >= 1
    assert "doublons possibles en attente d'examen" in "\n".join(report.lines())
    candidate = DuplicateCandidate.objects.get(organisation_a__name__startswith="1624")
    assert {candidate.organisation_a.name, candidate.organisation_b.name} == {
        "1624 COWORKIN'LILLE",
        "1624 Cowork'in Lille",
    }
    assert candidate.distance_m is None
    assert candidate.similarity > 0.7


def test_a_dry_run_lists_nothing(fast_communes):
    source_import(slug="communes")
    source_import(slug="tiers-lieux", dry_run=True)

    assert not DuplicateCandidate.objects.exists()


def test_the_command_says_how_many_pairs_await_review():
    make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les jardins de Fives", location=north_of(FIVES, 50))
    out = StringIO()

    call_command("find_duplicates", stdout=out)

    assert "1 doublon(s) possible(s) à examiner" in out.getvalue()
    out = StringIO()
    call_command("find_duplicates", "--distance", "20", stdout=out)
    assert "0 doublon(s)" in out.getvalue()


def test_a_close_name_180_m_away_is_listed():
    make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Jardins de Fives", location=north_of(FIVES, 180))

    assert duplicate_candidates_refresh() == 1


def test_the_same_siren_is_listed_whatever_the_names_and_places():
    make_organisation("Coopérative Baraka", location=FIVES, siren="501000012")
    make_organisation(
        "Restaurant le Baraka",
        location=north_of(FIVES, 900),
        siren="501000012",
        siret="50100001200010",
    )

    assert duplicate_candidates_refresh() == 1
    assert 850 < DuplicateCandidate.objects.get().distance_m < 950


def test_two_thousand_similar_names_within_100_m_give_a_bounded_number_of_pairs():
    """Issue 14: 2,000 similar names within 100 m made 278,501 pairs; each organisation now
    keeps its few nearest similar names."""
    count = 2_000
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Atelier vélo solidaire de Fives {index}",
            slug=f"atelier-velo-{index}",
            location=north_of(FIVES, (index % 100)),
            geocoding_quality="housenumber",
            insee_code="59350",
        )
        for index in range(count)
    )
    started = time.monotonic()

    pending = duplicate_candidates_refresh()

    assert time.monotonic() - started < 30
    assert 0 < pending <= DUPLICATE_NEIGHBOURS * count
    assert DuplicateCandidate.objects.count() == pending


def test_the_cap_keeps_the_closest_names_and_says_so(caplog):
    make_organisation("Les Jardins de Fives", location=FIVES)
    make_organisation("Les Jardins de Fives", location=north_of(FIVES, 10))
    make_organisation("Ferme des Jardins de Fives", location=north_of(FIVES, 20))

    assert duplicate_candidates_refresh(cap=1) == 1
    candidate = DuplicateCandidate.objects.get()
    assert candidate.organisation_a.name == candidate.organisation_b.name
    assert "capped at 1 pairs" in caplog.text


def test_every_pair_of_the_same_name_close_by_is_listed_not_only_the_3_nearest():
    for metres in range(0, 60, 10):  # six listings of one name, 10 m apart
        make_organisation("La Coroutine", location=north_of(FIVES, metres))

    assert DUPLICATE_NEIGHBOURS < 5
    assert duplicate_candidates_refresh() == 15  # 6 x 5 / 2: the farthest pairs too
    assert pairs() == {("La Coroutine", "La Coroutine")}


def test_every_pair_of_the_same_siren_is_listed():
    for number in range(5):
        make_organisation(f"Établissement {number}", siren="501000012")

    assert duplicate_candidates_refresh() == 10


def test_the_same_name_without_a_point_in_the_same_commune_is_listed():
    make_organisation("La Coroutine", location=FIVES)
    make_organisation("La Coroutine")  # no point, no street: the same commune (Lille)
    make_organisation("La Coroutine", insee_code="59599", city="Roubaix", postcode="59100")

    assert duplicate_candidates_refresh() == 1
    assert DuplicateCandidate.objects.get().distance_m is None

"""A person's page lists the organisations they edit after a claim, and their claims."""

import pytest
from pytest_django.asserts import assertContains

from directory.models import ClaimStatus, OrganisationClaim, OrganisationEditor

pytestmark = pytest.mark.django_db


def test_my_page_lists_my_organisations_and_my_claims(client, world):
    person = world.users["utilisateur"]
    OrganisationEditor.objects.create(user=person, organisation=world.member_a)
    OrganisationClaim.objects.create(
        user=person,
        organisation=world.member_b,
        siret="44100002300016",
        status=ClaimStatus.REJECTED,
        rejection_reason="Personne inconnue de la structure.",
    )
    client.force_login(person)
    page = client.get("/compte/")
    assertContains(page, f'href="/organisations/{world.member_a.slug}/modifier/"')
    assertContains(page, "La Recyclerie de Wazemmes : Refusée")
    assertContains(page, "Personne inconnue de la structure.")


def test_without_organisation_my_page_says_how_to_claim_one(client, world):
    client.force_login(world.users["utilisateur"])
    assertContains(client.get("/compte/"), "choisissez « C'est mon organisation »")

"""Merging two listings of one organisation (directory.merging): the survivor rule, step by
step, and a merge that moves everything, keeps every provenance and leaves a 301."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from cartography.models import PlaceService
from directory.merging import (
    MergeRefused,
    merge_survivor_pick,
    merge_survivor_reason,
    organisations_merge,
)
from directory.models import (
    EditedBy,
    NetworkMembership,
    Organisation,
    OrganisationAlias,
    OrganisationClaim,
    OrganisationEditor,
    Provenance,
    Source,
    Suggestion,
)
from tests.factories import (
    FIVES,
    make_organisation,
    make_place_services,
    make_support_offer,
    make_user,
    north_of,
)

pytestmark = pytest.mark.django_db


def imported(organisation: Organisation, *, source_slug: str = "tiers-lieux") -> Provenance:
    source, _ = Source.objects.get_or_create(slug=source_slug, defaults={"name": source_slug})
    seen = timezone.make_aware(datetime.datetime(2026, 3, 14, 10))
    return Provenance.objects.create(
        source=source,
        external_id=f"{source_slug}-{organisation.pk}",
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=organisation.pk,
        content_hash="0" * 64,
        first_seen_at=seen,
        last_seen_at=seen,
    )


# --- The survivor rule, one step at a time ------------------------------------------------


def test_a_listing_a_person_wrote_survives_an_imported_one():
    imported_one = make_organisation(
        "La Coroutine", website="https://coroutine.fr", phone="0320000000"
    )
    imported(imported_one)
    typed = make_organisation("Coroutine (La)")  # no provenance: typed by a person

    assert merge_survivor_pick(first=imported_one, second=typed) == (typed, imported_one)
    assert "personne" in merge_survivor_reason(survivor=typed, absorbed=imported_one)


def test_between_two_imported_listings_the_owned_one_survives():
    richer = make_organisation("La Coroutine", website="https://coroutine.fr")
    owned = make_organisation("Coroutine (La)")
    imported(richer)
    imported(owned, source_slug="reseau-apes")
    OrganisationEditor.objects.create(user=make_user("gerante"), organisation=owned)

    assert merge_survivor_pick(first=richer, second=owned) == (owned, richer)
    assert "responsable" in merge_survivor_reason(survivor=owned, absorbed=richer)


def test_then_the_most_complete_survives():
    older = make_organisation("La Coroutine")
    richer = make_organisation("Coroutine (La)", website="https://coroutine.fr", phone="0320000000")
    imported(older)
    imported(richer, source_slug="reseau-apes")

    assert merge_survivor_pick(first=older, second=richer) == (richer, older)
    assert "complète" in merge_survivor_reason(survivor=richer, absorbed=older)


def test_then_the_oldest_survives():
    older = make_organisation("La Coroutine")
    newer = make_organisation("Coroutine (La)")
    imported(older)
    imported(newer, source_slug="reseau-apes")

    assert merge_survivor_pick(first=newer, second=older) == (older, newer)
    assert "ancienne" in merge_survivor_reason(survivor=older, absorbed=newer)


# --- The merge ----------------------------------------------------------------------------


@pytest.fixture
def pair():
    survivor = make_organisation(
        "La Coroutine", kinds=("tiers-lieu",), location=FIVES, street="12 rue de Fives"
    )
    absorbed = make_organisation(
        "Coroutine (La)",
        kinds=("accompagnement", "tiers-lieu"),
        location=north_of(FIVES, 40),
        website="https://coroutine.fr",
        siret="50100001200010",
        siren="501000012",
    )
    return survivor, absorbed


def test_a_merge_moves_every_relation_and_keeps_every_provenance(pair):
    survivor, absorbed = pair
    network = make_organisation("APES Hauts-de-France", kinds=("reseau",))
    NetworkMembership.objects.create(network=network, member=absorbed)
    NetworkMembership.objects.create(network=network, member=survivor)
    other_network = make_organisation("CRESS Hauts-de-France", kinds=("reseau",))
    NetworkMembership.objects.create(network=other_network, member=absorbed)
    person = make_user("benevole")
    OrganisationClaim.objects.create(user=person, organisation=absorbed, siret="50100001200010")
    Suggestion.objects.create(kind="correction", organisation=absorbed, phone="0320202020")
    offer = make_support_offer(provider=absorbed)
    provenances = {imported(survivor).pk, imported(absorbed, source_slug="reseau-apes").pk}

    organisations_merge(survivor=survivor, absorbed=absorbed, user=person)

    assert not Organisation.objects.filter(pk=absorbed.pk).exists()
    assert set(survivor.networks.values_list("name", flat=True)) == {
        "APES Hauts-de-France",
        "CRESS Hauts-de-France",
    }
    assert survivor.claims.get().user == person
    assert survivor.suggestions.count() == 1
    offer.refresh_from_db()
    assert offer.provider == survivor
    assert set(survivor.kinds.values_list("slug", flat=True)) == {"accompagnement", "tiers-lieu"}
    content_type = ContentType.objects.get_for_model(Organisation)
    assert (
        set(
            Provenance.objects.filter(content_type=content_type, object_id=survivor.pk).values_list(
                "pk", flat=True
            )
        )
        == provenances
    )


def test_every_relation_to_an_organisation_is_handled_by_the_merge():
    """A relation added later is moved too: the merge walks _meta, so every reverse
    relation that is not a history copy is a foreign key the merge updates."""
    reverse_relations = [
        relation
        for relation in Organisation._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete and not relation.many_to_many
    ]
    names = {relation.related_model._meta.label for relation in reverse_relations}
    assert {
        "directory.NetworkMembership",
        "directory.OrganisationClaim",
        "directory.OrganisationEditor",
        "directory.SupportOffer",
        "directory.OrganisationAlias",
        "cartography.PlaceService",
        "importers.DuplicateCandidate",
    } <= names


def test_the_survivor_keeps_its_values_and_fills_its_blanks_unless_told(pair):
    survivor, absorbed = pair

    organisations_merge(survivor=survivor, absorbed=absorbed, choices={"name": "absorbed"})

    survivor.refresh_from_db()
    assert survivor.name == "Coroutine (La)"  # chosen
    assert survivor.street == "12 rue de Fives"  # its own
    assert survivor.website == "https://coroutine.fr"  # its blank, filled
    assert survivor.siret == "50100001200010"  # the absorbed one's identifier, kept
    assert survivor.location.equals_exact(FIVES, 1e-9)


def test_the_absorbed_listing_s_address_answers_301_to_the_survivor(client, pair):
    survivor, absorbed = pair
    old_slug, old_id = absorbed.slug, absorbed.pk

    organisations_merge(survivor=survivor, absorbed=absorbed)

    target = reverse("directory:organisation", kwargs={"slug": survivor.slug})
    for name in (old_slug, str(old_id)):
        response = client.get(reverse("directory:organisation", kwargs={"slug": name}))
        assert response.status_code == 301
        assert response["Location"] == target
    assert (
        client.get(reverse("directory:organisation", kwargs={"slug": "inconnue"})).status_code
        == 404
    )


def test_a_second_merge_carries_the_first_alias_along(client, pair):
    survivor, absorbed = pair
    old_slug = absorbed.slug
    organisations_merge(survivor=survivor, absorbed=absorbed)
    final = make_organisation("La Coroutine, tiers-lieu de Fives")

    organisations_merge(survivor=final, absorbed=survivor)

    assert set(OrganisationAlias.objects.values_list("organisation", flat=True)) == {final.pk}
    response = client.get(reverse("directory:organisation", kwargs={"slug": old_slug}))
    assert response["Location"] == reverse("directory:organisation", kwargs={"slug": final.slug})


def test_the_merge_is_in_the_history_of_both(pair):
    survivor, absorbed = pair
    absorbed_id = absorbed.pk

    organisations_merge(survivor=survivor, absorbed=absorbed, choices={"name": "absorbed"})

    latest = survivor.history.first()
    assert latest.history_change_reason == "fusion avec Coroutine (La)"
    gone = Organisation.history.filter(id=absorbed_id).first()
    assert gone.history_type == "-"
    assert gone.history_change_reason.startswith("fusion dans La Coroutine")
    alias = OrganisationAlias.objects.get()
    assert alias.snapshot["website"] == "https://coroutine.fr"


def test_two_listings_with_place_data_are_united_not_refused(pair):
    survivor, absorbed = pair
    NetworkMembership.objects.create(
        network=make_organisation("APES Hauts-de-France", kinds=("reseau",)), member=absorbed
    )
    Organisation.objects.filter(pk=survivor.pk).update(place_roles=["tiers-lieu"])
    Organisation.objects.filter(pk=absorbed.pk).update(
        place_roles=["lieu-totem", "tiers-lieu"], place_source="Stratégie ESS de la Ville de Lille"
    )
    survivor.refresh_from_db()
    absorbed.refresh_from_db()
    (salles,) = make_place_services(survivor, "salles")
    salles.price = "15 € l'heure"
    salles.save()
    bureaux, _salles = make_place_services(absorbed, "bureaux", "salles")
    bureaux.details = "Coworking à Fives"
    bureaux.save()

    organisations_merge(survivor=survivor, absorbed=absorbed)

    survivor.refresh_from_db()
    assert survivor.place_roles == ["tiers-lieu", "lieu-totem"]
    assert survivor.place_source == "Stratégie ESS de la Ville de Lille"
    services = PlaceService.objects.filter(organisation=survivor)
    assert [(s.kind.slug, s.price, s.details) for s in services] == [
        ("salles", "15 € l'heure", ""),  # the survivor's own, kept once
        ("bureaux", "", "Coworking à Fives"),
    ]
    assert PlaceService.objects.count() == 2
    assert not Organisation.objects.filter(pk=absorbed.pk).exists()
    assert survivor.memberships.count() == 1
    assert OrganisationAlias.objects.get().organisation == survivor


def test_the_survivor_keeps_the_newer_hand_correction_s_credit(pair):
    survivor, absorbed = pair
    apes = make_organisation("APES Hauts-de-France", kinds=("reseau",), acronym="APES")
    Organisation.objects.filter(pk=survivor.pk).update(
        edited_by=EditedBy.OWNER, edited_on=datetime.date(2026, 5, 2)
    )
    Organisation.objects.filter(pk=absorbed.pk).update(
        edited_by=EditedBy.NETWORK, edited_by_network=apes, edited_on=datetime.date(2026, 11, 30)
    )
    survivor.refresh_from_db()
    absorbed.refresh_from_db()

    organisations_merge(survivor=survivor, absorbed=absorbed)

    survivor.refresh_from_db()
    assert (survivor.edited_by, survivor.edited_by_network, survivor.edited_on) == (
        EditedBy.NETWORK,
        apes,
        datetime.date(2026, 11, 30),
    )


def test_a_merge_credits_no_one_when_neither_listing_was_corrected(pair):
    survivor, absorbed = pair
    organisations_merge(survivor=survivor, absorbed=absorbed)
    survivor.refresh_from_db()
    assert (survivor.edited_by, survivor.edited_on) == ("", None)


def test_a_listing_cannot_be_merged_with_itself(pair):
    survivor, _ = pair
    with pytest.raises(MergeRefused):
        organisations_merge(survivor=survivor, absorbed=survivor)

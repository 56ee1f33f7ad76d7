"""`/organisations/<slug>/`: every fact about one actor, and where each comes from."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from directory.access import MODERATOR
from directory.models import (
    NetworkMembership,
    Organisation,
    OrganisationClaim,
    Provenance,
    Sector,
    Source,
    Stage,
)
from tests.factories import (
    DRAFT,
    make_funding_scheme,
    make_organisation,
    make_support_offer,
)

pytestmark = pytest.mark.django_db


def provenance_for(organisation: Organisation, **imported) -> Provenance:
    source = Source.objects.create(
        slug="tiers-lieux-test",
        name="Tiers-lieux (ANCT)",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    )
    seen = timezone.make_aware(datetime.datetime(2026, 3, 14, 10))
    return Provenance.objects.create(
        source=source,
        external_id="TL-59-042",
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=organisation.pk,
        content_hash="0" * 64,
        imported_values=imported,
        first_seen_at=seen,
        last_seen_at=seen,
    )


def test_provenance_is_shown_with_source_licence_and_dates(client, moulins_point):
    organisation = make_organisation(
        "Maison de l'ESS", kinds=("tiers-lieu",), location=moulins_point, website="https://mess.fr"
    )
    provenance_for(organisation, name="Maison de l'ESS", website="https://mess.fr", email="")

    html = client.get(f"/organisations/{organisation.slug}/").content.decode()

    assert "Tiers-lieux (ANCT)" in html
    assert "Licence Ouverte 2.0" in html
    assert "TL-59-042" in html
    assert "14 mars 2026" in html
    assert "Source : Tiers-lieux (ANCT)" in html  # next to the website
    assert "Fiche jamais confirmée par une personne ni par un réseau." in html
    assert 'id="organisation-map"' in html


def test_verified_date_and_correction_link(client):
    organisation = make_organisation("Atelier", last_verified_on=datetime.date(2026, 10, 2))

    html = client.get(f"/organisations/{organisation.slug}/").content.decode()

    assert "Fiche confirmée à jour le 2 octobre 2026" in html
    assert f'href="/contribuer/?organisation={organisation.slug}"' in html
    assert "Saisi dans Cartess" in html  # no provenance: entered by hand


def test_no_point_means_no_map(client):
    organisation = make_organisation("Réseau sans adresse", kinds=("reseau",))

    html = client.get(f"/organisations/{organisation.slug}/").content.decode()

    assert 'id="organisation-map"' not in html
    assert "leaflet.js" not in html


def test_stages_schemes_offers_and_networks(client):
    funder = make_organisation("France Active", kinds=("financeur", "accompagnement"))
    scheme = make_funding_scheme("Prêt d'honneur solidaire")
    scheme.stages.set(Stage.objects.filter(slug="amorcage"))
    scheme.funders.add(funder)
    offer = make_support_offer("Accompagnement à la consolidation", provider=funder)
    offer.stages.set(Stage.objects.filter(slug="consolidation"))
    make_support_offer("Offre cachée", provider=funder, publication_status=DRAFT)
    network = make_organisation("APES", kinds=("reseau",))
    member = make_organisation("Coopérative membre")
    NetworkMembership.objects.create(network=network, member=funder)
    NetworkMembership.objects.create(network=funder, member=member)

    html = client.get(f"/organisations/{funder.slug}/").content.decode()

    assert "Prêt d&#x27;honneur solidaire" in html
    assert "Accompagnement à la consolidation" in html
    assert "Offre cachée" not in html
    assert html.index("Amorçage") < html.index("Consolidation")
    assert f'href="/organisations/{network.slug}/"' in html
    assert f'href="/organisations/{member.slug}/"' in html


def test_a_draft_organisation_is_not_found(client):
    organisation = make_organisation("Brouillon", publication_status=DRAFT)

    assert client.get(f"/organisations/{organisation.slug}/").status_code == 404


def test_detail_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    funder = make_organisation("France Active", kinds=("financeur",))
    for index in range(5):
        scheme = make_funding_scheme(f"Dispositif {index}")
        scheme.stages.set(Stage.objects.all())
        scheme.funders.add(funder)
        make_support_offer(f"Offre {index}", provider=funder).stages.set(Stage.objects.all())
    provenance_for(funder, name="France Active")

    with django_assert_max_num_queries(13):
        assert client.get(f"/organisations/{funder.slug}/").status_code == 200


def test_a_listing_without_links_reads_in_two_queries(client, django_assert_num_queries):
    # Most listings fund nothing, offer nothing and belong to no network: the page asks
    # only for the relations it has (issue 20), here none, nor any history (no person saved
    # it): the organisation with its kinds and sectors, then its sources.
    organisation = make_organisation("Épicerie solidaire de Fives")
    organisation.sectors.set(Sector.objects.filter(slug="alimentation-durable"))
    provenance_for(organisation, name="Épicerie solidaire de Fives", kinds=["entreprise-ess"])

    with django_assert_num_queries(2):
        response = client.get(f"/organisations/{organisation.slug}/")

    detail = response.context["detail"]
    assert [kind.slug for kind in detail.kinds] == ["entreprise-ess"]
    assert [str(sector) for sector in detail.sectors] == [
        "Alimentation durable et agriculture urbaine"
    ]
    assert detail.fact_sources["kinds"] == "Tiers-lieux (ANCT)"
    assert (detail.funding_schemes, detail.support_offers) == ([], [])
    assert (detail.networks, detail.members) == ([], [])
    assert "Alimentation durable et agriculture urbaine" in response.content.decode()


def test_a_tiers_lieu_by_its_kind_takes_space_requests_without_reading_its_kinds_again(
    client, django_assert_num_queries
):
    organisation = make_organisation("Tiers-lieu de Fives", kinds=("tiers-lieu",))

    # The organisation, its sources, and what the place offers: services, spaces, premises.
    with django_assert_num_queries(5):
        html = client.get(f"/organisations/{organisation.slug}/").content.decode()

    assert f"/organisations/{organisation.slug}/demander-un-espace/" in html


def test_only_the_relations_a_listing_has_are_read(client, django_assert_num_queries):
    network = make_organisation("APES", kinds=("reseau",))
    member = make_organisation("Coopérative membre")
    NetworkMembership.objects.create(network=network, member=member)
    hidden = make_funding_scheme("Dispositif retiré", publication_status=DRAFT)
    hidden.funders.add(member)

    # The organisation, its networks, its schemes (none published: not their stages nor
    # instruments), its sources.
    with django_assert_num_queries(4):
        html = client.get(f"/organisations/{member.slug}/").content.decode()

    assert f'href="/organisations/{network.slug}/"' in html
    assert "Dispositif retiré" not in html


def test_claim_link_for_visitors_and_history_link_for_moderators_only(client):
    organisation = make_organisation("La Recyclerie de Wazemmes", siret="77567122500016")
    page = f"/organisations/{organisation.slug}/"
    claim = f"/organisations/{organisation.slug}/revendiquer/"
    history = f"/organisations/{organisation.slug}/historique/"

    anonymous = client.get(page).content.decode()
    assert claim in anonymous
    assert history not in anonymous

    moderator = User.objects.create_user("moderatrice", password="mot-de-passe-solide-2026")
    moderator.groups.add(Group.objects.get(name=MODERATOR.group))
    client.force_login(moderator)
    as_moderator = client.get(page).content.decode()
    assert history in as_moderator
    # A moderator may already edit the listing: nothing to claim.
    assert claim not in as_moderator


def test_a_pending_claim_replaces_the_claim_button(client):
    organisation = make_organisation("La Recyclerie de Wazemmes", siret="77567122500016")
    person = User.objects.create_user("gerante")
    OrganisationClaim.objects.create(user=person, organisation=organisation, siret="77567122500016")
    client.force_login(person)

    page = client.get(f"/organisations/{organisation.slug}/").content.decode()

    assert "Votre revendication est en attente d" in page
    assert f"/organisations/{organisation.slug}/revendiquer/" not in page


def test_a_value_a_person_typed_since_the_import_is_not_credited_to_the_source(client):
    organisation = make_organisation(
        "Maison de l'ESS", website="https://mess.fr", phone="03 20 00 00 00", kinds=("reseau",)
    )
    provenance_for(
        organisation,
        name="Maison de l'ESS",
        website="https://ancien-site.example",
        phone="03 20 00 00 00",
        kinds=["reseau"],
    )

    detail = client.get(f"/organisations/{organisation.slug}/").context["detail"]

    assert detail.fact_sources["phone"] == "Tiers-lieux (ANCT)"
    assert detail.fact_sources["kinds"] == "Tiers-lieux (ANCT)"
    assert "website" not in detail.fact_sources  # a person changed it: "Saisi dans Cartess"


def test_a_value_typed_in_cartess_says_by_whom_and_when(client, world):
    organisation = world.member_a
    provenance_for(organisation, name=organisation.name, description="Maraîchage en insertion.")
    editor = Client()
    editor.force_login(world.users["editeur A"])
    editor.post(
        f"/organisations/{organisation.slug}/modifier/",
        {"description": "Maraîchage bio en insertion.", "email": "contact@jardins.fr"},
    )
    today = timezone.localdate()

    detail = client.get(f"/organisations/{organisation.slug}/").context["detail"]

    assert detail.typed_by["description"].who == "le réseau"
    assert timezone.localtime(detail.typed_by["email"].date).date() == today
    assert "description" not in detail.fact_sources  # typed since: not the source's
    html = client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert "Saisi par le réseau, le" in html


def test_a_network_page_lists_its_many_members_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    network = make_organisation("APES", kinds=("reseau",))
    members = [make_organisation(f"Coopérative membre {index}") for index in range(25)]
    for member in members:
        NetworkMembership.objects.create(network=network, member=member)

    with django_assert_max_num_queries(13):
        html = client.get(f"/organisations/{network.slug}/").content.decode()

    for member in members:
        assert f'<a href="/organisations/{member.slug}/">{member.name}</a>' in html

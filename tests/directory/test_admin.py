"""The Django admin as a city officer uses it: every page opens, lists stay cheap, maps show."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from pytest_django.asserts import assertContains, assertNotContains

from cartography.models import (
    AreaKind,
    NeedProposal,
    PipelineEvent,
    PlaceService,
    PlaceServiceKind,
    PlaceSpace,
    PremisesNeed,
    PremisesNote,
    ReferenceArea,
)
from directory.models import (
    FreshnessReminder,
    GeocodingQuality,
    LegalFamily,
    LinkCheck,
    NetworkEditor,
    NetworkMembership,
    NetworkMembershipRequest,
    Organisation,
    OrganisationClaim,
    OrganisationEditor,
    OrganisationKind,
    Provenance,
    RemovalRequest,
    Sector,
    Source,
    Suggestion,
)
from directory.reader_tokens import reader_api_token_create
from directory.services import network_api_token_create
from importers.models import (
    DuplicateCandidate,
    FieldDisagreement,
    GeocodingCacheEntry,
    ImportRejection,
    ImportRun,
    RunStatus,
)
from tests.factories import (
    FIVES,
    HELLEMMES,
    LILLE_CENTRE,
    LOMME,
    WAZEMMES,
    lille_square,
    make_funding_scheme,
    make_organisation,
    make_premises,
    make_support_offer,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)

#: Queries of the organisation changelist: session, user, five for the filters, two counts,
#: the points of the overview map,
#: the page and its kinds; the same for 1 row or 50.
ORGANISATION_CHANGELIST_QUERIES = 12


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def seeded(moulins_point):
    """One record of each kind, linked together as the importers would link them."""
    source = Source.objects.create(
        slug="tiers-lieux", name="Tiers-lieux des Hauts-de-France", licence="Licence Ouverte 2.0"
    )
    apes = make_organisation("APES Hauts-de-France", kinds=("reseau",), acronym="APES")
    mess = make_organisation(
        "Maison de l'ESS", kinds=("tiers-lieu", "accompagnement"), location=moulins_point
    )
    NetworkMembership.objects.create(network=apes, member=mess)
    NetworkMembershipRequest.objects.create(network=apes, member=mess)
    area = ReferenceArea.objects.create(
        kind=AreaKind.COMMUNE, code="59350", name="Lille", geometry=lille_square()
    )
    make_funding_scheme("Fonds Lille ESS").funders.add(apes)
    make_support_offer("Incubateur de la MESS", provider=mess).territory_areas.add(area)
    site = make_premises("Friche Saint-Sauveur", third_place=mess)
    officer = User.objects.create_user("agent-ville")
    PremisesNote.objects.create(premises=site, text="Visite le 3 mars", author=officer)
    PipelineEvent.objects.create(
        premises=site, from_stage="identifie", to_stage="qualifie", author=officer
    )
    need = PremisesNeed.objects.create(
        title="Recyclerie", contact_name="Lou", contact_email="lou@example.org"
    )
    NeedProposal.objects.create(need=need, premises=site, author=officer)
    PlaceService.objects.create(
        organisation=mess, kind=PlaceServiceKind.objects.get(slug="salles"), price="15 €"
    )
    PlaceSpace.objects.create(organisation=mess, name="Salle Nelson", surface_m2=40, capacity=20)
    run = ImportRun.objects.create(source=source, status=RunStatus.SUCCEEDED, rejected_count=1)
    ImportRejection.objects.create(run=run, row_number=7, reason="Commune hors du territoire")
    GeocodingCacheEntry.objects.create(
        key="0" * 64, query="235 boulevard Paul Painlevé 59000", citycode="59350", found=True
    )
    now = timezone.now()
    provenance = Provenance.objects.create(
        source=source,
        external_id="TL-0042",
        record=mess,
        content_hash="0" * 64,
        raw={"nom": "Maison de l'ESS"},
        first_seen_at=now,
        last_seen_at=now,
        last_run=run,
    )
    DuplicateCandidate.objects.create(
        organisation_a=apes, organisation_b=mess, similarity=0.6, distance_m=40.0
    )
    FieldDisagreement.objects.create(
        provenance=provenance,
        field="name",
        current_value="Maison de l'ESS",
        incoming_value="MESS Lille",
    )
    Group.objects.create(name="Chargés de mission ESS")
    editor = User.objects.create_user("editrice-apes")
    NetworkEditor.objects.create(user=editor, network=apes)
    Suggestion.objects.create(kind="correction", organisation=mess, message="Horaires changés.")
    claim = OrganisationClaim.objects.create(user=editor, organisation=mess, siret="77567122500016")
    OrganisationEditor.objects.create(user=editor, organisation=mess, claim=claim)
    EmailAddress.objects.create(user=editor, email="contact@apes-hdf.org", verified=True)
    RemovalRequest.objects.create(organisation=mess, requested_by=editor, reason="Fermée.")
    FreshnessReminder.objects.create(
        user=editor,
        organisation=mess,
        role="responsable",
        sent_on=timezone.localdate() - timedelta(days=30),
    )
    LinkCheck.objects.create(
        url="https://mess.example.org/", checked_at=timezone.now(), outcome="casse", status_code=404
    )
    network_api_token_create(network=apes, name="CRM", user=editor)
    reader_api_token_create(user=editor, name="QGIS")
    AccessAttempt.objects.create(
        username="editrice-apes",
        ip_address="192.0.2.10",
        user_agent="Firefox",
        failures_since_start=2,
    )
    AccessFailureLog.objects.create(
        username="editrice-apes", ip_address="192.0.2.10", user_agent="Firefox"
    )
    app.configure_task("importers.jobs_housekeeping").defer(timestamp=0)  # a background job
    return {"source": source, "network": apes, "organisation": mess, "run": run}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_changelist_opens_for_a_superuser(admin_client, seeded, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_record_page_opens_for_a_superuser(admin_client, seeded, model):
    obj = model._default_manager.first()
    assert obj is not None, f"the fixture has no {model._meta.label}"
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_add_pages_open_where_adding_by_hand_makes_sense(admin_client, admin_user, model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin_user
    expected = 200 if model_admin.has_add_permission(request) else 403
    assert admin_client.get(admin_url(model, "add")).status_code == expected


def test_admin_is_titled_in_french(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assertContains(response, "Administration de Cartess")


def make_twenty_organisations() -> None:
    families = list(LegalFamily.objects.all())
    sectors = list(Sector.objects.all())
    places = [LILLE_CENTRE, WAZEMMES, FIVES, HELLEMMES, LOMME]
    for number in range(20):
        organisation = make_organisation(
            f"Coopérative n° {number}",
            kinds=("entreprise-ess", "siae"),
            location=places[number % 5].clone() if number % 4 else None,
            legal_family=families[number % len(families)],
        )
        organisation.sectors.set(sectors[number % 3 : number % 3 + 2])


def test_organisation_changelist_costs_the_same_for_twenty_rows(
    admin_client, django_assert_max_num_queries
):
    make_twenty_organisations()

    with django_assert_max_num_queries(ORGANISATION_CHANGELIST_QUERIES):
        response = admin_client.get(admin_url(Organisation, "changelist"))

    assertContains(response, "Coopérative n° 19")
    assertContains(response, "Entreprise de l&#x27;ESS, Structure d&#x27;insertion (SIAE)")


def test_organisation_changelist_filters_what_is_on_the_map(admin_client):
    make_organisation("Sur la carte", location=FIVES.clone())
    make_organisation("Sans adresse connue")
    url = admin_url(Organisation, "changelist")

    on_map = admin_client.get(url, {"sur_la_carte": "oui"})
    assertContains(on_map, "Sur la carte")
    assertNotContains(on_map, "Sans adresse connue")
    off_map = admin_client.get(url, {"sur_la_carte": "non"})
    assertContains(off_map, "Sans adresse connue")


def test_organisation_changelist_filters_by_commune(admin_client):
    make_organisation("Atelier de Lomme", insee_code="59355", city="Lomme")
    make_organisation("Atelier de Lille")
    url = admin_url(Organisation, "changelist")

    response = admin_client.get(url, {"commune": "59355"})

    assertContains(response, "Lomme (59355)")
    assertContains(response, "Atelier de Lomme")
    assertNotContains(response, "Atelier de Lille")


@pytest.mark.parametrize("typed", ["41234567800019", "412 345 678 00019"])
def test_search_by_siret_finds_the_organisation(admin_client, typed):
    make_organisation("Les Ateliers de la Solidarité", siren="412345678", siret="41234567800019")
    make_organisation("Autre association", siren="398765432", siret="39876543200011")

    response = admin_client.get(admin_url(Organisation, "changelist"), {"q": typed})

    assertContains(response, "Les Ateliers de la Solidarité")
    assertNotContains(response, "Autre association")


def test_organisation_page_edits_the_point_on_a_leaflet_map(admin_client, moulins_point):
    organisation = make_organisation("Maison de l'ESS", location=moulins_point)

    response = admin_client.get(admin_url(Organisation, "change", organisation.pk))

    assertContains(response, 'id="id_location-map"')
    assertContains(response, "leaflet/leaflet.js")
    assertContains(response, 'name="location"')
    assertContains(response, "3.0727")


def test_organisation_page_shows_where_the_record_came_from(admin_client, seeded):
    organisation = seeded["organisation"]

    response = admin_client.get(admin_url(Organisation, "change", organisation.pk))

    assertContains(response, "TL-0042")
    assertContains(response, "Tiers-lieux des Hauts-de-France")
    assertContains(response, "APES Hauts-de-France")  # its network, in the membership inline


def test_a_network_page_lists_its_members(admin_client, seeded):
    response = admin_client.get(admin_url(Organisation, "change", seeded["network"].pk))

    assertContains(response, "Membres du réseau")
    assertContains(response, "Maison de l&#x27;ESS")


def organisation_form(organisation: Organisation, user, **changes):
    model_admin = admin.site._registry[Organisation]
    request = RequestFactory().get("/")
    request.user = user
    form_class = model_admin.get_form(request, organisation, change=True)
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kinds": [kind.pk for kind in organisation.kinds.all()],
        "ess_status": organisation.ess_status,
        "publication_status": organisation.publication_status,
        "location": organisation.location.geojson if organisation.location else "",
        "geocoding_quality": organisation.geocoding_quality,
        "geocoding_score": organisation.geocoding_score or "",
        **changes,
    }
    return form_class(data=data, instance=organisation)


def test_a_point_moved_by_hand_is_recorded_as_placed_by_hand(admin_user, moulins_point):
    organisation = make_organisation(
        "Maison de l'ESS", location=moulins_point, geocoding_score=0.62
    )

    form = organisation_form(organisation, admin_user, location=FIVES.geojson)

    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.geocoding_quality == GeocodingQuality.MANUAL
    assert saved.geocoding_score is None
    assert saved.location.equals_exact(FIVES, tolerance=1e-6)


def test_a_removed_point_leaves_the_map_without_error(admin_user, moulins_point):
    organisation = make_organisation("Maison de l'ESS", location=moulins_point)

    form = organisation_form(organisation, admin_user, location="")

    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.location is None
    assert saved.geocoding_quality == ""


def test_the_admin_form_refuses_a_persons_contacts_and_publishes_the_structures(admin_user):
    """The one personal-data rule holds in the admin too (issue 13)."""
    organisation = make_organisation("Maison de l'ESS")

    refused = organisation_form(
        organisation, admin_user, email="jeanne.dupont@gmail.com", phone="06 12 34 56 78"
    )
    assert not refused.is_valid()
    assert "celle d'une personne" in refused.errors["email"][0]
    assert refused.errors["phone"][0].startswith("Numéro de mobile")
    assert refused["email"].value() == "jeanne.dupont@gmail.com"

    accepted = organisation_form(
        organisation, admin_user, email="Contact@maison-ess.fr", phone="0320123456"
    )
    assert accepted.is_valid(), accepted.errors
    saved = accepted.save()
    assert (saved.email, saved.phone) == ("contact@maison-ess.fr", "03 20 12 34 56")


def test_staff_make_any_organisation_a_place_of_the_ess(admin_client, admin_user, client):
    # Issue 17: "any organisation can be a place", not only the seed's and the tiers-lieux.
    maison = make_organisation("Maison de quartier Wazemmes", email="accueil@mq-wazemmes.fr")
    page = admin_client.get(admin_url(Organisation, "change", maison.pk))
    assertContains(page, 'name="place_roles" value="lieu-ressource"')
    assert client.get(f"/organisations/{maison.slug}/demander-un-espace/").status_code == 404

    form = organisation_form(maison, admin_user, place_roles=["lieu-totem", "lieu-ressource"])
    assert form.is_valid(), form.errors
    form.save()

    maison.refresh_from_db()
    assert maison.place_roles == ["lieu-ressource", "lieu-totem"]
    assert maison.place_source == ""  # a person's decision, no document behind it
    assert maison.name in client.get("/lieux/", {"totem": "on"}).content.decode()
    assert client.get(f"/organisations/{maison.slug}/demander-un-espace/").status_code == 200


def test_a_place_role_taken_back_in_the_admin_clears_its_source(admin_user):
    mres = make_organisation(
        "MRES", place_roles=["lieu-ressource", "lieu-totem"], place_source="Stratégie ESS"
    )
    form = organisation_form(mres, admin_user, place_roles=["lieu-ressource"])
    assert form.is_valid(), form.errors
    form.save()
    mres.refresh_from_db()
    assert (mres.place_roles, mres.place_source) == (["lieu-ressource"], "")
    # Untouched roles keep their source.
    mres.place_source = "Stratégie ESS"
    mres.save(update_fields=["place_source"])
    form = organisation_form(mres, admin_user, place_roles=["lieu-ressource"], name="MRES Lille")
    assert form.is_valid(), form.errors
    assert form.save().place_source == "Stratégie ESS"


def test_premises_and_areas_are_edited_on_leaflet_maps(admin_client, seeded):
    premises = seeded["organisation"].spaces.get()
    area = ReferenceArea.objects.get()

    premises_page = admin_client.get(admin_url(premises._meta.model, "change", premises.pk))
    area_page = admin_client.get(admin_url(ReferenceArea, "change", area.pk))

    assertContains(premises_page, 'id="id_location-map"')
    assertContains(premises_page, 'id="id_footprint-map"')
    assertContains(area_page, 'id="id_geometry-map"')


def test_premises_page_keeps_staff_only_fields_apart(admin_client, seeded):
    premises = seeded["organisation"].spaces.get()

    response = admin_client.get(admin_url(premises._meta.model, "change", premises.pk))

    assertContains(response, "Réservé aux services de la Ville")


def test_schemes_filter_by_whether_they_are_open_today(admin_client):
    today = timezone.localdate()
    make_funding_scheme("Appel à projets clos", closes_on=today - timedelta(days=1))
    make_funding_scheme("Appel à projets ouvert", closes_on=today + timedelta(days=30))
    make_funding_scheme("Prêt d'honneur permanent")
    url = reverse("admin:directory_fundingscheme_changelist")

    response = admin_client.get(url, {"ouverture": "ouvert"})

    assertContains(response, "Appel à projets ouvert")
    assertContains(response, "Prêt d&#x27;honneur permanent")
    assertNotContains(response, "Appel à projets clos")
    closed = admin_client.get(url, {"ouverture": "clos"})
    assertContains(closed, "Appel à projets clos")
    assertNotContains(closed, "Appel à projets ouvert")


def test_import_history_shows_counts_and_rejections_read_only(admin_client, seeded):
    run = seeded["run"]

    changelist = admin_client.get(admin_url(ImportRun, "changelist"))
    page = admin_client.get(admin_url(ImportRun, "change", run.pk))

    assertContains(changelist, "Tiers-lieux des Hauts-de-France")
    assertContains(page, "Commune hors du territoire")
    assertNotContains(page, 'name="_save"')
    rejections = admin_client.get(admin_url(ImportRejection, "changelist"), {"run__exact": run.pk})
    assertContains(rejections, "Commune hors du territoire")


def test_an_import_page_shows_the_first_rejections_only(admin_client, seeded):
    run = seeded["run"]
    ImportRejection.objects.bulk_create(
        ImportRejection(run=run, row_number=1000 + n, reason=f"Ligne refusée {n}")
        for n in range(150)
    )

    page = admin_client.get(admin_url(ImportRun, "change", run.pk))

    assertContains(page, "Commune hors du territoire")  # row 7 comes first
    assertContains(page, "Ligne refusée 98")
    assertNotContains(page, "Ligne refusée 99<")


def test_provenance_links_back_to_its_record(admin_client, seeded):
    provenance = Provenance.objects.get()
    organisation_type = ContentType.objects.get_for_model(Organisation)
    assert provenance.content_type == organisation_type

    response = admin_client.get(admin_url(Provenance, "change", provenance.pk))

    assertContains(response, admin_url(Organisation, "change", seeded["organisation"].pk))


def test_taxonomies_are_listed_in_their_order(admin_client):
    response = admin_client.get(admin_url(OrganisationKind, "changelist"))

    content = response.content.decode()
    positions = [content.index(name) for name in ("Accompagnement", "Financeur", "Tiers-lieu")]
    assert positions == sorted(positions)


def map_features(response) -> list[dict]:
    return response.context["map_features"]["features"]


def test_organisation_changelist_maps_the_selected_organisations(admin_client):
    make_organisation("Tiers-lieu de Fives", kinds=("tiers-lieu",), location=FIVES.clone())
    make_organisation("SIAE de Lomme", kinds=("siae",), location=LOMME.clone())
    make_organisation("Tiers-lieu sans adresse", kinds=("tiers-lieu",))
    third_place = OrganisationKind.objects.get(slug="tiers-lieu")

    everything = admin_client.get(admin_url(Organisation, "changelist"))
    third_places = admin_client.get(
        admin_url(Organisation, "changelist") + f"?kinds__id__exact={third_place.pk}"
    )

    assert sorted(f["properties"]["name"] for f in map_features(everything)) == [
        "SIAE de Lomme",
        "Tiers-lieu de Fives",
    ]
    [fives] = map_features(third_places)
    assert fives["properties"]["name"] == "Tiers-lieu de Fives"
    assert fives["geometry"] == {"type": "Point", "coordinates": [FIVES.x, FIVES.y]}
    assertContains(third_places, 'id="organisations-features"')
    assertContains(third_places, "1 organisation de cette sélection sur la carte")


def test_an_import_page_sums_up_the_run_in_french(admin_client, seeded):
    run = seeded["run"]
    run.parameters = {
        "rows_read": 40,
        "out_of_territory": 3,
        "set_aside": {"associations dissoutes ou supprimées (position D, S)": 5},
        "details": ["Lus aussi : 12 unités légales."],
        "warnings": ["W595000001 : latitude et longitude inversées, corrigées"],
    }
    run.save()

    page = admin_client.get(admin_url(ImportRun, "change", run.pk))

    assertContains(page, "<li>40 lignes lues, 3 hors territoire</li>", html=True)
    assertContains(page, "écartés : 5 associations dissoutes ou supprimées (position D, S)")
    assertContains(page, "Lus aussi : 12 unités légales.")
    assertContains(page, "à vérifier : W595000001 : latitude et longitude inversées, corrigées")

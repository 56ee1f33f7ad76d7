"""Confidential means confidential everywhere (issue 14): every URL of the site and of the
admin, asked as each role, never shows a site's owner, internal notes or pipeline (nor the
land workspace's notes, needs and proposals) to anybody but the city services and
superusers, and never answers 500.

The admin is walked model by model (changelist, add, change, history, each old version,
delete) with real ids; the site's URLs come from the resolver with their parameters filled
from real records. Unique markers stand for the confidential values.
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cartography.models import Premises
from cartography.services import (
    NeedData,
    need_create,
    need_proposal_create,
    premises_note_add,
    premises_stage_move,
)
from directory.models import Organisation, OrganisationEditor
from importers.models import JobOrigin, NetworkImportJob
from tests.factories import (
    FIVES,
    PUBLISHED,
    make_funding_scheme,
    make_organisation,
    make_premises,
    make_support_offer,
    make_user,
)
from tests.roles import world  # noqa: F401

pytestmark = pytest.mark.django_db

OWNER = "MARQUEUR-PROPRIO-7f3a"
OLD_OWNER = "MARQUEUR-ANCIEN-PROPRIO-2b9c"
NOTES = "MARQUEUR-NOTES-INTERNES-41d0"
STAFF_NOTE = "MARQUEUR-NOTE-DATEE-88e1"
PIPELINE_NOTE = "MARQUEUR-SUIVI-5c27"
PROPOSAL_NOTE = "MARQUEUR-PROPOSITION-9a64"
NEED_CONTACT = "marqueur.contact-3e5f@example.org"
SECRETS = (OWNER, OLD_OWNER, NOTES, STAFF_NOTE, PIPELINE_NOTE, PROPOSAL_NOTE, NEED_CONTACT)

#: Who may see them; everybody else must not.
ALLOWED = ("ville", "superuser")


@dataclass
class Land:
    site: Premises
    host: Organisation
    users: dict
    slugs: dict[str, str]
    ints: dict[str, list[int]]
    #: Other parameters: name -> the value that stands for it.
    words: dict[str, str]


@pytest.fixture
def land(world) -> Land:  # noqa: F811 (the fixture of tests.roles)
    users = dict(world.users)
    users["ville"].is_staff = True
    users["ville"].save()
    owner = make_user("proprietaire-fives")
    OrganisationEditor.objects.create(user=owner, organisation=world.member_a)
    users["proprietaire"] = owner
    host = make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    site = make_premises(
        "Atelier partagé de Fives Cail",
        third_place=host,
        publication_status=PUBLISHED,
        owner_name=OLD_OWNER,
        internal_notes=NOTES,
        surface_m2=300,
    )
    site.owner_name = OWNER  # the history now holds the old owner, then the new one
    site.save()
    agent = users["ville"]
    premises_note_add(premises=site, text=STAFF_NOTE, author=agent)
    premises_stage_move(premises=site, to_stage="qualifie", note=PIPELINE_NOTE, author=agent)
    need = need_create(
        data=NeedData(title="Recyclerie", contact_name="Lou", contact_email=NEED_CONTACT)
    )
    need_proposal_create(need=need, premises=site, note=PROPOSAL_NOTE, author=agent)
    scheme = make_funding_scheme("Fonds amorçage ESS", publication_status=PUBLISHED)
    offer = make_support_offer("Incubateur ESS de Lille", publication_status=PUBLISHED)
    slugs = {
        "organisations/": world.member_a.slug,
        "reseaux/": world.network_a.slug,
        "financements/": scheme.slug,
        "accompagnements/": offer.slug,
        "foncier/tiers-lieux/": host.slug,
        "foncier/": site.slug,
        "api/v1/networks/": world.network_a.slug,
    }
    ints = {
        "pk": [need.pk],
        "history_id": [
            *site.history.values_list("history_id", flat=True),
            *world.member_a.history.values_list("history_id", flat=True),
        ],
    }
    job = NetworkImportJob.objects.create(
        network=world.network_a, user=users["editeur A"], origin=JobOrigin.UPLOAD
    )
    # A reminder's link and a sign-up's confirmation key: false ones (their pages say so).
    words = {
        "<uuid:job>": str(job.public_id),
        "<str:job>": str(job.public_id),  # the API's paths take any value, for a JSON 404
        "<str:action>": "a-jour",
        "<str:token>": "jeton",
        "<section>": "organisations",  # a sitemap's section (config/seo.py)
    }
    return Land(site, host, users, slugs, ints, words)


def site_urls(land: Land) -> list[str]:
    """Every URL of the site but the admin, each parameter filled with a real record's."""
    urls = []

    def fill(route: str) -> list[str]:
        slug = next((v for k, v in land.slugs.items() if route.startswith(k)), "inconnu")
        routes = [route.replace("<slug:slug>", slug).replace("<str:slug>", slug)]
        for name, values in land.ints.items():
            if f"<int:{name}>" in route:
                routes = [r.replace(f"<int:{name}>", str(v)) for r in routes for v in values]
        for name, value in land.words.items():
            routes = [r.replace(name, value) for r in routes]
        # A regular expression's route (django-allauth's): its groups filled with a word.
        routes = [re.sub(r"\(\?P<\w+>[^)]*\)", "cle", r).strip("^$") for r in routes]
        routes = [r.replace("^", "").replace("$", "") for r in routes]
        return [r.replace("<uidb64>", "MQ").replace("<token>", "jeton") for r in routes]

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith("admin/"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                urls.extend("/" + url for url in fill(route))

    walk(get_resolver().url_patterns)
    assert not [url for url in urls if "<" in url], "a parameter the walk cannot fill"
    return sorted(set(urls))


def admin_urls() -> list[str]:
    """The admin's index, its app pages, and for every registered model its list, add
    form, and, on a real record, its change form, history, each old version and delete."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse("admin:app_list", args=[model._meta.app_label]))
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        record = model._default_manager.order_by("pk").first()
        if record is None:
            continue
        for view in ("change", "history", "delete"):
            urls.append(reverse(f"{name}_{view}", args=[record.pk]))
        if hasattr(model_admin, "history_form_view"):
            for version in record.history.values_list("history_id", flat=True):
                urls.append(reverse(f"{name}_simple_history", args=[record.pk, version]))
    return sorted(set(urls))


def walk_as(user: User | None, urls: list[str]) -> dict[str, tuple[int, str]]:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    answers = {}
    for url in urls:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        answers[url] = (response.status_code, body.decode("utf-8", errors="replace"))
    return answers


@pytest.mark.parametrize(
    "role",
    ["anonyme", "utilisateur", "proprietaire", "editeur A", "moderateur", "ville", "superuser"],
)
def test_no_role_but_the_city_services_ever_sees_a_confidential_value(land, role):
    urls = site_urls(land) + admin_urls()
    assert len(urls) > 150
    answers = walk_as(land.users[role], urls)
    errors = [url for url, (status, _body) in answers.items() if status >= 500]
    assert not errors, f"500 for {role} at {errors}"
    seen = {
        secret: url for url, (_s, body) in answers.items() for secret in SECRETS if secret in body
    }
    if role in ALLOWED:
        # The walk reaches the values: the people allowed see each of them somewhere.
        assert set(seen) == set(SECRETS), set(SECRETS) - set(seen)
    else:
        assert not seen, f"{role} sees {seen}"


def post_the_form(client: Client, url: str, land: Land, **changes: str):
    """POST the admin form `url` shows, as it shows it, with `changes` (forged fields too)."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"location": land.site.location.geojson, "footprint": ""}
    inline = "importers-provenance-content_type-object_id"
    data |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    return form, client.post(url, data | changes)


def test_a_moderator_edits_a_site_s_public_facts_without_its_confidential_ones(land):
    client = Client()
    client.force_login(land.users["moderateur"])
    url = reverse("admin:cartography_premises_change", args=[land.site.pk])
    form, response = post_the_form(
        client, url, land, surface_m2="320", owner_name="Forgé", internal_notes="Forgé"
    )
    assert not {"owner_name", "internal_notes", "pipeline_stage"} & set(form.fields)
    assert "surface_m2" in form.fields
    assert response.status_code == 302
    land.site.refresh_from_db()
    assert land.site.surface_m2 == 320
    assert (land.site.owner_name, land.site.internal_notes) == (OWNER, NOTES)


def test_the_admin_s_search_filters_and_autocomplete_are_no_oracle(land):
    moderator, agent = Client(), Client()
    moderator.force_login(land.users["moderateur"])
    agent.force_login(land.users["ville"])
    changelist = reverse("admin:cartography_premises_changelist")
    assert agent.get(changelist, {"q": OWNER}).context["cl"].result_count == 1
    assert moderator.get(changelist, {"q": OWNER}).context["cl"].result_count == 0
    # A lookup on a confidential field in the URL is refused, not answered.
    assert moderator.get(changelist, {"owner_name__icontains": "MARQUEUR"}).status_code == 400
    assert moderator.get(changelist, {"pipeline_stage": "qualifie"}).status_code == 400
    autocomplete = {
        "app_label": "cartography",
        "model_name": "pipelineevent",
        "field_name": "premises",
        "term": OWNER,
    }
    assert agent.get("/admin/autocomplete/", autocomplete).json()["results"]
    refused = moderator.get("/admin/autocomplete/", autocomplete)
    assert refused.status_code == 403 or not refused.json()["results"]


def test_a_moderator_s_revert_keeps_today_s_confidential_values(land):
    client = Client()
    client.force_login(land.users["moderateur"])
    first = land.site.history.order_by("history_id").first()
    url = reverse("admin:cartography_premises_simple_history", args=[land.site.pk, first.pk])
    assert OLD_OWNER not in client.get(url).content.decode()
    _form, response = post_the_form(client, url, land)
    assert response.status_code == 302
    land.site.refresh_from_db()
    assert land.site.owner_name == OWNER  # not the old version's
    assert land.site.internal_notes == NOTES

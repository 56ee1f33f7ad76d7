"""A network editor updates their members with the CSV template: preview, then confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from directory.models import (
    NetworkMembership,
    NetworkMembershipRequest,
    Organisation,
    Provenance,
)
from importers.engine import services as import_services
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.web import uploads

pytestmark = pytest.mark.django_db

SIRET_A = "50100001200010"  # Les Jardins de Fives, member of network A
SIRET_B = "44100002300016"  # La Recyclerie de Wazemmes, member of network B only
SIRET_NEW = "77500001200010"
RNA = "W595000123"
HEADER = "reseau,nom,siret,adresse,code_postal,commune,code_insee,types\n"


@pytest.fixture(autouse=True)
def upload_root(tmp_path, monkeypatch):
    root = tmp_path / "uploads"
    monkeypatch.setattr(uploads, "UPLOAD_ROOT", root)
    return root


@pytest.fixture
def members(world):
    Organisation.objects.filter(pk=world.member_a.pk).update(siret=SIRET_A, siren=SIRET_A[:9])
    Organisation.objects.filter(pk=world.member_b.pk).update(siret=SIRET_B, siren=SIRET_B[:9])
    return world


def url(world, suffix: str = "") -> str:
    return f"/reseaux/{world.network_a.slug}/import/{suffix}"


def row(network: str, name: str, siret: str = "", street: str = "", kinds: str = "") -> str:
    return f"{network},{name},{siret},{street},59000,Lille,59350,{kinds}\n"


def member_file(world) -> str:
    slug = world.network_a.slug
    return (
        HEADER
        + row(slug, "Café solidaire de Moulins", SIRET_NEW, "3 rue de Douai", "entreprise-ess")
        + row(slug, "Les Jardins de Fives", SIRET_A, "12 rue Pierre Legrand")
        + row(slug, "Coopérative mal typée", kinds="cooperative")
    )


def upload(content: str | bytes, name: str = "adherents.csv") -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def editor(client, world, role: str = "editeur A"):
    client.force_login(world.users[role])
    return client


def database_state() -> tuple:
    return (
        list(Organisation.objects.order_by("pk").values()),
        sorted(NetworkMembership.objects.values_list("network_id", "member_id")),
        Provenance.objects.count(),
        Organisation.history.count(),
    )


def preview(client, world, content) -> object:
    return client.post(url(world), {"file": upload(content)})


def confirm(client, world, response) -> object:
    return client.post(url(world, "confirmer/"), {"token": response.context["preview"].token})


# Permissions -----------------------------------------------------------------------------

ALLOWED = {"editeur A", "moderateur", "superuser"}
ROLES = ["anonyme", "utilisateur", "editeur A", "editeur B", "moderateur", "ville", "superuser"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_networks_editors_and_moderators_reach_the_upload_screen(client, members, role):
    user = members.users[role]
    if user is not None:
        client.force_login(user)
    before = database_state()
    answers = [
        client.get(url(members)),
        client.get(url(members, "modele.csv")),
        client.get(url(members, "notice/")),
        client.post(url(members), {"file": upload(member_file(members))}),
        client.post(url(members, "confirmer/"), {"token": "x"}),
    ]
    if role == "anonyme":
        for answer in answers:
            assert answer.status_code == 302
            assert answer["Location"].startswith("/compte/connexion/?next=")
    elif role in ALLOWED:
        assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 302]
    else:
        assert [answer.status_code for answer in answers] == [403] * 5
        assert database_state() == before


def test_the_template_and_its_documentation_are_served(client, members):
    editor(client, members)
    template = client.get(url(members, "modele.csv"))
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in template["Content-Disposition"]
    header, example = template.content.decode().splitlines()[:2]
    assert header.startswith("reseau,nom,siret,rna,")
    assert example.startswith(f"{members.network_a.slug},Exemple de structure adhérente")
    notice = client.get(url(members, "notice/"))
    # Written for the network's editors: HTML, no Markdown, no developer command.
    assertContains(notice, "<code>courriel</code>")
    assertContains(notice, f"<code>{members.network_a.slug}</code>")
    assert "manage.py" not in notice.content.decode()
    assert "**" not in notice.content.decode()
    page = client.get(url(members))
    assertContains(page, url(members, "modele.csv"))
    assertContains(page, url(members, "notice/"))


def test_the_network_page_links_to_the_upload_screen_for_its_editors(client, members):
    page = f"/reseaux/{members.network_a.slug}/"
    assertNotContains(client.get(page), url(members))
    assertContains(editor(client, members).get(page), url(members))


# Dry run ---------------------------------------------------------------------------------


def test_the_preview_shows_each_row_and_writes_nothing(client, members):
    editor(client, members)
    before = database_state()
    response = preview(client, members, member_file(members))
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["preview"].rows}
    assert rows["Café solidaire de Moulins"].status == "new"
    changed = rows["Les Jardins de Fives"]
    assert changed.status == "changed", changed.reason
    changes = {change.label: (change.old, change.new) for change in changed.changes}
    assert changes["adresse"] == ("", "12 rue Pierre Legrand")
    assert "nom" not in changes  # same name: nothing to show
    assert rows["Coopérative mal typée"].status == "rejected"
    assert rows["Coopérative mal typée"].reason.startswith("type inconnu : cooperative")
    assertContains(response, "<caption>Ce que le fichier changerait, ligne par ligne</caption>")
    assertContains(response, '<th scope="col">Adhérent</th>', html=False)
    assertContains(response, "adresse : (vide) → 12 rue Pierre Legrand")
    assertContains(
        response,
        "1 nouvelles fiches, 1 modifiées, 0 inchangées, 1 lignes refusées, 0 hors territoire.",
    )
    assertContains(response, "Confirmer et appliquer le fichier")
    assert database_state() == before


def test_confirming_applies_the_previewed_file_with_its_history(client, members, upload_root):
    editor(client, members)
    response = preview(client, members, member_file(members))
    applied = confirm(client, members, response)
    assertRedirects(applied, url(members), fetch_redirect_response=False)
    page = client.get(url(members))
    assertContains(page, "Fichier appliqué : 1 fiches créées, 1 mises à jour, 0 inchangées")
    new = Organisation.objects.get(siret=SIRET_NEW)
    assert NetworkMembership.objects.filter(network=members.network_a, member=new).exists()
    member = Organisation.objects.get(pk=members.member_a.pk)
    assert member.street == "12 rue Pierre Legrand"
    assert member.description == "Maraîchage en insertion."  # not in the file: kept
    last = member.history.latest("history_date")
    assert last.history_change_reason == "import network-csv"
    assert last.history_user == members.users["editeur A"]
    assert Provenance.objects.filter(source__slug="network-csv").count() == 2
    assert not any(upload_root.iterdir())  # the kept file is gone
    assert not Organisation.objects.filter(name="Coopérative mal typée").exists()


def test_the_same_file_again_is_unchanged_and_a_token_serves_once(client, members):
    editor(client, members)
    first = preview(client, members, member_file(members))
    confirm(client, members, first)
    again = preview(client, members, member_file(members))
    statuses = [row.status for row in again.context["preview"].rows]
    assert statuses == ["unchanged", "unchanged", "rejected"]
    assertContains(again, "Ce fichier ne changerait rien")
    before = database_state()
    replay = confirm(client, members, first)
    assertContains(client.get(replay["Location"]), "Ce fichier n&#x27;est plus disponible")
    assert database_state() == before


def test_a_human_edit_is_not_overwritten_by_the_file(client, members):
    editor(client, members)
    confirm(client, members, preview(client, members, member_file(members)))
    Organisation.objects.filter(pk=members.member_a.pk).update(street="14 rue Pierre Legrand")
    content = member_file(members).replace("12 rue Pierre Legrand", "16 rue Pierre Legrand")
    response = preview(client, members, content)
    jardins = next(r for r in response.context["preview"].rows if r.name == "Les Jardins de Fives")
    assert jardins.status == "unchanged"
    confirm(client, members, response)
    assert Organisation.objects.get(pk=members.member_a.pk).street == "14 rue Pierre Legrand"


def test_a_latin1_semicolon_file_from_excel_works(client, members):
    editor(client, members)
    content = (
        "reseau;nom;siret;commune;code_insee;description\r\n"
        f"{members.network_a.slug};Crèche coopérative de Fives;{SIRET_NEW};Lille;59350;"
        "Accueil des tout-petits, éveil.\r\n"
    ).encode("cp1252")
    response = client.post(url(members), {"file": upload(content)})
    [only] = response.context["preview"].rows
    assert (only.name, only.status) == ("Crèche coopérative de Fives", "new")
    confirm(client, members, response)
    created = Organisation.objects.get(siret=SIRET_NEW)
    assert (created.name, created.description) == (
        "Crèche coopérative de Fives",
        "Accueil des tout-petits, éveil.",
    )


def test_a_file_changed_on_the_server_after_the_preview_is_not_applied(
    client, members, upload_root
):
    editor(client, members)
    response = preview(client, members, member_file(members))
    [kept] = upload_root.glob("*/*.csv")
    kept.write_text(HEADER + row(members.network_a.slug, "Intrus", SIRET_NEW), encoding="utf-8")
    before = database_state()
    page = client.get(confirm(client, members, response)["Location"])
    assertContains(page, "Ce fichier n&#x27;est plus disponible")
    assert database_state() == before


def test_another_persons_token_is_refused(client, members):
    editor(client, members)
    response = preview(client, members, member_file(members))
    other = Client()
    other.force_login(members.users["moderateur"])
    before = database_state()
    other.post(url(members, "confirmer/"), {"token": response.context["preview"].token})
    assert database_state() == before


# Hostile files ---------------------------------------------------------------------------

TOO_BIG = HEADER + "x" * (2 * 1024 * 1024)


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        ("<!DOCTYPE html><html><body>Connexion</body></html>", "a.csv", "page web (HTML)"),
        (TOO_BIG, "adherents.csv", "Fichier trop gros : 2 Mo au plus."),
        ("", "adherents.csv", "Le fichier est vide."),
        ("\r\n\r\n", "adherents.csv", "Le fichier est vide."),
        ("reseau;name\napes;Sans colonne nom\n", "a.csv", "colonnes manquantes nom"),
        (b"PK\x03\x04\x00\x00binary", "adherents.csv", "pas un texte CSV"),
        ("reseau,nom\napes,Un\n", "adherents.xlsx", "Envoyez un fichier .csv"),
    ],
)
def test_an_unusable_file_is_refused_with_its_reason_and_nothing_is_written(
    client, members, upload_root, content, name, reason
):
    editor(client, members)
    before = database_state()
    response = client.post(url(members), {"file": upload(content, name)})
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert reason in response.context["form"].errors["file"][0]
    assert database_state() == before
    assert not upload_root.exists() or not any(upload_root.iterdir())


def test_a_row_for_another_network_is_rejected(client, members):
    editor(client, members)
    content = member_file(members) + row(members.network_b.slug, "Intrus de la CRESS", SIRET_NEW)
    before = database_state()
    response = preview(client, members, content)
    intruder = next(r for r in response.context["preview"].rows if r.name == "Intrus de la CRESS")
    assert intruder.status == "rejected"
    assert intruder.reason.startswith("Ligne d'un autre réseau (CRESS Hauts-de-France)")
    assert database_state() == before
    confirm(client, members, response)
    assert not Organisation.objects.filter(name="Intrus de la CRESS").exists()
    assert not NetworkMembership.objects.filter(network=members.network_b).exclude(
        member=members.member_b
    )


def test_a_member_of_another_network_only_is_not_modified(client, members):
    editor(client, members)
    content = member_file(members) + row(
        members.network_a.slug, "Recyclerie récupérée", SIRET_B, "1 rue Volée"
    )
    response = preview(client, members, content)
    stolen = next(r for r in response.context["preview"].rows if r.name == "Recyclerie récupérée")
    assert stolen.status == "rejected"
    assert "(La Recyclerie de Wazemmes), hors de votre réseau" in stolen.reason
    before_b = list(Organisation.objects.filter(pk=members.member_b.pk).values())
    confirm(client, members, response)
    assert list(Organisation.objects.filter(pk=members.member_b.pk).values()) == before_b
    assert not NetworkMembership.objects.filter(
        network=members.network_a, member=members.member_b
    ).exists()
    # Issue 14: the match is a membership request, for La Recyclerie or a moderator.
    assert NetworkMembershipRequest.objects.filter(
        network=members.network_a, member=members.member_b, status="en-attente"
    ).exists()
    assert Organisation.objects.get(pk=members.member_a.pk).street == "12 rue Pierre Legrand"


def test_the_scope_rule_lives_in_the_importer(members, tmp_path):
    """The same rule holds for any caller of the engine that limits the run to a network."""
    path = tmp_path / "adherents.csv"
    path.write_text(
        HEADER
        + row(members.network_a.slug, "Recyclerie", SIRET_B, "1 rue Volée")
        + row(members.network_b.slug, "Autre", SIRET_NEW),
        encoding="utf-8",
    )
    report = source_import(slug="network-csv", path=path, scope=members.network_a)
    assert (report.created, report.updated, report.rejected) == (0, 0, 2)
    unscoped = source_import(slug="network-csv", path=path, dry_run=True)
    assert unscoped.rejected == 0  # the command, run by an administrator, is not scoped


def test_an_organisation_of_no_network_is_not_taken_over_but_asked(client, members):
    """Issue 14 (was: "an organisation of no network joins the uploaders"): the row matching
    a listing of no network by SIRET changes nothing of it and makes a membership request,
    which the preview announces and the confirmation records; the network's editor still
    cannot edit the listing until a moderator accepts."""
    loner = Organisation.objects.create(name="Ressourcerie", slug="ressourcerie", siret=SIRET_NEW)
    editor(client, members)
    content = HEADER + row(members.network_a.slug, "Ressourcerie", SIRET_NEW, "2 rue Neuve")
    before = database_state()
    response = preview(client, members, content)
    [only] = response.context["preview"].rows
    assert only.status == "rejected"
    assert "à la confirmation, une demande d'adhésion sera envoyée" in only.reason
    assert database_state() == before
    assert not NetworkMembershipRequest.objects.exists()
    assertContains(response, "hors de votre réseau")

    confirm(client, members, response)
    assert database_state()[:2] == before[:2]  # every field, every membership
    assert Provenance.objects.filter(object_id=loner.pk).count() == 0
    [asked] = NetworkMembershipRequest.objects.all()
    assert (asked.network, asked.member, asked.status) == (members.network_a, loner, "en-attente")
    assert client.get(f"/organisations/{loner.slug}/modifier/").status_code == 403

    moderator = Client()
    moderator.force_login(members.users["moderateur"])
    moderator.post(f"/moderation/adhesions/{asked.pk}/accepter/")
    assert NetworkMembership.objects.filter(network=members.network_a, member=loner).exists()
    assert client.get(f"/organisations/{loner.slug}/modifier/").status_code == 200
    # From now on the network's upload updates its member, under the human-edit rule.
    response = preview(client, members, content)
    [only] = response.context["preview"].rows
    assert only.status == "changed"
    confirm(client, members, response)
    assert Organisation.objects.get(pk=loner.pk).street == "2 rue Neuve"


def test_a_second_upload_does_not_ask_twice_and_a_refusal_stays(client, members, tmp_path):
    loner = Organisation.objects.create(name="Ressourcerie", slug="ressourcerie", siret=SIRET_NEW)
    path = tmp_path / "adherents.csv"
    path.write_text(HEADER + row(members.network_a.slug, "Ressourcerie", SIRET_NEW, "2 rue Neuve"))
    first = source_import(slug="network-csv", path=path, scope=members.network_a)
    second = source_import(slug="network-csv", path=path, scope=members.network_a)
    assert (first.rejected, second.rejected) == (1, 1)
    assert "attend la réponse" in second.rejections[0].reason
    [asked] = NetworkMembershipRequest.objects.all()
    moderator = Client()
    moderator.force_login(members.users["moderateur"])
    refused = moderator.post(
        f"/moderation/adhesions/{asked.pk}/refuser/", {"reason": "Pas adhérente"}
    )
    assert refused.status_code == 302
    third = source_import(slug="network-csv", path=path, scope=members.network_a)
    assert "a été refusée le" in third.rejections[0].reason
    assert "Pas adhérente" in third.rejections[0].reason
    assert list(NetworkMembershipRequest.objects.values_list("status", flat=True)) == ["refusee"]
    assert not NetworkMembership.objects.filter(member=loner).exists()
    assert Organisation.objects.get(pk=loner.pk).street == ""


def test_a_listing_of_no_network_matched_by_its_rna_is_asked_not_taken(members, tmp_path):
    """The same rule when the row names the listing by its RNA id rather than its SIRET."""
    loner = Organisation.objects.create(name="Vélorution Lille", slug="velorution", rna_id=RNA)
    before = list(Organisation.objects.filter(pk=loner.pk).values())
    path = tmp_path / "adherents.csv"
    path.write_text(
        "reseau,nom,rna,adresse,code_postal,commune,code_insee,site_web\n"
        f"{members.network_a.slug},Vélorution,{RNA},2 rue Neuve,59000,Lille,59350,"
        "https://evil.example\n"
    )
    report = source_import(slug="network-csv", path=path, scope=members.network_a)
    assert (report.created, report.updated, report.rejected) == (0, 0, 1)
    assert "hors de votre réseau" in report.rejections[0].reason
    assert list(Organisation.objects.filter(pk=loner.pk).values()) == before
    assert not NetworkMembership.objects.filter(member=loner).exists()
    [asked] = NetworkMembershipRequest.objects.all()
    assert (asked.network, asked.member, asked.status) == (members.network_a, loner, "en-attente")


# CSRF and escaping -----------------------------------------------------------------------


def test_the_posts_need_their_csrf_token(members):
    client = Client(enforce_csrf_checks=True)
    client.force_login(members.users["editeur A"])
    before = database_state()
    assert client.post(url(members), {"file": upload(member_file(members))}).status_code == 403
    assert client.post(url(members, "confirmer/"), {"token": "x"}).status_code == 403
    assert database_state() == before


def test_user_text_in_the_file_is_escaped(client, members):
    editor(client, members)
    payload = "<script>alert('cartess')</script>"
    content = HEADER + row(members.network_a.slug, payload, kinds=payload.replace(",", ""))
    response = client.post(url(members), {"file": upload(content, "<b>adherents</b>.csv")})
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;cartess&#x27;)&lt;/script&gt;" in body
    assert "<b>adherents" not in body


def test_a_run_that_fails_on_confirmation_leaves_the_database_as_it_was(
    client, members, monkeypatch
):
    def broken(**_options) -> int:
        raise ImportFailed("panne simulée")

    editor(client, members)
    response = preview(client, members, member_file(members))
    monkeypatch.setattr(import_services, "duplicate_candidates_refresh", broken)
    before = database_state()
    page = client.get(confirm(client, members, response)["Location"])
    assertContains(page, "panne simulée")
    assert database_state() == before


def test_a_member_outside_the_territory_is_shown_as_such_and_not_imported(client, members):
    slug = members.network_a.slug
    content = member_file(members) + (
        f"{slug},Coopérative de Marseille,,1 rue de la République,13001,Marseille,13055,\n"
    )
    response = preview(editor(client, members), members, content)

    outside = [row for row in response.context["preview"].rows if row.status == "outside"]
    assert [(row.number, row.name) for row in outside] == [(5, "Coopérative de Marseille")]
    assert response.context["preview"].counts["outside"] == 1
    assertContains(response, "1 hors territoire")
    assertContains(response, "adresse hors du territoire de Cartess")

    confirm(client, members, response)
    assert not Organisation.objects.filter(name="Coopérative de Marseille").exists()

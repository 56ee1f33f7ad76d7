"""Every page a browser walk visits (the axe-core walk, the phone-width walk): a small world
with one of each thing a page shows, the public pages and the staff pages, and how to log in.

`tests/test_page_walk.py` checks that every HTML page of the site is walked here or named as
left out (with why), so a new page joins the walks or says why not.
"""

from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.db import connections
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page

from directory.alerts.links import CONFIRM, MANAGE, UNSUBSCRIBE, alert_link_path
from directory.alerts.services import saved_search_confirm, saved_search_request
from directory.freshness.links import reminder_link_token
from directory.mobilisations.services import (
    MobilisationData,
    mobilisation_follow_token,
    mobilisation_refer,
    mobilisation_submit,
)
from directory.models import (
    FreshnessReminder,
    NetworkEditor,
    NetworkMembership,
    OrganisationClaim,
    PlaceRole,
    ReminderRole,
    Stage,
    Suggestion,
)
from directory.reader_tokens import reader_api_token_create, reader_api_token_revoke
from importers.engine.review import duplicate_candidates_refresh
from importers.models import DuplicateCandidate, JobOrigin, NetworkImportJob
from importers.web.jobs import PROGRESS_DB, network_job_run
from tests.factories import (
    FIVES,
    WAZEMMES,
    east_of,
    make_need,
    make_organisation,
    make_pathway_scheme,
    make_premises,
    make_support_offer,
)

PASSWORD = "un-mot-de-passe-solide"


def a_small_world() -> dict:
    """One of each thing a page shows, and a person who may see every staff page."""
    network = make_organisation("APES Hauts-de-France", kinds=("reseau",), acronym="APES")
    member = make_organisation(
        "La Coroutine",
        kinds=("tiers-lieu", "accompagnement"),
        location=WAZEMMES.clone(),
        description="Atelier vélo participatif.",
        website="https://coroutine.example.org",
        place_roles=[PlaceRole.THIRD_PLACE],  # it lends space: "Demander un espace"
    )
    NetworkMembership.objects.create(network=network, member=member)
    funder = make_organisation("Nord Actif", kinds=("financeur",), location=FIVES.clone())
    scheme = make_pathway_scheme(
        "Prêt d'honneur solidaire",
        stages=("amorcage", "consolidation"),
        instruments=("pret",),
        description="Un prêt sans intérêt.",
    )
    scheme.funders.add(funder)
    offer = make_support_offer("Incubateur ESS de Lille", description="Six mois d'incubation.")
    site = make_premises("Friche rue de Lannoy", location=FIVES.clone(), surface_m2=2400)
    need = make_need()
    person = User.objects.create_superuser("direction", "direction@example.org", PASSWORD)
    for name in ("Services de la Ville", "Modérateurs"):
        person.groups.add(Group.objects.get(name=name))
    NetworkEditor.objects.create(user=person, network=network)
    # A reader token in use and a revoked one: the list of /compte/jetons-sig/ shows both.
    reader_api_token_create(user=person, name="QGIS du poste urbanisme")
    old_token, _secret = reader_api_token_create(user=person, name="Ancien poste SIG")
    reader_api_token_revoke(token=old_token)
    suggestion = Suggestion.objects.create(
        kind="correction", organisation=member, message="Les horaires ont changé."
    )
    claimant = User.objects.create_user("porteuse", "porteuse@example.org", PASSWORD)
    claim = OrganisationClaim.objects.create(
        user=claimant, organisation=member, siret="77567122500016"
    )
    return (
        {
            "network": network.slug,
            "member": member.slug,
            "scheme": scheme.slug,
            "offer": offer.slug,
            "site": site.slug,
            "need": need.pk,
            "suggestion": suggestion.pk,
            "claim": claim.pk,
        }
        | email_tokens(person=person, claimant=claimant, member=member)
        | staff_records(person=person, network=network, member=member, funder=funder)
    )


def email_tokens(*, person: User, claimant: User, member) -> dict:
    """The tokens of the links the site e-mails, made by the helpers the views check them
    with: an alert awaiting confirmation and a confirmed one, a freshness reminder about
    `member` sent to `person` (who edits it), a password reset for `claimant`, the
    confirmation of a new account's address."""
    waiting = saved_search_request(email="lou@exemple.fr", page="parcours", query="stage=amorcage")
    followed = saved_search_request(email="sam@exemple.fr", page="financements", query="q=pret")
    saved_search_confirm(saved_search=followed)
    reminder = FreshnessReminder.objects.create(
        user=person, organisation=member, role=ReminderRole.NETWORK, sent_on=timezone.localdate()
    )
    newcomer = User.objects.create_user("nouvelle", "nouvelle@example.org", PASSWORD)
    address = EmailAddress.objects.create(user=newcomer, email=newcomer.email, primary=True)

    def alert(saved_search, action: str) -> str:
        with translation.override("fr"):
            path = alert_link_path(saved_search=saved_search, action=action)
        return resolve(path).kwargs["token"]

    return {
        "alert-confirm": alert(waiting, CONFIRM),
        "alert-manage": alert(followed, MANAGE),
        "alert-unsubscribe": alert(followed, UNSUBSCRIBE),
        "reminder-confirm": reminder_link_token(reminder=reminder, action="confirmer"),
        "reminder-edit": reminder_link_token(reminder=reminder, action="modifier"),
        "reset-uid": urlsafe_base64_encode(force_bytes(claimant.pk)),
        "reset-token": default_token_generator.make_token(claimant),
        "email-key": EmailConfirmationHMAC(address).key,
    }


def staff_records(*, person: User, network, member, funder) -> dict:
    """What the staff pages about one record need, made by the app's own services: a
    request to `funder` referred to `member` (and its holder's follow token), a suspected
    duplicate of `member`, a network file checked by the background job's code."""
    asked = mobilisation_submit(
        data=MobilisationData(
            organisation=funder,
            holder_name="Lou Martin",
            holder_email="lou@exemple.fr",
            project="Un atelier de réparation de vélos à Fives, en chantier d'insertion.",
            stage=Stage.objects.get(slug="amorcage"),
        )
    )
    mobilisation_refer(mobilisation=asked, to=member, note="Un lieu pour l'atelier ?")
    make_organisation("La Coroutine Lille", location=east_of(WAZEMMES, 30))
    duplicate_candidates_refresh()
    job = NetworkImportJob.objects.create(
        network=network,
        user=person,
        origin=JobOrigin.UPLOAD,
        filename="adherents.csv",
        content=(
            "reseau,nom,siret,commune,code_insee\n"
            f"{network.slug},Café solidaire de Moulins,77500001200010,Lille,59350\n"
            f"{network.slug},{member.name},,Lille,59350\n"
            f"{network.slug},Épicerie sans numéro,123,Lille,59350\n"
        ).encode(),
    )
    network_job_run(job_id=job.pk)  # as the worker does
    connections[PROGRESS_DB].close()  # the job's own connection, which the worker closes
    return {
        "mobilisation": asked.pk,
        "follow": mobilisation_follow_token(mobilisation=asked),
        "duplicate": DuplicateCandidate.objects.get().pk,
        "job": str(job.public_id),
    }


def public_pages(world: dict) -> list[str]:
    """What anybody reaches without an account, with the parameters that change a page."""
    member = world["member"]
    return [
        "/",
        "/carte/",
        "/annuaire/",
        "/annuaire/?q=velo",
        "/recherche/?q=velo",
        f"/organisations/{member}/",
        f"/organisations/{member}/mobiliser/",
        f"/organisations/{member}/demander-un-espace/",
        "/financements/",
        f"/financements/{world['scheme']}/",
        "/accompagnements/",
        f"/accompagnements/{world['offer']}/",
        "/lieux/",
        "/lieux/bail-utilite-sociale/",
        "/lieux/reseau/",
        "/parcours/",
        "/parcours/?stage=amorcage",
        "/contribuer/",
        "/contribuer/merci/",
        "/foncier/besoins/nouveau/",
        "/foncier/besoins/merci/",
        f"/reseaux/{world['network']}/",
        "/alertes/",
        "/alertes/demande-envoyee/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/compte/connexion/",
        "/compte/inscription/",
        "/compte/inscription/courriel-envoye/",
        "/compte/inactif/",
        "/compte/mot-de-passe/oubli/",
        "/compte/mot-de-passe/oubli/envoye/",
        "/compte/mot-de-passe/nouveau/termine/",
        # The pages of the links sent by e-mail (`email_tokens`); the password reset's
        # form, once `follow_email_links` opened its link.
        f"/alertes/confirmer/{world['alert-confirm']}/",
        f"/alertes/gerer/{world['alert-manage']}/",
        f"/alertes/desabonner/{world['alert-unsubscribe']}/",
        f"/fraicheur/confirmer/{world['reminder-confirm']}/",
        f"/fraicheur/modifier/{world['reminder-edit']}/",
        f"/compte/mot-de-passe/nouveau/{world['reset-uid']}/set-password/",
        f"/compte/confirmer/{world['email-key']}/",
        f"/demandes/suivi/{world['follow']}/",
        # The embeds, as a partner's site frames them: plain and with the parameters they take.
        "/embed/carte/",
        f"/embed/carte/?reseau={world['network']}&kind=tiers-lieu",
        "/embed/parcours/",
        "/embed/parcours/?stage=amorcage&legal_family=association",
    ]


def staff_pages(world: dict) -> list[str]:
    """What the person of `a_small_world` (superuser, city services, moderator, network
    editor) reaches once logged in."""
    member, network, site = world["member"], world["network"], world["site"]
    return [
        "/compte/",
        "/compte/demandes/",
        f"/demandes/{world['mobilisation']}/",
        "/compte/jetons-sig/",
        f"/organisations/{member}/modifier/",
        f"/organisations/{member}/historique/",
        f"/organisations/{member}/retrait/",
        f"/organisations/{member}/revendiquer/",
        f"/lieux/{member}/offre/",
        f"/financements/{world['scheme']}/historique/",
        f"/accompagnements/{world['offer']}/historique/",
        "/financements/couverture/",
        "/foncier/",
        "/foncier/sites/nouveau/",
        f"/foncier/{site}/",
        f"/foncier/{site}/modifier/",
        f"/foncier/{site}/historique/",
        "/foncier/besoins/",
        f"/foncier/besoins/{world['need']}/",
        "/foncier/tiers-lieux/",
        "/foncier/bail-utilite-sociale/",
        "/foncier/demandes-d-espace/",
        "/demandes/flux/",
        "/moderation/",
        f"/moderation/{world['suggestion']}/",
        f"/moderation/revendications/{world['claim']}/",
        "/moderation/doublons/",
        f"/moderation/doublons/{world['duplicate']}/",
        "/moderation/adhesions/",
        "/moderation/retraits/",
        f"/reseaux/{network}/fraicheur/",
        f"/reseaux/{network}/import/",
        f"/reseaux/{network}/import/notice/",
        f"/reseaux/{network}/import/taches/{world['job']}/",
        f"/reseaux/{network}/jetons/",
        f"/reseaux/{network}/integrer/",
        f"/reseaux/{network}/demandes/",
    ]


def follow_email_links(page: Page, live_server, world: dict) -> None:
    """Open the e-mailed links whose page is another address: Django's password reset link
    moves its token into the session, then shows its form at `.../set-password/`."""
    uid, token = world["reset-uid"], world["reset-token"]
    page.goto(f"{live_server.url}/compte/mot-de-passe/nouveau/{uid}/{token}/")
    page.wait_for_url(f"**/compte/mot-de-passe/nouveau/{uid}/set-password/")


def log_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/compte/connexion/")
    page.locator("#id_username").fill("direction")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/**")


def visit(page: Page, url: str) -> list[str]:
    """Open `url`; what went wrong: an error answer or a redirect (the walk would then look
    at another page than the one it names)."""
    response = page.goto(url, wait_until="networkidle")
    if response is None or not response.ok:
        return [f"{url}: HTTP {response.status if response else 'no answer'}"]
    if response.request.redirected_from is not None:
        return [f"{url}: redirected to {page.url}"]
    return []


def wider_than_the_screen(page: Page, url: str) -> list[str]:
    """The page scrolls sideways: the window's width, the page's, and what sticks out (the
    elements not clipped by a scrolling box)."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= width:
        return []
    wide = page.evaluate(
        """(width) => {
            const clipped = (e) => {
                for (let a = e.parentElement; a; a = a.parentElement) {
                    if (getComputedStyle(a).overflowX !== "visible") return true;
                }
                return false;
            };
            return [...document.querySelectorAll("body *")]
                .filter((e) => e.getBoundingClientRect().right > width + 1 && !clipped(e))
                .slice(0, 5).map((e) => `${e.tagName}.${e.className}`);
        }""",
        width,
    )
    return [f"{url}: {scroll_width} px wide on a {width} px screen ({wide})"]

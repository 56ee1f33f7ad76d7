"""Who may do what: every write path of issue 7, for every role, each cell asserted.

"login" means sent to a login page (no account, or no admin access), "ok" means allowed
(200 for a page or an API call, the success redirect for an action), 403 means refused, 401
means "authenticate first" (an API call without a valid token).
API rows send a token (or none) whatever the role: a session never replaces a token.
"""

import pytest
from django.test import Client

from directory.models import NetworkApiToken, OrganisationClaim, Suggestion
from directory.services import network_api_token_create, network_api_token_revoke
from tests.factories import make_organisation, make_premises, make_user

pytestmark = pytest.mark.django_db

ROLES = ("anonyme", "utilisateur", "editeur A", "editeur B", "moderateur", "ville", "superuser")
SIRET = "77567122500016"
API_ROW = {"nom": "Les Jardins de Fives", "description": "Maraîchage."}

TABLE = {
    #                       anonyme  utilisateur editeur A editeur B moderateur ville superuser
    "modifier membre de A": ("login", 403, "ok", 403, "ok", 403, "ok"),
    "modifier membre de B": ("login", 403, 403, "ok", "ok", 403, "ok"),
    "modifier hors réseau": ("login", 403, 403, 403, "ok", 403, "ok"),
    "voir la file": ("login", 403, "ok", "ok", "ok", 403, "ok"),
    "modérer (membre de A)": ("login", 403, "ok", 403, "ok", 403, "ok"),
    "annuler (historique admin)": ("login", "login", "login", "login", "ok", "login", "ok"),
    "revendiquer membre de A": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "accepter revendication (A)": ("login", 403, "ok", 403, "ok", 403, "ok"),
    "refuser revendication (A)": ("login", 403, "ok", 403, "ok", 403, "ok"),
    "créer un jeton (réseau A)": ("login", 403, "ok", 403, "ok", 403, "ok"),
    "révoquer un jeton (réseau A)": ("login", 403, "ok", 403, "ok", 403, "ok"),
    "API sans jeton (session)": (401, 401, 401, 401, 401, 401, 401),
    "API jeton de A sur A": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "API jeton de A sur B": (403, 403, 403, 403, 403, 403, 403),
    "API jeton révoqué": (401, 401, 401, 401, 401, 401, 401),
    "historique (page)": ("login", 403, 403, 403, "ok", 403, "ok"),
    "revenir à une version": ("login", 403, 403, 403, "ok", 403, "ok"),
    "revenir à une version d'un site": ("login", 403, 403, 403, 403, "ok", "ok"),
}

CELLS = [
    (action, role, expected)
    for action, row in TABLE.items()
    for role, expected in zip(ROLES, row, strict=True)
]
EDIT = "/organisations/{}/modifier/"


def _claim(world) -> OrganisationClaim:
    world.member_a.siren, world.member_a.siret = SIRET[:9], SIRET
    world.member_a.save()
    claimant = make_user("porteuse-de-projet")
    return OrganisationClaim.objects.create(user=claimant, organisation=world.member_a, siret=SIRET)


def _token(world, *, revoked: bool = False) -> str:
    token, secret = network_api_token_create(
        network=world.network_a, name="CRM", user=world.users["superuser"]
    )
    if revoked:
        network_api_token_revoke(token=token, user=world.users["superuser"])
    return secret


def _api(client, network, secret: str | None):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    url = f"/api/v1/networks/{network.slug}/members/?dry_run=1"
    response = client.post(
        url, {"rows": [API_ROW]}, content_type="application/json", headers=headers
    )
    return response, None


def _suggestion_reject(client, world):
    suggestion = Suggestion.objects.create(
        kind="correction", organisation=world.member_a, message="Adresse fausse."
    )
    response = client.post(f"/moderation/{suggestion.pk}/refuser/", {"reason": "Vérifié."})
    return response, "/moderation/"


def _admin_history(client, world):
    record = world.member_a.history.first()
    url = f"/admin/directory/organisation/{world.member_a.pk}/history/{record.history_id}/"
    return client.get(url), None


def _claim_submit(client, world):
    world.member_a.siren, world.member_a.siret = SIRET[:9], SIRET
    world.member_a.save()
    url = f"/organisations/{world.member_a.slug}/revendiquer/"
    return client.post(
        url, {"siret": SIRET, "message": ""}
    ), f"/organisations/{world.member_a.slug}/"


def _claim_decide(decision: str):
    def run(client, world):
        claim = _claim(world)
        url = f"/moderation/revendications/{claim.pk}/{decision}/"
        return client.post(url, {"reason": "Inconnue de l'association."}), "/moderation/"

    return run


def _token_revoke(client, world):
    _token(world)
    token = NetworkApiToken.objects.get()
    url = f"/reseaux/{world.network_a.slug}/jetons/"
    return client.post(f"{url}{token.pk}/revoquer/"), url


def _revert(client, world):
    world.member_a.description = "Texte vandalisé."
    world.member_a.save()
    first = world.member_a.history.last()
    url = f"/organisations/{world.member_a.slug}/historique/"
    return client.post(f"{url}{first.history_id}/revenir/", {"reason": "vandalisme"}), url


def _site_revert(client, world):
    site = make_premises("Friche rue de Valenciennes", owner_name="SCI des Halles")
    site.owner_name = "Ville de Lille"
    site.save()
    first = site.history.last()
    url = f"/foncier/{site.slug}/historique/"
    return client.post(f"{url}{first.history_id}/revenir/", {"reason": "erreur"}), url


ACTIONS = {
    "modifier membre de A": lambda c, w: (c.get(EDIT.format(w.member_a.slug)), None),
    "modifier membre de B": lambda c, w: (c.get(EDIT.format(w.member_b.slug)), None),
    "modifier hors réseau": lambda c, w: (
        c.get(EDIT.format(make_organisation("Café associatif hors réseau").slug)),
        None,
    ),
    "voir la file": lambda c, w: (c.get("/moderation/"), None),
    "modérer (membre de A)": _suggestion_reject,
    "annuler (historique admin)": _admin_history,
    "revendiquer membre de A": _claim_submit,
    "accepter revendication (A)": _claim_decide("accepter"),
    "refuser revendication (A)": _claim_decide("refuser"),
    "créer un jeton (réseau A)": lambda c, w: (
        c.post(f"/reseaux/{w.network_a.slug}/jetons/", {"name": "CRM"}),
        None,
    ),
    "révoquer un jeton (réseau A)": _token_revoke,
    "API sans jeton (session)": lambda c, w: _api(c, w.network_a, None),
    "API jeton de A sur A": lambda c, w: _api(c, w.network_a, _token(w)),
    "API jeton de A sur B": lambda c, w: _api(c, w.network_b, _token(w)),
    "API jeton révoqué": lambda c, w: _api(c, w.network_a, _token(w, revoked=True)),
    "historique (page)": lambda c, w: (
        c.get(f"/organisations/{w.member_a.slug}/historique/"),
        None,
    ),
    "revenir à une version": _revert,
    "revenir à une version d'un site": _site_revert,
}


@pytest.mark.parametrize(
    ("action", "role", "expected"), CELLS, ids=[f"{a} / {r}" for a, r, _ in CELLS]
)
def test_role_by_action(client: Client, world, action, role, expected):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    response, success_url = ACTIONS[action](client, world)
    if expected in (401, 403):
        assert response.status_code == expected
    elif expected == "login":
        assert response.status_code == 302
        assert "/connexion/" in response["Location"] or "/admin/login/" in response["Location"]
    elif success_url:
        assert response.status_code == 302
        assert response["Location"] == success_url
    else:
        assert response.status_code == 200


def test_every_action_of_the_table_is_run():
    assert set(ACTIONS) == set(TABLE)

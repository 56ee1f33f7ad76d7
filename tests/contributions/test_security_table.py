"""Who may do what: every write path of issue 7, for every role, each cell asserted.

"login" means sent to a login page (no account, or no admin access), "ok" means allowed
(200 for a page, the success redirect for an action), 403 means refused.
"""

import pytest
from django.test import Client

from directory.models import Suggestion
from tests.web.factories import make_organisation

pytestmark = pytest.mark.django_db

ROLES = ("anonyme", "utilisateur", "editeur A", "editeur B", "moderateur", "ville", "superuser")

TABLE = {
    #                       anonyme  utilisateur editeur A editeur B moderateur ville superuser
    "modifier membre de A": ("login", 403, "ok", 403, "ok", 403, "ok"),
    "modifier membre de B": ("login", 403, 403, "ok", "ok", 403, "ok"),
    "modifier hors réseau": ("login", 403, 403, 403, "ok", 403, "ok"),
    "voir la file": ("login", 403, "ok", "ok", "ok", 403, "ok"),
    "modérer (membre de A)": ("login", 403, "ok", 403, "ok", 403, "ok"),
    "annuler (historique)": ("login", "login", "login", "login", "ok", "login", "ok"),
}

CELLS = [
    (action, role, expected)
    for action, row in TABLE.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def run(action: str, client: Client, world):
    outsider = make_organisation("Café associatif hors réseau")
    edit = "/organisations/{}/modifier/"
    if action == "modifier membre de A":
        return client.get(edit.format(world.member_a.slug)), None
    if action == "modifier membre de B":
        return client.get(edit.format(world.member_b.slug)), None
    if action == "modifier hors réseau":
        return client.get(edit.format(outsider.slug)), None
    if action == "voir la file":
        return client.get("/moderation/"), None
    if action == "modérer (membre de A)":
        suggestion = Suggestion.objects.create(
            kind="correction", organisation=world.member_a, message="Adresse fausse."
        )
        response = client.post(f"/moderation/{suggestion.pk}/refuser/", {"reason": "Vérifié."})
        return response, "/moderation/"
    record = world.member_a.history.first()
    url = f"/admin/directory/organisation/{world.member_a.pk}/history/{record.history_id}/"
    return client.get(url), None


@pytest.mark.parametrize(
    ("action", "role", "expected"), CELLS, ids=[f"{a} / {r}" for a, r, _ in CELLS]
)
def test_role_by_action(client, world, action, role, expected):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    response, success_url = run(action, client, world)
    if expected == 403:
        assert response.status_code == 403
    elif expected == "login":
        assert response.status_code == 302
        assert "/connexion/" in response["Location"] or "/admin/login/" in response["Location"]
    elif success_url:
        assert response.status_code == 302
        assert response["Location"] == success_url
    else:
        assert response.status_code == 200

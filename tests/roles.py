"""Two networks with one member each, and a person for every role of issue 7.

Imported by the conftest of tests/accounts, tests/networks and tests/contributions.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from directory.models import NetworkEditor, NetworkMembership, Organisation
from tests.factories import FIVES, PASSWORD, WAZEMMES, make_organisation, make_user


@dataclass
class World:
    """APES (network A) with member Les Jardins de Fives, CRESS (network B) with La Recyclerie."""

    network_a: Organisation
    network_b: Organisation
    member_a: Organisation
    member_b: Organisation
    users: dict[str, User | None]


@pytest.fixture
def world(db) -> World:
    network_a = make_organisation("APES Hauts-de-France", kinds=("reseau",), acronym="APES")
    network_b = make_organisation("CRESS Hauts-de-France", kinds=("reseau",), acronym="CRESS")
    member_a = make_organisation(
        "Les Jardins de Fives", location=FIVES.clone(), description="Maraîchage en insertion."
    )
    member_b = make_organisation("La Recyclerie de Wazemmes", location=WAZEMMES.clone())
    NetworkMembership.objects.create(network=network_a, member=member_a)
    NetworkMembership.objects.create(network=network_b, member=member_b)
    editor_a = make_user("editrice-apes", groups=("Éditeurs de réseau",))
    editor_b = make_user("editeur-cress", groups=("Éditeurs de réseau",))
    NetworkEditor.objects.create(user=editor_a, network=network_a)
    NetworkEditor.objects.create(user=editor_b, network=network_b)
    users = {
        "anonyme": None,
        "utilisateur": make_user("habitant"),
        "editeur A": editor_a,
        "editeur B": editor_b,
        "moderateur": make_user("moderatrice", groups=("Modérateurs",), is_staff=True),
        "ville": make_user("agent-ville", groups=("Services de la Ville",)),
        "superuser": User.objects.create_superuser("direction", password=PASSWORD),
    }
    return World(network_a, network_b, member_a, member_b, users)

"""Fixtures of the land workspace tests: city staff and an ordinary user."""

import pytest
from django.contrib.auth.models import User

from tests.factories import make_user
from tests.roles import world  # noqa: F401 (networks, members and roles: test_map_credit)

#: The group the data migration creates for city services.
CITY_SERVICES = "Services de la Ville"


@pytest.fixture
def city_staff(db) -> User:
    """An officer of the city services: in the group, not a superuser, not admin staff."""
    return make_user(
        "agent",
        password="mot-de-passe-agent",
        groups=(CITY_SERVICES,),
        first_name="Camille",
        last_name="Agent",
    )


@pytest.fixture
def ordinary_user(db) -> User:
    return make_user("habitant", password="mot-de-passe-habitant")


@pytest.fixture
def staff_client(client, city_staff):
    client.force_login(city_staff)
    return client

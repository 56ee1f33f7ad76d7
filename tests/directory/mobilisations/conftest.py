"""A funder with a public mailbox, an owner and a network; a clean rate-limit counter; a form
token a person would hold."""

import time
from dataclasses import dataclass
from unittest import mock

import pytest
from django.core.cache import cache

from directory.contributions.services import form_token_issue
from directory.models import OrganisationEditor, Stage
from tests.factories import make_funding_scheme, make_organisation, make_user
from tests.roles import world  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token() -> str:
    """A token issued a minute ago: the form was filled at a person's pace."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 60):
        return form_token_issue()


@pytest.fixture
def form(token) -> dict:
    """What a project holder types."""
    return {
        "holder_profile": "personne",
        "holder_name": "Lou Martin",
        "project": "Un atelier de réparation de vélos à Fives, en chantier d'insertion.",
        "stage": Stage.objects.get(slug="amorcage").pk,
        "holder_email": "lou@exemple.fr",
        "holder_phone": "03 20 00 00 00",
        "consent": "on",
        "token": token,
        "site_web_bis": "",
    }


@dataclass
class Actors:
    funder: object
    owner: object
    scheme: object


@pytest.fixture
def actors(world) -> Actors:  # noqa: F811
    """France Active (funder, contact@ address, one owner) and its scheme; the world's
    Les Jardins de Fives is a member of network A."""
    funder = make_organisation(
        "France Active Hauts-de-France", kinds=("financeur",), email="contact@franceactive.fr"
    )
    owner = make_user("proprietaire-fa")
    OrganisationEditor.objects.create(user=owner, organisation=funder)
    scheme = make_funding_scheme("Prêt d'honneur solidaire")
    scheme.funders.add(funder)
    return Actors(funder=funder, owner=owner, scheme=scheme)

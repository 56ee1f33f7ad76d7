"""Roles and networks, a clean rate-limit counter, and a form token a person would hold."""

import time
from unittest import mock

import pytest
from django.core.cache import cache

from directory.contributions.services import form_token_issue
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

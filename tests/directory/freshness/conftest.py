"""Roles and networks shared by these tests."""

from tests.roles import world  # noqa: F401

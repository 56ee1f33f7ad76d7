"""Roles and networks shared by the directory's tests."""

from tests.roles import world  # noqa: F401

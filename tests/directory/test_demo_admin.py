"""`manage.py demo_admin`: the local demo account of `make demo`, created once and only once."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def demo_admin(*args: str) -> str:
    out = StringIO()
    call_command("demo_admin", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def login_request():
    """django-axes counts attempts per request: authenticate() needs one, as the login page."""
    return RequestFactory().post("/compte/connexion/")


def test_demo_admin_creates_a_superuser_who_can_log_in(debug):
    output = demo_admin()

    assert "créé" in output
    user = authenticate(request=login_request(), username="admin", password="cartess-demo")
    assert user is not None
    assert user.is_superuser
    assert user.is_staff
    assert user.email == "admin@example.org"


def test_demo_admin_twice_keeps_a_single_account(debug):
    demo_admin()
    output = demo_admin()

    assert "existe déjà" in output
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_demo_admin_never_resets_a_changed_password(debug):
    demo_admin()
    user = get_user_model().objects.get(username="admin")
    user.set_password("un-nouveau-mot-de-passe")
    user.save()

    demo_admin()

    assert (
        authenticate(request=login_request(), username="admin", password="un-nouveau-mot-de-passe")
        is not None
    )
    assert authenticate(request=login_request(), username="admin", password="cartess-demo") is None


def test_demo_admin_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        demo_admin()

    assert not get_user_model().objects.filter(username="admin").exists()


def test_demo_admin_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False

    demo_admin("--force")

    assert (
        authenticate(request=login_request(), username="admin", password="cartess-demo") is not None
    )

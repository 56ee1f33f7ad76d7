"""The roles of directory.access exist as groups granting their permission, and the one view
decorator sends anonymous visitors to the login page and refuses everybody else the rule
refuses."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from cartography.history import SITE_HISTORY
from directory import access
from directory.contributions.history_views import HISTORY_KINDS, HistoryKind
from tests.roles import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", access.ROLES, ids=lambda role: role.group)
def test_every_role_is_a_group_granting_its_permission(role):
    group = Group.objects.get(name=role.group)
    user = make_user(f"membre-{group.pk}", groups=(role.group,))
    if role.permission:
        assert user.has_perm(role.permission)


def _view(request, kind: HistoryKind) -> HttpResponse:
    return HttpResponse(f"historique {kind.model._meta.model_name}")


def test_access_required_gives_the_rule_the_url_arguments_it_names():
    view = access.history_access_required(_view)
    request = RequestFactory().get("/foncier/friche/historique/")
    request.user = make_user("agent-ville", groups=(access.CITY_SERVICES.group,))
    assert view(request, kind=SITE_HISTORY).content == b"historique premises"
    with pytest.raises(PermissionDenied):
        view(request, kind=HISTORY_KINDS["organisation"])


def test_access_required_sends_anonymous_visitors_to_the_login_page():
    view = access.history_access_required(_view)
    request = RequestFactory().get("/foncier/friche/historique/?page=2")
    request.user = AnonymousUser()
    response = view(request, kind=SITE_HISTORY)
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/foncier/friche/historique/%3Fpage%3D2"


@pytest.mark.parametrize(
    ("groups", "shown"),
    [((access.CITY_SERVICES.group,), True), ((access.MODERATOR.group,), False), ((), False)],
)
def test_the_menu_shows_the_land_workspace_to_the_city_services_only(client, groups, shown):
    client.force_login(make_user("personne", groups=groups))
    page = client.get("/annuaire/").content.decode()
    assert ('href="/foncier/"' in page) is shown

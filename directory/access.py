"""Who may do what in Cartess: roles, their permission names, and the checks the views use.

One place decides (DESIGN: "who may do what is decided in one place"): views, the admin and
the importers' network paths call these functions instead of writing their own checks.
Reads only.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from directory.models import NetworkEditor, Organisation, OrganisationEditor

MODERATE_PERMISSION = "directory.moderate_organisation"
NETWORK_KIND = "reseau"


@dataclass(frozen=True)
class UserRoles:
    """What one person may do in Cartess, for their own page and the navigation."""

    networks: list
    is_moderator: bool
    is_city_staff: bool


def user_is_moderator(*, user) -> bool:
    """True for superusers and the group "Modérateurs" (the permission it grants)."""
    return user.is_authenticated and user.has_perm(MODERATE_PERMISSION)


def user_roles_get(*, user) -> UserRoles:
    """The networks `user` edits (by name) and their moderator and city-staff roles."""
    networks = Organisation.objects.filter(editors__user=user).order_by("name")
    return UserRoles(
        networks=list(networks),
        is_moderator=user_is_moderator(user=user),
        is_city_staff=user.has_perm("cartography.access_land_workspace"),
    )


def organisation_editable_by(*, user, organisation: Organisation) -> bool:
    """May `user` edit `organisation`'s public listing?

    Yes for superusers and moderators, for the editors of a network `organisation`
    belongs to, and for the person whose claim of it was accepted (OrganisationEditor);
    no for anybody else (anonymous visitors included). Reads only.
    """
    if not user.is_authenticated:
        return False
    if user_is_moderator(user=user):
        return True
    if OrganisationEditor.objects.filter(user=user, organisation=organisation).exists():
        return True
    return NetworkEditor.objects.filter(
        user=user, network__memberships_as_network__member=organisation
    ).exists()


def network_edited_by(*, user, network: Organisation) -> bool:
    """May `user` see `network`'s dashboard? Its editors, moderators and superusers."""
    if not user.is_authenticated:
        return False
    return user_is_moderator(user=user) or network.editors.filter(user=user).exists()


def network_edited_or_403(*, user, slug: str) -> Organisation:
    """The network `slug` if `user` edits it. Raises Http404 for an unknown network and
    PermissionDenied for anybody else."""
    network = get_object_or_404(Organisation, slug=slug, kinds__slug=NETWORK_KIND)
    if not network_edited_by(user=user, network=network):
        raise PermissionDenied
    return network

"""Who may do what in Cartess: the roles, their permissions, and every check the views use.

One place decides (DESIGN: "who may do what is decided in one place"): views, the admin and
the importers' network paths call this module instead of writing their own checks. Reads
only; nothing here writes.

Roles. A role is an auth group, created with its permissions by a data migration
(directory/migrations/0007_role_groups.py, cartography/migrations/0004_city_services_group.py;
a migration keeps its own frozen copy of the names), and declared once here as a `Role`: its
group's name and the permission the checks ask for. Superusers pass every check.

Checks, one family:

- person rules, `user_is_<role>(*, user) -> bool` (and `user_moderates_something`), for the
  views, and for the templates through the `access` context processor (`access_context`);
- `access_required(rule)`, the one view decorator: an anonymous visitor is sent to the login
  page (and back here after), a signed-in person the rule refuses gets 403. A rule may also
  name arguments of the view's URL (`record_history_open_to` reads `kind`). Ready-made:
  `signed_in_required`, `staff_required`, `moderation_required`, `moderator_required`,
  `land_staff_required`, `funding_coverage_required`,
  `history_access_required`;
- object rules: `<record>_<verb>_by(*, user, <record>) -> bool` (may this person edit this
  organisation, this network, decide on this suggestion or claim?) and, for a view that
  needs the record, `<record>_<verb>_or_403(*, user, ...)` returning it (Http404 when it does
  not exist, PermissionDenied for somebody else);
- a reminder's "modifier" link (directory.freshness.links): the visit it opened may edit
  that one listing (`reminder_link_editor_id`, `listing_edit_access_required`, and the
  `session` argument of `organisation_edited_or_403`);
- the network upload's scope (importers.sources.network_csv, the network API):
  `network_row_allowed`, `network_may_update_member`, `network_token_acts_for`; a listing
  that is not the network's member is never modified by it: the upload makes a
  NetworkMembershipRequest, which `membership_request_decidable_by` says who decides.

A new role touches this module and one data migration, nothing else: declare its `Role`
(add it to ROLES), write its `user_is_<role>` rule and `<role>_required =
access_required(user_is_<role>)`, and create its group with its permissions in a data
migration (copy 0007_role_groups.py). Its views then only carry the decorator, and
tests/directory/accounts/test_roles.py checks that every role of ROLES has its group and permission.
"""

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from directory.models import (
    Mobilisation,
    NetworkApiToken,
    NetworkEditor,
    NetworkMembership,
    NetworkMembershipRequest,
    Organisation,
    OrganisationClaim,
    OrganisationEditor,
    Provenance,
    Suggestion,
)

NETWORK_KIND = "reseau"
#: The public registers whose identifier of an establishment (Provenance.external_id) is
#: its SIRET: a claim's SIRET they list for the organisation identifies it.
SIRET_REGISTERS = ("sirene",)


@dataclass(frozen=True)
class Role:
    """A role: the auth group a person is put in, and the permission ("app_label.codename")
    the checks ask for; "" when the role's reach is rows rather than a permission."""

    group: str
    permission: str = ""


#: Network editors: their reach is the NetworkEditor rows linking them to networks.
NETWORK_EDITOR = Role(group="Éditeurs de réseau")
#: Moderators: suggestions, claims, the history of listings, schemes and offers.
MODERATOR = Role(group="Modérateurs", permission="directory.moderate_organisation")
#: City services: the land workspace (/foncier/) and the history of its sites.
CITY_SERVICES = Role(group="Services de la Ville", permission="cartography.access_land_workspace")
#: Every role, for the tests that check their groups exist.
ROLES = (NETWORK_EDITOR, MODERATOR, CITY_SERVICES)


# --- Person rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class UserRoles:
    """What one person may do in Cartess, for their own page and the navigation."""

    networks: list
    is_moderator: bool
    is_city_staff: bool


def user_is_signed_in(*, user) -> bool:
    """True for anybody with an account, signed in."""
    return user.is_authenticated


def user_is_admin_staff(*, user) -> bool:
    """True for the people with admin access ("statut équipe", is_staff)."""
    return user.is_authenticated and user.is_staff


def user_is_moderator(*, user) -> bool:
    """True for superusers and the group MODERATOR (the permission it grants)."""
    return user.is_authenticated and user.has_perm(MODERATOR.permission)


def user_is_city_staff(*, user) -> bool:
    """True for superusers and the group CITY_SERVICES (the permission it grants)."""
    return user.is_authenticated and user.has_perm(CITY_SERVICES.permission)


def user_reads_funding_coverage(*, user) -> bool:
    """True for the admin staff and the city services (CITY_SERVICES): the coverage of the
    pathway (/financements/couverture/) is where the city sees which stages lack support."""
    return user_is_admin_staff(user=user) or user_is_city_staff(user=user)


def user_moderates_something(*, user) -> bool:
    """True for moderators and network editors: they have a moderation queue."""
    return user_is_moderator(user=user) or (
        user.is_authenticated and NetworkEditor.objects.filter(user=user).exists()
    )


def record_history_open_to(*, user, kind) -> bool:
    """May `user` read and revert the history of the records of `kind` (a
    directory.contributions.history_views.HistoryKind)? Each kind names its person rule:
    moderators for the directory's records, the city services for a site's (it holds
    staff-only facts, cartography.history)."""
    return kind.rule(user=user)


def user_roles_get(*, user) -> UserRoles:
    """The networks `user` edits (by name) and their moderator and city-staff roles."""
    networks = Organisation.objects.filter(editors__user=user).order_by("name")
    return UserRoles(
        networks=list(networks),
        is_moderator=user_is_moderator(user=user),
        is_city_staff=user_is_city_staff(user=user),
    )


class NavigationAccess:
    """The roles the site's navigation shows links for, each asked once and only when a
    template reads it (`{% if access.is_city_staff %}`)."""

    def __init__(self, user) -> None:
        self._user = user

    @cached_property
    def is_city_staff(self) -> bool:
        return user_is_city_staff(user=self._user)

    @cached_property
    def is_moderator(self) -> bool:
        return user_is_moderator(user=self._user)

    @cached_property
    def reads_funding_coverage(self) -> bool:
        return user_reads_funding_coverage(user=self._user)


def access_context(request: HttpRequest) -> dict[str, NavigationAccess]:
    """Template context processor: `access`, what the person may open (NavigationAccess).
    A request refused before AuthenticationMiddleware ran (a 400 for an unknown Host) has no
    `user`: its error page is rendered as for an anonymous visitor."""
    return {"access": NavigationAccess(getattr(request, "user", None) or AnonymousUser())}


# --- The view decorator ------------------------------------------------------------------

#: `rule(*, user, **some_view_kwargs) -> bool`: may this person open the view?
Rule = Callable[..., bool]
View = Callable[..., HttpResponse]


def access_required(rule: Rule) -> Callable[[View], View]:
    """Decorate a view so that only the people `rule` lets in reach it.

    An anonymous visitor is redirected to the login page (`?next=` this page); a signed-in
    person is refused with PermissionDenied (403) when `rule(user=...)` is False. The rule
    also receives the view's URL arguments it names (e.g. `kind`).
    """
    wanted = tuple(name for name in inspect.signature(rule).parameters if name != "user")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(user=request.user, **{name: kwargs[name] for name in wanted}):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


signed_in_required = access_required(user_is_signed_in)
staff_required = access_required(user_is_admin_staff)
moderation_required = access_required(user_moderates_something)
moderator_required = access_required(user_is_moderator)
land_staff_required = access_required(user_is_city_staff)
funding_coverage_required = access_required(user_reads_funding_coverage)
history_access_required = access_required(record_history_open_to)
moderator_required = access_required(user_is_moderator)


# --- Object rules ------------------------------------------------------------------------


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
    return _edits_a_network_of(user, organisation.pk)


def organisation_owned_by(*, user, organisation: Organisation) -> bool:
    """Is `user` the owner of `organisation`'s listing (an accepted claim)? Reads only."""
    return (
        user.is_authenticated
        and OrganisationEditor.objects.filter(user=user, organisation=organisation).exists()
    )


def organisation_edited_or_403(*, user, slug: str, session=None) -> Organisation:
    """The organisation `slug` if `user` may edit its listing, or if a reminder's link
    opened it for editing during this visit (`session`, see `reminder_link_editor_id`).
    Raises Http404 for an unknown organisation and PermissionDenied for anybody else."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if organisation_editable_by(user=user, organisation=organisation):
        return organisation
    if session is not None and reminder_link_editor_id(session=session, slug=slug):
        return organisation
    raise PermissionDenied


def place_offer_editable_by(*, user, organisation: Organisation) -> bool:
    """May `user` say what the place `organisation` offers (its services and spaces)? Whoever
    may edit its listing (its claimed owners, its networks' editors, moderators) and the
    city services' staff; nobody else. Reads only."""
    return organisation_editable_by(user=user, organisation=organisation) or user_is_city_staff(
        user=user
    )


def place_offer_edited_or_403(*, user, slug: str) -> Organisation:
    """The organisation `slug` if `user` may edit what it offers as a place. Raises Http404
    for an unknown organisation and PermissionDenied for anybody else."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not place_offer_editable_by(user=user, organisation=organisation):
        raise PermissionDenied
    return organisation


#: The session key of the listings that reminder links opened for editing during this visit:
#: {slug: {"user": id, "until": POSIX time}} (written by directory.freshness.links).
REMINDER_EDIT_SESSION_KEY = "cartess_reminder_edits"


def reminder_link_editor_id(*, session, slug: str) -> int | None:
    """The id of the person whose reminder link lets this visit edit listing `slug` (one
    listing, for CARTESS_FRESHNESS_EDIT_VISIT_MINUTES at most), or None."""
    grant = session.get(REMINDER_EDIT_SESSION_KEY, {}).get(slug)
    if not grant or grant["until"] < time.time():
        return None
    return grant["user"]


def listing_edit_access_required(view: View) -> View:
    """Decorate the listing editor: a visitor who is neither signed in nor sent by a
    reminder's link for this listing goes to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, slug: str, **kwargs) -> HttpResponse:
        linked = reminder_link_editor_id(session=request.session, slug=slug)
        if not request.user.is_authenticated and linked is None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, slug=slug, **kwargs)

    return wrapper


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


def suggestion_moderatable_by(*, user, suggestion: Suggestion) -> bool:
    """May `user` accept or refuse `suggestion`? Moderators, and the editors of a network
    its organisation belongs to (the same rule as the moderation queue)."""
    if user_is_moderator(user=user):
        return True
    if not user.is_authenticated or suggestion.organisation_id is None:
        return False
    return _edits_a_network_of(user, suggestion.organisation_id)


def suggestion_moderated_or_403(*, user, pk: int) -> Suggestion:
    """The suggestion `pk` (with its organisation) if `user` may decide on it. Raises
    Http404 for an unknown suggestion and PermissionDenied for anybody else."""
    suggestion = get_object_or_404(Suggestion.objects.select_related("organisation"), pk=pk)
    if not suggestion_moderatable_by(user=user, suggestion=suggestion):
        raise PermissionDenied
    return suggestion


def claim_siret_confirmed(*, claim: OrganisationClaim) -> bool:
    """Does `claim`'s SIRET identify the listing itself: the listing's own SIRET, or the
    SIRET under which a register (SIRET_REGISTERS: SIRENE) lists this organisation? A
    match on the SIREN alone (a listing without SIRET) may be another establishment of the
    same company: not confirmed. Reads only."""
    if claim.organisation.siret:
        return claim.siret == claim.organisation.siret
    return Provenance.objects.filter(
        source__slug__in=SIRET_REGISTERS,
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=claim.organisation_id,
        external_id=claim.siret,
    ).exists()


def claim_decidable_by(*, user, claim: OrganisationClaim) -> bool:
    """May `user` accept or refuse `claim`? Moderators always; the editors of the
    organisation's networks when the claim's SIRET is confirmed (`claim_siret_confirmed`),
    since a SIREN match alone needs a moderator's look."""
    if user_is_moderator(user=user):
        return True
    return (
        user.is_authenticated
        and _edits_a_network_of(user, claim.organisation_id)
        and claim_siret_confirmed(claim=claim)
    )


def claim_decided_or_403(*, user, pk: int) -> OrganisationClaim:
    """The claim `pk` (with its organisation and claimant) if `user` may decide on it.
    Raises Http404 for an unknown claim and PermissionDenied for anybody else."""
    claim = get_object_or_404(
        OrganisationClaim.objects.select_related("organisation", "user"), pk=pk
    )
    if not claim_decidable_by(user=user, claim=claim):
        raise PermissionDenied
    return claim


def _edits_a_network_of(user, organisation_id: int) -> bool:
    return NetworkEditor.objects.filter(
        user=user, network__memberships_as_network__member=organisation_id
    ).exists()


# --- A network's own upload (file or API) ------------------------------------------------


def network_token_acts_for(*, token: NetworkApiToken, network: Organisation) -> bool:
    """May the API token `token` push rows for `network`? Only for its own network."""
    return token.network_id == network.pk


def network_row_allowed(*, network: Organisation, named: Organisation) -> bool:
    """May a row of `network`'s upload name the network `named`? Only `network` itself."""
    return named.pk == network.pk


def network_may_update_member(*, network: Organisation, member: Organisation) -> bool:
    """May `network`'s upload (file or API) modify `member`'s listing? Only when `member` is
    already its member (a NetworkMembership). A listing of no network, or of other
    networks, is not theirs to take: matching it makes a membership request instead
    (NetworkMembershipRequest), decided by the listing's owner or a moderator."""
    return NetworkMembership.objects.filter(network=network, member=member).exists()


# --- A network's request to enrol a listing ---------------------------------------------


def user_decides_membership_requests(*, user) -> bool:
    """May `user` open the page of the networks' membership requests? Moderators, and the
    owners of a listing (OrganisationEditor): they see the requests about theirs."""
    if not user.is_authenticated:
        return False
    return user_is_moderator(user=user) or OrganisationEditor.objects.filter(user=user).exists()


def membership_request_decidable_by(*, user, membership_request: NetworkMembershipRequest) -> bool:
    """May `user` accept or refuse `membership_request`? Moderators, and the owners of its
    member's listing (OrganisationEditor); not the requesting network's editors."""
    if not user.is_authenticated:
        return False
    if user_is_moderator(user=user):
        return True
    return OrganisationEditor.objects.filter(
        user=user, organisation=membership_request.member_id
    ).exists()


def membership_request_decided_or_403(*, user, pk: int) -> NetworkMembershipRequest:
    """The membership request `pk` (with its network and member) if `user` may decide on
    it. Raises Http404 for an unknown request and PermissionDenied for anybody else."""
    membership_request = get_object_or_404(
        NetworkMembershipRequest.objects.select_related("network", "member"), pk=pk
    )
    if not membership_request_decidable_by(user=user, membership_request=membership_request):
        raise PermissionDenied
    return membership_request


membership_requests_required = access_required(user_decides_membership_requests)


# --- Requests to actors (directory.mobilisations) -----------------------------------------


def user_has_mobilisation_inbox(*, user) -> bool:
    """May `user` open the inbox of requests to actors? The owners of a listing, network
    editors and moderators (each sees the requests of their own listings)."""
    if not user.is_authenticated:
        return False
    return (
        user_is_moderator(user=user)
        or OrganisationEditor.objects.filter(user=user).exists()
        or NetworkEditor.objects.filter(user=user).exists()
    )


def user_reads_mobilisation_flows(*, user) -> bool:
    """May `user` read the anonymised flows of requests? Admin staff, moderators and the
    city services: counts only, no personal data."""
    return (
        user_is_admin_staff(user=user)
        or user_is_moderator(user=user)
        or (user_is_city_staff(user=user))
    )


def mobilisation_handled_by(*, user, mobilisation: Mobilisation) -> bool:
    """May `user` read `mobilisation` (with the holder's personal data), change its status
    and refer it? The owners of the listing it is addressed to, the editors of that
    listing's networks and moderators; nobody else."""
    if not user.is_authenticated:
        return False
    if user_is_moderator(user=user):
        return True
    if OrganisationEditor.objects.filter(
        user=user, organisation=mobilisation.organisation_id
    ).exists():
        return True
    return _edits_a_network_of(user, mobilisation.organisation_id)


def mobilisation_handled_or_403(*, user, pk: int) -> Mobilisation:
    """The request `pk` (with its actor) if `user` handles it. Raises Http404 for an unknown
    request and PermissionDenied for anybody else."""
    mobilisation = get_object_or_404(
        Mobilisation.objects.select_related("organisation", "stage", "legal_family", "sector"),
        pk=pk,
    )
    if not mobilisation_handled_by(user=user, mobilisation=mobilisation):
        raise PermissionDenied
    return mobilisation


mobilisation_inbox_required = access_required(user_has_mobilisation_inbox)
mobilisation_flows_required = access_required(user_reads_mobilisation_flows)

"""Who edits what: network editors, suggestions, claims, organisation editors, API tokens,
network memberships, the networks' membership requests and the owners' removal requests."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

#: Addresses typed without a scheme are web sites of today: https (Django 6's default).
from directory.admin.base import HTTPS_URLS, ProvenanceInline
from directory.contributions.membership_requests import membership_request_accept
from directory.contributions.removals import removal_request_accept
from directory.models import (
    NetworkApiToken,
    NetworkEditor,
    NetworkMembership,
    NetworkMembershipRequest,
    OrganisationClaim,
    OrganisationEditor,
    ReaderApiToken,
    RemovalRequest,
    Suggestion,
)
from directory.reader_tokens import reader_api_token_revoke
from directory.services import (
    network_api_token_revoke,
)


@admin.register(NetworkEditor)
class NetworkEditorAdmin(admin.ModelAdmin):
    """Who edits which network's members: an administrator links a person to a network."""

    list_display = ("user", "network", "created_at")
    list_select_related = ("user", "network")
    search_fields = ("user__username", "user__email", "network__name", "network__acronym")
    autocomplete_fields = ("user", "network")


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """The public's suggestions, for the record; they are decided on at /moderation/."""

    list_display = ("__str__", "kind", "status", "created_at", "reviewed_by")
    list_filter = ("status", "kind")
    list_select_related = ("organisation", "reviewed_by")
    search_fields = ("name", "organisation__name", "message")
    readonly_fields = ("status", "rejection_reason", "reviewed_by", "reviewed_at", "created_at")
    raw_id_fields = ("organisation",)
    formfield_overrides = HTTPS_URLS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OrganisationClaim)
class OrganisationClaimAdmin(SimpleHistoryAdmin):
    """Claims of organisations, for the record; they are decided on at /moderation/."""

    list_display = ("__str__", "siret", "status", "created_at", "reviewed_by")
    list_filter = ("status",)
    list_select_related = ("user", "organisation", "reviewed_by")
    search_fields = ("user__username", "user__email", "organisation__name", "siret")
    readonly_fields = (
        "user",
        "organisation",
        "siret",
        "message",
        "status",
        "rejection_reason",
        "reviewed_by",
        "reviewed_at",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OrganisationEditor)
class OrganisationEditorAdmin(SimpleHistoryAdmin):
    """Who edits one organisation's listing (after a claim); delete a row to withdraw it."""

    list_display = ("user", "organisation", "created_at")
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    readonly_fields = ("claim",)


@admin.register(NetworkApiToken)
class NetworkApiTokenAdmin(admin.ModelAdmin):
    """Networks' API tokens: created on /reseaux/<slug>/jetons/ (the secret is shown there
    once); here they can only be looked at or revoked."""

    list_display = ("name", "network", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("network",)
    search_fields = ("name", "prefix", "network__name")
    fields = ("network", "name", "prefix", "created_by", "created_at", "last_used_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Révoquer les jetons choisis"))
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        for token in queryset:
            network_api_token_revoke(token=token, user=request.user)


@admin.register(ReaderApiToken)
class ReaderApiTokenAdmin(admin.ModelAdmin):
    """City services' reader tokens for QGIS and GDAL: created on /compte/jetons-sig/ (the
    secret is shown there once); here they can only be looked at or revoked (a lost laptop,
    a departure)."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username", "user__email")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Révoquer les jetons choisis"))
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        for token in queryset:
            reader_api_token_revoke(token=token)


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ("member", "network", "since")
    list_select_related = ("member", "network")
    list_filter = (("network", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("member__name", "network__name", "network__acronym")
    autocomplete_fields = ("network", "member")
    inlines = (ProvenanceInline,)


@admin.register(NetworkMembershipRequest)
class NetworkMembershipRequestAdmin(admin.ModelAdmin):
    """The networks' requests to enrol a listing: read here, accepted with the action;
    refused (with a reason) on /moderation/adhesions/. Never written by hand: a decision
    goes through directory.contributions.membership_requests."""

    list_display = ("member", "network", "status", "created_at", "decided_at", "decided_by")
    list_select_related = ("member", "network", "decided_by")
    list_filter = ("status", ("network", admin.RelatedOnlyFieldListFilter))
    search_fields = ("member__name", "network__name", "network__acronym")
    readonly_fields = (
        "network",
        "member",
        "status",
        "reason",
        "created_at",
        "decided_at",
        "decided_by",
    )
    actions = ("accept",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Accepter les demandes choisies (adhésion au réseau)"))
    def accept(self, request: HttpRequest, queryset: QuerySet) -> None:
        for membership_request in queryset.select_related("network", "member"):
            try:
                membership_request_accept(membership_request=membership_request, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{membership_request} : {' '.join(error.messages)}", messages.WARNING
                )


@admin.register(RemovalRequest)
class RemovalRequestAdmin(admin.ModelAdmin):
    """The owners' requests to remove their listing: read here, accepted with the action;
    refused (with a reason) on /moderation/retraits/ (directory.contributions.removals)."""

    list_display = ("organisation", "requested_by", "status", "created_at", "decided_by")
    list_select_related = ("organisation", "requested_by", "decided_by")
    list_filter = ("status",)
    search_fields = ("organisation__name", "requested_by__username", "requested_by__email")
    readonly_fields = (
        "organisation",
        "requested_by",
        "reason",
        "status",
        "decision_note",
        "decided_by",
        "decided_at",
        "created_at",
    )
    actions = ("accept",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Accepter les demandes choisies (retirer les fiches)"))
    def accept(self, request: HttpRequest, queryset: QuerySet) -> None:
        for removal in queryset.select_related("organisation", "requested_by"):
            try:
                removal_request_accept(removal=removal, moderator=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{removal} : {' '.join(error.messages)}", messages.WARNING
                )

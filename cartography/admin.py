"""Administration of the spatial layers: premises opportunities and reference areas, and
the records of the land workspace (needs, proposals, third-place offers, pipeline, notes);
and the map above the directory's list of organisations.

The pipeline, the notes and the proposals are written by /foncier/ (services), where each
action is dated and signed: here they are read only.

Confidential means confidential here too (issue 14): a site's owner, internal notes and
pipeline (`Premises.CONFIDENTIAL_FIELDS`) and the land workspace's own records (pipeline,
notes, needs and proposals) are for the city services' role only
(`directory.access.user_is_city_staff`), whatever model permissions a staff account holds.
A moderator edits a site's public facts and its publication, and sees nothing else of it.
"""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from cartography.layers import layer_get
from cartography.models import (
    NeedProposal,
    PipelineEvent,
    PlaceService,
    PlaceServiceKind,
    PlaceSpace,
    Premises,
    PremisesKind,
    PremisesNeed,
    PremisesNote,
    ReferenceArea,
)
from directory.access import user_is_city_staff
from directory.admin.base import (
    ConfidentialFieldsAdmin,
    HistoryAdmin,
    ProvenanceInline,
    ReadOnlyAdminMixin,
)
from directory.admin.organisations import OrganisationAdmin as DirectoryOrganisationAdmin
from directory.models import Organisation
from directory.search_words import search_words_add_on_commit


def array_contains_filter(*, field: str, title: str, choices) -> type[admin.SimpleListFilter]:
    """A list filter on an ArrayField of choices: the rows whose array holds the value."""

    class ArrayContainsFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return choices

        def queryset(self, request, queryset):
            value = self.value()
            return queryset.filter(**{f"{field}__contains": [value]}) if value else queryset

    ArrayContainsFilter.title = title
    return ArrayContainsFilter


class LandWorkspaceAdmin(admin.ModelAdmin):
    """A record of the land workspace: only for the city services' role (and superusers),
    on top of the model permissions; to anybody else the admin does not list it."""

    def _city_staff(self, request: HttpRequest) -> bool:
        return user_is_city_staff(user=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._city_staff(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._city_staff(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._city_staff(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._city_staff(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._city_staff(request) and super().has_delete_permission(request, obj)


class AppendOnlyAdmin(LandWorkspaceAdmin):
    """Rows that /foncier/ appends and never edits: listed and shown, never added or changed.

    They go only with their site (a deletion of the site cascades); one cannot be deleted
    alone, which would rewrite the history.
    """

    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "show_delete": False}
        return super().change_view(request, object_id, form_url, extra_context)


class PipelineEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PipelineEvent
    fields = ("created_at", "from_stage", "to_stage", "need", "note", "author")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("Suivi (lecture seule : le suivi se fait dans /foncier/)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PipelineEvent]:
        return super().get_queryset(request).select_related("author", "need")


class PremisesNoteInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PremisesNote
    fields = ("created_at", "text", "author")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("Notes internes (lecture seule)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PremisesNote]:
        return super().get_queryset(request).select_related("author")


@admin.register(Premises)
class PremisesAdmin(ConfidentialFieldsAdmin, HistoryAdmin, LeafletGeoAdmin):
    """A site: its public facts for whoever may change sites, its owner, notes and pipeline
    (with their inlines and their past values in the history) for the city services only."""

    confidential_fields = Premises.CONFIDENTIAL_FIELDS
    confidential_inlines = (PipelineEventInline, PremisesNoteInline)
    confidential_rule = user_is_city_staff
    list_display = (
        "name",
        "kind",
        "status",
        "owner_type",
        "city",
        "surface_m2",
        "built_surface_m2",
        "available_from",
        "pipeline_stage",
        "publication_status",
    )
    list_filter = (
        "kind",
        "pipeline_stage",
        "status",
        "owner_type",
        "planning_zone",
        "pollution",
        "social_lease",
        "publication_status",
    )
    search_fields = ("name", "street", "city", "postcode", "insee_code", "owner_name")
    search_help_text = _("Nom, adresse, commune, code postal ou propriétaire.")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("third_place",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (PipelineEventInline, PremisesNoteInline, ProvenanceInline)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "description", "third_place")}),
        (
            _("Localisation"),
            {
                "fields": (
                    "street",
                    ("postcode", "city", "insee_code"),
                    "location",
                    "footprint",
                )
            },
        ),
        (
            _("Caractéristiques du site"),
            {
                "fields": (
                    ("surface_m2", "built_surface_m2"),
                    ("status", "available_from"),
                    "owner_type",
                    ("planning_zone", "pollution"),
                    "social_lease",
                )
            },
        ),
        (
            _("Réservé aux services de la Ville"),
            {
                "fields": ("owner_name", "internal_notes", "pipeline_stage"),
                "description": _(
                    "Le nom du propriétaire et les notes internes ne sont jamais montrés au public."
                ),
            },
        ),
        (_("Publication"), {"fields": ("publication_status", ("created_at", "updated_at"))}),
    )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Deleting a site deletes its notes and pipeline, which its confirmation page lists.
        return user_is_city_staff(user=request.user) and super().has_delete_permission(request, obj)


@admin.register(ReferenceArea)
class ReferenceAreaAdmin(LeafletGeoAdmin):
    list_display = ("name", "kind", "code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    inlines = (ProvenanceInline,)
    ordering = ("kind", "name")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReferenceArea]:
        # Outlines weigh kilobytes each: lists and autocompletes never need them; the change
        # form loads its own outline when it reads it (one more query).
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .defer("geometry", "parent__geometry")
        )


@admin.register(PipelineEvent)
class PipelineEventAdmin(AppendOnlyAdmin):
    list_display = ("created_at", "premises", "from_stage", "to_stage", "need", "author")
    list_filter = ("to_stage", "from_stage", "created_at")
    list_select_related = ("premises", "need", "author")
    search_fields = ("premises__name", "note", "need__title", "author__username")
    search_help_text = _("Nom du site, commentaire, besoin ou identifiant de l'auteur.")
    date_hierarchy = "created_at"
    fields = ("premises", "from_stage", "to_stage", "need", "note", "author", "created_at")


@admin.register(PremisesNote)
class PremisesNoteAdmin(AppendOnlyAdmin):
    list_display = ("created_at", "premises", "__str__", "author")
    list_filter = ("created_at", "premises__kind")
    list_select_related = ("premises", "author")
    search_fields = ("text", "premises__name", "author__username")
    search_help_text = _("Texte de la note, nom du site ou identifiant de l'auteur.")
    date_hierarchy = "created_at"
    fields = ("premises", "text", "author", "created_at")


@admin.register(NeedProposal)
class NeedProposalAdmin(AppendOnlyAdmin):
    """Proposals are made from /foncier/, which records them in the site's pipeline too."""

    list_display = ("created_at", "premises", "need", "author")
    list_filter = ("need__status", "premises__kind", "created_at")
    list_select_related = ("premises", "need", "author")
    search_fields = ("premises__name", "need__title", "need__holder_name", "note")
    search_help_text = _("Nom du site, projet, porteur ou commentaire.")
    fields = ("need", "premises", "note", "author", "created_at")


class NeedProposalInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = NeedProposal
    fields = ("created_at", "premises", "note", "author")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[NeedProposal]:
        return super().get_queryset(request).select_related("premises", "author")


class PremisesNeedAdminForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Types de lieu recherchés"),
        choices=PremisesKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PremisesNeed
        fields = (
            "title",
            "organisation",
            "holder_name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "surface_min_m2",
            "surface_max_m2",
            "kinds",
            "quartiers",
            "budget_per_month",
            "needed_from",
            "description",
            "status",
        )


@admin.register(PremisesNeed)
class PremisesNeedAdmin(LandWorkspaceAdmin):
    form = PremisesNeedAdminForm
    list_display = (
        "title",
        "holder_name",
        "status",
        "surface_min_m2",
        "surface_max_m2",
        "budget_per_month",
        "needed_from",
        "created_at",
    )
    list_filter = (
        "status",
        array_contains_filter(
            field="kinds", title=_("type de lieu recherché"), choices=PremisesKind.choices
        ),
        "quartiers",
        "created_at",
    )
    search_fields = (
        "title",
        "holder_name",
        "contact_name",
        "contact_email",
        "description",
        "organisation__name",
    )
    search_help_text = _("Projet, porteur, contact (nom ou courriel) ou description.")
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("quartiers",)
    readonly_fields = ("created_at", "updated_at", "anonymised_at")
    inlines = (NeedProposalInline,)
    date_hierarchy = "created_at"


@admin.register(PlaceServiceKind)
class PlaceServiceKindAdmin(admin.ModelAdmin):
    """The taxonomy of the services of places (seeded by a migration)."""

    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    readonly_fields = ("slug",)


@admin.register(PlaceService)
class PlaceServiceAdmin(admin.ModelAdmin):
    """The services places say they offer, with their conditions; public."""

    list_display = ("organisation", "kind", "free", "on_reservation", "social_lease")
    list_filter = ("kind", "free", "on_reservation", "social_lease", "accessibility")
    list_select_related = ("organisation", "kind")
    search_fields = ("organisation__name", "audience", "details")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("updated_at",)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # The unified search corrects typos against the services' words too.
        search_words_add_on_commit(organisation_ids=[obj.organisation_id])


@admin.register(PlaceSpace)
class PlaceSpaceAdmin(admin.ModelAdmin):
    """The spaces places describe (surface, capacity, availability); public."""

    list_display = ("name", "organisation", "surface_m2", "capacity")
    list_select_related = ("organisation",)
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("updated_at",)


# --- Organisations: the directory's admin, with a map ------------------------------------------

admin.site.unregister(Organisation)


@admin.register(Organisation)
class OrganisationAdmin(DirectoryOrganisationAdmin):
    """The directory's organisation admin, with a map of every organisation the current
    filters select above its list: the "overview" variant of the organisations layer (maps
    are cartography's, and the directory does not import cartography)."""

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            features = layer_get("organisations").feature_collection(
                "overview", queryset=changelist.queryset
            )
            response.context_data["map_features"] = json.loads(features)
        return response

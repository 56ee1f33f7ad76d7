"""Administration of the spatial layers: premises opportunities and reference areas."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from cartography.models import Premises, ReferenceArea
from directory.admin import HistoryAdmin
from importers.admin import ProvenanceInline


@admin.register(Premises)
class PremisesAdmin(HistoryAdmin, LeafletGeoAdmin):
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
        "publication_status",
    )
    search_fields = ("name", "street", "city", "postcode", "insee_code", "owner_name")
    search_help_text = _("Nom, adresse, commune, code postal ou propriétaire.")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("third_place",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (ProvenanceInline,)
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

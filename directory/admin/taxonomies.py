"""The taxonomies (stages, sectors, kinds, instruments...), as a city officer edits them."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from directory.models import (
    FundingInstrument,
    LegalFamily,
    OrganisationKind,
    ScaleUpStrategy,
    Sector,
    Stage,
    SupportKind,
)

#: Addresses typed without a scheme are web sites of today: https (Django 6's default).

# --- Taxonomies ----------------------------------------------------------------------------


class TaxonomyAdmin(admin.ModelAdmin):
    """A controlled vocabulary, listed in its order; slugs are public, so fixed once created."""

    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    ordering = ("position", "name")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple[str, ...]:
        # Slugs are used in URLs and the API (DESIGN.md): renaming one breaks links.
        return ("slug",) if obj else ()

    def get_prepopulated_fields(self, request: HttpRequest, obj=None) -> dict:
        return {} if obj else self.prepopulated_fields


@admin.register(OrganisationKind)
class OrganisationKindAdmin(TaxonomyAdmin):
    """Kinds of actor, with how often a listing of each kind should be confirmed."""

    list_display = ("name", "slug", "position", "update_every_months")
    list_editable = ("position", "update_every_months")


for taxonomy in (
    Stage,
    FundingInstrument,
    SupportKind,
    LegalFamily,
    ScaleUpStrategy,
):
    admin.site.register(taxonomy, TaxonomyAdmin)


@admin.register(Sector)
class SectorAdmin(TaxonomyAdmin):
    list_display = ("name", "slug", "naf_prefixes_list", "position")

    @admin.display(description=_("préfixes NAF"))
    def naf_prefixes_list(self, obj: Sector) -> str:
        return ", ".join(obj.naf_prefixes)

"""Administration of the directory, as a city officer or a network uses it.

Geometries are edited on Leaflet maps (django-leaflet); every changelist loads its related
rows up front (select_related / prefetch_related) so a page costs the same number of queries
whatever its length.
"""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.db.models import Manager, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin
from simple_history.admin import SimpleHistoryAdmin

from directory.areas import commune_names_get
from directory.history import ADMIN_REASON, REVERT_REASON
from directory.models import (
    FundingInstrument,
    FundingScheme,
    LegalFamily,
    NetworkApiToken,
    NetworkEditor,
    NetworkMembership,
    Organisation,
    OrganisationClaim,
    OrganisationEditor,
    OrganisationKind,
    Provenance,
    ScaleUpStrategy,
    Sector,
    Stage,
    Suggestion,
    SupportKind,
    SupportOffer,
)
from directory.services import (
    network_api_token_revoke,
    organisation_point_precision,
    search_words_refresh,
)

#: Addresses typed without a scheme are web sites of today: https (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

#: Names of the territory's communes, for when no ReferenceArea has been imported yet.
TERRITORY_COMMUNES = {"59350": "Lille", "59298": "Hellemmes", "59355": "Lomme"}


def names_of(related: Manager) -> str:
    """Comma-separated names of prefetched related rows (no query when prefetched)."""
    return ", ".join(str(item) for item in related.all())


class ReadOnlyAdminMixin:
    """History is written by the importers only: no adding, changing or deleting by hand."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ProvenanceInline(ReadOnlyAdminMixin, GenericTabularInline):
    """Where a record came from (read only); used on every model that can be imported."""

    model = Provenance
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("source", "external_id", "first_seen_at", "last_seen_at", "last_run")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name = _("provenance")
    verbose_name_plural = _("provenance (données ouvertes)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Provenance]:
        return super().get_queryset(request).select_related("source", "last_run__source")


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


for taxonomy in (
    OrganisationKind,
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


# --- Organisations -------------------------------------------------------------------------


class OnMapFilter(admin.SimpleListFilter):
    """Whether the organisation has a point, i.e. shows on the public map."""

    title = _("sur la carte")
    parameter_name = "sur_la_carte"

    def lookups(self, request, model_admin):
        return (("oui", _("Oui")), ("non", _("Non : pas de position")))

    def queryset(self, request, queryset):
        if self.value() in ("oui", "non"):
            return queryset.filter(location__isnull=self.value() == "non")
        return queryset


class CommuneFilter(admin.SimpleListFilter):
    """The commune of the address, by INSEE code, named after the imported outlines."""

    title = _("commune")
    parameter_name = "commune"

    def lookups(self, request, model_admin):
        codes = list(
            Organisation.objects.exclude(insee_code="")
            .order_by("insee_code")
            .values_list("insee_code", flat=True)
            .distinct()
        )
        names = commune_names_get(codes=codes)
        labels = {code: names.get(code, TERRITORY_COMMUNES.get(code, code)) for code in codes}
        return sorted(
            ((code, f"{label} ({code})") for code, label in labels.items()), key=lambda c: c[1]
        )

    def queryset(self, request, queryset):
        return queryset.filter(insee_code=self.value()) if self.value() else queryset


class NetworkMembershipInline(admin.TabularInline):
    """The networks an organisation belongs to."""

    model = NetworkMembership
    fk_name = "member"
    fields = ("network", "since")
    autocomplete_fields = ("network",)
    extra = 0
    verbose_name = _("réseau dont elle est membre")
    verbose_name_plural = _("réseaux dont elle est membre")


class NetworkMembersInline(admin.TabularInline):
    """The members of a network (shown on organisations of kind "réseau" only)."""

    model = NetworkMembership
    fk_name = "network"
    fields = ("member", "since")
    autocomplete_fields = ("member",)
    extra = 0
    verbose_name = _("membre du réseau")
    verbose_name_plural = _("membres du réseau")


class OrganisationAdminForm(forms.ModelForm):
    """The admin builds the form's fields from `OrganisationAdmin.fieldsets`."""

    def clean(self) -> dict:
        """Say how precise a point is when a person moves or removes it on the map.

        A point dragged on the map is "placed by hand", unless the person also chose a
        precision; a removed point has no precision. Without this, the database constraint
        `organisation_point_has_quality` would refuse the edit, or keep a stale BAN score.
        """
        cleaned = super().clean()
        if "location" in self.changed_data:
            cleaned["geocoding_quality"], cleaned["geocoding_score"] = organisation_point_precision(
                location=cleaned.get("location"),
                quality=cleaned.get("geocoding_quality", ""),
                score=cleaned.get("geocoding_score"),
                quality_chosen="geocoding_quality" in self.changed_data,
            )
        return cleaned


class HistoryAdmin(SimpleHistoryAdmin):
    """The "Historique" page with a diff of each change, and "Rétablir" for moderators.

    django-simple-history lets whoever may change a record revert it to an older version
    (the group "Modérateurs" has the change permissions). Changes saved here are labelled
    "admin", reverts "annulation (admin)", in the history.
    """

    def save_model(self, request, obj, form, change) -> None:
        reverting = request.resolver_match.url_name.endswith("_simple_history")
        obj._change_reason = REVERT_REASON if reverting else ADMIN_REASON
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin, LeafletGeoAdmin):
    form = OrganisationAdminForm
    formfield_overrides = HTTPS_URLS
    list_display = (
        "name",
        "acronym",
        "kinds_list",
        "legal_family",
        "city",
        "siret",
        "ess_status",
        "publication_status",
        "on_map",
        "updated_at",
    )
    list_select_related = ("legal_family",)
    list_filter = (
        "kinds",
        "legal_family",
        "sectors",
        "ess_status",
        "publication_status",
        OnMapFilter,
        CommuneFilter,
    )
    search_fields = (
        "name",
        "acronym",
        "=siren",
        "^siret",
        "=rna_id",
        "city",
        "postcode",
        "=insee_code",
    )
    search_help_text = _("Nom, sigle, SIREN, SIRET, numéro RNA, commune ou code postal.")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("kinds", "sectors")
    readonly_fields = ("created_at", "updated_at")
    list_per_page = 50
    change_list_template = "admin/directory/organisation/change_list.html"
    fieldsets = (
        (None, {"fields": ("name", "slug", "acronym", "kinds", "description")}),
        (
            _("Statut juridique et ESS"),
            {
                "fields": (
                    "legal_family",
                    "legal_form",
                    "legal_category_code",
                    ("ess_status", "ess_status_source"),
                )
            },
        ),
        (
            _("Identifiants et activité"),
            {"fields": (("siren", "siret"), "rna_id", "naf_code", "sectors")},
        ),
        (
            _("Adresse et position sur la carte"),
            {
                "fields": (
                    "street",
                    "address_complement",
                    ("postcode", "city", "insee_code"),
                    "location",
                    ("geocoding_quality", "geocoding_score"),
                )
            },
        ),
        (_("Contact"), {"fields": ("website", "email", "phone")}),
        (
            _("Publication"),
            {"fields": ("publication_status", "last_verified_on", ("created_at", "updated_at"))},
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).prefetch_related("kinds")

    def get_inlines(self, request: HttpRequest, obj: Organisation | None):
        is_network = obj is not None and any(k.slug == "reseau" for k in obj.kinds.all())
        if is_network:
            return (NetworkMembershipInline, NetworkMembersInline, ProvenanceInline)
        return (NetworkMembershipInline, ProvenanceInline)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        search_words_refresh()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        search_words_refresh()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        search_words_refresh()

    def get_search_results(self, request, queryset, search_term):
        # A SIREN or SIRET is often pasted with spaces ("123 456 789 00012").
        compact = search_term.replace(" ", "")
        if compact.isdigit() and len(compact) in (9, 14):
            search_term = compact
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("types d'acteur"))
    def kinds_list(self, obj: Organisation) -> str:
        return names_of(obj.kinds)

    @admin.display(description=_("sur la carte"), boolean=True, ordering="location")
    def on_map(self, obj: Organisation) -> bool:
        return obj.location is not None


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


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ("member", "network", "since")
    list_select_related = ("member", "network")
    list_filter = (("network", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("member__name", "network__name", "network__acronym")
    autocomplete_fields = ("network", "member")
    inlines = (ProvenanceInline,)


# --- Funding schemes and support offers ----------------------------------------------------


class OpenFilter(admin.SimpleListFilter):
    """Whether a scheme can be applied to today, from its opening and closing dates."""

    title = _("ouverture")
    parameter_name = "ouverture"

    def lookups(self, request, model_admin):
        return (
            ("ouvert", _("Ouvert aujourd'hui")),
            ("a-venir", _("Pas encore ouvert")),
            ("clos", _("Clôturé")),
        )

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "ouvert":
            return queryset.filter(
                Q(opens_on__isnull=True) | Q(opens_on__lte=today),
                Q(closes_on__isnull=True) | Q(closes_on__gte=today),
            )
        if self.value() == "a-venir":
            return queryset.filter(opens_on__gt=today)
        if self.value() == "clos":
            return queryset.filter(closes_on__lt=today)
        return queryset


class OfferAdmin(HistoryAdmin):
    """What funding schemes and support offers share: eligibility, stages, territory."""

    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = HTTPS_URLS
    autocomplete_fields = ("territory_areas",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (ProvenanceInline,)
    list_per_page = 50
    eligibility_fieldset = (
        _("Pour qui, à quelle étape, où"),
        {
            "fields": (
                "stages",
                "eligible_legal_families",
                "sectors",
                ("territory_scope", "territory_label"),
                "territory_areas",
            )
        },
    )
    publication_fieldset = (
        _("Publication"),
        {"fields": ("publication_status", "last_verified_on", ("created_at", "updated_at"))},
    )

    @admin.display(description=_("étapes"))
    def stages_list(self, obj) -> str:
        return names_of(obj.stages)


@admin.register(FundingScheme)
class FundingSchemeAdmin(OfferAdmin):
    list_display = (
        "name",
        "funders_list",
        "instruments_list",
        "stages_list",
        "recurrence",
        "closes_on",
        "is_open",
        "publication_status",
    )
    list_filter = (
        "instruments",
        "stages",
        "recurrence",
        OpenFilter,
        "territory_scope",
        "sectors",
        "publication_status",
    )
    search_fields = ("name", "funders_label", "funders__name", "funders__acronym")
    filter_horizontal = (
        "stages",
        "instruments",
        "scale_up_strategies",
        "eligible_legal_families",
        "sectors",
    )
    autocomplete_fields = ("funders", "territory_areas")
    date_hierarchy = "closes_on"
    fieldsets = (
        (None, {"fields": ("name", "slug", "url", "description")}),
        (_("Financeurs"), {"fields": ("funders", "funders_label")}),
        (
            _("Financement"),
            {
                "fields": (
                    "instruments",
                    "scale_up_strategies",
                    ("amount_min", "amount_max"),
                    "amount_text",
                    "eligibility_text",
                )
            },
        ),
        (_("Calendrier"), {"fields": ("recurrence", ("opens_on", "closes_on"))}),
        OfferAdmin.eligibility_fieldset,
        OfferAdmin.publication_fieldset,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[FundingScheme]:
        return super().get_queryset(request).prefetch_related("funders", "instruments", "stages")

    @admin.display(description=_("financeurs"))
    def funders_list(self, obj: FundingScheme) -> str:
        return names_of(obj.funders) or obj.funders_label

    @admin.display(description=_("instruments"))
    def instruments_list(self, obj: FundingScheme) -> str:
        return names_of(obj.instruments)

    @admin.display(description=_("ouvert"), boolean=True)
    def is_open(self, obj: FundingScheme) -> bool:
        today = timezone.localdate()
        started = obj.opens_on is None or obj.opens_on <= today
        return started and (obj.closes_on is None or obj.closes_on >= today)


@admin.register(SupportOffer)
class SupportOfferAdmin(OfferAdmin):
    list_display = (
        "name",
        "provider_name",
        "kinds_list",
        "stages_list",
        "cost",
        "territory_scope",
        "publication_status",
    )
    list_select_related = ("provider",)
    list_filter = ("kinds", "stages", "cost", "territory_scope", "sectors", "publication_status")
    search_fields = ("name", "provider_label", "provider__name", "provider__acronym")
    filter_horizontal = ("kinds", "stages", "eligible_legal_families", "sectors")
    autocomplete_fields = ("provider", "territory_areas")
    fieldsets = (
        (None, {"fields": ("name", "slug", "url", "description")}),
        (
            _("Accompagnement"),
            {
                "fields": (
                    ("provider", "provider_label"),
                    "kinds",
                    ("cost", "cost_details"),
                    "eligibility_text",
                )
            },
        ),
        OfferAdmin.eligibility_fieldset,
        OfferAdmin.publication_fieldset,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupportOffer]:
        return super().get_queryset(request).prefetch_related("kinds", "stages")

    @admin.display(description=_("structure qui accompagne"), ordering="provider__name")
    def provider_name(self, obj: SupportOffer) -> str:
        return str(obj.provider) if obj.provider else obj.provider_label

    @admin.display(description=_("types d'accompagnement"))
    def kinds_list(self, obj: SupportOffer) -> str:
        return names_of(obj.kinds)

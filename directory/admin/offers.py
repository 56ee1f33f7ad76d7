"""Funding schemes and support offers."""

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Addresses typed without a scheme are web sites of today: https (Django 6's default).
from directory.admin.base import HTTPS_URLS, HistoryAdmin, ProvenanceInline, names_of
from directory.models import (
    FundingScheme,
    SupportOffer,
)
from directory.search_words import search_words_add_on_commit

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

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Its words join the typo dictionary ("subvension" finds it), once committed.
        ids = "scheme_ids" if isinstance(obj, FundingScheme) else "offer_ids"
        search_words_add_on_commit(**{ids: [obj.pk]})


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
    autocomplete_fields = ("funders", "territory_areas", "co_financeable_with")
    date_hierarchy = "closes_on"
    fieldsets = (
        (None, {"fields": ("name", "slug", "url", "description", "sourcing_note")}),
        (_("Financeurs"), {"fields": ("funders", "funders_label")}),
        (
            _("Financement"),
            {
                "fields": (
                    "instruments",
                    "scale_up_strategies",
                    "co_financeable_with",
                    "scale_up_source",
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
    filter_horizontal = (
        "kinds",
        "scale_up_strategies",
        "stages",
        "eligible_legal_families",
        "sectors",
    )
    autocomplete_fields = ("provider", "territory_areas")
    fieldsets = (
        (None, {"fields": ("name", "slug", "url", "description", "sourcing_note")}),
        (
            _("Accompagnement"),
            {
                "fields": (
                    ("provider", "provider_label"),
                    "kinds",
                    "scale_up_strategies",
                    "scale_up_source",
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

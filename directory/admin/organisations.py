"""Organisations: filters, networks, the point and its precision, history."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

#: Addresses typed without a scheme are web sites of today: https (Django 6's default).
from directory.admin.base import (
    HTTPS_URLS,
    TERRITORY_COMMUNES,
    HistoryAdmin,
    ProvenanceInline,
    names_of,
)
from directory.areas import commune_names_get
from directory.edit_credit import TEAM, organisation_edit_credit_note
from directory.forms import PublicContactsMixin
from directory.models import (
    NetworkMembership,
    Organisation,
    PlaceRole,
)
from directory.search_words import search_words_add_on_commit
from directory.services import (
    organisation_point_precision,
    organisation_terms_note,
)

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


class OrganisationAdminForm(PublicContactsMixin, forms.ModelForm):
    """The admin builds the form's fields from `OrganisationAdmin.fieldsets`. Its e-mail and
    phone follow the one personal-data rule of every path (directory.contacts): a person's
    address or a mobile is refused with the reason, what was typed kept."""

    #: Any organisation can be a place of the ESS (issue 17): ticked here by staff.
    place_roles = forms.MultipleChoiceField(
        label=_("lieu de l'ESS"),
        choices=PlaceRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Un lieu reçoit les demandes d'espace et dit ce qu'il propose sur /lieux/. "
            "Une case changée ici est une décision de l'équipe : la source est effacée et "
            "l'import suivant ne la défait pas."
        ),
    )

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
        if "place_roles" in self.changed_data:
            # A person decided: no document says so any more (as `organisation_place_set`).
            cleaned["place_roles"] = sorted(cleaned.get("place_roles") or [])
            self.instance.place_source = ""
        return cleaned


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
    # "Vérifié le" is written only by a confirmation (directory.freshness).
    readonly_fields = ("last_verified_on", "created_at", "updated_at", "place_source")
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
                    "qpv_code",
                )
            },
        ),
        (_("Contact"), {"fields": ("website", "email", "phone")}),
        (_("Lieu de l'ESS"), {"fields": ("place_roles", "place_source")}),
        (
            _("Publication"),
            {
                "fields": (
                    "publication_status",
                    "closed_on",
                    "last_verified_on",
                    ("created_at", "updated_at"),
                )
            },
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
        # The admin saves the kinds and sectors after the row (save_related): the row's
        # history names them beforehand, so the change is credited to the Cartess team.
        organisation_terms_note(
            organisation=obj,
            terms={
                name: {term.slug for term in form.cleaned_data[name]}
                for name in ("kinds", "sectors")
                if name in form.cleaned_data
            },
        )
        super().save_model(request, obj, form, change)
        # The map credits the hand correction (the admin's view runs in one transaction).
        organisation_edit_credit_note(organisation_ids=[obj.pk], credit=TEAM)
        # Its words join the typo dictionary; a deletion leaves them to the weekly refresh.
        search_words_add_on_commit(organisation_ids=[obj.pk])

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

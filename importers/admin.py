"""Administration of the open-data sources, their import runs and the provenance of records.

Import runs, rejected rows and provenances are history written by the importers: the admin
shows them and never edits them. Possible duplicates and disagreements with a source are
what imports leave to a person: the admin lists them, and its actions settle them through
importers.engine.review.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cartography.models import Premises
from directory.access import user_is_city_staff
from directory.admin.base import ReadOnlyAdminMixin
from directory.models import Provenance, Source
from importers.engine.review import (
    disagreement_accept,
    disagreement_dismiss,
    duplicates_mark_different,
)
from importers.models import (
    DisagreementStatus,
    DuplicateCandidate,
    DuplicateStatus,
    FieldDisagreement,
    GeocodingCacheEntry,
    ImportRejection,
    ImportRun,
)

#: Rejected rows shown on an import's page; the full list is one link away, paginated.
REJECTIONS_SHOWN = 100


def _premises_sources() -> QuerySet[Source]:
    """The sources that wrote sites (Cartofriches...): their raw records name owners."""
    return Source.objects.filter(
        provenances__content_type__app_label=Premises._meta.app_label,
        provenances__content_type__model=Premises._meta.model_name,
    ).values("pk")


class ConfidentialRowsAdminMixin:
    """What a source said about a site (its raw record, the values it imported, a rejected
    row) can hold a site's owner: like the site's confidential fields, for the city
    services' role only (directory.access.user_is_city_staff). `confidential_source_path`
    names the lookup from the admin's model to its Source."""

    confidential_source_path = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        if user_is_city_staff(user=request.user):
            return rows
        return rows.exclude(**{f"{self.confidential_source_path}__in": _premises_sources()})


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "publisher", "licence", "last_import", "records")
    search_fields = ("name", "slug", "publisher", "licence")
    prepopulated_fields = {"slug": ("name",)}
    # Addresses typed without a scheme are web sites of today: https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        # Subqueries rather than joins: two counts over two relations would multiply.
        records = (
            Provenance.objects.filter(source=OuterRef("pk"))
            .order_by()
            .values("source")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_import_at=Max("runs__started_at"),
                record_count=Coalesce(Subquery(records), 0),
            )
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple[str, ...]:
        # The slug is the one of `manage.py import <slug>`: the importers find their source by it.
        return ("slug",) if obj else ()

    def get_prepopulated_fields(self, request: HttpRequest, obj=None) -> dict:
        return {} if obj else self.prepopulated_fields

    @admin.display(description=_("dernier import"), ordering="last_import_at")
    def last_import(self, obj: Source):
        return obj.last_import_at

    @admin.display(description=_("fiches issues de la source"), ordering="record_count")
    def records(self, obj: Source) -> int:
        return obj.record_count


class ImportRejectionInline(ConfidentialRowsAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    confidential_source_path = "run__source"
    model = ImportRejection
    fields = ("row_number", "external_id", "reason", "raw")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = format_lazy(_("lignes rejetées (les {n} premières)"), n=REJECTIONS_SHOWN)


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "started_at",
        "source",
        "status",
        "dry_run",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
        "duration",
    )
    list_select_related = ("source",)
    list_filter = ("status", "dry_run", "source")
    date_hierarchy = "started_at"
    inlines = (ImportRejectionInline,)
    fields = (
        ("source", "status", "dry_run"),
        ("started_at", "finished_at"),
        ("created_count", "updated_count", "unchanged_count", "rejected_count"),
        "summary",
        "all_rejections",
        "error",
        "parameters",
    )
    readonly_fields = (
        "source",
        "status",
        "dry_run",
        "started_at",
        "finished_at",
        "parameters",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
        "summary",
        "all_rejections",
        "error",
    )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ImportRejectionInline):
            # A run over a whole register can refuse thousands of rows: show the first ones.
            first = obj.rejections.order_by("row_number", "pk").values("pk")[:REJECTIONS_SHOWN]
            kwargs["queryset"] = kwargs["queryset"].filter(pk__in=first)
        return kwargs

    @admin.display(description=_("durée"))
    def duration(self, obj: ImportRun) -> str:
        if obj.finished_at is None:
            return "—"
        return str(obj.finished_at - obj.started_at).split(".")[0]

    @admin.display(description=_("bilan"))
    def summary(self, obj: ImportRun) -> str:
        """Rows read, out of the territory, set aside by the source's rules, what else the
        run read and the points to check, from the run's parameters."""
        values = obj.parameters or {}
        lines = [
            _("%(n)s lignes lues, %(outside)s hors territoire")
            % {"n": values.get("rows_read", 0), "outside": values.get("out_of_territory", 0)}
        ]
        lines += [
            _("écartés : %(count)s %(label)s") % {"count": count, "label": label}
            for label, count in sorted((values.get("set_aside") or {}).items())
        ]
        lines += list(values.get("details") or [])
        lines += [
            _("à vérifier : %(warning)s") % {"warning": w} for w in values.get("warnings") or []
        ]
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines))
        )

    @admin.display(description=_("toutes les lignes rejetées"))
    def all_rejections(self, obj: ImportRun) -> str:
        url = reverse("admin:importers_importrejection_changelist")
        return format_html(
            '<a href="{}?run__exact={}">{}</a>', url, obj.pk, _("Voir la liste complète")
        )


@admin.register(ImportRejection)
class ImportRejectionAdmin(ConfidentialRowsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    confidential_source_path = "run__source"
    list_display = ("run", "row_number", "external_id", "reason")
    list_select_related = ("run__source",)
    list_filter = ("run__source",)
    search_fields = ("external_id", "reason")
    fields = ("run", "row_number", "external_id", "reason", "raw")


@admin.register(Provenance)
class ProvenanceAdmin(ConfidentialRowsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    confidential_source_path = "source"
    list_display = (
        "external_id",
        "source",
        "content_type",
        "record_link",
        "first_seen_at",
        "last_seen",
    )
    list_select_related = ("source", "content_type")
    list_filter = ("source", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=external_id",)
    date_hierarchy = "last_seen_at"
    fields = (
        ("source", "external_id"),
        "record_link",
        ("first_seen_at", "last_seen", "last_run"),
        ("content_hash", "mapping_version"),
        "imported_values",
        "raw",
    )
    readonly_fields = ("record_link", "last_seen")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).with_last_seen()

    @admin.display(description=_("vu pour la dernière fois"), ordering="last_seen")
    def last_seen(self, obj: Provenance):
        return obj.last_seen

    @admin.display(description=_("fiche"))
    def record_link(self, obj: Provenance) -> str:
        return _record_link(obj, f"{obj.content_type.name} n° {obj.object_id}")


def _record_link(provenance: Provenance, label: str) -> str:
    """A link to the admin page of a provenance's record, or `label` alone if it has none."""
    content_type = provenance.content_type
    try:
        url = reverse(
            f"admin:{content_type.app_label}_{content_type.model}_change",
            args=[provenance.object_id],
        )
    except NoReverseMatch:
        return label
    return format_html('<a href="{}">{}</a>', url, label)


def _organisation_link(organisation) -> str:
    url = reverse("admin:directory_organisation_change", args=[organisation.pk])
    return format_html('<a href="{}">{}</a>', url, organisation.name)


class ReviewAdminMixin:
    """Written by the importers, settled by the actions: no adding, editing or deleting."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self.fields


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReviewAdminMixin, admin.ModelAdmin):
    """Possible duplicates found by the imports; merging is left to a person."""

    list_display = ("name_a", "name_b", "similarity_percent", "distance", "status", "found_at")
    list_filter = ("status", "found_by")
    search_fields = ("organisation_a__name", "organisation_b__name")
    list_select_related = ("organisation_a", "organisation_b")
    actions = ("mark_different",)
    fields = (
        "name_a",
        "name_b",
        "similarity_percent",
        "distance",
        "status",
        "found_at",
        "reviewed_by",
        "reviewed_at",
    )

    @admin.display(description=_("organisation A"), ordering="organisation_a__name")
    def name_a(self, obj: DuplicateCandidate) -> str:
        return _organisation_link(obj.organisation_a)

    @admin.display(description=_("organisation B"), ordering="organisation_b__name")
    def name_b(self, obj: DuplicateCandidate) -> str:
        return _organisation_link(obj.organisation_b)

    @admin.display(description=_("ressemblance des noms"), ordering="similarity")
    def similarity_percent(self, obj: DuplicateCandidate) -> str:
        return f"{obj.similarity:.0%}"

    @admin.display(description=_("distance"), ordering="distance_m")
    def distance(self, obj: DuplicateCandidate) -> str:
        if obj.distance_m is None:
            return _("inconnue (même rue, une fiche sans position)")
        return f"{obj.distance_m:.0f} m"

    @admin.action(description=_("Ce sont deux organisations différentes"), permissions=["change"])
    def mark_different(self, request: HttpRequest, queryset: QuerySet[DuplicateCandidate]):
        marked = duplicates_mark_different(
            candidates=queryset.filter(status=DuplicateStatus.PENDING), user=request.user
        )
        self.message_user(
            request, _("%(n)s paire(s) marquée(s) comme différentes.") % {"n": marked}
        )


@admin.register(FieldDisagreement)
class FieldDisagreementAdmin(ConfidentialRowsAdminMixin, ReviewAdminMixin, admin.ModelAdmin):
    confidential_source_path = "provenance__source"
    """Fields where a source disagrees with a person's value; the person's value stays
    until someone accepts the source's."""

    list_display = (
        "record",
        "source",
        "field",
        "current_value",
        "incoming_value",
        "origin",
        "status",
        "found_at",
    )
    list_filter = ("status", "provenance__source", "field")
    search_fields = ("=provenance__external_id", "field")
    list_select_related = ("provenance__source", "provenance__content_type")
    actions = ("accept_source_value", "keep_person_value")
    fields = (
        "record",
        "source",
        "field",
        "current_value",
        "incoming_value",
        "previous_value",
        "origin",
        "status",
        "run",
        "found_at",
        "reviewed_by",
        "reviewed_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[FieldDisagreement]:
        return super().get_queryset(request).prefetch_related("provenance__record")

    @admin.display(description=_("fiche"))
    def record(self, obj: FieldDisagreement) -> str:
        provenance = obj.provenance
        return _record_link(provenance, str(provenance.record or provenance.external_id))

    @admin.display(description=_("valeur de la fiche venue"))
    def origin(self, obj: FieldDisagreement) -> str:
        # The source never wrote this field: the record's value came from elsewhere.
        if obj.previous_value is None:
            return _("d'une autre source ou d'une saisie")
        return _("d'une modification à la main")

    @admin.display(description=_("source"), ordering="provenance__source__name")
    def source(self, obj: FieldDisagreement) -> str:
        return obj.provenance.source.name

    @admin.action(description=_("Appliquer la valeur de la source"), permissions=["change"])
    def accept_source_value(self, request: HttpRequest, queryset: QuerySet[FieldDisagreement]):
        self._settle(request, queryset, disagreement_accept, _("appliquée"))

    @admin.action(description=_("Garder la valeur de la fiche"), permissions=["change"])
    def keep_person_value(self, request: HttpRequest, queryset: QuerySet[FieldDisagreement]):
        self._settle(request, queryset, disagreement_dismiss, _("écartée"))

    def _settle(self, request, queryset, settle, verb: str) -> None:
        """Settle each open disagreement; one that cannot be settled is reported, the
        others are settled anyway."""
        done = 0
        for disagreement in queryset.filter(status=DisagreementStatus.OPEN):
            try:
                settle(disagreement=disagreement, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{disagreement} : {' '.join(error.messages)}", messages.ERROR
                )
                continue
            done += 1
        self.message_user(
            request,
            _("%(n)s valeur(s) de la source %(verb)s.") % {"n": done, "verb": verb},
        )


@admin.register(GeocodingCacheEntry)
class GeocodingCacheEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The BAN's answers as cached; deleting one makes the next import ask again."""

    list_display = ("query", "citycode", "found", "result_type", "score", "label", "created_at")
    list_filter = ("found", "result_type")
    search_fields = ("query", "label")
    date_hierarchy = "created_at"

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("importers.delete_geocodingcacheentry")

"""Where the directory's facts come from: the open-data sources, and the provenance of every
imported record (source, id there, raw record, what the source last wrote, first and last
seen).

These are the directory's because every page shows them ("every fact with its source,
licence and date"); the importers write them (importers.engine). The tables keep the names
they had when the models lived in importers (`importers_source`, `importers_provenance`).
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField, BigIntegerRangeField
from django.db import models
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """An open-data source (its slug is the one of `manage.py import <slug>`)."""

    slug = models.SlugField(_("identifiant"), max_length=64, unique=True)
    name = models.CharField(_("nom"), max_length=255)
    publisher = models.CharField(_("producteur"), max_length=255, blank=True)
    licence = models.CharField(_("licence"), max_length=255, blank=True)
    licence_url = models.URLField(_("texte de la licence"), max_length=500, blank=True)
    url = models.URLField(_("adresse de la source"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    #: The date the source gives its data ("inventaire CGET de 2019", "SIRENE au 1er novembre
    #: 2026"), shown with every fact it gave; the import dates stay in the provenance.
    data_dated = models.CharField(
        _("date des données"),
        max_length=120,
        blank=True,
        help_text=_("La date que la source donne à ses données, pas celle de l'import."),
    )

    class Meta:
        db_table = "importers_source"
        verbose_name = _("source de données")
        verbose_name_plural = _("sources de données")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InRanges(models.Expression):
    """`value <@ ANY(ranges)`: whether the integer `value` lies in one of the `ranges`
    (an array of int8range), as a filter condition."""

    output_field = models.BooleanField()

    def __init__(self, ranges, value) -> None:
        super().__init__()
        self.ranges, self.value = ranges, value

    def get_source_expressions(self) -> list:
        return [self.ranges, self.value]

    def set_source_expressions(self, expressions) -> None:
        self.ranges, self.value = expressions

    def as_sql(self, compiler, connection) -> tuple[str, tuple]:
        ranges_sql, ranges_params = compiler.compile(self.ranges)
        value_sql, value_params = compiler.compile(self.value)
        return f"{value_sql}::bigint <@ ANY({ranges_sql})", (*value_params, *ranges_params)


class ProvenanceQuerySet(models.QuerySet):
    def with_last_seen(self) -> "ProvenanceQuerySet":
        """The provenances with `last_seen`: when a run last saw the record, whether it
        wrote the provenance then (`last_seen_at`) or only saw it unchanged (the latest
        ProvenanceSighting holding its id). Pages and APIs show this date. Reads only."""
        sighted = (
            ProvenanceSighting.objects.filter(
                InRanges(models.F("provenance_ids"), models.OuterRef("pk")),
                source=models.OuterRef("source"),
            )
            .order_by("-seen_at")
            .values("seen_at")[:1]
        )
        return self.annotate(last_seen=Greatest("last_seen_at", models.Subquery(sighted)))


class Provenance(models.Model):
    """Where one record came from: a source, its id there, and what the source last said.

    `imported_values` holds the field values the last import wrote, so that a later import
    can tell a person's edit (current value != imported value) from stale data.
    `mapping_version` is the source's `mapping_version` when its mapper last read the raw
    record: a re-import maps an unchanged record again when it differs ("" for records
    imported before versions existed, so they are mapped again once).

    `last_seen_at` and `last_run` are written when an import writes the provenance; a run
    that finds the record unchanged writes nothing here, it records one ProvenanceSighting
    for all such records (a national re-run would otherwise rewrite a million rows). When
    old sightings are pruned, `last_seen_at` takes the date only they held
    (`importers.engine.aftercare.sightings_prune`).
    Readers take the date from `Provenance.objects.with_last_seen()` (`last_seen`).

    A provenance outlives its record on purpose (no GenericRelation cascades to it): when a
    person deletes a record, its provenance remembers it, and the next import does not
    create it again ("supprimé à la main, non recréé").
    """

    # Not indexed alone: the unique (source, external id) and (content type, object id)
    # indexes lead with them, and each index costs every import's writes.
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="provenances",
        db_index=False,
    )
    external_id = models.CharField(_("identifiant dans la source"), max_length=255)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, db_index=False)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    content_hash = models.CharField(_("empreinte du contenu"), max_length=64)
    mapping_version = models.CharField(
        _("version de la correspondance"), max_length=32, blank=True, default=""
    )
    raw = models.JSONField(_("enregistrement brut"), default=dict)
    imported_values = models.JSONField(_("valeurs importées"), default=dict, blank=True)
    first_seen_at = models.DateTimeField(_("vu pour la première fois"))
    last_seen_at = models.DateTimeField(_("vu pour la dernière fois"))
    last_run = models.ForeignKey(
        "importers.ImportRun",
        verbose_name=_("dernier import l'ayant écrite"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provenances",
    )

    objects = ProvenanceQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when the model lived in importers.
        db_table = "importers_provenance"
        verbose_name = _("provenance")
        verbose_name_plural = _("provenances")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="provenance_unique_source_external_id"
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="provenance_record_idx"),
            # Which sources gave records of a kind (directory.exports.origin): a step each.
            models.Index(fields=["content_type", "source"], name="provenance_kind_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source.slug}:{self.external_id}"


class ProvenanceSighting(models.Model):
    """One import run saw these provenances of a source unchanged, at `seen_at`.

    One row per run for all of them, however many: their ids as a few ranges (a source's
    provenances are mostly numbered in a row), instead of rewriting each provenance. The
    newest few of each source are kept (`importers.engine.aftercare.SIGHTINGS_KEPT`).
    """

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="sightings"
    )
    seen_at = models.DateTimeField(_("vues le"))
    provenance_ids = ArrayField(BigIntegerRangeField(), verbose_name=_("provenances vues"))

    class Meta:
        verbose_name = _("passage d'import sans changement")
        verbose_name_plural = _("passages d'import sans changement")
        indexes = [models.Index(fields=["source", "-seen_at"], name="sighting_source_seen_idx")]

    def __str__(self) -> str:
        return f"{self.source_id}@{self.seen_at:%Y-%m-%d %H:%M}"

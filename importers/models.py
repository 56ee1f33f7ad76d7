"""Where data comes from: sources, import runs and the provenance of every imported record."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
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

    class Meta:
        verbose_name = _("source de données")
        verbose_name_plural = _("sources de données")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    RUNNING = "en-cours", _("En cours")
    SUCCEEDED = "reussi", _("Réussi")
    FAILED = "echec", _("Échec")


class ImportRun(models.Model):
    """One run of one importer: what it was asked, what it did, and what it refused."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="runs"
    )
    started_at = models.DateTimeField(_("début"), auto_now_add=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    dry_run = models.BooleanField(_("répétition (rien n'est enregistré)"), default=False)
    parameters = models.JSONField(_("paramètres"), default=dict, blank=True)
    created_count = models.PositiveIntegerField(_("créés"), default=0)
    updated_count = models.PositiveIntegerField(_("mis à jour"), default=0)
    unchanged_count = models.PositiveIntegerField(_("inchangés"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejetés"), default=0)
    error = models.TextField(_("cause de l'échec"), blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("historique des imports")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["source", "-started_at"], name="run_source_started_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("started_at")),
                name="run_finishes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.slug} {self.started_at:%Y-%m-%d %H:%M}"


class ImportRejection(models.Model):
    """A row an import refused, with the reason a person can act on."""

    run = models.ForeignKey(
        ImportRun, verbose_name=_("import"), on_delete=models.CASCADE, related_name="rejections"
    )
    row_number = models.PositiveIntegerField(_("ligne"), null=True, blank=True)
    external_id = models.CharField(_("identifiant dans la source"), max_length=255, blank=True)
    reason = models.TextField(_("motif"))
    raw = models.JSONField(_("enregistrement brut"), null=True, blank=True)

    class Meta:
        verbose_name = _("ligne rejetée")
        verbose_name_plural = _("lignes rejetées")
        ordering = ["run", "row_number"]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.reason}"


class Provenance(models.Model):
    """Where one record came from: a source, its id there, and what the source last said.

    `imported_values` holds the field values the last import wrote, so that a later import
    can tell a person's edit (current value != imported value) from stale data.
    """

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="provenances"
    )
    external_id = models.CharField(_("identifiant dans la source"), max_length=255)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    content_hash = models.CharField(_("empreinte du contenu"), max_length=64)
    raw = models.JSONField(_("enregistrement brut"), default=dict)
    imported_values = models.JSONField(_("valeurs importées"), default=dict, blank=True)
    first_seen_at = models.DateTimeField(_("vu pour la première fois"))
    last_seen_at = models.DateTimeField(_("vu pour la dernière fois"))
    last_run = models.ForeignKey(
        ImportRun,
        verbose_name=_("dernier import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provenances",
    )

    class Meta:
        verbose_name = _("provenance")
        verbose_name_plural = _("provenances")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="provenance_unique_source_external_id"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="provenance_record_idx")]

    def __str__(self) -> str:
        return f"{self.source.slug}:{self.external_id}"


class GeocodingCacheEntry(models.Model):
    """One answer of the BAN geocoder, kept so that the same address is never asked twice.

    `key` is the digest of the normalised query and the commune code it was asked with
    (`importers.geocoding.cache_key`). The answer is stored as the BAN gave it, found or
    not; whether it is good enough (score, type, commune) is decided when it is read, so a
    change of those rules needs no new query.
    """

    key = models.CharField(_("clé"), max_length=64, unique=True)
    query = models.TextField(_("adresse demandée"))
    citycode = models.CharField(_("code INSEE demandé"), max_length=5, blank=True)
    found = models.BooleanField(_("réponse trouvée"), default=False)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    result_type = models.CharField(_("type de réponse"), max_length=20, blank=True)
    result_citycode = models.CharField(_("code INSEE trouvé"), max_length=5, blank=True)
    result_oldcitycode = models.CharField(_("ancien code INSEE trouvé"), max_length=5, blank=True)
    label = models.CharField(_("adresse trouvée"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("réponse du géocodeur (cache)")
        verbose_name_plural = _("réponses du géocodeur (cache)")

    def __str__(self) -> str:
        return self.query

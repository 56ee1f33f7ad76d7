"""The imports' own records: runs, rejected rows, the geocoder's cache, and what the imports
leave to a person (possible duplicates, disagreements with a source).

Sources and the provenance of every imported record are the directory's
(directory.models.provenance): every page shows them.
"""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from directory.models import Provenance, Source


class RunStatus(models.TextChoices):
    RUNNING = "en-cours", _("En cours")
    SUCCEEDED = "reussi", _("Réussi")
    FAILED = "echec", _("Échec")
    #: Stopped before its end: its process died, or its deadline passed. Nothing was kept.
    INTERRUPTED = "interrompu", _("Interrompu")


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


class GeocodingCacheEntry(models.Model):
    """One answer of the BAN geocoder, kept so that the same address is never asked twice.

    `key` is the digest of the normalised query and the commune code it was asked with
    (`importers.io.geocoding.cache_key`). The answer is stored as the BAN gave it, found or
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


class DuplicateStatus(models.TextChoices):
    PENDING = "a-examiner", _("À examiner")
    DIFFERENT = "differentes", _("Organisations différentes")
    MERGED = "fusionnees", _("Fusionnées à la main")


class DuplicateOrigin(models.TextChoices):
    #: Close names at close places (importers.engine.review.duplicate_candidates_refresh).
    NEARBY = "proximite", _("Noms et lieux proches")
    #: A curated listing and a register's, close names in the same commune
    #: (importers.sources.register_completion): refreshed by the registers' runs only.
    REGISTER = "registre", _("Nom et commune proches d'une fiche du registre")


class DuplicateCandidate(models.Model):
    """Two organisations that may be one: close names, close places, no identifier apart.

    Close places: points within 200 m, or, when one has no point, close street names in
    the same commune.
    Found by `importers.engine.review.duplicate_candidates_refresh`; never merged by a program.
    The pair is ordered (`organisation_a` has the smaller id) so that it is recorded once.
    """

    organisation_a = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation A"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    organisation_b = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation B"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    similarity = models.FloatField(_("ressemblance des noms"))
    #: None when one of them has no point: then their streets in the same commune are close.
    distance_m = models.FloatField(_("distance (m)"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=DuplicateStatus.choices, default=DuplicateStatus.PENDING
    )
    found_at = models.DateTimeField(_("trouvé le"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examiné par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)
    found_by = models.CharField(
        _("trouvé par"),
        max_length=10,
        choices=DuplicateOrigin.choices,
        default=DuplicateOrigin.NEARBY,
    )

    class Meta:
        verbose_name = _("doublon possible")
        verbose_name_plural = _("doublons possibles")
        ordering = ["-similarity", "distance_m"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_a", "organisation_b"], name="duplicate_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(organisation_a__lt=F("organisation_b")), name="duplicate_ordered_pair"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="duplicate_status_idx")]

    def __str__(self) -> str:
        return f"{self.organisation_a_id} ~ {self.organisation_b_id}"


class DisagreementStatus(models.TextChoices):
    OPEN = "ouvert", _("À examiner")
    ACCEPTED = "accepte", _("Valeur de la source retenue")
    DISMISSED = "ecarte", _("Valeur de la fiche gardée")


class FieldDisagreement(models.Model):
    """A field where a source says one thing and the record, edited by a person, another.

    Written by both loading paths when the human-edit rule
    (`importers.engine.human_edits.plan_fields`) keeps the record's value: row by row through
    `importers.engine.review.disagreements_record`, in bulk through
    `importers.engine.sql.review.DISAGREEMENTS_RECORD`. Values are in the shape of
    `Provenance.imported_values` (slugs, [lon, lat], ISO dates). At most one open
    disagreement per provenance and field; a source value already accepted or dismissed is
    not raised again (`importers.engine.review.disagreements_record`).
    """

    provenance = models.ForeignKey(
        Provenance,
        verbose_name=_("provenance"),
        on_delete=models.CASCADE,
        related_name="disagreements",
    )
    field = models.CharField(_("champ"), max_length=64)
    current_value = models.JSONField(_("valeur de la fiche"), encoder=DjangoJSONEncoder)
    incoming_value = models.JSONField(_("valeur de la source"), encoder=DjangoJSONEncoder)
    previous_value = models.JSONField(
        _("valeur importée la fois précédente"), encoder=DjangoJSONEncoder, null=True
    )
    run = models.ForeignKey(
        ImportRun,
        verbose_name=_("dernier import qui l'a vu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disagreements",
    )
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=DisagreementStatus.choices,
        default=DisagreementStatus.OPEN,
    )
    found_at = models.DateTimeField(_("relevé le"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examiné par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)

    class Meta:
        verbose_name = _("désaccord avec une source")
        verbose_name_plural = _("désaccords avec les sources")
        ordering = ["-found_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provenance", "field"],
                condition=Q(status=DisagreementStatus.OPEN),
                name="disagreement_unique_open",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="disagreement_status_idx")]

    def __str__(self) -> str:
        return f"{self.provenance}: {self.field}"


class JobStatus(models.TextChoices):
    QUEUED = "en-attente", _("En attente")
    RUNNING = "en-cours", _("En cours")
    SUCCEEDED = "termine", _("Terminé")
    FAILED = "echec", _("Échec")


class JobOrigin(models.TextChoices):
    UPLOAD = "fichier", _("Fichier CSV envoyé")
    API = "api", _("API des adhérents")


class NetworkImportJob(models.Model):
    """A network's member file or API rows checked (`dry_run`) or applied by a background
    job (importers.web.jobs, importers.tasks), with its progress and its result.

    `content` (the file's bytes) and `rows` (the API's rows) are what the job reads: the
    worker may run on another machine than the request. Both are emptied once they are no
    longer needed (applied, failed, or a preview nobody confirmed in a day).
    """

    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True)
    network = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("réseau"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    origin = models.CharField(_("origine"), max_length=10, choices=JobOrigin.choices)
    dry_run = models.BooleanField(_("aperçu seulement"), default=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    filename = models.CharField(_("fichier"), max_length=255, blank=True)
    content = models.BinaryField(_("contenu du fichier"), null=True, blank=True)
    rows = models.JSONField(_("lignes envoyées"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("lignes à lire"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("lignes lues"), default=0)
    result = models.JSONField(_("résultat"), null=True, blank=True, encoder=DjangoJSONEncoder)
    #: The editor's answers in the preview to the rows "à confirmer" (row number -> a
    #: listing's number or "nouvelle"), applied with the file.
    same_as = models.JSONField(_("réponses « même structure que »"), default=dict, blank=True)
    error = models.TextField(_("cause de l'échec"), blank=True)
    confirms = models.ForeignKey(
        "self",
        verbose_name=_("aperçu confirmé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finie le"), null=True, blank=True)

    class Meta:
        verbose_name = _("tâche d'import d'un réseau")
        verbose_name_plural = _("tâches d'import des réseaux")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["network", "-created_at"], name="job_network_created_idx")]

    def __str__(self) -> str:
        return f"{self.network_id} {self.get_origin_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

"""API tokens of a network: a script of the network pushes its members' listings."""

import hashlib

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class NetworkApiToken(models.Model):
    """A secret that acts for `network` on the API; only its hash is stored.

    The secret is `<prefix>.<key>`: the prefix finds the row, the SHA-256 of the whole
    secret checks it (importers.web.api). A revoked token stays, for the record.
    """

    network = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("réseau"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        limit_choices_to={"kinds__slug": "reseau"},
    )
    name = models.CharField(_("nom"), max_length=80)
    prefix = models.CharField(_("préfixe"), max_length=12, unique=True, editable=False)
    hashed_key = models.CharField(_("empreinte"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernier usage"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("révoqué par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("jeton d'API de réseau")
        verbose_name_plural = _("jetons d'API de réseau")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.network} : {self.name} ({self.prefix}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @staticmethod
    def hash_secret(secret: str) -> str:
        """The stored form of `secret`.

        A token is 32 random bytes: unlike a password it cannot be guessed from a
        dictionary, so one SHA-256 is enough (a slow password hasher would only slow down
        every API call).
        """
        return hashlib.sha256(secret.encode()).hexdigest()


class ReaderApiToken(models.Model):
    """A person's secret for reading what they may read without a session: a GIS client
    (QGIS, GDAL) sends it as `Authorization: Token <secret>` (or `Bearer`) on `/ogc/` and
    `/tiles/`, and sees the staff layers while its person is city staff
    (directory.reader_tokens). Reads only: it never writes, unlike a NetworkApiToken, which
    acts for a network and opens no staff layer.

    Same secret scheme as NetworkApiToken: `<prefix>.<key>`, only the SHA-256 stored.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="reader_api_tokens",
    )
    name = models.CharField(_("nom"), max_length=80)
    prefix = models.CharField(_("préfixe"), max_length=12, unique=True, editable=False)
    hashed_key = models.CharField(_("empreinte"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernier usage"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton de lecture (SIG)")
        verbose_name_plural = _("jetons de lecture (SIG)")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} : {self.name} ({self.prefix}…)"

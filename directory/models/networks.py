"""Who keeps a network's members up to date: the network editors."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class NetworkEditor(models.Model):
    """`user` edits the listings of the members of `network` (an organisation of kind reseau)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="network_editor_roles",
    )
    network = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("réseau"),
        on_delete=models.CASCADE,
        related_name="editors",
        limit_choices_to={"kinds__slug": "reseau"},
    )
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("éditeur de réseau")
        verbose_name_plural = _("éditeurs de réseau")
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="network_editor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.network}"

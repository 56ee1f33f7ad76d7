"""Saved searches and their e-mail alerts (issue 16): no account, an address confirmed by a
link.

A `SavedSearch` is one address following one page's criteria (the pathway's or the funding
landscape's query string, as the page's own form validated it). An `AlertAnnouncement` is
one scheme named to one saved search, once per kind: it makes the digest idempotent (a
scheme is announced once as new, and its deadline once).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedSearchPage(models.TextChoices):
    """The page whose criteria are saved (its URL name in the `directory` namespace)."""

    PATHWAY = "parcours", _("Parcours")
    FUNDING = "financements", _("Financements")


class SavedSearch(models.Model):
    """`email` follows the results of `page` for `query`; confirmed once its link is used."""

    email = models.EmailField(_("courriel"))
    page = models.CharField(_("page"), max_length=16, choices=SavedSearchPage.choices)
    #: The page's query string, normalised (sorted, empty values dropped).
    query = models.TextField(_("critères"), blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonnée le"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)

    class Meta:
        verbose_name = _("recherche suivie")
        verbose_name_plural = _("recherches suivies")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "page", "query"], name="saved_search_one_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_page_display()}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class AnnouncementKind(models.TextChoices):
    NEW = "nouveau", _("Nouveau dispositif")
    DEADLINE = "echeance", _("Clôture proche")


class AlertAnnouncement(models.Model):
    """`scheme` was named to `saved_search` as `kind` in the digest sent at `sent_at`."""

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="announcements"
    )
    scheme = models.ForeignKey(
        "directory.FundingScheme", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("annonce"), max_length=8, choices=AnnouncementKind.choices)
    sent_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("annonce envoyée")
        verbose_name_plural = _("annonces envoyées")
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "scheme", "kind"], name="alert_announced_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.scheme_id}"

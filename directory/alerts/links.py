"""The signed links of the alerts' e-mails: confirm, manage, unsubscribe.

A link carries the saved search's id and its action, signed with Django's signers (SECRET_KEY,
a salt per action): it cannot be made up or changed. The confirmation link expires after
CARTESS_ALERTS_UNCONFIRMED_DAYS (the request is deleted then anyway); the manage and
unsubscribe links live as long as the subscription. Reads only.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import SavedSearch

SALT = "cartess.alerts.link"
CONFIRM, MANAGE, UNSUBSCRIBE = "confirmer", "gerer", "desabonner"
URL_NAMES = {CONFIRM: "alerts:confirm", MANAGE: "alerts:manage", UNSUBSCRIBE: "alerts:unsubscribe"}


class AlertLinkError(Exception):
    """A link that cannot be followed; `message` says why in French and what to do."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def alert_link_path(*, saved_search: SavedSearch, action: str) -> str:
    """The path of `saved_search`'s signed `action` link (CONFIRM, MANAGE or UNSUBSCRIBE)."""
    payload = {"s": saved_search.pk, "a": action}
    if action == CONFIRM:
        token = signing.TimestampSigner(salt=f"{SALT}.{action}").sign_object(payload)
    else:
        token = signing.Signer(salt=f"{SALT}.{action}").sign_object(payload)
    return reverse(URL_NAMES[action], kwargs={"token": token})


def alert_link_url(*, saved_search: SavedSearch, action: str) -> str:
    """The same link, absolute (CARTESS_SITE_URL), for an e-mail."""
    return settings.CARTESS_SITE_URL + alert_link_path(saved_search=saved_search, action=action)


def _payload(token: str, action: str) -> dict:
    try:
        if action == CONFIRM:
            max_age = timedelta(days=settings.CARTESS_ALERTS_UNCONFIRMED_DAYS)
            signer = signing.TimestampSigner(salt=f"{SALT}.{action}")
            return signer.unsign_object(token, max_age=max_age)
        return signing.Signer(salt=f"{SALT}.{action}").unsign_object(token)
    except signing.SignatureExpired as error:
        raise AlertLinkError(
            _(
                "Ce lien de confirmation a expiré : il n'est valable que %(days)s jours. "
                "Refaites la demande depuis la page de votre recherche."
            )
            % {"days": settings.CARTESS_ALERTS_UNCONFIRMED_DAYS},
            status=410,
        ) from error
    except signing.BadSignature as error:
        raise AlertLinkError(_tampered_message(), status=400) from error


def alert_link_open(*, token: str, action: str) -> SavedSearch:
    """The saved search a valid `action` link points to.

    Raises AlertLinkError (French message) when the token was changed or cut (400), when a
    confirmation link has expired (410), or when the saved search no longer exists (410:
    unsubscribed and deleted, or never confirmed in time).
    """
    data = _payload(token, action)
    if not isinstance(data, dict) or data.get("a") != action:
        raise AlertLinkError(_tampered_message(), status=400)
    saved_search = SavedSearch.objects.filter(pk=data.get("s")).first()
    if saved_search is None:
        raise AlertLinkError(
            _(
                "Cette recherche n'est plus suivie : ses données ont été effacées. Pour "
                "recevoir à nouveau ses nouveautés, refaites la demande depuis sa page."
            ),
            status=410,
        )
    return saved_search


def _tampered_message() -> str:
    return _(
        "Ce lien est incomplet ou a été modifié. Copiez-le en entier depuis le courriel "
        "(certaines messageries le coupent en deux lignes)."
    )

"""The login form of `/compte/connexion/`: a username or an e-mail address, and no way in
before the address given at sign-up is confirmed."""

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

UNCONFIRMED = _(
    "Votre adresse électronique n'est pas encore confirmée : ouvrez le lien que nous vous "
    "avons envoyé par courriel (regardez aussi dans les indésirables). Un nouveau lien vient "
    "de partir, s'il n'en est pas parti un il y a moins de trois minutes."
)


class LoginForm(AuthenticationForm):
    """Django's login form, whose `username` also takes an e-mail address (allauth's
    backend); a person who signed up logs in only once their address is confirmed."""

    username = forms.CharField(
        label=_("Nom d\u2019utilisateur ou adresse électronique"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def confirm_login_allowed(self, user) -> None:
        """Refuse a person whose every address is unconfirmed, and send them a new link
        (allauth's `confirm_email` rate limit applies). People created by an administrator
        have no address row: they are let in as before."""
        super().confirm_login_allowed(user)
        addresses = list(EmailAddress.objects.filter(user=user))
        if not addresses or any(address.verified for address in addresses):
            return
        address = next((a for a in addresses if a.primary), addresses[0])
        if ratelimit.consume(self.request, action="confirm_email", key=address.email.lower()):
            address.send_confirmation(self.request)
        raise forms.ValidationError(UNCONFIRMED, code="unconfirmed")

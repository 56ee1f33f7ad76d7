"""The sign-up pages of `/compte/` served by django-allauth, under the URL names allauth
reverses (`account_signup`, `account_confirm_email`...: no namespace).

Only what the sign-up needs is exposed; the login, logout and password pages stay Django's
own (directory.account_urls), and allauth's names for them point to the same addresses.
"""

from allauth.account import views as allauth_views
from django.urls import path, re_path, reverse_lazy
from django.views.generic import RedirectView

urlpatterns = [
    path("inscription/", allauth_views.signup, name="account_signup"),
    path(
        "inscription/courriel-envoye/",
        allauth_views.email_verification_sent,
        name="account_email_verification_sent",
    ),
    re_path(
        r"^confirmer/(?P<key>[-:\w]+)/$",
        allauth_views.confirm_email,
        name="account_confirm_email",
    ),
    path("inactif/", allauth_views.account_inactive, name="account_inactive"),
    # allauth's names for the pages Django serves (its mails and redirects reverse them).
    path(
        "connexion/",
        RedirectView.as_view(url=reverse_lazy("accounts:login"), query_string=True),
        name="account_login",
    ),
    path(
        "mot-de-passe/oubli/",
        RedirectView.as_view(url=reverse_lazy("accounts:password-reset")),
        name="account_reset_password",
    ),
]

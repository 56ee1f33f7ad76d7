"""`/compte/`: login, logout, password reset and the person's own page (French URLs).
Sign-up and e-mail confirmation are django-allauth's (directory.accounts.urls).

One login page for everyone (network editors, moderators, city services); the land
workspace's old address `/foncier/connexion/` redirects here.
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from directory import account_views, reader_token_views
from directory.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path("", account_views.profile, name="profile"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # Reader tokens for QGIS and GDAL (city services): directory/reader_tokens.py.
    path("jetons-sig/", reader_token_views.reader_tokens, name="reader-tokens"),
    path(
        "jetons-sig/<int:pk>/revoquer/",
        reader_token_views.reader_token_revoke,
        name="reader-token-revoke",
    ),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
]

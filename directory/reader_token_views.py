"""`/compte/jetons-sig/`: a city services agent's reader tokens for QGIS and GDAL
(directory.reader_tokens); a new one's secret shown once."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from directory.access import land_staff_required
from directory.models import ReaderApiToken
from directory.reader_tokens import (
    reader_api_token_create,
    reader_api_token_revoke,
    reader_api_tokens_get,
)


class ReaderTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nom du jeton"),
        max_length=80,
        help_text=gettext_lazy("Pour le reconnaître, ex. « QGIS du poste urbanisme »."),
    )


@land_staff_required
def reader_tokens(request: HttpRequest) -> HttpResponse:
    """The person's reader tokens, and the form that creates one (its secret shown once)."""
    form = ReaderTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = reader_api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ReaderTokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": reader_api_tokens_get(user=request.user),
        "ogc_url": request.build_absolute_uri("/ogc/"),
    }
    response = render(request, "directory/reader_tokens.html", context)
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@land_staff_required
@require_POST
def reader_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's own reader tokens for good."""
    token = get_object_or_404(ReaderApiToken, pk=pk, user=request.user)
    reader_api_token_revoke(token=token)
    messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    return redirect("accounts:reader-tokens")

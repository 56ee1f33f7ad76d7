"""The person's own page under `/compte/`; login and password views are Django's own."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from directory.access import signed_in_required, user_roles_get
from directory.contributions.selectors import claims_of_user_get, organisations_owned_by_get


@require_safe
@signed_in_required
def profile(request: HttpRequest) -> HttpResponse:
    """`/compte/`: who I am in Cartess: my networks, my organisations and claims, my roles."""
    context = {
        "roles": user_roles_get(user=request.user),
        "organisations": organisations_owned_by_get(user=request.user),
        "claims": claims_of_user_get(user=request.user),
    }
    return render(request, "accounts/profile.html", context)

"""The person's own page under `/compte/`; login and password views are Django's own."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from directory.access import signed_in_required, user_roles_get
from directory.contributions.selectors import claims_of_user_get
from directory.freshness.selectors import owned_listings_freshness_get


@require_safe
@signed_in_required
def profile(request: HttpRequest) -> HttpResponse:
    """`/compte/`: who I am in Cartess: my networks, my organisations (with their freshness
    and the "confirmer" button) and claims, my roles."""
    today = timezone.localdate()
    context = {
        "roles": user_roles_get(user=request.user),
        "organisations": owned_listings_freshness_get(user=request.user, today=today),
        "claims": claims_of_user_get(user=request.user),
    }
    return render(request, "accounts/profile.html", context)

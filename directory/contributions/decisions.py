"""The one shape of a moderation decision, shared by the suggestions, the claims, the
networks' membership requests and the removal requests: accept in one click, or refuse with
a reason; a refusal whose reason is missing (or that the service refuses) comes back to the
page with the errors and what was typed. Each kind of request is declared once as a
`Decision`; `decision_views` makes its two views (POST only, behind the kind's access
rule). The forms are `contributions/_decision.html`."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST


@dataclass(frozen=True)
class Decision:
    """A kind of request a moderator decides on.

    `get(request, pk)`: the request, or 404/403 for this person; `accept(item, user)` and
    `refuse(item, user, cleaned_data)`: the services (ValidationError when they refuse);
    `refuse_form`: the form of the reason; `accepted`, `refused`: the messages of success;
    `done_url(item)`: where to go after a decision; `accept_failed_url(item)`: where to go
    when acceptance is refused (default: `done_url`); `page(request, item, form)`: the page
    the refuse form comes back to, with its errors (status 400).
    """

    get: Callable[[HttpRequest, int], object]
    accept: Callable[[object, object], object]
    refuse: Callable[[object, object, dict], object]
    refuse_form: type[forms.Form]
    accepted: str
    refused: str
    done_url: Callable[[object], str]
    page: Callable[[HttpRequest, object, forms.Form], HttpResponse]
    accept_failed_url: Callable[[object], str] | None = None


def decision_accept(request: HttpRequest, pk: int, *, decision: Decision) -> HttpResponse:
    """Accept request `pk`: say so and go on, or show why the service refused."""
    item = decision.get(request, pk)
    try:
        decision.accept(item, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect((decision.accept_failed_url or decision.done_url)(item))
    messages.success(request, str(decision.accepted))
    return redirect(decision.done_url(item))


def decision_refuse(request: HttpRequest, pk: int, *, decision: Decision) -> HttpResponse:
    """Refuse request `pk` with the reason posted: say so and go on, or come back to the
    page with the form's errors (a missing reason, the service's ValidationError)."""
    item = decision.get(request, pk)
    form = decision.refuse_form(request.POST)
    if form.is_valid():
        try:
            decision.refuse(item, request.user, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, str(decision.refused))
            return redirect(decision.done_url(item))
    return decision.page(request, item, form)


def decision_views(decision: Decision, *, access: Callable) -> tuple[Callable, Callable]:
    """The accept and refuse views of `decision`, `(request, pk)`: POST only (with Django's
    CSRF check), behind `access` (a person rule's view decorator of directory.access)."""

    def accept(request: HttpRequest, pk: int) -> HttpResponse:
        return decision_accept(request, pk, decision=decision)

    def refuse(request: HttpRequest, pk: int) -> HttpResponse:
        return decision_refuse(request, pk, decision=decision)

    return require_POST(access(accept)), require_POST(access(refuse))

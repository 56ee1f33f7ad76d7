"""The pages of the freshness cycle: a reminder's links, and an editor's "je confirme".

A reminder link first shows a page with one button (GET reads only): mail scanners that
open every link of a message use neither link by doing so.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from directory.access import organisation_edited_or_403, signed_in_required
from directory.freshness.links import ACTIONS, CONFIRM, ReminderLinkError, reminder_link_open
from directory.freshness.services import organisation_confirm, reminder_confirm, reminder_edit_open

TEMPLATE = "directory/freshness/reminder_link.html"


@require_http_methods(["GET", "HEAD", "POST"])
def reminder_link(request: HttpRequest, action: str, token: str) -> HttpResponse:
    """`/fraicheur/<confirmer|modifier>/<token>/`: follow a reminder's signed link."""
    if action not in ACTIONS:
        raise Http404
    try:
        reminder = reminder_link_open(token=token, action=action)
    except ReminderLinkError as error:
        context = {"error": error.message, "action": action}
        return render(
            request, "directory/freshness/reminder_link.html", context, status=error.status
        )
    if request.method != "POST":
        context = {"reminder": reminder, "action": action}
        return render(request, TEMPLATE, context)
    slug = reminder.organisation.slug
    if action == CONFIRM:
        reminder_confirm(reminder=reminder, today=timezone.localdate())
        messages.success(request, _("Merci : la fiche est confirmée à jour aujourd'hui."))
        return redirect("directory:organisation", slug=slug)
    reminder_edit_open(reminder=reminder, session=request.session)
    return redirect("directory:listing-edit", slug=slug)


@require_POST
@signed_in_required
def listing_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """`/organisations/<slug>/confirmer/`: an editor says the listing is still right; back
    to the listing's page, or to `next` when it is the person's account page."""
    organisation = organisation_edited_or_403(user=request.user, slug=slug)
    organisation_confirm(organisation=organisation, user=request.user, today=timezone.localdate())
    messages.success(
        request,
        _("Merci : la fiche %(name)s est confirmée à jour aujourd'hui.")
        % {"name": organisation.name},
    )
    if request.POST.get("next") == reverse("accounts:profile"):
        return redirect("accounts:profile")
    return redirect("directory:organisation", slug=slug)

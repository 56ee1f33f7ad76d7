"""`/moderation/doublons/`: the moderators' list of possible duplicates, each pair side by
side, merged or marked "pas un doublon" (importers.engine.review, directory.merging)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from directory.access import moderator_required
from directory.merging import (
    FieldChoice,
    MergeRefused,
    merge_fields_get,
    merge_survivor_pick,
    merge_survivor_reason,
)
from importers.engine.review import duplicate_merge, duplicates_mark_different
from importers.models import DuplicateCandidate, DuplicateStatus

#: Pairs shown per page.
PAGE_SIZE = 25


class MergeForm(forms.Form):
    """One choice per field where the two listings differ: keep which side's value."""

    def __init__(self, *args, fields: list[FieldChoice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for item in fields:
            if item.differs:
                self.fields[item.field.key] = forms.ChoiceField(
                    label=item.field.label,
                    choices=[
                        ("survivor", item.survivor_value or _("(vide)")),
                        ("absorbed", item.absorbed_value or _("(vide)")),
                    ],
                    initial=item.default,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choisissez la valeur à garder.")},
                )


def _pending() -> object:
    return DuplicateCandidate.objects.filter(status=DuplicateStatus.PENDING).select_related(
        "organisation_a", "organisation_b"
    )


@require_safe
@moderator_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """The pending pairs, the closest names first, 25 a page."""
    page = Paginator(_pending().order_by("-similarity", "distance_m", "pk"), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    return render(request, "importers/duplicates.html", {"page_obj": page_obj})


def _merge_page(request, candidate, form=None, status=200) -> HttpResponse:
    survivor, absorbed = merge_survivor_pick(
        first=candidate.organisation_a, second=candidate.organisation_b
    )
    fields = merge_fields_get(survivor=survivor, absorbed=absorbed)
    context = {
        "candidate": candidate,
        "survivor": survivor,
        "absorbed": absorbed,
        "reason": merge_survivor_reason(survivor=survivor, absorbed=absorbed),
        "fields": fields,
        "form": form or MergeForm(fields=fields),
    }
    return render(request, "importers/duplicate_merge.html", context, status=status)


@require_safe
@moderator_required
def duplicate_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One pair side by side: the survivor the rule picks, and a choice per differing field."""
    return _merge_page(request, get_object_or_404(_pending(), pk=pk))


@require_POST
@moderator_required
def duplicate_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the pair with the chosen values, then back to the list."""
    candidate = get_object_or_404(_pending(), pk=pk)
    survivor, absorbed = merge_survivor_pick(
        first=candidate.organisation_a, second=candidate.organisation_b
    )
    form = MergeForm(request.POST, fields=merge_fields_get(survivor=survivor, absorbed=absorbed))
    if not form.is_valid():
        return _merge_page(request, candidate, form, status=400)
    try:
        merged = duplicate_merge(candidate=candidate, choices=form.cleaned_data, user=request.user)
    except MergeRefused as error:
        form.add_error(None, error.messages)
        # The refused merge was rolled back, but the listings in hand were changed (the
        # absorbed one deleted): the page shows the pair as the database still holds it.
        candidate = get_object_or_404(_pending(), pk=pk)
        return _merge_page(request, candidate, form, status=400)
    messages.success(request, _("Fiches fusionnées dans « %(name)s ».") % {"name": merged.name})
    return redirect("duplicates:list")


@require_POST
@moderator_required
def duplicate_different(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Pas un doublon": the pair is recorded as two organisations and never shown again."""
    candidate = get_object_or_404(_pending(), pk=pk)
    duplicates_mark_different(
        candidates=DuplicateCandidate.objects.filter(pk=candidate.pk), user=request.user
    )
    messages.success(request, _("Paire écartée : elle ne sera plus proposée."))
    return redirect("duplicates:list")

"""The progress page of a network's background import job, and its JSON for the poll.

`/reseaux/<slug>/import/taches/<job>/` is the upload screen (directory/network_import.html)
with the job's status above the form; once the dry run is done, the preview is the screen's
own, and its confirmation starts the job that applies the file (importers.web.jobs).
`.../etat.json` is what static/js/import-job.js reads every few seconds. Both are for the
network's editors and moderators, as the upload screen.
"""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from directory.access import network_edited_or_403, signed_in_required
from directory.forms import NetworkUploadForm
from importers.models import NetworkImportJob
from importers.web.jobs import job_preview, job_progress, network_job_get


def _job_or_404(request: HttpRequest, slug: str, job) -> tuple:
    network = network_edited_or_403(user=request.user, slug=slug)
    found: NetworkImportJob | None = network_job_get(network=network, public_id=job)
    if found is None:
        raise Http404
    return network, found


@signed_in_required
@require_safe
def network_import_job(request: HttpRequest, slug: str, job) -> HttpResponse:
    """Where the job stands; its preview or its result once it is done."""
    network, found = _job_or_404(request, slug, job)
    context = {
        "network": network,
        "form": NetworkUploadForm(),
        "job": found,
        "progress": job_progress(found),
        "preview": job_preview(found),
        "may_confirm": found.user_id == request.user.pk,
    }
    return render(request, "importers/network_import_job.html", context)


@signed_in_required
@require_safe
def network_import_job_status(request: HttpRequest, slug: str, job) -> JsonResponse:
    """The job's status, rows read and French text, for the page's poll."""
    _network, found = _job_or_404(request, slug, job)
    response = JsonResponse(job_progress(found))
    response["Cache-Control"] = "no-store"
    return response

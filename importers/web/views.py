"""The CSV upload screens of a network's members (`/reseaux/<slug>/import/`).

For the editors of that network and moderators (directory.access.network_edited_or_403);
the checks, dry run and confirmation live in importers.web.uploads.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.access import network_edited_or_403, signed_in_required
from directory.forms import NetworkUploadConfirmForm, NetworkUploadForm
from importers.web.jobs import network_upload_job_confirm, network_upload_job_start
from importers.web.uploads import (
    UploadRefused,
    network_csv_template,
    network_upload_apply,
    network_upload_preview,
    report_unplaced,
    unplaced_text,
)

#: The preview's answer for a row "à confirmer" is posted as `meme_que_<row number>`.
SAME_AS_FIELD = "meme_que_"


@signed_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def network_import(request: HttpRequest, slug: str) -> HttpResponse:
    """`/reseaux/<slug>/import/`: upload the member file and see its dry run, row by row."""
    network = network_edited_or_403(user=request.user, slug=slug)
    form = NetworkUploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = network_upload_job_start(network=network, upload=upload, user=request.user)
            if job is not None:  # a big file: checked by a background job
                return redirect(_job_url(network, job))
            preview = network_upload_preview(
                network=network, upload=upload, session=request.session
            )
        except UploadRefused as error:
            form.add_error("file", error.message)
    context = {"network": network, "form": form, "preview": preview}
    return render(request, "directory/network_import.html", context)


@signed_in_required
@require_POST
def network_import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply the previewed file, atomically, then come back to the upload screen."""
    network = network_edited_or_403(user=request.user, slug=slug)
    form = NetworkUploadConfirmForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    same_as = {
        int(key.removeprefix(SAME_AS_FIELD)): value
        for key, value in request.POST.items()
        if key.startswith(SAME_AS_FIELD) and key.removeprefix(SAME_AS_FIELD).isdigit() and value
    }
    try:
        job = network_upload_job_confirm(
            network=network, token=token, user=request.user, same_as=same_as
        )
        if job is not None:  # a preview made by a background job: applied by another
            return redirect(_job_url(network, job))
        report = network_upload_apply(
            network=network, token=token, session=request.session, same_as=same_as
        )
    except UploadRefused as error:
        messages.error(request, error.message)
    else:
        counts = {name: getattr(report, name) for name in ("created", "updated", "unchanged")}
        messages.success(
            request,
            _(
                "Fichier appliqué : %(created)s fiches créées, %(updated)s mises à jour, "
                "%(unchanged)s inchangées, %(rejected)s lignes refusées."
            )
            % (counts | {"rejected": report.rejected}),
        )
        if unplaced := report_unplaced(report):
            messages.warning(request, unplaced_text(unplaced))
    return redirect("network-imports:network-import", slug=network.slug)


def _job_url(network, job) -> str:
    return reverse(
        "network-imports:network-import-job", kwargs={"slug": network.slug, "job": job.public_id}
    )


@signed_in_required
@require_safe
def network_import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """The CSV template, its example row naming this network."""
    network = network_edited_or_403(user=request.user, slug=slug)
    response = HttpResponse(
        network_csv_template(network=network), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="modele-adherents.csv"'
    return response


@signed_in_required
@require_safe
def network_import_documentation(request: HttpRequest, slug: str) -> HttpResponse:
    """The template's notice, written for the network's editors (the Markdown notice beside
    the template, importers/data/network-csv-template.md, is the developers' one)."""
    network = network_edited_or_403(user=request.user, slug=slug)
    return render(request, "importers/network_csv_notice.html", {"network": network})

"""The network upload screens, under the network's own URL (`/reseaux/<slug>/import/`)."""

from django.urls import path

from importers.web import job_views, views

app_name = "network-imports"

urlpatterns = [
    path("reseaux/<slug:slug>/import/", views.network_import, name="network-import"),
    path(
        "reseaux/<slug:slug>/import/confirmer/",
        views.network_import_confirm,
        name="network-import-confirm",
    ),
    path(
        "reseaux/<slug:slug>/import/taches/<uuid:job>/",
        job_views.network_import_job,
        name="network-import-job",
    ),
    path(
        "reseaux/<slug:slug>/import/taches/<uuid:job>/etat.json",
        job_views.network_import_job_status,
        name="network-import-job-status",
    ),
    path(
        "reseaux/<slug:slug>/import/modele.csv",
        views.network_import_template,
        name="network-import-template",
    ),
    path(
        "reseaux/<slug:slug>/import/notice/",
        views.network_import_documentation,
        name="network-import-documentation",
    ),
]

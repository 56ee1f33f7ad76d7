"""The network upload screens, under the network's own URL (`/reseaux/<slug>/import/`)."""

from django.urls import path

from importers.web import views

app_name = "network-imports"

urlpatterns = [
    path("reseaux/<slug:slug>/import/", views.network_import, name="network-import"),
    path(
        "reseaux/<slug:slug>/import/confirmer/",
        views.network_import_confirm,
        name="network-import-confirm",
    ),
    path(
        "reseaux/<slug:slug>/import/modele.csv",
        views.network_import_template,
        name="network-import-template",
    ),
    path(
        "reseaux/<slug:slug>/import/modele.md",
        views.network_import_documentation,
        name="network-import-documentation",
    ),
]

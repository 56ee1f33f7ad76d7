"""Public pages of the directory (French URLs of the public contract, DESIGN.md)."""

from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("annuaire/", views.directory, name="directory"),
    path("annuaire/export.csv", views.directory_export_csv, name="export-csv"),
    path("annuaire/export.geojson", views.directory_export_geojson, name="export-geojson"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
]

"""Public map pages (French URLs of the public contract, DESIGN.md)."""

from django.urls import path

from cartography import views

app_name = "cartography"

urlpatterns = [
    path("carte/", views.map_page, name="map"),
]

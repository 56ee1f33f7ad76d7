"""Public pages of the directory (French URLs of the public contract, DESIGN.md)."""

from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
]

"""Requests to actors and places (French URLs, DESIGN.md)."""

from django.urls import path

from directory.mobilisations import inbox_views, views

app_name = "mobilisations"

urlpatterns = [
    path("organisations/<slug:slug>/mobiliser/", views.mobilise, name="mobilise"),
    path(
        "organisations/<slug:slug>/demander-un-espace/",
        views.space_request,
        name="space-request",
    ),
    path("demandes/suivi/<str:token>/", views.follow, name="follow"),
    path("compte/demandes/", inbox_views.inbox, name="inbox"),
    path("reseaux/<slug:slug>/demandes/", inbox_views.network_inbox, name="network-inbox"),
    path("demandes/flux/", inbox_views.flows, name="flows"),
    path("demandes/<int:pk>/", inbox_views.detail, name="detail"),
    path("demandes/<int:pk>/statut/", inbox_views.status_change, name="status"),
    path("demandes/<int:pk>/orienter/", inbox_views.refer, name="refer"),
    path("demandes/<int:pk>/ville/", inbox_views.send_to_city, name="send-to-city"),
]

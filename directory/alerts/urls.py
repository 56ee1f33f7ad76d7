"""`/alertes/`: saved searches and their e-mail alerts (French URLs)."""

from django.urls import path

from directory.alerts import views

app_name = "alerts"

urlpatterns = [
    path("alertes/", views.alert_request, name="request"),
    path("alertes/demande-envoyee/", views.alert_requested, name="requested"),
    path("alertes/confirmer/<str:token>/", views.alert_confirm, name="confirm"),
    path("alertes/gerer/<str:token>/", views.alert_manage, name="manage"),
    path("alertes/desabonner/<str:token>/", views.alert_unsubscribe, name="unsubscribe"),
]

"""`/contribuer/` and `/moderation/` (French URLs of the public contract, DESIGN.md)."""

from django.urls import path

from directory.contributions import views

app_name = "contributions"

urlpatterns = [
    path("contribuer/", views.contribute, name="contribute"),
    path("contribuer/merci/", views.thanks, name="thanks"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/<int:pk>/", views.review, name="review"),
    path("moderation/<int:pk>/accepter/", views.approve, name="approve"),
    path("moderation/<int:pk>/refuser/", views.reject, name="reject"),
]

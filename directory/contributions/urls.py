"""`/contribuer/`, `/moderation/`, claims and history pages (French URLs, DESIGN.md)."""

from django.urls import path

from directory.contributions import history_views, views

app_name = "contributions"

urlpatterns = [
    path("contribuer/", views.contribute, name="contribute"),
    path("contribuer/merci/", views.thanks, name="thanks"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/<int:pk>/", views.review, name="review"),
    path("moderation/<int:pk>/accepter/", views.approve, name="approve"),
    path("moderation/<int:pk>/refuser/", views.reject, name="reject"),
    path("organisations/<slug:slug>/revendiquer/", views.claim, name="claim"),
    path("moderation/revendications/<int:pk>/", views.claim_review, name="claim-review"),
    path(
        "moderation/revendications/<int:pk>/accepter/",
        views.claim_approve_view,
        name="claim-approve",
    ),
    path(
        "moderation/revendications/<int:pk>/refuser/",
        views.claim_reject_view,
        name="claim-reject",
    ),
    path(
        "organisations/<slug:slug>/historique/",
        history_views.history,
        {"kind": "organisation"},
        name="organisation-history",
    ),
    path(
        "organisations/<slug:slug>/historique/<int:history_id>/revenir/",
        history_views.revert,
        {"kind": "organisation"},
        name="organisation-revert",
    ),
    path(
        "financements/<slug:slug>/historique/",
        history_views.history,
        {"kind": "financement"},
        name="funding-scheme-history",
    ),
    path(
        "financements/<slug:slug>/historique/<int:history_id>/revenir/",
        history_views.revert,
        {"kind": "financement"},
        name="funding-scheme-revert",
    ),
    path(
        "accompagnements/<slug:slug>/historique/",
        history_views.history,
        {"kind": "accompagnement"},
        name="support-offer-history",
    ),
    path(
        "accompagnements/<slug:slug>/historique/<int:history_id>/revenir/",
        history_views.revert,
        {"kind": "accompagnement"},
        name="support-offer-revert",
    ),
    path(
        "foncier/<slug:slug>/historique/",
        history_views.history,
        {"kind": "site"},
        name="premises-history",
    ),
    path(
        "foncier/<slug:slug>/historique/<int:history_id>/revenir/",
        history_views.revert,
        {"kind": "site"},
        name="premises-revert",
    ),
]

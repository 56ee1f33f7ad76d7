"""`/contribuer/`, `/moderation/`, claims and history pages (French URLs, DESIGN.md)."""

from django.urls import path

from directory.contributions import history_views, removal_views, views
from directory.contributions.history_views import HISTORY_KINDS

app_name = "contributions"

# A site's history (`premises-history`, `premises-revert`, /foncier/<slug>/historique/) is
# cartography's: config/urls.py adds cartography.urls.contributions_urlpatterns to this
# namespace, so the names stay.

urlpatterns = [
    path("contribuer/", views.contribute, name="contribute"),
    path("contribuer/merci/", views.thanks, name="thanks"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/<int:pk>/", views.review, name="review"),
    path("moderation/<int:pk>/accepter/", views.approve, name="approve"),
    path("moderation/<int:pk>/refuser/", views.reject, name="reject"),
    path("organisations/<slug:slug>/revendiquer/", views.claim, name="claim"),
    path("moderation/adhesions/", views.membership_requests, name="membership-requests"),
    path(
        "organisations/<slug:slug>/retrait/",
        removal_views.removal_request,
        name="removal-request",
    ),
    path("moderation/retraits/", removal_views.removal_requests, name="removal-requests"),
    path(
        "moderation/retraits/<int:pk>/accepter/",
        removal_views.removal_request_accept_view,
        name="removal-request-accept",
    ),
    path(
        "moderation/retraits/<int:pk>/refuser/",
        removal_views.removal_request_refuse_view,
        name="removal-request-refuse",
    ),
    path(
        "moderation/adhesions/<int:pk>/accepter/",
        views.membership_request_accept_view,
        name="membership-request-accept",
    ),
    path(
        "moderation/adhesions/<int:pk>/refuser/",
        views.membership_request_refuse_view,
        name="membership-request-refuse",
    ),
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
        {"kind": HISTORY_KINDS["organisation"]},
        name="organisation-history",
    ),
    path(
        "organisations/<slug:slug>/historique/<int:history_id>/revenir/",
        history_views.revert,
        {"kind": HISTORY_KINDS["organisation"]},
        name="organisation-revert",
    ),
    path(
        "financements/<slug:slug>/historique/",
        history_views.history,
        {"kind": HISTORY_KINDS["financement"]},
        name="funding-scheme-history",
    ),
    path(
        "financements/<slug:slug>/historique/<int:history_id>/revenir/",
        history_views.revert,
        {"kind": HISTORY_KINDS["financement"]},
        name="funding-scheme-revert",
    ),
    path(
        "accompagnements/<slug:slug>/historique/",
        history_views.history,
        {"kind": HISTORY_KINDS["accompagnement"]},
        name="support-offer-history",
    ),
    path(
        "accompagnements/<slug:slug>/historique/<int:history_id>/revenir/",
        history_views.revert,
        {"kind": HISTORY_KINDS["accompagnement"]},
        name="support-offer-revert",
    ),
]

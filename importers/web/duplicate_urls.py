"""`/moderation/doublons/`: possible duplicates, for moderators (importers.web.duplicates)."""

from django.urls import path

from importers.web import duplicates

app_name = "duplicates"

urlpatterns = [
    path("moderation/doublons/", duplicates.duplicate_list, name="list"),
    path("moderation/doublons/<int:pk>/", duplicates.duplicate_review, name="review"),
    path("moderation/doublons/<int:pk>/fusionner/", duplicates.duplicate_merge_view, name="merge"),
    path(
        "moderation/doublons/<int:pk>/pas-un-doublon/",
        duplicates.duplicate_different,
        name="different",
    ),
]

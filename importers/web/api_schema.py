"""The shapes of the network API's answers, for its OpenAPI schema only (`/api/docs/`):
the views build plain dicts (importers.web.api, importers.web.jobs_api); these describe them."""

from rest_framework import serializers

PREVIEW_ROW_STATUSES = ("new", "changed", "unchanged", "rejected", "outside")
JOB_STATUSES = ("en-attente", "en-cours", "termine", "echec")


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True, help_text="« (effacé) » pour un champ vidé.")


class PreviewRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["new", "changed", "unchanged", "rejected", "outside"])
    changes = ChangeSerializer(many=True)
    not_applied = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField(allow_blank=True)


class RejectionSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    reason = serializers.CharField()


class MembersAnswerSerializer(serializers.Serializer):
    """With `dry_run`: `counts` and `rows`; without: what was applied, in one transaction."""

    dry_run = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField(), required=False)
    rows = PreviewRowSerializer(many=True, required=False)
    created = serializers.IntegerField(required=False)
    updated = serializers.IntegerField(required=False)
    unchanged = serializers.IntegerField(required=False)
    rejected = serializers.IntegerField(required=False)
    outside = serializers.IntegerField(required=False)
    rejections = RejectionSerializer(many=True, required=False)


class JobProgressSerializer(serializers.Serializer):
    job = serializers.UUIDField()
    status = serializers.ChoiceField(choices=JOB_STATUSES)
    finished = serializers.BooleanField()
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField()
    text = serializers.CharField()
    error = serializers.CharField(allow_blank=True)


class JobAcceptedSerializer(JobProgressSerializer):
    status_url = serializers.URLField()


class JobStatusSerializer(JobProgressSerializer):
    dry_run = serializers.BooleanField()
    result = MembersAnswerSerializer(required=False)


class ApiErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()

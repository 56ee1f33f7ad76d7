"""The network API: a network's script pushes its members' rows with a token of that network.

`POST /api/v1/networks/<slug>/members/` takes the rows of the network CSV template as JSON
(importers/data/network-csv-template.md) and runs them through the same engine as the
upload screen (importers.web.uploads): `?dry_run=1` answers the row-by-row preview, otherwise
the rows are applied in one transaction. The token is sent as `Authorization: Bearer
<secret>`; it only acts for its own network (directory.access.network_token_acts_for), and
the run is limited to that network, so it never reaches another network's members. A
missing, unknown or revoked token gets 401 (with `WWW-Authenticate: Bearer`); a valid token
of another network gets 403.
"""

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from directory.access import NETWORK_KIND, network_token_acts_for
from directory.contributions.selectors import network_api_token_get
from directory.models import NetworkApiToken, Organisation
from directory.services import network_api_token_used
from importers.sources.network_rows import CLEARABLE
from importers.web.api_schema import (
    ApiErrorSerializer,
    JobAcceptedSerializer,
    MembersAnswerSerializer,
)
from importers.web.jobs import (
    job_progress,
    network_rows_job_start,
    report_summary,
    rows_are_many,
)
from importers.web.uploads import (
    COLUMNS,
    RowPreview,
    UploadRefused,
    network_rows_apply,
    network_rows_preview,
    preview_counts,
)

KEYWORD = "Bearer"
#: A network's member list is a few thousand rows at most, as the 2 MB upload limit.
MAX_ROWS = 5000
TRUE = ("1", "true", "oui")


class NetworkTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <secret>` -> (anonymous user, the NetworkApiToken).

    A bad or missing token is a 401 with `WWW-Authenticate: Bearer` (`authenticate_header`):
    the caller must authenticate; a token that may not act here is a 403 (the views).
    """

    def authenticate(self, request: Request):
        keyword, _space, secret = request.headers.get("Authorization", "").partition(" ")
        if keyword != KEYWORD:
            return None
        token = network_api_token_get(secret=secret.strip())
        if token is None:
            raise AuthenticationFailed(_("Jeton d'API inconnu ou révoqué."))
        network_api_token_used(token=token)
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'


class NetworkTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = NetworkTokenAuthentication
    name = "jetonReseau"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("Jeton d'API d'un réseau, créé sur /reseaux/<slug>/jetons/."),
        }


class HasNetworkToken(BasePermission):
    message = gettext_lazy(
        "Un jeton d'API de réseau est nécessaire (en-tête Authorization: Bearer …)."
    )

    def has_permission(self, request: Request, view) -> bool:
        return isinstance(request.auth, NetworkApiToken)


class NetworkTokenThrottle(SimpleRateThrottle):
    """A light limit per token: a member list is pushed a few times a day, not per second."""

    rate = "30/min"

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.auth, NetworkApiToken):
            return None
        return f"network-api:{request.auth.pk}"


class MemberRowSerializer(serializers.Serializer):
    """One row of the template; every column is text, as in the CSV file. A key left out or
    empty changes nothing; `clear` lists the columns to empty (the file's "(effacer)")."""

    def get_fields(self) -> dict:
        fields = {name: serializers.CharField(required=False, allow_blank=True) for name in COLUMNS}
        fields["nom"] = serializers.CharField(required=True, allow_blank=True)
        fields["clear"] = serializers.ListField(
            child=serializers.ChoiceField(choices=CLEARABLE), required=False
        )
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - {*COLUMNS, "clear"})
            if unknown:
                raise serializers.ValidationError(
                    _("Colonnes inconnues : %(names)s.") % {"names": ", ".join(unknown)}
                )
        return super().to_internal_value(data)

    def validate(self, attrs: dict) -> dict:
        """A column cannot be both given and cleared."""
        both = sorted(name for name in attrs.get("clear", ()) if attrs.get(name))
        if both:
            raise serializers.ValidationError(
                _("Colonnes à la fois remplies et à effacer : %(names)s.")
                % {"names": ", ".join(both)}
            )
        return attrs


class MembersPushSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=MemberRowSerializer(), allow_empty=False, max_length=MAX_ROWS
    )


def _with_network(row: dict, network: Organisation) -> dict:
    """The row, naming `network` when it names none (the token already says which)."""
    return row if row.get("reseau") else row | {"reseau": network.slug}


def _preview_as_dict(row: RowPreview) -> dict:
    changes = [{"field": c.label, "old": c.old, "new": c.new} for c in row.changes]
    return {
        "row": row.number,
        "name": row.name,
        "status": row.status,
        "changes": changes,
        "not_applied": list(row.not_applied),
        "reason": row.reason,
    }


class NetworkMembersApi(APIView):
    """Create or update a network's members from rows of the CSV template."""

    authentication_classes = [NetworkTokenAuthentication]
    permission_classes = [HasNetworkToken]
    throttle_classes = [NetworkTokenThrottle]

    @extend_schema(
        operation_id="network_members_push",
        description=(
            "Chaque ligne a pour clés les colonnes du modèle CSV. Seul ce qui est envoyé "
            "change : une clé absente ou vide laisse la valeur de la fiche telle quelle. Pour "
            "vider un champ, nommez sa colonne dans la liste `clear` de la ligne, par exemple "
            '`{"nom": "Atelier", "siret": "…", "clear": ["site_web", "courriel"]}` '
            f"(colonnes possibles : {', '.join(CLEARABLE)}). La ligne d'exemple du modèle "
            "est refusée. Une ligne sans SIRET ni RNA dont le nom ressemble à celui d'une "
            "fiche au même endroit est refusée « à confirmer » (son motif donne la fiche, "
            '#numéro, et la ressemblance) : renvoyez-la avec `"meme_que": <numéro>` si c\'est '
            'la même structure, `"meme_que": "nouvelle"` sinon.'
        ),
        request=MembersPushSerializer,
        parameters=[
            OpenApiParameter(
                "dry_run",
                bool,
                description="1 : aperçu ligne à ligne (nouveau, modifié ancien → nouveau, "
                "inchangé, refusé avec le motif), sans rien écrire.",
            )
        ],
        responses={
            200: OpenApiResponse(
                MembersAnswerSerializer,
                description="Avec dry_run : `counts` et `rows` (row, name, status = new, "
                "changed, unchanged, rejected ou outside (adresse hors du territoire, non "
                "importée), changes [{field, old, new}] (new = « (effacé) » pour un champ "
                "vidé), not_applied (les valeurs envoyées mais non appliquées, avec leur "
                "raison : correction d'une personne conservée, e-mail personnel non "
                "publié...), reason). Sinon : `created`, "
                "`updated`, `unchanged`, `rejected`, `outside`, `rejections` "
                "[{row, reason}] et `unplaced` (les lignes importées sans position : le "
                "géocodeur BAN n'a pas répondu), les lignes acceptées appliquées en une "
                "transaction.",
            ),
            202: OpenApiResponse(
                JobAcceptedSerializer,
                description="Plus de lignes que CARTESS_JOB_ROWS (500 par défaut) : le "
                "travail est confié à une tâche de fond. `job`, `status` et `status_url` "
                "(aussi dans l'en-tête Location) : l'adresse à interroger avec le même jeton "
                "jusqu'à `finished` vrai ; `result` a alors la forme de la réponse 200.",
            ),
            400: OpenApiResponse(description="Corps invalide (colonnes inconnues...)."),
            401: OpenApiResponse(ApiErrorSerializer, description="Jeton absent ou révoqué."),
            403: OpenApiResponse(ApiErrorSerializer, description="Jeton d'un autre réseau."),
            404: OpenApiResponse(ApiErrorSerializer, description="Réseau inconnu."),
            429: OpenApiResponse(ApiErrorSerializer, description="Trop de requêtes."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        network = get_object_or_404(Organisation, slug=slug, kinds__slug=NETWORK_KIND)
        if not network_token_acts_for(token=request.auth, network=network):
            raise PermissionDenied(_("Ce jeton n'appartient pas à ce réseau."))
        body = MembersPushSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = [_with_network(row, network) for row in body.validated_data["rows"]]
        dry_run = request.query_params.get("dry_run", "").lower() in TRUE
        if rows_are_many(rows=rows):  # too long for one request: a background job
            job = network_rows_job_start(network=network, rows=rows, dry_run=dry_run)
            url = request.build_absolute_uri(
                reverse("api:network-members-job", kwargs={"slug": slug, "job": job.public_id})
            )
            answer = {"job": str(job.public_id), "status_url": url, **job_progress(job)}
            return Response(answer, status=202, headers={"Location": url})
        try:
            if dry_run:
                return Response(self._preview(network, rows))
            return Response(self._apply(network, rows))
        except UploadRefused as error:
            return Response({"detail": error.message}, status=400)

    @staticmethod
    def _preview(network: Organisation, rows: list[dict]) -> dict:
        previews = network_rows_preview(network=network, rows=rows)
        return {
            "dry_run": True,
            "counts": preview_counts(previews),
            "rows": [_preview_as_dict(r) for r in previews],
        }

    @staticmethod
    def _apply(network: Organisation, rows: list[dict]) -> dict:
        report = network_rows_apply(network=network, rows=rows)
        return {"dry_run": False} | report_summary(report)

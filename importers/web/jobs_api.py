"""`GET /api/v1/networks/<slug>/members/jobs/<job>/`: where a members API job stands.

A members API call with more rows than CARTESS_JOB_ROWS is answered 202 with this address
(importers.web.api); the network's script reads it with a token of the same network until
`finished` is true. `result` then has the shape of the synchronous answer (a dry run's
`counts` and `rows`, or the counts and rejections of the rows applied).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from directory.access import NETWORK_KIND, network_token_acts_for
from directory.models import Organisation
from importers.models import JobStatus, NetworkImportJob
from importers.web.api import (
    HasNetworkToken,
    NetworkTokenAuthentication,
    NetworkTokenThrottle,
    _preview_as_dict,
)
from importers.web.api_schema import ApiErrorSerializer, JobStatusSerializer
from importers.web.jobs import job_preview, job_progress, network_job_get
from importers.web.uploads import preview_counts


class JobStatusThrottle(NetworkTokenThrottle):
    """Reading a job's status is cheap: a poll every second or two, apart from the pushes."""

    rate = "120/min"

    def get_cache_key(self, request: Request, view) -> str | None:
        key = super().get_cache_key(request, view)
        return None if key is None else f"{key}:jobs"


def job_answer(job: NetworkImportJob) -> dict:
    """The job's progress, with its result in the members API's shape once it succeeded."""
    answer = {"job": str(job.public_id), "dry_run": job.dry_run, **job_progress(job)}
    if job.status != JobStatus.SUCCEEDED:
        return answer
    preview = job_preview(job)
    if preview is not None:
        rows = [_preview_as_dict(row) for row in preview.rows]
        answer["result"] = {"dry_run": True, "counts": preview_counts(preview.rows), "rows": rows}
    else:
        answer["result"] = {"dry_run": False, **(job.result or {})}
    return answer


class NetworkMembersJobApi(APIView):
    """The status and, when done, the result of a members API call run in the background."""

    authentication_classes = [NetworkTokenAuthentication]
    permission_classes = [HasNetworkToken]
    throttle_classes = [JobStatusThrottle]

    @extend_schema(
        operation_id="network_members_job",
        parameters=[
            OpenApiParameter(
                "job", OpenApiTypes.UUID, OpenApiParameter.PATH, description="La tâche."
            )
        ],
        responses={
            200: OpenApiResponse(
                JobStatusSerializer,
                description="`status` (en-attente, en-cours, termine, echec), `finished`, "
                "`rows_done`, `rows_total`, `text` (en français), `error` en cas d'échec "
                "(rien n'a alors été enregistré) et, une fois terminé, `result` : la "
                "réponse qu'aurait donnée l'appel direct.",
            ),
            401: OpenApiResponse(ApiErrorSerializer, description="Jeton absent ou révoqué."),
            403: OpenApiResponse(ApiErrorSerializer, description="Jeton d'un autre réseau."),
            404: OpenApiResponse(
                ApiErrorSerializer, description="Pas de tâche de ce réseau à cette adresse."
            ),
        },
    )
    def get(self, request: Request, slug: str, job) -> Response:
        network = get_object_or_404(Organisation, slug=slug, kinds__slug=NETWORK_KIND)
        if not network_token_acts_for(token=request.auth, network=network):
            raise PermissionDenied(_("Ce jeton n'appartient pas à ce réseau."))
        found = network_job_get(network=network, public_id=job)
        if found is None:
            raise NotFound(_("Pas de tâche de ce réseau à cette adresse."))
        return Response(job_answer(found), headers={"Cache-Control": "no-store"})

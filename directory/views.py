"""Public pages of the directory, and the health check probes read."""

import logging

from django.db import Error as DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from directory.selectors import database_postgis_version_get, directory_summary_get

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The home page: what Cartess is for, with live counts of what it lists."""
    return render(request, "directory/home.html", {"summary": directory_summary_get()})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the PostGIS version when the database answers, 503 when it does not."""
    try:
        version = database_postgis_version_get()
    except DatabaseError as error:
        # A probe polls often: one line per failure, not a stack trace.
        logger.warning("Health check: the database did not answer: %s", error)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "postgis": version})

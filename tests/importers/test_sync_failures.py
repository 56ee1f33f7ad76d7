"""Every live source of `sync` against a local server that fails the way servers do: a 5xx,
a 429 that does not end, a timeout, an HTML page, a cut body. Each source's run is recorded
"échec" with a French cause and nothing of it is kept; no source needs the network."""

import re
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from werkzeug import Request, Response

from cartography.models import Premises, ReferenceArea
from directory.models import FundingScheme, Organisation, SupportOffer
from importers.models import ImportRun, RunStatus

pytestmark = pytest.mark.django_db

#: The live sources `sync` reads from a URL (the seed reads its bundled file first).
SOURCES = (
    "aides-territoires",
    "sirene",
    "rna",
    "recherche-entreprises",
    "data-inclusion",
    "cartofriches",
    "qpv",
)


def server_error(_request: Request) -> Response:
    return Response("panne", status=503)


def throttled(_request: Request) -> Response:
    return Response("", status=429, headers={"Retry-After": "30"})


#: Set when a test ends: the slow answers it left in the (single-threaded) server return at
#: once, instead of making the next test's requests time out.
RELEASED = threading.Event()


def too_slow(_request: Request) -> Response:
    RELEASED.wait(1)
    return Response("trop tard")


def html_page(_request: Request) -> Response:
    return Response("<html><body>Maintenance</body></html>", content_type="text/html")


def cut_body(_request: Request) -> Response:
    return Response(iter([b'{"res']), headers={"Content-Length": "4000"})


FAILURES = {
    "5xx": (server_error, r"erreur du serveur \(HTTP 503\)"),
    "429": (throttled, r"trop de requêtes \(HTTP 429\)"),
    "html": (html_page, r"a renvoyé une page HTML"),
    "cut": (cut_body, r"réponse tronquée ou connexion coupée"),
    "timeout": (too_slow, r"pas de réponse \(délai d'attente dépassé\)"),
}


@pytest.fixture(autouse=True)
def slow_answers_released():
    RELEASED.clear()
    yield
    RELEASED.set()


def kept() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Organisation, FundingScheme, SupportOffer, ReferenceArea, Premises)
    )


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("slug", SOURCES)
def test_a_failing_server_fails_the_source_in_french_and_keeps_its_data(
    slug, failure, settings, httpserver
):
    handler, cause = FAILURES[failure]
    settings.CARTESS_HTTP_RETRIES = 2
    settings.CARTESS_HTTP_RETRY_DELAY = 0.01
    settings.CARTESS_HTTP_MAX_DELAY = 0.02  # caps Retry-After: the test does not wait 30 s
    settings.CARTESS_HTTP_TIMEOUT = (0.2, 0.2)
    settings.AIDES_TERRITOIRES_API_TOKEN = "compte-cartess"
    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/ban")
    settings.CARTESS_SCHEDULE_ORIGINS = {slug: httpserver.url_for("/source/file.zip")}
    httpserver.expect_request(re.compile("/.*")).respond_with_handler(handler)
    before = kept()

    with translation.override("fr"), pytest.raises(CommandError) as failed:
        call_command("sync", "--only", slug, "--force", stdout=StringIO(), stderr=StringIO())

    assert f"leurs données restent inchangées : {slug}" in str(failed.value)
    run = ImportRun.objects.get(source__slug=slug)
    assert run.status == RunStatus.FAILED
    assert re.search(cause, run.error), run.error
    assert kept() == before

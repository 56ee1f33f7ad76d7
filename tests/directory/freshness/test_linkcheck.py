"""`manage.py check_links`: which websites and scheme pages answer, shown to their editors."""

import threading
import time
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Response

from directory.freshness.linkcheck import url_check, urls_check
from directory.models import LinkCheck, LinkOutcome
from tests.factories import make_funding_scheme, make_organisation

pytestmark = pytest.mark.django_db

#: Nothing listens on the discard port of the loopback: the connection is refused.
REFUSED = "http://127.0.0.1:9/"


def test_a_page_that_answers_is_ok(httpserver):
    httpserver.expect_request("/").respond_with_data("Bienvenue")
    result = url_check(url=httpserver.url_for("/"), timeout=2)
    assert (result.outcome, result.status_code, result.reason) == (LinkOutcome.OK, 200, "")


def test_a_missing_page_is_broken(httpserver):
    httpserver.expect_request("/ancien").respond_with_data("Introuvable", status=404)
    result = url_check(url=httpserver.url_for("/ancien"), timeout=2)
    assert (result.outcome, result.reason) == (LinkOutcome.BROKEN, "la page répond 404")


def test_a_redirect_to_a_missing_page_says_where_it_went(httpserver):
    target = httpserver.url_for("/nouveau")
    httpserver.expect_request("/ancien").respond_with_response(
        Response(status=301, headers={"Location": target})
    )
    httpserver.expect_request("/nouveau").respond_with_data("Introuvable", status=404)
    result = url_check(url=httpserver.url_for("/ancien"), timeout=2)
    assert result.outcome == LinkOutcome.BROKEN
    assert result.reason == f"redirigé vers {target}, qui répond 404"


def test_a_site_too_slow_to_answer_is_unreachable_within_the_timeout(httpserver):
    def slow(request):
        time.sleep(0.5)
        return Response("Enfin")

    httpserver.expect_request("/lent").respond_with_handler(slow)
    started = time.monotonic()
    result = url_check(url=httpserver.url_for("/lent"), timeout=0.1)
    assert time.monotonic() - started < 0.45
    assert (result.outcome, result.reason) == (LinkOutcome.UNREACHABLE, "pas de réponse en 0.1 s")


def test_a_refused_connection_is_unreachable():
    result = url_check(url=REFUSED, timeout=1)
    assert result.outcome == LinkOutcome.UNREACHABLE
    assert result.reason.startswith("connexion impossible")


def test_the_command_records_each_address_and_editors_see_it(client, world, httpserver):
    world.member_a.website = httpserver.url_for("/jardins")
    world.member_a.save()
    scheme = make_funding_scheme("Prêt d'honneur solidaire", url=REFUSED)
    make_organisation(
        "Brouillon", website=httpserver.url_for("/cache"), publication_status="brouillon"
    )
    LinkCheck.objects.create(
        url="https://plus-montree.example.org/", checked_at=timezone.now(), outcome="ok"
    )
    httpserver.expect_request("/jardins").respond_with_data("Gone", status=410)
    out = StringIO()
    call_command("check_links", stdout=out)
    assert "2 adresses vérifiées, 2 en échec." in out.getvalue()
    assert set(LinkCheck.objects.values_list("url", "outcome")) == {
        (httpserver.url_for("/jardins"), LinkOutcome.BROKEN),
        (REFUSED, LinkOutcome.UNREACHABLE),
    }
    page = f"/organisations/{world.member_a.slug}/"
    assert "la page répond 410" not in client.get(page).content.decode()  # not to the public
    client.force_login(world.users["editeur A"])
    assert "Page introuvable ou en erreur (la page répond 410)" in client.get(page).content.decode()
    freshness = client.get(f"/reseaux/{world.network_a.slug}/fraicheur/").content.decode()
    assert "site web injoignable (la page répond 410)" in freshness
    client.force_login(world.users["moderateur"])
    scheme_page = client.get(f"/financements/{scheme.slug}/").content.decode()
    assert "Site injoignable (connexion impossible" in scheme_page


@pytest.fixture
def threaded_server():
    """A local server answering several requests at once (pytest-httpserver's default one
    answers one after the other, which would hide the checker's own concurrency)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


class InFlight:
    """Counts the requests a server is answering at once, per host name asked."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.total_most = 0

    def slow(self, seconds: float, status: int = 200):
        def handler(request):
            host = request.host.split(":")[0]
            with self.lock:
                self.now[host] += 1
                self.most[host] = max(self.most[host], self.now[host])
                self.total_most = max(self.total_most, sum(self.now.values()))
            time.sleep(seconds)
            with self.lock:
                self.now[host] -= 1
            return Response("Bonjour", status=status)

        return handler


def test_addresses_are_checked_at_once_but_at_most_two_per_server(threaded_server):
    flight = InFlight()
    urls = []
    for number in range(6):
        threaded_server.expect_request(f"/lent-{number}").respond_with_handler(flight.slow(0.4))
        host = "127.0.0.1" if number % 2 else "localhost"
        urls.append(f"http://{host}:{threaded_server.port}/lent-{number}")
    started = time.monotonic()
    results = urls_check(urls=urls, timeout=5, workers=8, per_host=2)
    elapsed = time.monotonic() - started
    assert {result.outcome for result in results.values()} == {LinkOutcome.OK}
    assert set(results) == set(urls)
    # Six answers of 0.4 s: 2.4 s one after the other, about 0.8 s four at a time.
    assert elapsed < 1.6
    assert flight.most == Counter({"127.0.0.1": 2, "localhost": 2})
    assert flight.total_most == 4


def test_the_pool_size_bounds_the_checks_at_once(threaded_server):
    flight = InFlight()
    urls = []
    for number in range(4):
        threaded_server.expect_request(f"/lent-{number}").respond_with_handler(flight.slow(0.2))
        host = "127.0.0.1" if number % 2 else "localhost"
        urls.append(f"http://{host}:{threaded_server.port}/lent-{number}")
    urls_check(urls=urls, timeout=5, workers=1, per_host=2)
    assert flight.total_most == 1


def test_slow_and_failing_addresses_among_good_ones_keep_their_own_result(
    settings, threaded_server
):
    settings.CARTESS_LINK_CHECK_TIMEOUT = 0.3
    flight = InFlight()
    server = threaded_server
    good = [server.url_for(f"/bon-{n}") for n in range(4)]
    for n in range(4):
        server.expect_request(f"/bon-{n}").respond_with_handler(flight.slow(0.1))
    for n in range(3):
        server.expect_request(f"/trop-lent-{n}").respond_with_handler(flight.slow(1.0))
    server.expect_request("/disparu").respond_with_data("Introuvable", status=404)
    slow = [server.url_for(f"/trop-lent-{n}") for n in range(3)]
    for n, url in enumerate([*good, *slow, server.url_for("/disparu"), REFUSED]):
        make_organisation(f"Structure {n}", website=url)
    out = StringIO()
    started = time.monotonic()
    call_command("check_links", stdout=out)
    # Three sites silent for 1 s, each given up after 0.3 s to connect and 0.3 s to answer.
    assert time.monotonic() - started < 2.5
    outcomes = dict(LinkCheck.objects.values_list("url", "outcome"))
    assert outcomes == {
        **dict.fromkeys(good, LinkOutcome.OK),
        **dict.fromkeys(slow, LinkOutcome.UNREACHABLE),
        server.url_for("/disparu"): LinkOutcome.BROKEN,
        REFUSED: LinkOutcome.UNREACHABLE,
    }
    assert "9 adresses vérifiées, 5 en échec." in out.getvalue()
    assert f"{slow[0]} : " in out.getvalue()
    assert "pas de réponse en 0.3 s" in out.getvalue()

"""`manage.py check_links`: which websites and scheme pages answer, shown to their editors."""

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from werkzeug import Response

from directory.freshness.linkcheck import url_check
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

"""`/healthz`: what a load balancer or a monitoring probe reads."""

import re

import pytest
from django.db import OperationalError, connection

from directory.selectors.organisations import database_postgis_version_get

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_postgis_version(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?\S*", body["postgis"])


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    cache_control = response.headers["Cache-Control"]
    assert "no-cache" in cache_control
    assert "no-store" in cache_control


def test_healthz_needs_no_login(client):
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse():
        raise OperationalError('connection to server at "127.0.0.1", port 55432 failed')

    monkeypatch.setattr(connection.ops, "postgis_lib_version", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_version_is_read_on_the_kept_connection_not_a_new_one_each_time():
    """GeoDjango reads it on a temporary connection, closed after it when it opened it: a
    probe would then open a new session every time (10 ms)."""
    connection.close()
    database_postgis_version_get()
    opened = connection.connection
    assert opened is not None
    database_postgis_version_get()
    assert connection.connection is opened

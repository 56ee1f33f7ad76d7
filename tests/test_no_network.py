"""The test runner itself refuses the internet (pytest-socket, pyproject.toml addopts): a test
that forgot to point a source at a local server fails at once instead of calling the real
service; loopback stays open for the local test servers and the live server."""

import re
import socket

import pytest
import requests
from pytest_socket import SocketConnectBlockedError

# TEST-NET-1 (RFC 5737): never routed, so nothing leaves even if the guard were missing.
OUTSIDE = ("192.0.2.1", 80)

# pytest-socket also warns when it refuses; here the refusal is what is asserted.
pytestmark = pytest.mark.filterwarnings("ignore:A test tried to use socket")


def test_a_connection_outside_loopback_is_refused():
    with pytest.raises(SocketConnectBlockedError, match=re.escape(OUTSIDE[0])):
        socket.create_connection(OUTSIDE, timeout=1)


def test_an_http_request_outside_loopback_is_refused():
    with pytest.raises(SocketConnectBlockedError):
        requests.get(f"http://{OUTSIDE[0]}/", timeout=1)


def test_a_local_test_server_is_reachable(httpserver):
    httpserver.expect_request("/ping").respond_with_data("pong")

    assert requests.get(httpserver.url_for("/ping"), timeout=5).text == "pong"

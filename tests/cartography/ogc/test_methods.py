"""A method the OpenAPI does not declare gets a 405 on /ogc/ and /tiles/, not CSRF's 403."""

import pytest
from django.test import Client

READ_ONLY_URLS = ["/ogc/", "/ogc/conformance", "/ogc/collections", "/tiles/organisations.json"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", READ_ONLY_URLS)
@pytest.mark.parametrize("method", ["QUERY", "POST", "DELETE"])
def test_undeclared_method_answers_405(url, method):
    response = Client(enforce_csrf_checks=True).generic(method, url)

    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}

"""Live sources' JSON answers are read through the bounded reader: an answer over
CARTESS_IMPORT_MAX_JSON_BYTES is cut there, one nested too deep is refused, both in French,
without a retry, and a run of a live source then writes nothing."""

import json

import pytest
from django.conf import settings

from directory.models import FundingScheme
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.io.bounded import LimitExceeded
from importers.io.http import Fetcher, RetryPolicy
from importers.models import ImportRun, RunStatus


@pytest.fixture
def fetcher() -> Fetcher:
    return Fetcher(retry=RetryPolicy(attempts=3, base_delay=0.001), sleep=lambda s: None)


def big_answer() -> dict:
    return {"count": 1, "next": None, "results": [{"name": "x" * 5_000}]}


def test_an_over_large_answer_is_cut_with_a_french_message_and_not_asked_again(
    httpserver, fetcher, settings
):
    settings.CARTESS_IMPORT_MAX_JSON_BYTES = 1_000
    httpserver.expect_request("/api/").respond_with_json(big_answer())

    with pytest.raises(LimitExceeded, match="réponse JSON de plus de 1000 octets"):
        fetcher.json(httpserver.url_for("/api/"))
    assert len(httpserver.log) == 1


def test_a_too_deep_answer_is_refused_without_recursion(httpserver, fetcher, settings):
    settings.CARTESS_IMPORT_MAX_JSON_DEPTH = 20
    deep = "[" * 10_000 + "]" * 10_000
    httpserver.expect_request("/api/").respond_with_data(deep, content_type="application/json")

    with pytest.raises(LimitExceeded, match="imbrique ses données sur plus de 20 niveaux"):
        fetcher.json(httpserver.url_for("/api/"))


def test_an_answer_within_the_limits_still_reads_and_garbage_is_still_bad(httpserver, fetcher):
    httpserver.expect_request("/ok/").respond_with_json({"results": [1, 2]})
    httpserver.expect_request("/garbage/").respond_with_data("{pas du json")
    assert fetcher.json(httpserver.url_for("/ok/")) == {"results": [1, 2]}
    with pytest.raises(ImportFailed, match="réponse illisible"):
        fetcher.json(httpserver.url_for("/garbage/"))


@pytest.mark.django_db
def test_a_live_source_run_with_an_over_large_answer_fails_and_writes_nothing(
    httpserver, fetcher, monkeypatch
):
    monkeypatch.setattr(settings, "AIDES_TERRITOIRES_API_TOKEN", "compte-cartess")
    monkeypatch.setattr(settings, "CARTESS_IMPORT_MAX_JSON_BYTES", 1_000)
    httpserver.expect_request("/api/connexion/", method="POST").respond_with_json({"token": "t"})
    httpserver.expect_request("/api/aids/").respond_with_data(
        json.dumps(big_answer()), content_type="application/json"
    )

    with pytest.raises(ImportFailed, match="CARTESS_IMPORT_MAX_JSON_BYTES"):
        source_import(slug="aides-territoires", url=httpserver.url_for("/api"), fetcher=fetcher)

    assert not FundingScheme.objects.exists()
    run = ImportRun.objects.get(source__slug="aides-territoires")
    assert run.status == RunStatus.FAILED
    assert "CARTESS_IMPORT_MAX_JSON_BYTES" in run.error

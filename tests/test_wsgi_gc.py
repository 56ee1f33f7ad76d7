"""The production entry point freezes what a loaded Django holds for the worker's life, so
that full garbage collections skip it; collects less often than Python's default, so that a
large answer is not walked again and again while it is built; and collects what requests
left in reference cycles once a response is sent and let go, rather than inside the next
request (config/garbage.py, issue 20)."""

import gc
import importlib
import io
import weakref
from wsgiref.util import FileWrapper, setup_testing_defaults

import pytest

from config.garbage import AFTER_RESPONSE, THRESHOLDS, collect_after_response, collecting


class Node:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector():
    """The collections run during the test, as (generation, objects collected); the
    collector's thresholds and state restored after it."""
    thresholds = gc.get_threshold()
    gc.collect()
    seen: list[tuple[int, int]] = []

    def record(phase: str, info: dict) -> None:
        if phase == "stop":
            seen.append((info["generation"], info["collected"]))

    gc.callbacks.append(record)
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*thresholds)


def cycles(count: int) -> weakref.ref:
    """`count` objects in cycles, unreachable: a weak reference to the last."""
    for _ in range(count - 1):
        Node()
    return weakref.ref(Node())


def environ_for(path: str) -> dict:
    environ = {"PATH_INFO": path, "wsgi.file_wrapper": FileWrapper}
    setup_testing_defaults(environ)
    return environ


def start_response(status: str, headers: list, exc_info=None) -> None:
    start_response.status = status


def test_the_wsgi_module_freezes_the_loaded_objects_and_collects_after_responses(collector):
    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        import config.wsgi

        importlib.reload(config.wsgi)
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == THRESHOLDS == (50_000, 20, 100)

        collector.clear()  # loading Django collected with the test run's thresholds
        left = cycles(AFTER_RESPONSE)
        response = config.wsgi.application(environ_for("/robots.txt"), start_response)
        assert b"Sitemap:" in b"".join(response)
        assert start_response.status == "200 OK"
        assert left() is not None  # the answer is not slowed by a collection
        response.close()
        assert left() is None
        assert [generation for generation, _ in collector] == [0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_a_request_end_collects_the_cycles_requests_left_once_there_are_enough(collector):
    gc.set_threshold(*THRESHOLDS)
    few = cycles(AFTER_RESPONSE // 4)
    collect_after_response()
    assert few() is not None  # too few to be worth a collection yet
    assert collector == []

    many = cycles(AFTER_RESPONSE)
    collect_after_response()
    assert few() is None
    assert many() is None
    assert [generation for generation, _ in collector] == [0]
    assert collector[0][1] >= AFTER_RESPONSE


def test_the_older_generations_are_collected_on_python_s_own_schedule(collector):
    gc.set_threshold(THRESHOLDS[0], 1, 1)
    for _ in range(7):
        cycles(AFTER_RESPONSE)
        collect_after_response()
    # Each collection counts one for the generation above: the middle one is collected
    # after more than one young collection, the old one after more than one middle one.
    assert [generation for generation, _ in collector] == [0, 0, 1, 0, 0, 1, 2]


class Answer:
    """A WSGI response in a reference cycle, as Django's are (request <-> response)."""

    def __init__(self) -> None:
        self.me = self
        self.closed = False

    def __iter__(self):
        return iter([b"ok"])

    def close(self) -> None:
        self.closed = True


def test_a_response_is_let_go_before_the_collection_that_frees_it(collector):
    gc.set_threshold(*THRESHOLDS)
    answers = []

    def application(environ, start_response):
        start_response("200 OK", [])
        answers.append(weakref.ref(answer := Answer()))
        cycles(AFTER_RESPONSE)
        return answer

    response = collecting(application)(environ_for("/"), start_response)
    assert list(response) == [b"ok"]
    assert answers[0]() is not None
    response.close()
    # Closed by the server (Django's request_finished), then freed by the collection.
    assert answers[0]() is None
    assert [generation for generation, _ in collector] == [0]


def test_a_file_the_server_sends_itself_is_left_as_it_is():
    sent = FileWrapper(io.BytesIO(b"data"))
    response = collecting(lambda environ, start_response: sent)(environ_for("/"), start_response)
    assert response is sent

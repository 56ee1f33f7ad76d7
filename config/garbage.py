"""When the workers collect garbage: once an answer is sent and let go, not while the next
is built (issue 20).

Python collects its youngest generation when the objects it tracks, net of those freed,
have grown by a threshold since its last collection. What each request leaves behind in
reference cycles (its templates' contexts, its request, its response and what they hold:
about 6,500 objects for the HTML pathway with the bench's 600 offers, 100 for the home
page) adds up from one request to the next, and the collection fell inside whichever
request crossed the threshold. With 50,000, one pathway page in eight walked 50,000
objects, 14 ms more: the page's p95 (p50 31 ms, p95 46 ms over 100 pages at 1,000,000
organisations).

`collecting` wraps the WSGI application: once the server has written a response and closed
it, the response is let go, and from `AFTER_RESPONSE` objects the worker collects then,
between two requests, a few thousand objects at a time. The same objects are walked as
before, in smaller steps and out of the answers' time. Collecting in Django's
`request_finished` instead was measured and is worse: the response is still alive then, so
its cycles are promoted to the middle generation, and their collection after twenty
requests took 20 to 30 ms. Python's own thresholds remain for a request that builds more
than 50,000 objects on its own. In a threaded worker (gthread, config/gunicorn_conf.py) a
collection also walks what the other threads' requests hold at that moment, as Python's own
collections do.
"""

import gc
from collections.abc import Callable, Iterable, Iterator

#: Python's (young, middle, old) thresholds. A young collection every 50,000 objects rather
#: than Python's 700: a large answer is not walked again and again while it is built (300
#: pathway answers in one process: 1,143 to 1,528 ms of collection with the defaults, 375
#: to 647 ms with these). The older generations keep Python's rule: the middle one every
#: 20 young collections, the old one every 100 middle ones.
THRESHOLDS = (50_000, 20, 100)
#: From this many tracked objects since the last collection, a response's end collects:
#: small steps, since a request sent right behind on the same connection waits for it.
AFTER_RESPONSE = 2_000


def collect_after_response() -> None:
    """Collect once enough objects have accumulated: the oldest generation whose count
    passed its threshold, as Python's own collections choose (each collection counts one for
    the generation above it). Python also puts off a full collection while few objects
    reached the old generation since the last; after `gc.freeze()` that generation holds
    few, and this does not wait."""
    young, middle, old = gc.get_count()
    if young < AFTER_RESPONSE:
        return
    _, middle_threshold, old_threshold = gc.get_threshold()
    if old > old_threshold:
        gc.collect(2)
    elif middle > middle_threshold:
        gc.collect(1)
    else:
        gc.collect(0)


def collector_setup() -> None:
    """For a worker, once Django is loaded: freeze what it holds for the worker's life (the
    modules, URL patterns and settings: collections no longer walk them) and set the
    thresholds."""
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def collecting(application: Callable) -> Callable:
    """The WSGI `application`, collecting garbage after each response is closed. A file the
    server sends itself (`wsgi.file_wrapper`, its sendfile) is returned as it is."""

    def collecting_application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        response = application(environ, start_response)
        file_wrapper = environ.get("wsgi.file_wrapper")
        if file_wrapper is not None and isinstance(response, file_wrapper):
            return response
        return _Collecting(response)

    return collecting_application


class _Collecting:
    """A response that, once the server has closed it, lets it go and collects. (Werkzeug's
    ClosingIterator runs callbacks on close, but keeps the response until they have run.)"""

    def __init__(self, response: Iterable[bytes]) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._response)

    def close(self) -> None:
        response, self._response = self._response, None
        try:
            if hasattr(response, "close"):
                response.close()  # Django's request_finished
        finally:
            del response
            collect_after_response()

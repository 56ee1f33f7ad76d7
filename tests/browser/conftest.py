"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

One browser for all the browser tests, one fresh context per test. Requests to any host other
than the live server are aborted at once: the tests never reach the internet (map tiles
included).
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
    sync_playwright,
)

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Sent to the test for each `securitypolicyviolation` event of the page.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cartessReportCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""

PHONE = {"width": 375, "height": 667}
#: The narrowest width RGAA 10.11 / WCAG 1.4.10 (reflow) asks a page to work at.
NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


@dataclass
class PageReport:
    """What went wrong while a page ran, from the browser's point of view."""

    local_host: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_local_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def on_csp_violation(self, _source, violation: dict) -> None:
        self.csp_violations.append(
            f"{violation['directive']} refused {violation['blocked'] or 'inline'}"
            f" ({violation['source']}:{violation['line']}) {violation['sample']}"
        )

    def is_local(self, url: str) -> bool:
        return urlsplit(url).netloc == self.local_host

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        # A resource we aborted on purpose (map tiles from tile.openstreetmap.org...).
        if message.text.startswith("Failed to load resource") and not self.is_local(source):
            return
        self.console_errors.append(f"{message.text} ({source})")

    def on_request_failed(self, request: Request) -> None:
        # net::ERR_ABORTED is the browser dropping a load because the page moved on (a form
        # sent, a link followed): not the server failing. Answers >= 400 are caught below.
        if self.is_local(request.url) and request.failure != "net::ERR_ABORTED":
            self.failed_local_requests.append(f"{request.url}: {request.failure}")

    def on_response(self, response: Response) -> None:
        if self.is_local(response.url) and response.status >= 400:
            self.failed_local_requests.append(f"{response.url}: HTTP {response.status}")

    def expect_refusal(self, path: str, status: int = 400) -> None:
        """A form sent back with its errors answers `status` on purpose: not a failure."""
        self.failed_local_requests = [
            entry
            for entry in self.failed_local_requests
            if not entry.endswith(f"{path}: HTTP {status}")
        ]
        self.console_errors = [
            entry
            for entry in self.console_errors
            if not (f"status of {status}" in entry and f"{path})" in entry)
        ]

    def assert_clean(self) -> None:
        assert self.csp_violations == [], "Content-Security-Policy violations"
        assert self.page_errors == [], "JavaScript exceptions"
        assert self.console_errors == [], "console errors"
        assert self.failed_local_requests == [], "failed requests to the live server"


@pytest.fixture(scope="package")
def browser(django_db_setup) -> Iterator[Browser]:
    """Chromium, launched once for the package and closed as soon as its tests are done.

    Package-scoped rather than session-scoped: while Playwright's sync API is open, its event
    loop counts as running in the main thread, which changes how Django behaves for every
    later test of the session (see below).
    """
    if not Path(CHROMIUM).exists():
        # A missing browser is an error, not a skip: `make test` installs it (apt-get install
        # chromium); deselect these tests on purpose with -m "not browser".
        pytest.fail(f"Debian's Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    # Once Playwright's loop runs, asgiref sees "async" code in this thread and gives Django
    # fresh per-context connections, which lack what the test database setup stored on the
    # thread's connections (the serialized data that `serialized_rollback` restores). Keep
    # using the thread's own connections: same thread, so still safe.
    originals = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # For the same reason Django's ORM would refuse to run in the tests ("async unsafe").
        # Only while the browser runs: `check --deploy` rightly rejects this variable.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in originals.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def viewport() -> dict:
    """The window size of `page`; tests override it through parametrisation."""
    return DESKTOP


@pytest.fixture
def page_report(live_server) -> PageReport:
    return PageReport(local_host=urlsplit(live_server.url).netloc)


@pytest.fixture
def page(browser: Browser, live_server, viewport: dict, page_report: PageReport) -> Iterator[Page]:
    """A French-speaking page in a fresh context, watched for errors, offline but for us."""
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    context.set_default_timeout(10_000)

    def only_live_server(route: Route) -> None:
        if page_report.is_local(route.request.url):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    context.route("**/*", only_live_server)
    # Every refusal of the Content-Security-Policy, reported to the test (Playwright's init
    # scripts and bindings run outside the page's policy).
    context.expose_binding("cartessReportCspViolation", page_report.on_csp_violation)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", page_report.on_console)
    page.on("pageerror", lambda error: page_report.page_errors.append(str(error)))
    page.on("requestfailed", page_report.on_request_failed)
    page.on("response", page_report.on_response)
    yield page
    context.close()


def wait_until(page: Page, expression: str, *, timeout_ms: int = 5000) -> bool:
    """Whether `expression` became true in the page within `timeout_ms`, polled from here.

    Not `page.wait_for_function`: after a first false answer it evaluates its string again
    with `eval` on each animation frame, inside the page, where the site's CSP (no
    'unsafe-eval') refuses it, and the test fails on the CSP rather than on what it checks
    (seen once in CI). Each `page.evaluate` runs inside a DevTools call, which CSP allows.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(50)
    return True


def assert_fits_the_width(page: Page) -> None:
    """Nothing sticks out sideways: no horizontal scrolling at the page's viewport width.

    A loaded CPU may measure a page before its layout settles (seen once in CI: a 486 px
    document with no element wider than a 375 px window): the check waits for it a few
    seconds, then names the elements that stick out, if any.
    """
    width = page.viewport_size["width"]
    wait_until(page, f"document.documentElement.scrollWidth <= {width}", timeout_ms=5000)
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > width + 1)
            .map((e) => `${e.tagName}.${e.className}`)""",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide

"""The check of the web links listings show: organisations' websites, schemes' pages.

One GET per address (the body is not read), with CARTESS_HTTP_USER_AGENT, redirects
followed (5 at most) and CARTESS_LINK_CHECK_TIMEOUT seconds to connect and as many to get
the answer. The addresses are asked by CARTESS_LINK_CHECK_WORKERS threads at once, never
more than CARTESS_LINK_CHECK_PER_HOST at a time of one server (`urls_check`); the threads
do HTTP only, the results are written by the calling thread. The result of each address
replaces the one before (`LinkCheck`, keyed by the address): a page that answers, one
that answers an error (404, 500, a redirect to a 404), or a site that does not answer
(timeout, refused connection, unknown server, bad certificate). A run is idempotent: it
checks every address once and forgets the checks of addresses no listing shows any more.
"""

import logging
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from directory.models import FundingScheme, LinkCheck, LinkOutcome, Organisation, PublicationStatus

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5


@dataclass(frozen=True)
class LinkResult:
    outcome: str
    status_code: int | None
    reason: str


@dataclass
class LinkCheckReport:
    """How many addresses were checked, and the ones that failed, with their reason."""

    checked: int = 0
    failed: list[LinkCheck] = field(default_factory=list)


def url_check(*, url: str, timeout: float) -> LinkResult:
    """Ask `url` once (GET, body not read) and say whether it answers. No database access."""
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    headers = {"User-Agent": settings.CARTESS_HTTP_USER_AGENT}
    try:
        with session.get(url, headers=headers, timeout=(timeout, timeout), stream=True) as answer:
            return _answered(url, answer)
    except requests.exceptions.TooManyRedirects:
        return LinkResult(LinkOutcome.BROKEN, None, _("trop de redirections"))
    except requests.exceptions.Timeout:
        reason = _("pas de réponse en %(s)s s") % {"s": f"{timeout:g}"}
        return LinkResult(LinkOutcome.UNREACHABLE, None, reason)
    except requests.exceptions.SSLError:
        return LinkResult(LinkOutcome.UNREACHABLE, None, _("certificat HTTPS refusé"))
    except requests.exceptions.ConnectionError:
        reason = _("connexion impossible (serveur introuvable ou qui refuse la connexion)")
        return LinkResult(LinkOutcome.UNREACHABLE, None, reason)
    except requests.exceptions.RequestException:
        return LinkResult(LinkOutcome.BROKEN, None, _("adresse invalide"))
    finally:
        session.close()


def _answered(url: str, answer: requests.Response) -> LinkResult:
    status = answer.status_code
    if status < 400:
        return LinkResult(LinkOutcome.OK, status, "")
    if answer.history and answer.url != url:
        reason = _("redirigé vers %(url)s, qui répond %(status)s") % {
            "url": answer.url,
            "status": status,
        }
    else:
        reason = _("la page répond %(status)s") % {"status": status}
    return LinkResult(LinkOutcome.BROKEN, status, reason[:255])


def links_check(*, now: datetime) -> LinkCheckReport:
    """Check every website of a published organisation and page of a published funding
    scheme, record each result at `now`, and delete the checks of addresses no longer shown.
    Returns the count and the failed checks. HTTP errors are results, never exceptions."""
    urls = _urls_shown()
    results = urls_check(
        urls=sorted(urls),
        timeout=settings.CARTESS_LINK_CHECK_TIMEOUT,
        workers=settings.CARTESS_LINK_CHECK_WORKERS,
        per_host=settings.CARTESS_LINK_CHECK_PER_HOST,
    )
    report = LinkCheckReport()
    for url in sorted(urls):
        result = results[url]
        check, _created = LinkCheck.objects.update_or_create(
            url=url,
            defaults={
                "checked_at": now,
                "outcome": result.outcome,
                "status_code": result.status_code,
                "reason": result.reason,
            },
        )
        report.checked += 1
        if not check.is_ok:
            logger.info("Link %s failed: %s", url, result.reason)
            report.failed.append(check)
    LinkCheck.objects.exclude(url__in=urls).delete()
    return report


def urls_check(
    *, urls: Iterable[str], timeout: float, workers: int, per_host: int
) -> dict[str, LinkResult]:
    """Ask every address of `urls` once (`url_check`), `workers` at a time, at most
    `per_host` at a time of one server (its host name), the next one starting as soon as one
    ends. Returns each address's result. No database access; an unexpected error of a check
    is raised once the running ones have ended."""
    workers, per_host = max(1, workers), max(1, per_host)
    waiting: dict[str, deque[str]] = defaultdict(deque)
    for url in urls:
        waiting[_host(url)].append(url)
    # One entry per free slot of a host that has an address waiting for it.
    slots = Counter({host: min(per_host, len(queue)) for host, queue in waiting.items()})
    ready = deque(host for host, count in slots.items() for _ in range(count))
    running: dict[Future, tuple[str, str]] = {}
    results = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while ready or running:
            while ready and len(running) < workers:
                host = ready.popleft()
                slots[host] -= 1
                url = waiting[host].popleft()
                running[pool.submit(url_check, url=url, timeout=timeout)] = (host, url)
            done, _pending = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                host, url = running.pop(future)
                results[url] = future.result()
                if len(waiting[host]) > slots[host]:
                    slots[host] += 1
                    ready.append(host)
    return results


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # a malformed address: url_check says so
        return ""


def _urls_shown() -> set[str]:
    published = PublicationStatus.PUBLISHED
    websites = Organisation.objects.filter(publication_status=published).exclude(website="")
    pages = FundingScheme.objects.filter(publication_status=published).exclude(url="")
    return {*websites.values_list("website", flat=True), *pages.values_list("url", flat=True)}

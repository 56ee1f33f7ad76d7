"""The legal pages linked from every page's footer (issue 19): the legal notice, the
personal data page and the accessibility statement.

They state facts only: who publishes and hosts the site comes from settings
(CARTESS_PUBLISHER_NAME, CARTESS_PUBLISHER_ADDRESS, CARTESS_HOST, CARTESS_CONTACT_EMAIL) and
a missing one is said missing; how long data is kept comes from the settings the code obeys.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


def _facts() -> dict:
    return {
        "publisher_name": settings.CARTESS_PUBLISHER_NAME,
        "publisher_address": settings.CARTESS_PUBLISHER_ADDRESS,
        "host": settings.CARTESS_HOST,
        "contact_email": settings.CARTESS_CONTACT_EMAIL,
        "axes_failure_limit": settings.AXES_FAILURE_LIMIT,
        "axes_cooloff_hours": settings.AXES_COOLOFF_TIME,
        "login_log_days": settings.CARTESS_LOGIN_LOG_RETENTION_DAYS,
        "confirmation_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
        "alerts_unconfirmed_days": settings.CARTESS_ALERTS_UNCONFIRMED_DAYS,
        "reminder_every_days": settings.CARTESS_FRESHNESS_REMIND_EVERY_DAYS,
        "reminder_link_days": settings.CARTESS_FRESHNESS_LINK_MAX_AGE_DAYS,
        "mobilisation_months": settings.CARTESS_MOBILISATION_RETENTION_MONTHS,
        "need_months": settings.CARTESS_NEED_RETENTION_MONTHS,
    }


@require_safe
def legal_notice(request: HttpRequest) -> HttpResponse:
    """`/mentions-legales/`: publisher, host, contact, licences."""
    return render(request, "legal/mentions_legales.html", _facts())


@require_safe
def personal_data(request: HttpRequest) -> HttpResponse:
    """`/donnees-personnelles/`: what is kept about people, why, how long, their rights."""
    return render(request, "legal/donnees_personnelles.html", _facts())


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """`/accessibilite/`: the RGAA statement: state, known issues, how to report one."""
    return render(request, "legal/accessibilite.html", _facts())

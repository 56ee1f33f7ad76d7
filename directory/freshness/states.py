"""The freshness of a listing, computed in PostgreSQL: "à jour", "à actualiser", "obsolète".

A listing is up to date for `update_every_months` of its kinds (the shortest when it has
several; 12 months for a listing without kind) after the last time a person or a network
vouched for it: the later of

- its "Vérifié le" date (`last_verified_on`, set only by a "toujours à jour" confirmation,
  directory.freshness.services.organisation_confirm),
- the last change a person made to it (a history row whose reason is not an import: the
  edit form, an accepted suggestion, the admin, a revert), and
- the last time a network sent it (its provenance from the `network-csv` source, file or
  API: sending a member, changed or not, is the network saying it is right).

Imports of open data do not count: they say what a register holds, not that the listing is
right. From `update_every_months` after that date the listing is "à actualiser"; from twice
that, "obsolète". A listing nobody ever vouched for is "à actualiser", and "obsolète" once it
has been in Cartess for twice its period. Everything is an annotation
(`organisation_freshness_annotate`), so a list reads it in its own query.
"""

import calendar
import functools
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import F, Func, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation, OrganisationKind, Provenance

#: The period of a listing whose kinds say nothing (the kinds' own default is the same).
DEFAULT_UPDATE_MONTHS = 12
#: The source of the networks' files and API: a row sent counts as the network's update.
NETWORK_SOURCE_SLUG = "network-csv"
#: History reasons starting with this are imports (directory.history.IMPORT_REASON).
IMPORT_REASON_PREFIX = "import "


class FreshnessState(models.TextChoices):
    FRESH = "a-jour", _("À jour")
    DUE = "a-actualiser", _("À actualiser")
    OBSOLETE = "obsolete", _("Obsolète")


#: The states of FreshnessStateOf's CASE, in the order of its branches.
_STATE_ORDER = (
    FreshnessState.FRESH,
    FreshnessState.DUE,
    FreshnessState.DUE,
    FreshnessState.OBSOLETE,
)


# The three inputs are built once per process (functools.cache): building them cost more than
# compiling the query that reads them (issue 20). Each use resolves a copy (Django's
# expressions clone their query when a queryset resolves them), so sharing them is safe.


@functools.cache
def _kind_months() -> Subquery:
    shortest = (
        OrganisationKind.objects.filter(organisations=OuterRef("pk"))
        .order_by()
        .values("organisations")
        .annotate(months=Min("update_every_months"))
        .values("months")
    )
    return Subquery(shortest, output_field=models.PositiveSmallIntegerField())


@functools.cache
def _person_update() -> Subquery:
    history = Organisation.history.model.objects
    # A network's sending is read from its provenance (_network_send), changed or not.
    by_person = Q(history_change_reason__isnull=False) & ~Q(
        history_change_reason__startswith=IMPORT_REASON_PREFIX
    )
    latest = (
        history.filter(by_person, id=OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(at=Max("history_date"))
        .values("at")
    )
    return Subquery(latest, output_field=models.DateTimeField())


@functools.cache
def _network_send() -> Subquery:
    latest = (
        Provenance.objects.with_last_seen()
        .filter(
            source__slug=NETWORK_SOURCE_SLUG,
            content_type__app_label="directory",
            content_type__model="organisation",
            object_id=OuterRef("pk"),
        )
        .order_by()
        .values("object_id")
        .annotate(at=Max("last_seen"))
        .values("at")
    )
    return Subquery(latest, output_field=models.DateTimeField())


def organisation_freshness_annotate(queryset: models.QuerySet, *, today: date) -> models.QuerySet:
    """`queryset` of organisations with their freshness, as of `today`, in the same query.

    Adds `freshness_months` (the period), `person_updated_on`, `network_sent_on` and
    `last_updated_on` (the latest of them and `last_verified_on`, None when nobody ever
    vouched for the listing) and `freshness_state` (a FreshnessState value). Reads only.
    """
    annotated = queryset.annotate(
        freshness_months=Coalesce(_kind_months(), Value(DEFAULT_UPDATE_MONTHS)),
        person_updated_on=TruncDate(_person_update()),
        network_sent_on=TruncDate(_network_send()),
    ).annotate(
        last_updated_on=Greatest(
            "last_verified_on",
            "person_updated_on",
            "network_sent_on",
            output_field=models.DateField(),
        )
    )
    return annotated.annotate(
        freshness_state=FreshnessStateOf(
            F("last_updated_on"), F("freshness_months"), TruncDate("created_at"), Value(today)
        )
    )


class FreshnessStateOf(Func):
    """The FreshnessState value of a listing from its `last_updated_on`, `freshness_months`,
    creation day and today, by the rule of this module's docstring.

    Each input is written once, in a scalar subquery that names it: the CASE reads the last
    update three times, and Django would copy its expression (two subqueries inside a
    GREATEST) into each reading, making the detail page's SQL 7,700 characters long and
    costing more to build than to run.
    """

    output_field = models.CharField()

    def as_sql(self, compiler, connection, **extra_context):
        parts = [compiler.compile(expression) for expression in self.get_source_expressions()]
        (last, months, created, today) = (sql for sql, _params in parts)
        params = [state.value for state in _STATE_ORDER]
        params += [param for _sql, part_params in parts for param in part_params]
        sql = f"""(SELECT CASE
    WHEN f.last > f.due_after THEN %s
    WHEN f.last > f.obsolete_after THEN %s
    WHEN f.last IS NULL AND f.created > f.obsolete_after THEN %s
    ELSE %s END
FROM (SELECT s.last, s.created,
        CAST(s.today - make_interval(months => s.months) AS date) AS due_after,
        CAST(s.today - make_interval(months => s.months * 2) AS date) AS obsolete_after
    FROM (SELECT CAST({last} AS date) AS last, CAST({months} AS integer) AS months,
        CAST({created} AS date) AS created, CAST({today} AS date) AS today) s) f)"""  # noqa: S608 - compiled expressions; values bound
        return sql, tuple(params)


@dataclass(frozen=True)
class Freshness:
    """What a page says about a listing's freshness (read from the annotations)."""

    state: FreshnessState
    months: int
    #: The latest date a person or a network vouched for the listing, and how.
    last_on: date | None
    how: str
    #: The day it becomes (or became) "à actualiser"; None when nobody ever vouched for it.
    due_on: date | None

    @property
    def is_fresh(self) -> bool:
        return self.state == FreshnessState.FRESH


def freshness_of(organisation: Organisation) -> Freshness:
    """The Freshness of an organisation read through organisation_freshness_annotate."""
    last_on = organisation.last_updated_on
    if last_on is None:
        how = ""
    elif last_on == organisation.last_verified_on:
        how = str(_("confirmée à jour"))
    elif last_on == organisation.person_updated_on:
        how = str(_("modifiée par une personne"))
    else:
        how = str(_("transmise par son réseau"))
    months = organisation.freshness_months
    return Freshness(
        state=FreshnessState(organisation.freshness_state),
        months=months,
        last_on=last_on,
        how=how,
        due_on=months_after(last_on, months) if last_on else None,
    )


def months_after(day: date, months: int) -> date:
    """`day` plus `months` months, the last day of the month when it is shorter (as
    PostgreSQL's interval arithmetic does)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

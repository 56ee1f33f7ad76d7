"""Query parameters of OGC API Features and its errors, in the standard's exception format
(`{"code": ..., "description": ...}`) with French descriptions."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from directory.filters import BBox, parse_bbox

#: Features per page when the client does not say (the standard's example value).
DEFAULT_LIMIT = 100
#: At most this many features per page: a larger `limit` is served as this one.
MAX_LIMIT = 1000
#: Without a cursor, pages start at most this deep (`offset`): deeper, PostgreSQL would
#: read and drop every row before the page; the `next` links carry a cursor instead.
MAX_OFFSET = 10_000
#: numberMatched is given when at most this many rows match (counted on the first page;
#: counting 1,000 of 1,000,000 rows costs a few ms, 10,000 up to 100 ms).
MATCHED_MAX = 1_000
#: The parameters every items request may carry (`f` chooses the encoding; `after` and
#: `before`, an id, are the cursors of the `next` and `prev` links).
COMMON_PARAMETERS = frozenset({"f", "limit", "offset", "bbox", "datetime", "after", "before"})


class OgcError(Exception):
    """A request the API refuses: its HTTP `status`, the exception `code` and a French
    `description` for the person who wrote the request."""

    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def bad_request(description: str) -> OgcError:
    return OgcError(400, "InvalidParameterValue", description)


def not_found(description: str) -> OgcError:
    return OgcError(404, "NotFound", description)


def unknown_parameters(query, *, accepted: frozenset[str]) -> None:
    """Raises a 400 naming the parameters of `query` the collection does not know
    (the standard's requirement: a misspelt filter must not pass unnoticed)."""
    unknown = sorted(set(query) - accepted)
    if unknown:
        raise bad_request(_("Paramètre inconnu : %(names)s.") % {"names": ", ".join(unknown)})


def _integer(value: str | None, *, default: int, minimum: int, message: str) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad_request(message) from None
    if number < minimum:
        raise bad_request(message)
    return number


def limit_parse(value: str | None) -> int:
    """The page size: DEFAULT_LIMIT when absent, at most MAX_LIMIT; 400 unless a whole
    number from 1."""
    message = _("limit doit être un nombre entier entre 1 et %(max)s.") % {"max": MAX_LIMIT}
    return min(_integer(value, default=DEFAULT_LIMIT, minimum=1, message=message), MAX_LIMIT)


def offset_parse(value: str | None, *, cursor: bool = False) -> int:
    """Where the page starts (0 when absent); 400 unless a whole number from 0, and, unless
    the request has a `cursor` (the offset then only numbers the page), at most
    MAX_OFFSET."""
    message = _("offset doit être un nombre entier positif ou nul.")
    offset = _integer(value, default=0, minimum=0, message=message)
    if offset > MAX_OFFSET and not cursor:
        raise bad_request(
            _(
                "offset va au plus jusqu'à %(max)s : pour lire plus loin, suivez les liens "
                "« next » de chaque page (paramètre after)."
            )
            % {"max": MAX_OFFSET}
        )
    return offset


@dataclass(frozen=True)
class Cursor:
    """Where a page of the `next` or `prev` links starts: the features of id above
    (`direction` "after") or below ("before") `id`; with `until`, "after" stops below
    that id (`after` and `before` together: the features between them)."""

    direction: str
    id: int
    until: int | None = None


def cursor_parse(query) -> Cursor | None:
    """The cursor of the request (`after` or `before`, an id; both: the features between
    them, in id order), None without one; 400 for a value that is not an id."""
    given = [name for name in ("after", "before") if query.get(name, "") != ""]
    if not given:
        return None
    ids = {}
    for name in given:
        value = query[name]
        if not (value.isascii() and value.isdigit()) or len(value) > 18:
            raise bad_request(_("%(name)s doit être l'identifiant d'une entité.") % {"name": name})
        ids[name] = int(value)
    if len(ids) == 2:
        return Cursor(direction="after", id=ids["after"], until=ids["before"])
    return Cursor(direction=given[0], id=ids[given[0]])


def bbox_parse(value: str | None) -> BBox | None:
    """The `bbox` of the request (None when absent), or a 400 saying what is wrong. A box
    whose first longitude is larger than its third crosses the antimeridian (OGC API
    Features, Part 1, `bbox`): accepted."""
    if not value:
        return None
    try:
        return parse_bbox(value, antimeridian=True)
    except ValidationError as error:
        raise bad_request(" ".join(error.messages)) from None


@dataclass(frozen=True)
class Period:
    """A `datetime` of the request as days: `start` and `end` included, None when open."""

    start: date | None
    end: date | None


def _instant(value: str) -> date | None:
    if value in ("", ".."):
        return None
    moment = parse_datetime(value)
    day = moment.date() if moment else parse_date(value)
    if day is None:
        raise ValueError(value)
    return day


def datetime_parse(value: str | None) -> Period | None:
    """The `datetime` parameter (RFC 3339 instant or interval `start/end`, `..` for an open
    end) as a Period of days; None when absent; 400 when unreadable or reversed."""
    if not value:
        return None
    parts = value.split("/")
    message = _(
        "datetime attend une date RFC 3339 (2026-05-01 ou 2026-05-01T10:00:00Z) ou un "
        "intervalle début/fin, « .. » pour un côté ouvert."
    )
    try:
        if len(parts) == 1:
            day = _instant(parts[0])
            if day is None:
                raise ValueError(value)
            return Period(day, day)
        if len(parts) != 2:  # start and end
            raise ValueError(value)
        period = Period(_instant(parts[0]), _instant(parts[1]))
    except ValueError:
        raise bad_request(message) from None
    if period.start and period.end and period.start > period.end:
        raise bad_request(_("datetime : le début de l'intervalle doit précéder sa fin."))
    return period

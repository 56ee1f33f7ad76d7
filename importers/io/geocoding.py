"""Geocoding with the Base Adresse Nationale (BAN), with a cache and strict acceptance.

The one BAN client of Cartess: the importers' `BanGeocoder`, and `address_locate` for a
visitor who waits (the pathway, through `settings.CARTESS_ADDRESS_LOCATOR`).

Two ways to ask (base URL: `settings.CARTESS_BAN_BASE_URL`). Imports ask in bulk, never
row by row: `POST /search/csv/` (multipart: a `data` CSV file, the repeated `columns` that
make the query, the `citycode`/`postcode` column names that filter it, `result_columns`),
`CARTESS_BAN_BATCH_SIZE` addresses per request. The CSV answer is read by header name: the
api-adresse and IGN (data.geopf.fr) versions order the columns differently (IGN puts
longitude before latitude and adds `result_status`). Only a visitor who waits asks one
address, `GET /search/?q=...&citycode=...&limit=1` (a GeoJSON FeatureCollection), through
`address_locate`.

A match is accepted only when its score is at least `CARTESS_BAN_MIN_SCORE` (0.5), its
type is `housenumber` or `street`, and its commune (or its former commune, `oldcitycode`)
is in the territory: anything looser would put an organisation at the wrong place on the
map. Every answer, accepted or not, is cached (`GeocodingCacheEntry`), so that an address
is asked once. The cache is written in the caller's transaction: a run that fails keeps
none of it.
"""

import csv
import hashlib
import io
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.models import GeocodingQuality
from importers.engine.errors import BadPayload, ImportFailed
from importers.io.http import Fetcher, RetryPolicy
from importers.models import GeocodingCacheEntry

logger = logging.getLogger(__name__)

#: Below this score a BAN answer is a guess (SOURCES.md); imports read
#: settings.CARTESS_BAN_MIN_SCORE, whose default this is.
MIN_SCORE = 0.5
#: Match types precise enough for a point on the map: the building, or at worst the street.
ACCEPTED_TYPES = {"housenumber": GeocodingQuality.HOUSENUMBER, "street": GeocodingQuality.STREET}
#: Communes associées -> the commune the BAN files them under (it answers citycode 59350
#: with oldcitycode 59298 for Hellemmes-Lille and 59355 for Lomme).
BAN_CITYCODES = {"59298": "59350", "59355": "59350"}
#: The BAN allows 50 requests/s; staying well under it costs little.
RATE_PER_SECOND = 20.0
#: Columns of the CSV answer Cartess reads, by name.
RESULT_COLUMNS = (
    "latitude",
    "longitude",
    "result_label",
    "result_score",
    "result_type",
    "result_citycode",
    "result_oldcitycode",
)
REQUIRED_RESULT_COLUMNS = ("id", "latitude", "longitude", "result_score", "result_type")
#: Seconds to connect, then to read, when a visitor waits for the answer (one try).
VISITOR_TIMEOUT = (2.0, 3.0)
#: Lille (59350): the BAN files Hellemmes and Lomme under it too.
LILLE_CITYCODE = "59350"


@dataclass(frozen=True)
class AddressQuery:
    """An address to geocode; `key` is the caller's identifier of it (a row id)."""

    key: str
    address: str
    postcode: str = ""
    citycode: str = ""


@dataclass(frozen=True)
class BanAnswer:
    """What the BAN answered for one address (found or not), as cached."""

    found: bool
    longitude: float | None = None
    latitude: float | None = None
    score: float | None = None
    result_type: str = ""
    citycode: str = ""
    oldcitycode: str = ""
    label: str = ""


@dataclass(frozen=True)
class Geocode:
    """An accepted match: the point, its quality (a GeocodingQuality), score and label."""

    point: Point
    quality: str
    score: float
    label: str


def normalise(address: str) -> str:
    """A comparable form of an address: lowercase, unaccented, single spaces."""
    return slugify(address).replace("-", " ").strip()


def cache_key(address: str, citycode: str) -> str:
    """The cache key of an address asked within a commune (sha256 hex)."""
    return hashlib.sha256(f"{normalise(address)}|{citycode}".encode()).hexdigest()


def accept(
    answer: BanAnswer, territory: Iterable[str], *, min_score: float = MIN_SCORE
) -> Geocode | None:
    """The geocode of `answer` if it is good enough (module docstring), else None. Pure."""
    codes = set(territory)
    if not answer.found or answer.score is None or answer.score < min_score:
        return None
    if answer.result_type not in ACCEPTED_TYPES:
        return None
    if answer.citycode not in codes and answer.oldcitycode not in codes:
        return None
    if answer.longitude is None or answer.latitude is None:
        return None
    return Geocode(
        point=Point(answer.longitude, answer.latitude, srid=4326),
        quality=ACCEPTED_TYPES[answer.result_type],
        score=round(answer.score, 4),
        label=answer.label,
    )


class BanGeocoder:
    """Geocode addresses with the BAN, through the cache. One instance per run."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        fetcher: Fetcher | None = None,
        territory: Iterable[str] | None = None,
        batch_size: int | None = None,
        min_score: float | None = None,
    ) -> None:
        self.base_url = (base_url or settings.CARTESS_BAN_BASE_URL).rstrip("/")
        self.fetcher = fetcher or Fetcher(rate_per_second=RATE_PER_SECOND)
        self.territory = frozenset(territory or settings.CARTESS_TERRITORY_INSEE_CODES)
        self.batch_size = max(batch_size or settings.CARTESS_BAN_BATCH_SIZE, 1)
        self.min_score = settings.CARTESS_BAN_MIN_SCORE if min_score is None else min_score

    def search_many(self, queries: Iterable[AddressQuery]) -> dict[str, Geocode | None]:
        """Geocode many addresses: cached ones from the cache, the others in bulk CSV
        requests of `batch_size` (even a single one: imports never ask row by row).
        Returns {query key: accepted geocode or None}. Raises FetchFailed or BadPayload."""
        queries = [query for query in queries if query.address.strip()]
        answers = self._cached(queries)
        missing = [query for query in queries if _key(query) not in answers]
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            fresh = self._ask_bulk(batch)
            self._store(batch, fresh)
            answers |= {_key(query): fresh[query.key] for query in batch}
        return {
            query.key: accept(answers[_key(query)], self.territory, min_score=self.min_score)
            for query in queries
        }

    def _cached(self, queries: list[AddressQuery]) -> dict[str, BanAnswer]:
        keys = {_key(query) for query in queries}
        entries = GeocodingCacheEntry.objects.filter(key__in=keys)
        return {entry.key: _from_entry(entry) for entry in entries}

    def _ask_bulk(self, queries: list[AddressQuery]) -> dict[str, BanAnswer]:
        response = self.fetcher.post(
            f"{self.base_url}/search/csv/",
            files={"data": ("adresses.csv", bulk_csv(queries), "text/csv")},
            data={
                "columns": ["adresse"],
                "citycode": "citycode",
                "postcode": "postcode",
                "result_columns": list(RESULT_COLUMNS),
            },
        )
        answers = parse_bulk(response.content, self.base_url)
        logger.info("BAN geocoded %s addresses in one request", len(queries))
        return {query.key: answers.get(query.key, BanAnswer(found=False)) for query in queries}

    def _store(self, queries: list[AddressQuery], answers: Mapping[str, BanAnswer]) -> None:
        entries = {
            _key(query): _to_entry(query, answers[query.key]) for query in queries
        }  # one entry per key, even if two rows share an address
        GeocodingCacheEntry.objects.bulk_create(entries.values(), ignore_conflicts=True)


def ban_citycode(citycode: str) -> str:
    """The commune code the BAN files an address under (communes associées -> parent)."""
    return BAN_CITYCODES.get(citycode, citycode)


def bulk_csv(queries: Iterable[AddressQuery]) -> bytes:
    """The CSV file of a bulk request: id, adresse, postcode, citycode (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "adresse", "postcode", "citycode"])
    for query in queries:
        writer.writerow([query.key, query.address, query.postcode, ban_citycode(query.citycode)])
    return out.getvalue().encode()


def parse_search(payload: object, url: str) -> BanAnswer:
    """The first feature of a /search/ answer. Raises BadPayload on a wrong envelope."""
    if not isinstance(payload, dict) or not isinstance(payload.get("features"), list):
        raise BadPayload(_("%(url)s : réponse du géocodeur sans « features ».") % {"url": url})
    if not payload["features"]:
        return BanAnswer(found=False)
    feature = payload["features"][0]
    try:
        lon, lat = feature["geometry"]["coordinates"][:2]
        props = feature["properties"]
        return BanAnswer(
            found=True,
            longitude=float(lon),
            latitude=float(lat),
            score=float(props["score"]),
            result_type=str(props.get("type", "")),
            citycode=str(props.get("citycode", "")),
            oldcitycode=str(props.get("oldcitycode") or ""),
            label=str(props.get("label", ""))[:255],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BadPayload(
            _(
                "%(url)s : réponse du géocodeur illisible (position, score ou propriétés "
                "absents ou mal formés)."
            )
            % {"url": url}
        ) from error


def parse_bulk(content: bytes, url: str) -> dict[str, BanAnswer]:
    """{id: answer} of a /search/csv/ answer, read by header name.

    Raises BadPayload when it is not a CSV with the expected columns.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadPayload(_("%(url)s : réponse CSV illisible.") % {"url": url}) from error
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in REQUIRED_RESULT_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise BadPayload(
            _("%(url)s : réponse du géocodeur sans les colonnes %(columns)s.")
            % {"url": url, "columns": ", ".join(missing)}
        )
    return {row["id"]: _bulk_answer(row) for row in reader}


def _bulk_answer(row: dict[str, str]) -> BanAnswer:
    try:
        score = float(row.get("result_score") or "")
        lon, lat = float(row["longitude"]), float(row["latitude"])
    except ValueError:
        return BanAnswer(found=False)
    return BanAnswer(
        found=True,
        longitude=lon,
        latitude=lat,
        score=score,
        result_type=row.get("result_type") or "",
        citycode=row.get("result_citycode") or "",
        oldcitycode=row.get("result_oldcitycode") or "",
        label=(row.get("result_label") or "")[:255],
    )


def _key(query: AddressQuery) -> str:
    return cache_key(f"{query.address} {query.postcode}", query.citycode)


def _from_entry(entry: GeocodingCacheEntry) -> BanAnswer:
    return BanAnswer(
        found=entry.found,
        longitude=entry.longitude,
        latitude=entry.latitude,
        score=entry.score,
        result_type=entry.result_type,
        citycode=entry.result_citycode,
        oldcitycode=entry.result_oldcitycode,
        label=entry.label,
    )


def _to_entry(query: AddressQuery, answer: BanAnswer) -> GeocodingCacheEntry:
    return GeocodingCacheEntry(
        key=_key(query),
        query=f"{query.address} {query.postcode}".strip(),
        citycode=query.citycode,
        found=answer.found,
        longitude=answer.longitude,
        latitude=answer.latitude,
        score=answer.score,
        result_type=answer.result_type[:20],
        result_citycode=answer.citycode[:5],
        result_oldcitycode=answer.oldcitycode[:5],
        label=answer.label,
    )


@dataclass(frozen=True)
class LocatedAddress:
    """Where the BAN puts an address a visitor typed: its label and point."""

    label: str
    lat: float
    lon: float


def address_locate(*, address: str) -> LocatedAddress | None:
    """The BAN's best match for `address` in Lille, for a visitor who waits (the pathway
    form sent without coordinates): one request, a short timeout, no retry and no cache;
    None when there is no match or the BAN fails or answers nonsense. Never raises.

    Looser than `BanGeocoder`'s acceptance on purpose: a project holder's place only picks
    a quartier and distances, it puts nothing on the map.
    """
    # The whole answer within the two timeouts: a BAN that trickles cannot hold the page.
    fetcher = Fetcher(
        retry=RetryPolicy(attempts=1), timeout=VISITOR_TIMEOUT, deadline=sum(VISITOR_TIMEOUT)
    )
    base_url = settings.CARTESS_BAN_BASE_URL.rstrip("/")
    params = {"q": address, "limit": 1, "citycode": LILLE_CITYCODE}
    try:
        answer = parse_search(fetcher.json(f"{base_url}/search/", params=params), base_url)
    except ImportFailed as error:
        logger.info("The BAN did not place a visitor's address: %s", error)
        return None
    if not answer.found:
        return None
    return LocatedAddress(label=answer.label, lat=answer.latitude, lon=answer.longitude)

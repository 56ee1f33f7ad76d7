"""Points for the rows that lack one: the BAN's bulk CSV endpoint, batch after batch.

A source that `geocodes` says, for each raw row, which address to ask
(`ImportSource.address_query`: None when the row has its own point, no address, lies
outside the territory or is set aside). The run sends those addresses to the BAN's
`/search/csv/` in batches of `CARTESS_BAN_BATCH_SIZE`, through the cache
(importers.io.geocoding.BanGeocoder), and adds the accepted match to the row's raw record
under GEOCODE_KEY: the mapper reads it (`geocoded_location`) and the provenance keeps it,
so that a later run sees whether the point changed. Nothing is guessed: a match scored
under `CARTESS_BAN_MIN_SCORE`, less precise than the street, or outside the territory
leaves the row without a point. A BAN that keeps failing fails the run (FetchFailed),
within the request's and the run's deadlines, unless the source's geocoding is optional
(`ImportSource.geocoding_optional`, a network's own upload): then the BAN is asked once
per batch without retry, and when it fails the rows it should have placed are loaded
without a point, marked under GEOCODE_FAILED_KEY (the mapper warns, the preview and the
report say so) and the BAN is not asked again in that run.
"""

from collections.abc import Iterable, Iterator
from dataclasses import replace

from django.contrib.gis.geos import Point

from importers.engine.base import ImportSource, RawRow
from importers.engine.errors import BadPayload, FetchFailed
from importers.io.geocoding import RATE_PER_SECOND, BanGeocoder, Geocode
from importers.io.http import Fetcher, RetryPolicy

#: Where a row's raw record keeps the BAN's accepted match.
GEOCODE_KEY = "_geocodage"
#: Where a row's raw record says the BAN could not be asked (optional geocoding only).
GEOCODE_FAILED_KEY = "_geocodage_echec"


def rows_geocoded(
    source: ImportSource, rows: Iterable[RawRow], *, geocoder: BanGeocoder | None = None
) -> Iterator[RawRow]:
    """`rows`, in order, those that lack a point with their BAN match (GEOCODE_KEY) when
    the BAN found one good enough. Holds one batch of rows at a time.
    Raises FetchFailed or BadPayload when the BAN keeps failing or answers nonsense, unless
    `source.geocoding_optional` (the module's docstring)."""
    geocoder = geocoder or _geocoder_for(source)
    failed: list[str] = []  # the BAN's failure, once it happened in an optional run
    batch: list[RawRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= geocoder.batch_size:
            yield from _batch_geocoded(source, batch, geocoder, failed)
            batch = []
    yield from _batch_geocoded(source, batch, geocoder, failed)


def _geocoder_for(source: ImportSource) -> BanGeocoder:
    if not source.geocoding_optional:
        return BanGeocoder()
    # One try: a person waits for the preview, and a point missing now comes next time.
    fetcher = Fetcher(rate_per_second=RATE_PER_SECOND, retry=RetryPolicy(attempts=1))
    return BanGeocoder(fetcher=fetcher)


def _batch_geocoded(
    source: ImportSource, batch: list[RawRow], geocoder: BanGeocoder, failed: list[str]
) -> Iterator[RawRow]:
    queries = []
    for row in batch:
        query = source.address_query(row)
        if query is not None:
            queries.append(replace(query, key=str(row.number)))
    found = {}
    if queries and not failed:
        try:
            found = geocoder.search_many(queries)
        except (FetchFailed, BadPayload) as error:
            if not source.geocoding_optional:
                raise
            failed.append(str(error))
    asked = {query.key for query in queries}
    for row in batch:
        geocode = found.get(str(row.number))
        if geocode is not None:
            row.data[GEOCODE_KEY] = geocode_value(geocode)
        elif failed and str(row.number) in asked:
            row.data[GEOCODE_FAILED_KEY] = True
        yield row


def geocode_value(geocode: Geocode) -> dict:
    """An accepted match as the raw record keeps it (JSON)."""
    return {
        "lon": geocode.point.x,
        "lat": geocode.point.y,
        "quality": geocode.quality,
        "score": geocode.score,
        "label": geocode.label,
    }


def geocoding_failed(raw: dict) -> bool:
    """Whether the BAN should have placed this row but could not be asked. Pure."""
    return raw.get(GEOCODE_FAILED_KEY) is True


def geocoded_location(raw: dict) -> tuple[Point | None, str, float | None]:
    """(point, GeocodingQuality, score) of the match kept in `raw`; (None, "", None)
    without one. Pure."""
    geocode = raw.get(GEOCODE_KEY)
    if not isinstance(geocode, dict):
        return None, "", None
    point = Point(geocode["lon"], geocode["lat"], srid=4326)
    return point, geocode.get("quality", ""), geocode.get("score")

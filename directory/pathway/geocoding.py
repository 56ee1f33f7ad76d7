"""One address -> one point through the BAN, for the pathway form when JavaScript did not.

The browser geocodes first (static/js/pathway.js, like /annuaire/); this is the fallback
for a form sent without coordinates. A visitor is waiting: one try, a short timeout, and
None on any failure, so that the page says so and offers the quartiers instead.
"""

import logging
from dataclasses import dataclass

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

#: Seconds to connect, then to read: a visitor waits for the answer.
BAN_TIMEOUT = (2.0, 3.0)
#: Lille (59350): the BAN files Hellemmes and Lomme under it too.
LILLE_CITYCODE = "59350"


@dataclass(frozen=True)
class AddressPoint:
    label: str
    lat: float
    lon: float


def address_geocode(*, address: str) -> AddressPoint | None:
    """The best BAN match for `address` in Lille, or None (no match, BAN unreachable,
    unexpected answer). One HTTP request to `settings.CARTESS_BAN_BASE_URL`; never raises."""
    url = f"{settings.CARTESS_BAN_BASE_URL.rstrip('/')}/search/"
    params = {"q": address, "limit": 1, "citycode": LILLE_CITYCODE}
    try:
        response = requests.get(url, params=params, timeout=BAN_TIMEOUT)
        response.raise_for_status()
        feature = response.json()["features"][0]
        lon, lat = feature["geometry"]["coordinates"]
        return AddressPoint(label=feature["properties"]["label"], lat=float(lat), lon=float(lon))
    except (requests.RequestException, ValueError, KeyError, IndexError, TypeError) as error:
        logger.info("Pathway: the BAN did not place %r: %s", address[:80], error)
        return None

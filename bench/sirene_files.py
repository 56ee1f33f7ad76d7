"""A synthetic SIRENE-shaped file set, to measure the bulk import (`manage.py bench_import`).

The three files have the official names and headers of INSEE's stock files; their rows are
invented but plausible: établissements spread over Lille, Hellemmes and Lomme (points in
Lambert 93 around the city), a few outside the territory or closed, unités légales of the
usual ESS legal forms with a few non-ESS or ceased ones, and a few random points
(qualite_xy 33). Nothing here is real data: never load it into a real database.
"""

import csv
import math
import random
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ETABLISSEMENT_HEADER = [
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement",
    "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement",
    "typeVoie2Etablissement",
    "libelleVoie2Etablissement",
    "codePostal2Etablissement",
    "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement",
    "codeCedex2Etablissement",
    "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
]
UNITE_LEGALE_HEADER = [
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
]
GEOLOCALISATION_HEADER = [
    "siret",
    "x",
    "y",
    "qualite_xy",
    "epsg",
    "plg_qp24",
    "plg_iris",
    "plg_zus",
    "plg_qva",
    "plg_code_commune",
    "distance_precision",
    "qualite_qp24",
    "qualite_iris",
    "qualite_zus",
    "qualite_qva",
    "y_latitude",
    "x_longitude",
]
FILE_NAMES = {
    "etablissements": "StockEtablissement_utf8.csv",
    "unites_legales": "StockUniteLegale_utf8.csv",
    "geolocalisation": "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv",
}

#: (INSEE code, postcode, commune label, share): Lille, its communes associées, neighbours.
COMMUNES = (
    ("59350", "59000", "LILLE", 0.80),
    ("59350", "59800", "LILLE", 0.07),
    ("59298", "59260", "HELLEMMES-LILLE", 0.03),
    ("59355", "59160", "LOMME", 0.05),
    ("59512", "59100", "ROUBAIX", 0.03),
    ("59009", "59650", "VILLENEUVE-D'ASCQ", 0.02),
)
#: The INSEE codes of Cartess's default territory (settings.CARTESS_TERRITORY_INSEE_CODES).
TERRITORY = frozenset({"59350", "59298", "59355"})
#: Lambert 93 centre of each commune (metres) and the spread of its points.
CENTRES = {
    "59350": (704_000.0, 7_059_000.0, 2_200.0),
    "59298": (708_300.0, 7_057_900.0, 700.0),
    "59355": (699_300.0, 7_060_200.0, 900.0),
    "59512": (711_500.0, 7_069_000.0, 1_500.0),
    "59009": (712_000.0, 7_058_000.0, 2_000.0),
}
STREETS = (
    ("RUE", "NATIONALE"),
    ("BD", "DE LA LIBERTE"),
    ("RUE", "DE PARIS"),
    ("RUE", "GAMBETTA"),
    ("RUE", "DES POSTES"),
    ("RUE", "PIERRE LEGRAND"),
    ("AV", "DE DUNKERQUE"),
    ("RUE", "SOLFERINO"),
    ("PL", "DU MARCHE"),
    ("BD", "PAUL PAINLEVE"),
    ("RUE", "D ARRAS"),
    ("RUE", "ROGER SALENGRO"),
)
#: (catégorie juridique, share, name pattern).
LEGAL_FORMS = (
    ("9220", 0.70, "ASSOCIATION {a} {b}"),
    ("9300", 0.02, "FONDATION {a}"),
    ("8210", 0.02, "MUTUELLE {a} {b}"),
    ("5458", 0.04, "{a} {b} SCOP"),
    ("5710", 0.10, "{a} {b} SOLIDAIRE"),
    ("5499", 0.07, "{a} {b} ESUS"),
    ("1000", 0.05, ""),
)
WORDS = (
    "JARDIN", "VELO", "ATELIER", "SOLIDARITE", "QUARTIER", "AVENIR", "PARTAGE", "CULTURE",
    "ENTRAIDE", "RECYCLERIE", "MOULINS", "WAZEMMES", "FIVES", "VAUBAN", "TERRE", "SAVOIRS",
)  # fmt: skip
NAF_CODES = (
    "94.99Z", "88.10A", "88.99B", "85.59A", "93.12Z", "90.01Z", "47.79Z", "38.32Z",
    "56.10A", "62.01Z", "68.20B", "87.90B",
)  # fmt: skip
QUALITIES = ("11", "11", "11", "11", "12", "21", "22", "33")


@dataclass(frozen=True)
class BenchFiles:
    """What `sirene_sample_write` wrote: the folder and its row counts."""

    folder: Path
    etablissements: int
    unites_legales: int
    geolocalisations: int


def luhn_complete(digits: str) -> str:
    """`digits` followed by the check digit that makes the whole a valid Luhn number."""
    for check in "0123456789":
        candidate = digits + check
        total = 0
        for position, digit in enumerate(reversed(candidate)):
            value = int(digit) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def sirene_sample_write(
    *, folder: Path, rows: int, seed: int = 2154, territory_share: float | None = None
) -> BenchFiles:
    """Write `rows` établissements (and their unités légales and points) into `folder`.

    By default nearly every établissement lies in the territory (the worst case: each row
    becomes an organisation). `territory_share` puts only that share of them in Lille,
    Hellemmes and Lomme and the rest in neighbouring communes, as in INSEE's real stock
    files, which are national (the three communes hold well under 1 % of their rows).
    Streams to disk: memory stays flat whatever `rows`. Returns the counts written.
    """
    generator = random.Random(seed)  # noqa: S311 - synthetic data, not security
    folder.mkdir(parents=True, exist_ok=True)
    with (
        (folder / FILE_NAMES["etablissements"]).open("w", encoding="utf-8", newline="") as etab,
        (folder / FILE_NAMES["unites_legales"]).open("w", encoding="utf-8", newline="") as unit,
        (folder / FILE_NAMES["geolocalisation"]).open("w", encoding="utf-8", newline="") as geo,
    ):
        writers = (
            csv.writer(etab, lineterminator="\n"),
            csv.writer(unit, lineterminator="\n"),
            csv.writer(geo, delimiter=";", lineterminator="\n"),
        )
        writers[0].writerow(ETABLISSEMENT_HEADER)
        writers[1].writerow(UNITE_LEGALE_HEADER)
        writers[2].writerow(GEOLOCALISATION_HEADER)
        counts = [0, 0]
        for unit_row, etab_rows in _unites(generator, rows, territory_share):
            writers[1].writerow(unit_row)
            counts[0] += 1
            for etab_row, geo_row in etab_rows:
                writers[0].writerow(etab_row)
                writers[2].writerow(geo_row)
                counts[1] += 1
    return BenchFiles(folder, counts[1], counts[0], counts[1])


def _unites(
    generator: random.Random, rows: int, territory_share: float | None
) -> Iterator[tuple[list, list]]:
    """(unité légale row, [(établissement row, geolocation row)...]) until `rows` établissements."""
    written, number = 0, 0
    while written < rows:
        number += 1
        siren = luhn_complete(f"{10_000_000 + number:08d}")
        count = min(rows - written, generator.choice((1, 1, 1, 1, 2, 3)))
        category, pattern = _legal_form(generator)
        etabs = [
            _etablissement(generator, siren, index, category, territory_share)
            for index in range(count)
        ]
        head_nic = etabs[0][0][1]
        unit = _unite_legale(generator, siren, category, pattern, number, head_nic)
        written += count
        yield unit, etabs


def _legal_form(generator: random.Random) -> tuple[str, str]:
    pick, total = generator.random(), 0.0
    for category, share, pattern in LEGAL_FORMS:
        total += share
        if pick <= total:
            return category, pattern
    return LEGAL_FORMS[0][0], LEGAL_FORMS[0][2]


def _unite_legale(
    generator: random.Random, siren: str, category: str, pattern: str, number: int, head: str
) -> list[str]:
    row = dict.fromkeys(UNITE_LEGALE_HEADER, "")
    words = {"a": generator.choice(WORDS), "b": generator.choice(WORDS)}
    row |= {
        "siren": siren,
        "statutDiffusionUniteLegale": "O",
        "dateCreationUniteLegale": "2015-03-01",
        "etatAdministratifUniteLegale": "C" if generator.random() < 0.01 else "A",
        "categorieJuridiqueUniteLegale": category,
        "activitePrincipaleUniteLegale": generator.choice(NAF_CODES),
        "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
        "nicSiegeUniteLegale": head,
        "economieSocialeSolidaireUniteLegale": "N" if generator.random() < 0.03 else "O",
    }
    if category == "1000":
        row |= {"nomUniteLegale": "MARTIN", "prenom1UniteLegale": "CAMILLE", "sexeUniteLegale": "F"}
    else:
        row["denominationUniteLegale"] = f"{pattern.format(**words)} {number}"
        row["sigleUniteLegale"] = f"{words['a'][:3]}{number % 1000}"
    if category.startswith("92"):
        row["identifiantAssociationUniteLegale"] = f"W59{number:07d}"
    return list(row.values())


def _etablissement(
    generator: random.Random, siren: str, index: int, category: str, share: float | None
) -> tuple:
    nic = luhn_complete(siren + f"{index + 1:04d}")[9:]
    siret = siren + nic
    insee, postcode, city = _commune(generator, share)
    street_type, street = generator.choice(STREETS)
    row = dict.fromkeys(ETABLISSEMENT_HEADER, "")
    row |= {
        "siren": siren,
        "nic": nic,
        "siret": siret,
        "statutDiffusionEtablissement": "O",
        "dateCreationEtablissement": "2015-03-01",
        "etablissementSiege": "true" if index == 0 else "false",
        "numeroVoieEtablissement": str(generator.randint(1, 250)),
        "typeVoieEtablissement": street_type,
        "libelleVoieEtablissement": street,
        "codePostalEtablissement": postcode,
        "libelleCommuneEtablissement": city,
        "codeCommuneEtablissement": insee,
        "etatAdministratifEtablissement": "F" if generator.random() < 0.03 else "A",
        "activitePrincipaleEtablissement": generator.choice(NAF_CODES),
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
    }
    if category == "1000" or generator.random() < 0.05:
        row["enseigne1Etablissement"] = f"ATELIER {generator.choice(WORDS)}"
    return list(row.values()), _geolocalisation(generator, siret, insee)


def _commune(generator: random.Random, territory_share: float | None) -> tuple[str, str, str]:
    communes = COMMUNES
    if territory_share is not None:
        inside = generator.random() < territory_share
        communes = tuple(c for c in COMMUNES if (c[0] in TERRITORY) == inside)
    pick = generator.random() * sum(share for *_, share in communes)
    total = 0.0
    for insee, postcode, city, share in communes:
        total += share
        if pick <= total:
            return insee, postcode, city
    return communes[0][:3]


def _geolocalisation(generator: random.Random, siret: str, insee: str) -> list[str]:
    centre_x, centre_y, spread = CENTRES[insee]
    angle, distance = generator.uniform(0, 2 * math.pi), abs(generator.gauss(0, spread))
    x, y = centre_x + distance * math.cos(angle), centre_y + distance * math.sin(angle)
    row = dict.fromkeys(GEOLOCALISATION_HEADER, "")
    row |= {
        "siret": siret,
        "x": f"{x:.1f}",
        "y": f"{y:.1f}",
        "qualite_xy": generator.choice(QUALITIES),
        "epsg": "2154",
        "plg_code_commune": insee,
    }
    return list(row.values())


def peak_memory_mb() -> float:
    """This process's peak resident memory (ru_maxrss, kilobytes on Linux), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Stopwatch:
    """Seconds since creation, for the benchmark's report."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

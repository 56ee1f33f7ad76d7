"""data·inclusion, Cartofriches and QPV in `manage.py bench_sync`'s payload set.

- data·inclusion: the national structures file (CSV, columns of the recorded
  `data-inclusion/structures.csv`), `DI_ROWS_PER_SCALE * scale` structures of which
  `DI_TERRITORY_SHARE` in the territory; some of those give no coordinates and are
  geocoded by the local BAN (bench.sync_rna.ban_add). Served as /data-inclusion/structures.csv.
- Cartofriches: the Cerema API as the source reads it, per INSEE code of the territory:
  `/cartofriches/friches/` pages `{count, next, results}` of CNIG records (columns of the
  recorded `cartofriches/cnig-friches-fichier-valide.csv`) and `/cartofriches/geofriches/`
  (GeoJSON outlines for half of the sites). The API filters by commune: every row served
  is in the territory.
- QPV: the ANCT's national file (`QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson`, the
  properties of the recorded `qpv/qpv_2024_sample.geojson`) zipped as data.gouv.fr serves
  it, `QPV_PER_SCALE * scale` outlines of which a dozen in the territory.

Every name ends with "(banc d'essai)"; the QPV codes start with QB (no real code does).
"""

import csv
import json
import math
import random
import zipfile
from pathlib import Path

from bench.sync_payloads import (
    COMMUNE_CENTRES,
    MARK,
    Answer,
    Asked,
    PayloadSet,
    _json,
    _luhn_completed,
)

#: data·inclusion counts tens of thousands of structures in France; a slice per unit.
DI_ROWS_PER_SCALE = 20_000
DI_TERRITORY_SHARE = 0.02
#: Share of the territory's structures without coordinates (geocoded by the BAN).
DI_UNPLACED_SHARE = 0.2
#: Cartofriches lists about a hundred sites in Lille, Hellemmes and Lomme (order of size).
FRICHES_PER_SCALE = 150
FRICHES_PAGE_SIZE = 500
#: The ANCT's 2024 file: about 1,600 QPV in France; a dozen in the territory.
QPV_PER_SCALE = 1_600
QPV_IN_TERRITORY = 12
QPV_MEMBER = "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"
#: Communes elsewhere: (INSEE code, postcode, name, latitude, longitude).
ELSEWHERE = (
    ("63113", "63000", "Clermont-Ferrand", 45.777, 3.087),
    ("69266", "69100", "Villeurbanne", 45.766, 4.880),
    ("13055", "13001", "Marseille", 43.296, 5.370),
    ("35238", "35000", "Rennes", 48.111, -1.680),
)
TOWNS = {
    "59350": ("59000", "Lille"),
    "59298": ("59260", "Hellemmes-Lille"),
    "59355": ("59160", "Lomme"),
}


def _sample(samples: Path, relative: str) -> Path:
    """`samples/relative`, else the tests' copy (the shared samples lack some files)."""
    path = samples / relative
    if path.exists():
        return path
    return Path(__file__).resolve().parents[1] / "tests" / "data" / relative


def _csv_templates(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def data_inclusion_add(payloads: PayloadSet, *, samples: Path, folder: Path, scale: float) -> None:
    """The national structures file, written in `folder`, served as .../structures.csv."""
    rng = random.Random(19)  # noqa: S311 - synthetic data, not security
    header, templates = _csv_templates(_sample(samples, "data-inclusion/structures.csv"))
    rows = max(100, round(DI_ROWS_PER_SCALE * scale))
    path = folder / "structures.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header)
        writer.writeheader()
        for number in range(rows):
            row = dict(templates[number % len(templates)])
            if rng.random() < DI_TERRITORY_SHARE:
                code = rng.choice(tuple(TOWNS))
                postcode, town = TOWNS[code]
                latitude, longitude = COMMUNE_CENTRES[code]
            else:
                code, postcode, town, latitude, longitude = rng.choice(ELSEWHERE)
            placed = rng.random() >= DI_UNPLACED_SHARE
            row |= {
                "id": f"banc-{number:08d}",
                "nom": f"{row['nom']} n°{number}{MARK}",
                "siret": _luhn_completed(
                    f"{_luhn_completed(f'8{number:07d}')}{number % 10_000:04d}"
                ),
                "commune": town,
                "code_postal": postcode,
                "code_insee": code,
                "adresse": f"{number % 200 + 1} rue Nationale",
                "latitude": f"{latitude + (rng.random() - 0.5) * 0.008:.6f}" if placed else "",
                "longitude": f"{longitude + (rng.random() - 0.5) * 0.008:.6f}" if placed else "",
            }
            writer.writerow(row)
    payloads.routes["/data-inclusion/structures.csv"] = lambda _asked: (200, "text/csv", path)
    payloads.rows["data-inclusion"] = rows


def _square(latitude: float, longitude: float, side: float) -> list:
    """A closed square ring (GeoJSON order: longitude, latitude)."""
    return [
        [
            [longitude, latitude],
            [longitude + side, latitude],
            [longitude + side, latitude + side],
            [longitude, latitude + side],
            [longitude, latitude],
        ]
    ]


def cartofriches_add(
    payloads: PayloadSet, *, samples: Path, base_url: str, scale: float, codes: tuple[str, ...]
) -> None:
    """The Cerema API's friches and geofriches of each INSEE code in `codes`."""
    rng = random.Random(20)  # noqa: S311 - synthetic data, not security
    _header, templates = _csv_templates(
        _sample(samples, "cartofriches/cnig-friches-fichier-valide.csv")
    )
    total = max(len(codes), round(FRICHES_PER_SCALE * scale))
    records: dict[str, list[dict]] = {code: [] for code in codes}
    outlines: dict[str, list[dict]] = {code: [] for code in codes}
    for number in range(total):
        code = codes[number % len(codes)]
        centre_latitude, centre_longitude = COMMUNE_CENTRES.get(code, COMMUNE_CENTRES["59350"])
        latitude = centre_latitude + (rng.random() - 0.5) * 0.01
        longitude = centre_longitude + (rng.random() - 0.5) * 0.01
        record = dict(templates[number % len(templates)])
        site_id = f"{code}_banc.{number:05d}"
        record |= {
            "site_id": site_id,
            "site_nom": f"{record['site_nom']} n°{number}{MARK}",
            "site_adresse": f"{number % 200 + 1} rue Nationale",
            "comm_nom": TOWNS.get(code, ("", "Lille"))[1],
            "comm_insee": code,
            "geompoint": f"POINT({longitude:.6f} {latitude:.6f})",
            "geomsurf": None,
        }
        records[code].append(record)
        if number % 2:
            outlines[code].append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "MultiPolygon",
                        "coordinates": [_square(latitude - 0.0003, longitude - 0.0003, 0.0006)],
                    },
                    "properties": {"site_id": site_id},
                }
            )

    def friches(asked: Asked) -> Answer:
        code = asked.query.get("code_insee", "")
        size = int(asked.query.get("page_size", FRICHES_PAGE_SIZE))
        page = int(asked.query.get("page", 1))
        found = records.get(code, [])
        pages = max(1, math.ceil(len(found) / size))
        next_url = (
            f"{base_url}/cartofriches/cartofriches/friches/?code_insee={code}&page_size={size}"
            f"&page={page + 1}"
            if page < pages
            else None
        )
        chunk = found[(page - 1) * size : page * size]
        return _json({"count": len(found), "next": next_url, "previous": None, "results": chunk})

    def geofriches(asked: Asked) -> Answer:
        features = outlines.get(asked.query.get("code_insee", ""), [])
        return _json({"type": "FeatureCollection", "features": features})

    payloads.routes["/cartofriches/cartofriches/friches/"] = friches
    payloads.routes["/cartofriches/cartofriches/geofriches/"] = geofriches
    payloads.rows["cartofriches"] = total


def qpv_add(payloads: PayloadSet, *, samples: Path, folder: Path, scale: float) -> None:
    """The ANCT's national QPV file, zipped in `folder`, served as /qpv/qpv2024.zip."""
    recorded = json.loads(_sample(samples, "qpv/qpv_2024_sample.geojson").read_text("utf-8"))
    total = max(QPV_IN_TERRITORY + 1, round(QPV_PER_SCALE * scale))
    territory = tuple(TOWNS)
    features = []
    for number in range(total):
        if number < QPV_IN_TERRITORY:
            code = territory[number % len(territory)]
            latitude, longitude = COMMUNE_CENTRES[code]
            town, department, epci = TOWNS[code][1], "59", "200093201"
            # Side by side, south-west of the centre, never overlapping.
            latitude -= 0.006 + 0.004 * (number // len(territory))
            longitude -= 0.01
        else:
            code, _postcode, town, latitude, longitude = ELSEWHERE[number % len(ELSEWHERE)]
            department, epci = code[:2], ""
            latitude += 0.003 * (number // len(ELSEWHERE) % 40)
            longitude += 0.003 * (number // len(ELSEWHERE) // 40)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code_qp": f"QB{department}{number:05d}",
                    "lib_qp": f"Quartier n°{number}{MARK}",
                    "insee_dep": department,
                    "insee_com": code,
                    "lib_com": town,
                    "siren_epci": epci,
                },
                "geometry": {"type": "Polygon", "coordinates": _square(latitude, longitude, 0.002)},
            }
        )
    collection = {key: value for key, value in recorded.items() if key != "features"}
    collection["features"] = features
    archive = folder / "qpv2024.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(QPV_MEMBER, json.dumps(collection))
    payloads.routes["/qpv/qpv2024.zip"] = lambda _asked: (200, "application/zip", archive)
    payloads.rows["qpv"] = total

"""The RNA part of `manage.py bench_sync`'s payload set, and the BAN that geocodes it.

A waldec file shaped like the national export: the columns and values of the recorded
sample (`rna/rna_sample_waldec.csv`), `RNA_ROWS_PER_SCALE * scale` associations of which 1 %
in the territory and some dissolved (position D), served as /rna/waldec.csv. The BAN's
`/search/csv/` answers each address of the territory at a point in its commune with a good
score, in the columns of api-adresse (the import only sends the territory's addresses).
"""

import csv
import email.parser
import email.policy
import io
import random
from pathlib import Path

from bench.sync_payloads import COMMUNE_CENTRES, MARK, Answer, Asked, PayloadSet

#: The national RNA counts about 1.9 million associations; one unit of scale is a slice.
RNA_ROWS_PER_SCALE = 20_000
RNA_TERRITORY_SHARE = 0.01
RNA_DISSOLVED_SHARE = 0.15
#: Communes outside the territory the other associations are declared in.
ELSEWHERE = (("63113", "63000", "Clermont-Ferrand"), ("69266", "69100", "Villeurbanne"))
TERRITORY_TOWNS = {
    "59350": ("59000", "Lille"),
    "59298": ("59260", "Hellemmes-Lille"),
    "59355": ("59160", "Lomme"),
}


def _waldec_templates(samples: Path) -> tuple[list[str], list[dict[str, str]]]:
    path = samples / "rna" / "rna_sample_waldec.csv"
    raw = path.read_bytes()
    text = raw.decode("utf-8") if raw.isascii() else raw.decode("cp1252")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    return list(reader.fieldnames or []), list(reader)


def rna_add(payloads: PayloadSet, *, samples: Path, folder: Path, scale: float) -> None:
    """The waldec file, written in `folder` and served as /rna/waldec.csv."""
    rng = random.Random(17)  # noqa: S311 - synthetic data, not security
    header, templates = _waldec_templates(samples)
    rows = max(100, round(RNA_ROWS_PER_SCALE * scale))
    path = folder / "waldec.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, delimiter=";")
        writer.writeheader()
        for number in range(rows):
            row = dict(templates[number % len(templates)])
            if rng.random() < RNA_TERRITORY_SHARE:
                code = rng.choice(tuple(TERRITORY_TOWNS))
                postcode, town = TERRITORY_TOWNS[code]
            else:
                code, postcode, town = rng.choice(ELSEWHERE)
            dissolved = rng.random() < RNA_DISSOLVED_SHARE
            row |= {
                "id": f"W59{number:07d}",
                "titre": f"ASSOCIATION N°{number}{MARK}",
                "titre_court": f"ASSOCIATION N°{number}",
                "adrs_numvoie": str(number % 200 + 1),
                "adrs_typevoie": "RUE",
                "adrs_libvoie": "Nationale",
                "adrs_codeinsee": code,
                "adrs_codepostal": postcode,
                "adrs_libcommune": town,
                "position": "D" if dissolved else "A",
                "date_disso": "2020-01-01" if dissolved else "0001-01-01",
                "telephone": "",
                "email": "",
                "siteweb": "",
            }
            writer.writerow(row)
    payloads.routes["/rna/waldec.csv"] = lambda _asked: (200, "text/csv", path)
    payloads.rows["rna"] = rows


def _csv_part(asked: Asked) -> str:
    """The `data` file of a multipart /search/csv/ request, as text."""
    head = f"Content-Type: {asked.content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(head + asked.body)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "data":
            return part.get_payload(decode=True).decode("utf-8-sig")
    return ""


def ban_add(payloads: PayloadSet) -> None:
    """The BAN's /search/csv/: every address found, in its commune, score 0.9."""
    rng = random.Random(18)  # noqa: S311 - synthetic data, not security

    def search_csv(asked: Asked) -> Answer:
        reader = csv.DictReader(io.StringIO(_csv_part(asked)))
        columns = [*(reader.fieldnames or []), "latitude", "longitude", "result_label"]
        columns += ["result_score", "result_type", "result_citycode", "result_oldcitycode"]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in reader:
            latitude, longitude = COMMUNE_CENTRES.get(row["citycode"], COMMUNE_CENTRES["59350"])
            writer.writerow(
                row
                | {
                    "latitude": f"{latitude + (rng.random() - 0.5) * 0.008:.6f}",
                    "longitude": f"{longitude + (rng.random() - 0.5) * 0.008:.6f}",
                    "result_label": row["adresse"],
                    "result_score": "0.9",
                    "result_type": "housenumber",
                    "result_citycode": row["citycode"],
                    "result_oldcitycode": "",
                }
            )
        return 200, "text/csv", out.getvalue().encode()

    payloads.routes["/ban/search/csv/"] = search_csv

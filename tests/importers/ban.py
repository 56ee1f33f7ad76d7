"""A fake BAN for the tests: real-format answers of /search/ and /search/csv/ served locally."""

import copy
import csv
import io
import json
from pathlib import Path

from werkzeug import Request, Response

from importers.io.geocoding import normalise

SAMPLE = Path(__file__).resolve().parent.parent / "data/ban-api-adresse"
#: The real /search/ answer of the sample (Mazères-Lezons, type street).
SEARCH_SAMPLE = json.loads((SAMPLE / "base-adresse-nationale-search.json").read_text())

#: Columns of a /search/csv/ answer after the input columns, as the IGN service orders
#: them (longitude before latitude, result_status added).
IGN_RESULT_COLUMNS = (
    "longitude",
    "latitude",
    "result_label",
    "result_score",
    "result_score_next",
    "result_type",
    "result_id",
    "result_housenumber",
    "result_name",
    "result_street",
    "result_postcode",
    "result_city",
    "result_context",
    "result_citycode",
    "result_oldcitycode",
    "result_oldcity",
    "result_district",
    "result_status",
)


def search_answer(
    *, lon: float, lat: float, score: float, kind: str, citycode: str, label: str, **extra
) -> dict:
    """The sample's /search/ answer with another first feature (same keys)."""
    answer = copy.deepcopy(SEARCH_SAMPLE)
    feature = answer["features"][0]
    feature["geometry"]["coordinates"] = [lon, lat]
    feature["properties"] |= {
        "score": score,
        "type": kind,
        "citycode": citycode,
        "label": label,
        **extra,
    }
    return answer


#: Known addresses of the fake BAN: normalised query start -> result columns.
KNOWN = {
    "235 b": {
        "longitude": "3.072722",
        "latitude": "50.619712",
        "result_label": "235 Boulevard Paul Painlevé 59000 Lille",
        "result_score": "0.96",
        "result_type": "housenumber",
        "result_citycode": "59350",
        "result_oldcitycode": "",
    },
    "20 rue roger salengro": {
        "longitude": "3.111958",
        "latitude": "50.626551",
        "result_label": "20 Rue Roger Salengro 59260 Lille",
        "result_score": "0.91",
        "result_type": "housenumber",
        "result_citycode": "59350",
        "result_oldcitycode": "59298",
    },
    "rue du bois": {
        "longitude": "3.02",
        "latitude": "50.64",
        "result_label": "Lille",
        "result_score": "0.31",
        "result_type": "municipality",
        "result_citycode": "59350",
        "result_oldcitycode": "",
    },
}


def bulk_handler(calls: list) -> callable:
    """A /search/csv/ handler answering in the IGN column order; records each request."""

    def handle(request: Request) -> Response:
        upload = request.files["data"].read().decode()
        calls.append({"form": request.form.to_dict(flat=False), "data": upload})
        rows = list(csv.DictReader(io.StringIO(upload)))
        out = io.StringIO()
        fields = [*rows[0].keys(), *IGN_RESULT_COLUMNS] if rows else ["id"]
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            found = known(row["adresse"])
            status = "ok" if found else "not-found"
            writer.writerow(
                row | dict.fromkeys(IGN_RESULT_COLUMNS, "") | found | {"result_status": status}
            )
        return Response(out.getvalue(), content_type="text/csv; charset=utf-8")

    return handle


def known(address: str) -> dict:
    """The result columns of a known address, {} when the fake BAN does not know it."""
    return next((v for k, v in KNOWN.items() if normalise(address).startswith(k)), {})


def search_handler(request: Request) -> Response:
    """A /search/ handler answering from KNOWN in the real GeoJSON format."""
    found = known(request.args.get("q", ""))
    answer = copy.deepcopy(SEARCH_SAMPLE)
    if not found:
        answer["features"] = []
    else:
        answer = search_answer(
            lon=float(found["longitude"]),
            lat=float(found["latitude"]),
            score=float(found["result_score"]),
            kind=found["result_type"],
            citycode=found["result_citycode"],
            label=found["result_label"],
            oldcitycode=found["result_oldcitycode"],
        )
    return Response(json.dumps(answer), content_type="application/json")

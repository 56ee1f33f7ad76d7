"""A national-shaped payload set for `manage.py bench_sync`, generated at run time.

Nothing is copied into the repository: the pages are built from the recorded samples of
`../shared/data/samples/` (else the copies in tests/data/) and scaled by `scale`:

- Recherche d'entreprises: `/search` pages of 25 results for each INSEE code of the
  territory, as the API pages them (`page`, `per_page`, `total_results`, `total_pages`);
  each result is a recorded one (siège where it really is, mostly far from Lille) with a
  new SIREN and one matching établissement in the queried commune, a few of them closed.
- Aides-territoires: `/api/connexion/` (the bearer token) and `/api/aids/` pages of 50
  linked by `next`; most aids are for other regions, or for other audiences than ESS
  structures, as in the national catalogue.
- SIRENE: the three stock files in one zip (bench.sirene_files), 1 % of the établissements
  in the territory as in INSEE's national files.

Everything invented here is marked as such (names end with "(banc d'essai)"): never load
it into a real database.
"""

import copy
import json
import math
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.sirene_files import sirene_sample_write

#: Rows per unit of `--scale`: about Lille's ESS population through the API (INSEE counts
#: 1,243 ESS establishments in Lille), the size of the national aid catalogue, and a slice
#: of the national SIRENE stock holding 1 % of its établissements in the territory.
RE_ROWS_PER_SCALE = 1_250
AIDS_PER_SCALE = 2_000
SIRENE_ROWS_PER_SCALE = 50_000
SIRENE_TERRITORY_SHARE = 0.01
#: Share of the API's matching établissements that are closed (set aside by the import).
RE_CLOSED_SHARE = 0.05
AIDS_PAGE_SIZE = 50
#: Points well inside Lille, Hellemmes and Lomme, around which the API's établissements lie.
COMMUNE_CENTRES = {
    "59350": (50.6330, 3.0600),
    "59298": (50.6270, 3.1090),
    "59355": (50.6440, 2.9870),
}
BENCH_TOKEN = "banc-d-essai"  # noqa: S105 - the token of the local server, not a secret
MARK = " (banc d'essai)"

#: Perimeters of the generated aids: most are elsewhere, as in the national catalogue.
AID_PERIMETERS = (
    ("Hauts-de-France", 1),
    ("Nord", 1),
    ("France", 1),
    ("Morbihan", 3),
    ("Occitanie", 4),
    ("Bourgogne-Franche-Comté", 3),
    ("Auvergne-Rhône-Alpes", 4),
    ("Bretagne", 3),
)

#: One answer: status, content type, and the body (bytes, or a file to send).
Answer = tuple[int, str, bytes | Path]


@dataclass(frozen=True)
class Asked:
    """One request to the local server: its query, method, body and content type."""

    query: dict[str, str]
    method: str = "GET"
    body: bytes = b""
    content_type: str = ""


Route = Callable[[Asked], Answer]


@dataclass
class PayloadSet:
    """The generated payloads, by URL path, and how many rows each source will read."""

    routes: dict[str, Route] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def _json(body: object) -> Answer:
    return 200, "application/json", json.dumps(body).encode()


def _luhn_completed(digits: str) -> str:
    """`digits` followed by the key that makes the whole pass the Luhn check."""
    for key in "0123456789":
        total = 0
        for position, digit in enumerate(reversed(digits + key)):
            value = int(digit) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digits + key
    raise AssertionError(digits)


def _recorded_results(samples: Path) -> list[dict]:
    folder = samples / "recherche-entreprises"
    results = []
    for path in sorted(folder.glob("search-*.json")):
        answer = json.loads(path.read_text(encoding="utf-8"))
        results.extend(answer.get("result", answer)["results"])
    return [
        result for result in results if not result["complements"]["est_entrepreneur_individuel"]
    ]


def _company(template: dict, *, number: int, code: str, rng: random.Random) -> dict:
    """A recorded result made a new ESS unit with one établissement in commune `code`."""
    result = copy.deepcopy(template)
    siren = _luhn_completed(f"9{number:07d}")
    result["siren"] = siren
    result["nom_complet"] = f"{template['nom_complet']} n°{number}{MARK}"
    result["nom_raison_sociale"] = result["nom_complet"]
    result["complements"]["est_ess"] = True
    if result["complements"].get("identifiant_association"):
        result["complements"]["identifiant_association"] = f"W58{number:07d}"
    result["dirigeants"] = []
    closed = rng.random() < RE_CLOSED_SHARE
    latitude, longitude = COMMUNE_CENTRES.get(code, COMMUNE_CENTRES["59350"])
    result["matching_etablissements"] = [
        {
            "activite_principale": result["activite_principale"],
            "adresse": f"{number % 300 + 1} RUE NATIONALE 59000 LILLE",
            "code_postal": "59000",
            "commune": code,
            "est_siege": False,
            "etat_administratif": "F" if closed else "A",
            "latitude": f"{latitude + (rng.random() - 0.5) * 0.008:.6f}",
            "libelle_commune": "LILLE",
            "longitude": f"{longitude + (rng.random() - 0.5) * 0.008:.6f}",
            "siret": _luhn_completed(f"{siren}{number % 10_000:04d}"),
        }
    ]
    return result


def recherche_entreprises_add(
    payloads: PayloadSet, *, samples: Path, scale: float, codes: tuple[str, ...]
) -> None:
    """The API's /search pages, `RE_ROWS_PER_SCALE * scale` units over the `codes`."""
    rng = random.Random(15)  # noqa: S311 - synthetic data, not security
    templates = _recorded_results(samples)
    total = max(len(codes), round(RE_ROWS_PER_SCALE * scale))
    by_code: dict[str, list[dict]] = {code: [] for code in codes}
    for number in range(total):
        code = codes[number % len(codes)]
        template = templates[number % len(templates)]
        by_code[code].append(_company(template, number=number, code=code, rng=rng))

    def search(asked: Asked) -> Answer:
        query = asked.query
        results = by_code.get(query.get("code_commune", ""), [])
        per_page, page = int(query.get("per_page", 25)), int(query.get("page", 1))
        return _json(
            {
                "results": results[(page - 1) * per_page : page * per_page],
                "total_results": len(results),
                "page": page,
                "per_page": per_page,
                "total_pages": max(1, math.ceil(len(results) / per_page)),
            }
        )

    payloads.routes["/recherche-entreprises/search"] = search
    payloads.rows["recherche-entreprises"] = total


def _aid(number: int, rng: random.Random) -> dict:
    perimeter = rng.choices(
        [name for name, _ in AID_PERIMETERS], weights=[w for _, w in AID_PERIMETERS]
    )[0]
    audiences = ["Associations", "Communes"] if number % 3 else ["Communes", "Entreprises privées"]
    return {
        "id": 100_000 + number,
        "slug": f"aide-{number}-banc-d-essai",
        "url": f"/aides/aide-{number}-banc-d-essai/",
        "name": f"Fonds pour l'emploi associatif n°{number}{MARK}",
        "description": "<p>Soutenir la <strong>création d'emplois</strong> associatifs.</p>",
        "eligibility": "<ul><li>Association loi 1901</li></ul>",
        "financers": [f"Région {perimeter}"],
        "perimeter": perimeter,
        "mobilization_steps": ["Réflexion / conception", "Mise en œuvre / réalisation"],
        "targeted_audiences": audiences,
        "aid_types": ["Subvention"],
        "categories": ["Solidarité"],
        "recurrence": "Permanente",
        "start_date": "2026-01-15",
        "submission_deadline": "2027-06-30",
        "origin_url": "https://www.example.org/",
        "application_url": "",
        "is_call_for_project": bool(number % 2),
        "subvention_rate_lower_bound": 20,
        "subvention_rate_upper_bound": 80,
        "loan_amount": None,
        "date_updated": "2026-11-01T10:00:00+01:00",
    }


def aides_territoires_add(payloads: PayloadSet, *, base_url: str, scale: float) -> None:
    """The API's token and /aids/ pages, `AIDS_PER_SCALE * scale` aids."""
    rng = random.Random(16)  # noqa: S311 - synthetic data, not security
    aids = [_aid(number, rng) for number in range(max(1, round(AIDS_PER_SCALE * scale)))]
    pages = max(1, math.ceil(len(aids) / AIDS_PAGE_SIZE))

    def token(_asked: Asked) -> Answer:
        return _json({"token": BENCH_TOKEN})

    def listing(asked: Asked) -> Answer:
        page = int(asked.query.get("page", 1))
        chunk = aids[(page - 1) * AIDS_PAGE_SIZE : page * AIDS_PAGE_SIZE]
        next_url = f"{base_url}/aides-territoires/aids/?page={page + 1}" if page < pages else None
        return _json({"count": len(aids), "next": next_url, "previous": None, "results": chunk})

    payloads.routes["/aides-territoires/connexion/"] = token
    payloads.routes["/aides-territoires/aids/"] = listing
    payloads.rows["aides-territoires"] = len(aids)


def sirene_add(payloads: PayloadSet, *, folder: Path, scale: float) -> None:
    """The three SIRENE stock files, zipped in `folder`, served as /sirene/stock.zip."""
    rows = max(100, round(SIRENE_ROWS_PER_SCALE * scale))
    files = folder / "sirene"
    sirene_sample_write(folder=files, rows=rows, territory_share=SIRENE_TERRITORY_SHARE)
    archive = folder / "stock.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(files.iterdir()):
            bundle.write(path, arcname=path.name)
    payloads.routes["/sirene/stock.zip"] = lambda _asked: (200, "application/zip", archive)
    payloads.rows["sirene"] = rows

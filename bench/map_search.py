"""`manage.py bench_map`: seed organisations spread like French addresses and time the reads.

Only for a throw-away database (its name must contain "bench"): seeding writes 100,000 rows.
"""

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.test import Client

from directory.filters import OrganisationFilters
from directory.models import (
    GeocodingQuality,
    LegalFamily,
    Organisation,
    OrganisationKind,
    Sector,
)
from directory.selectors import organisation_search
from directory.services import search_words_refresh

#: Big French cities (lon, lat, weight ~ population of the urban area in hundred thousands,
#: spread in degrees): addresses cluster around them, as SIRENE's do.
CITIES = [
    ("Paris", 2.3488, 48.8534, 107, 0.12),
    ("Lyon", 4.8467, 45.7485, 23, 0.08),
    ("Marseille", 5.3811, 43.2965, 18, 0.08),
    ("Lille", 3.0573, 50.6292, 12, 0.06),
    ("Toulouse", 1.4442, 43.6045, 14, 0.07),
    ("Bordeaux", -0.5792, 44.8378, 13, 0.07),
    ("Nice", 7.2620, 43.7102, 10, 0.05),
    ("Nantes", -1.5534, 47.2184, 10, 0.06),
    ("Strasbourg", 7.7521, 48.5734, 8, 0.05),
    ("Montpellier", 3.8767, 43.6109, 8, 0.05),
    ("Rennes", -1.6778, 48.1173, 7, 0.05),
    ("Grenoble", 5.7245, 45.1885, 7, 0.05),
    ("Rouen", 1.0993, 49.4432, 6, 0.05),
    ("Toulon", 5.9280, 43.1242, 6, 0.05),
    ("Nancy", 6.1844, 48.6921, 4, 0.04),
    ("Metz", 6.1757, 49.1193, 4, 0.04),
    ("Saint-Étienne", 4.3872, 45.4397, 4, 0.04),
    ("Tours", 0.6848, 47.3941, 4, 0.04),
    ("Clermont-Ferrand", 3.0863, 45.7772, 4, 0.04),
    ("Orléans", 1.9093, 47.9029, 4, 0.04),
    ("Dijon", 5.0415, 47.3220, 3, 0.04),
    ("Angers", -0.5632, 47.4784, 3, 0.04),
    ("Brest", -4.4860, 48.3904, 3, 0.04),
    ("Amiens", 2.2958, 49.8941, 3, 0.04),
    ("Valenciennes", 3.5235, 50.3570, 3, 0.04),
    ("Reims", 4.0317, 49.2583, 3, 0.04),
    ("Limoges", 1.2611, 45.8336, 3, 0.04),
    ("Caen", -0.3707, 49.1829, 3, 0.04),
]
#: Share of addresses spread over the whole of metropolitan France (towns and villages).
RURAL_SHARE = 0.25
FRANCE = (-4.7, 42.4, 8.2, 51.0)

PREFIXES = [
    "Association",
    "Coopérative",
    "SCOP",
    "SCIC",
    "Atelier",
    "Ressourcerie",
    "Tiers-lieu",
    "Collectif",
    "Maison",
    "Jardin partagé",
    "Épicerie solidaire",
    "Vélo-école",
    "Régie de quartier",
    "Chantier d'insertion",
    "Fondation",
    "Mutuelle",
    "Recyclerie",
]
#: Words of ESS names and activities: a name draws two, a description four, so that a word
#: appears in about 2 to 5 % of the organisations, as the common words of real names do.
WORDS = (  # noqa: SIM905 - a paragraph of words reads better than 120 strings
    "vélo mobilité jardin potager maraîchage compost cuisine cantine épicerie alimentation "
    "circuit-court ferme paysan boulangerie brasserie café restaurant traiteur réemploi "
    "réparation recyclerie ressourcerie textile couture tricot friperie meuble bois menuiserie "
    "métallerie écoconstruction rénovation énergie solaire habitat logement colocation "
    "hébergement accueil insertion emploi formation apprentissage chantier propreté nettoyage "
    "espaces-verts aide domicile soin santé autonomie handicap seniors enfance petite-enfance "
    "crèche jeunesse éducation école soutien scolaire numérique informatique médiation "
    "fablab atelier musique théâtre danse cirque cinéma photographie édition librairie "
    "bibliothèque patrimoine culture arts spectacle festival sport football natation escalade "
    "randonnée nature environnement biodiversité apiculture eau déchets zéro-déchet vrac "
    "finance épargne microcrédit monnaie-locale commerce-équitable tourisme voyage quartier "
    "citoyen participation démocratie migrants solidarité entraide partage échange troc "
    "coworking tiers-lieu laboratoire recherche conseil accompagnement incubateur pépinière"
).split()
SENTENCES = [
    "Propose des activités de {a} et de {b} aux habitants du quartier.",
    "Structure d'insertion : chantiers de {a} et formation aux métiers de la {b}.",
    "Accompagne les porteurs de projet en {a} et en {b}.",
    "Lieu partagé pour la {a}, la {b} et les rencontres entre voisins.",
    "Coopérative de {a} et de {b}, gouvernance partagée entre salariés et usagers.",
    "Collecte et valorise pour le {a} ; ateliers de {b} ouverts à tous.",
]

CITY_BBOX = {"Lille": (3.00, 50.59, 3.13, 50.67), "Paris": (2.25, 48.81, 2.42, 48.91)}
REGION_BBOX = {
    "Hauts-de-France": (1.38, 48.83, 4.26, 51.09),
    "Île-de-France": (1.45, 48.12, 3.56, 49.24),
}
SEARCHES = ["velo", "coopérative", "ccoperative", "insertion", "reemploi", "jardin partagé"]


def _point(rng: random.Random) -> tuple[float, float, str]:
    if rng.random() < RURAL_SHARE:
        return rng.uniform(FRANCE[0], FRANCE[2]), rng.uniform(FRANCE[1], FRANCE[3]), "Commune"
    name, lon, lat, _weight, spread = rng.choices(CITIES, weights=[c[3] for c in CITIES])[0]
    return rng.gauss(lon, spread), rng.gauss(lat, spread * 0.7), name


def organisations_seed(*, count: int, seed: int = 59350) -> int:
    """Insert `count` published organisations named and placed like French ESS actors.

    Each gets one or two kinds (tiers-lieu rarely: `THIRD_PLACE_ONE_IN`) and a sector; 90 %
    have a point. Deterministic for a `seed`.
    Side effects: writes rows in one transaction, refreshes the typo dictionary, then
    ANALYZE. Returns the number created.
    """
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not a secret
    kinds = list(OrganisationKind.objects.all())
    sectors = list(Sector.objects.all())
    families = list(LegalFamily.objects.all())
    with transaction.atomic():
        for start in range(0, count, 5000):
            batch = [
                _organisation(rng, index, families)
                for index in range(start, min(count, start + 5000))
            ]
            created = Organisation.objects.bulk_create(batch)
            _link(rng, created, kinds, sectors, start=start)
    # The search corrects typos against the words of the published organisations, as it
    # does after an import run.
    search_words_refresh()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return count


def _organisation(rng: random.Random, index: int, families: list) -> Organisation:
    lon, lat, city = _point(rng)
    located = rng.random() < 0.9
    first, second, *rest = rng.sample(WORDS, 6)
    name = f"{rng.choice(PREFIXES)} {first.capitalize()} {second} {city} {index}"
    sentences = [
        sentence.format(a=rest[2 * number], b=rest[2 * number + 1])
        for number, sentence in enumerate(rng.sample(SENTENCES, 2))
    ]
    return Organisation(
        name=name,
        slug=f"bench-{index}",
        description=" ".join(sentences),
        legal_family=rng.choice(families),
        city=city,
        location=Point(lon, lat, srid=4326) if located else None,
        geocoding_quality=GeocodingQuality.HOUSENUMBER if located else "",
    )


#: One organisation in 55 keeps the kind tiers-lieu when it draws it: 3,565 of 1,000,000,
#: where France counts about 3,500 tiers-lieux (France Tiers-Lieux, 2023). Drawn like the
#: other kinds, a seventh of the directory (191,164) were places, and every place page read
#: that many (issue 20, eleventh sitting).
THIRD_PLACE_ONE_IN = 55


def _link(
    rng: random.Random, organisations: list, kinds: list, sectors: list, *, start: int
) -> None:
    kind_links, sector_links = [], []
    for index, organisation in enumerate(organisations, start=start):
        for kind in rng.sample(kinds, rng.choice([1, 1, 2])):
            if kind.slug == "tiers-lieu" and index % THIRD_PLACE_ONE_IN:
                continue  # drawn all the same: the other draws stay as they were
            kind_links.append(
                Organisation.kinds.through(organisation=organisation, organisationkind=kind)
            )
        sector_links.append(
            Organisation.sectors.through(organisation=organisation, sector=rng.choice(sectors))
        )
    Organisation.kinds.through.objects.bulk_create(kind_links)
    Organisation.sectors.through.objects.bulk_create(sector_links)


@dataclass(frozen=True)
class Timing:
    label: str
    p50_ms: float
    p95_ms: float
    detail: str


def _percentiles(label: str, run: Callable[[int], str | Callable[[], str]], runs: int) -> Timing:
    """Time `run` `runs` times. A run may return a function that describes its result: it
    is called after the clock stops (reading a response is the client's work, not the
    server's: parsing 400 kB of GeoJSON in Python costs up to 100 ms with its garbage
    collection, where a browser's JSON.parse takes a few)."""
    durations, details = [], []
    for index in range(runs):
        started = time.perf_counter()
        detail = run(index)
        durations.append((time.perf_counter() - started) * 1000)
        details.append(detail)
    cuts = statistics.quantiles(durations, n=100, method="inclusive")
    last = details[-1]
    return Timing(label, round(cuts[49], 1), round(cuts[94], 1), last() if callable(last) else last)


def _jittered(bbox: tuple, index: int) -> str:
    # Each run pans a little, as a visitor does, so no two requests are identical.
    shift = (index % 7 - 3) * (bbox[2] - bbox[0]) * 0.01
    return ",".join(f"{value + shift:.5f}" for value in bbox)


def _selector_run(query: str) -> Callable[[int], str]:
    def run(index: int) -> str:
        result = organisation_search(filters=OrganisationFilters(q=query))
        more = "plus de " if result.is_capped else ""
        return f"{more}{result.total} résultats"

    return run


def _home_and_distance_time(client: Client, runs: int) -> list[Timing]:
    """The home page (its live counts) and the directory sorted by distance from a point
    that moves a little on each run (around Lille), both as full pages."""

    def home_run(index):
        return f"HTTP {client.get('/').status_code}"

    def distance_run(index):
        origin = {"lat": f"{50.6292 + index % 7 * 0.003:.4f}", "lon": f"{3.0573:.4f}"}
        response = client.get("/annuaire/", {"sort": "distance", **origin})
        return f"HTTP {response.status_code}"

    return [
        _percentiles("accueil (compteurs)", home_run, runs),
        _percentiles("annuaire, tri par distance (page complète)", distance_run, runs),
    ]


def map_and_search_time(*, runs: int = 100) -> list[Timing]:
    """p50 and p95 (ms) of the map endpoint and the directory search, through the full stack.

    Requests go through Django's test client (URL routing, view, SQL, response), not HTTP.
    """
    client = Client(SERVER_NAME="127.0.0.1")

    def map_run(bbox):
        def run(index):
            response = client.get("/api/v1/organisations/", {"bbox": _jittered(bbox, index)})

            def describe() -> str:
                payload = response.json()
                features = len(payload["features"])
                return f"{payload['mode']}, {payload['total']} organisations, {features} entités"

            return describe

        return run

    def search_run(index):
        query = SEARCHES[index % len(SEARCHES)]
        response = client.get("/annuaire/", {"q": query})
        return f"HTTP {response.status_code} pour « {query} »"

    def unified_run(index):
        # The same queries as the directory's, on the same organisations plus the schemes
        # and offers (bench/offers_seed.py): `/recherche/` beside `/annuaire/`.
        query = SEARCHES[index % len(SEARCHES)]
        response = client.get("/recherche/", {"q": query})
        return f"HTTP {response.status_code} pour « {query} »"

    client.get(
        "/api/v1/organisations/", {"bbox": ",".join(map(str, CITY_BBOX["Lille"]))}
    )  # warm up
    timings = [
        _percentiles(f"carte, ville ({name})", map_run(bbox), runs)
        for name, bbox in CITY_BBOX.items()
    ]
    timings += [
        _percentiles(f"carte, région ({name})", map_run(bbox), runs)
        for name, bbox in REGION_BBOX.items()
    ]
    timings.append(_percentiles("annuaire, recherche (page complète)", search_run, runs))
    timings.append(_percentiles("recherche unifiée (page complète)", unified_run, runs))
    timings += _home_and_distance_time(client, runs)
    timings += [
        _percentiles(f"annuaire, « {query} » (sélecteur)", _selector_run(query), runs // 2)
        for query in SEARCHES
    ]
    return timings

"""`recherche-entreprises` against a local copy of the API serving real recorded results."""

import copy
import json
import math
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from werkzeug import Request, Response

from directory.models import EssStatus, Organisation, Provenance
from directory.records import OrganisationData
from directory.services import organisation_create
from importers.engine.errors import BadPayload, ImportFailed, RowRejected
from importers.engine.services import source_import
from importers.io.http import Fetcher, RetryPolicy
from importers.models import ImportRejection, ImportRun, RunStatus
from importers.sources import ALL, SOURCES
from importers.sources.recherche_entreprises import map_company

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data/recherche-entreprises"
TERRITORY = frozenset({"59350", "59298", "59355"})


def sample(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text())["result"]["results"]


RESTOS = sample("search-400461356.json")[0]
THEATRE = sample("search-800329849.json")[0]
#: Ten real results (not ESS, mostly in Rennes), used as page fillers.
FILLERS = sample("search-ag-cp_dep-35000-cp_dep_type-cp.json")


def in_lille(result: dict, *, siret_suffix: str = "", lon="3.072722", lat="50.619712") -> dict:
    """A real result whose siège stays where it is, with a matching établissement in Lille."""
    moved = copy.deepcopy(result)
    siren = moved["siren"]
    siret = siren + (siret_suffix or "00000")
    siret = siret[:13] + str(_luhn_key(siret[:13]))
    moved["matching_etablissements"] = [
        {
            "activite_principale": moved["activite_principale"],
            "adresse": "235 BOULEVARD PAUL PAINLEVE 59000 LILLE",
            "code_postal": "59000",
            "commune": "59350",
            "est_siege": False,
            "etat_administratif": "A",
            "latitude": lat,
            "libelle_commune": "LILLE",
            "longitude": lon,
            "siret": siret,
        }
    ]
    return moved


def _luhn_key(digits: str) -> int:
    for key in range(10):
        total = 0
        for position, digit in enumerate(reversed(digits + str(key))):
            value = int(digit) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return key
    raise AssertionError


def with_siren(result: dict, siren: str) -> dict:
    changed = copy.deepcopy(result)
    changed["siren"] = siren
    changed["complements"]["est_ess"] = True
    return changed


class FakeApi:
    """Answers /search like the API: per_page, page, total_results, total_pages."""

    def __init__(self, by_code: dict[str, list[dict]], *, total_override=None) -> None:
        self.by_code = by_code
        self.total_override = total_override or {}
        self.queries: list[dict] = []

    def __call__(self, request: Request) -> Response:
        args = request.args.to_dict()
        self.queries.append(args)
        results = self.by_code.get(args["code_commune"], [])
        section = args.get("section_activite_principale")
        if section:
            results = [r for r in results if r.get("section_activite_principale") == section]
        per_page, page = int(args["per_page"]), int(args["page"])
        total = self.total_override.get((args["code_commune"], section), len(results))
        body = {
            "results": results[(page - 1) * per_page : page * per_page],
            "total_results": total,
            "page": page,
            "per_page": per_page,
            "total_pages": max(1, math.ceil(min(total, 10_000) / per_page)),
        }
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def fetcher() -> Fetcher:
    return Fetcher(
        rate_per_second=7, retry=RetryPolicy(attempts=3, base_delay=0.001), sleep=lambda s: None
    )


def serve(httpserver, api: FakeApi) -> str:
    httpserver.expect_request("/search").respond_with_handler(api)
    return httpserver.url_for("/")


def test_the_real_restos_du_coeur_result_maps_to_an_ess_association_and_siae():
    mapped = map_company(in_lille(RESTOS), territory=TERRITORY).data
    assert mapped.name == "LES RESTAURANTS DU COEUR"
    assert (mapped.legal_family, mapped.legal_category_code) == ("association", "9220")
    assert (mapped.ess_status, mapped.ess_status_source) == (EssStatus.ESS, "sirene")
    assert mapped.kinds == ("entreprise-ess", "siae")
    assert mapped.sectors == ("iae",)
    assert (mapped.rna_id, mapped.naf_code) == ("W491004193", "88.99B")
    assert mapped.siret.startswith("400461356")
    assert mapped.insee_code == "59350"
    assert (mapped.street, mapped.postcode, mapped.city) == (
        "235 BOULEVARD PAUL PAINLEVE",
        "59000",
        "LILLE",
    )
    assert mapped.location.coords == (3.072722, 50.619712)
    assert mapped.geocoding_quality == "source"


def test_without_an_etablissement_in_the_territory_the_siege_is_used():
    mapped = map_company(RESTOS, territory=TERRITORY).data
    assert (mapped.siret, mapped.insee_code, mapped.city) == ("40046135600133", "49007", "ANGERS")


def test_swapped_or_foreign_coordinates_are_dropped_with_a_warning():
    swapped = in_lille(THEATRE, lon="50.619712", lat="3.072722")
    mapped = map_company(swapped, territory=TERRITORY)
    assert mapped.data.location is None
    assert mapped.warnings[0].startswith("position ignorée (coordonnées hors de France : ")
    assert mapped.warnings[0].endswith(")")


def test_an_individual_entrepreneur_is_never_imported():
    person = copy.deepcopy(THEATRE)
    person["nature_juridique"] = "1000"
    with pytest.raises(RowRejected, match="personne"):
        map_company(person, territory=TERRITORY)


def test_the_real_sample_files_read_with_their_wrapper_and_stay_out_of_the_territory():
    report = source_import(
        slug="recherche-entreprises", path=DATA / "search-ag-cp_dep-35000-cp_dep_type-cp.json"
    )
    assert (report.rows_read, report.out_of_territory, report.created) == (10, 10, 0)


def test_live_import_walks_pages_and_codes_then_a_second_run_changes_nothing(httpserver, fetcher):
    lille = [in_lille(with_siren(FILLERS[n], f"84201905{n}")) for n in range(10)]
    lille += [in_lille(RESTOS), in_lille(THEATRE)]
    # The Restos also answer for Hellemmes' code: read once.
    api = FakeApi({"59350": lille, "59298": [in_lille(RESTOS)]})
    url = serve(httpserver, api)
    report = source_import(slug="recherche-entreprises", url=url, fetcher=fetcher)
    assert (report.created, report.rejected) == (12, 0), report.rejections
    assert {q["code_commune"] for q in api.queries} == TERRITORY
    assert [q["page"] for q in api.queries if q["code_commune"] == "59350"] == ["1"]
    assert all(q["est_ess"] == "true" for q in api.queries)
    assert not any("etat_administratif" in q for q in api.queries)  # closed units come too
    again = source_import(slug="recherche-entreprises", url=url, fetcher=fetcher)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)


def test_results_beyond_one_page_are_all_read(httpserver, fetcher):
    lille = [in_lille(with_siren(FILLERS[n % 10], f"8420190{n:02d}")) for n in range(30)]
    api = FakeApi({"59350": lille})
    report = source_import(
        slug="recherche-entreprises", url=serve(httpserver, api), fetcher=fetcher
    )
    assert report.created == 30
    assert [q["page"] for q in api.queries if q["code_commune"] == "59350"] == ["1", "2"]


def test_a_query_at_the_10000_cap_is_split_by_activity_section(httpserver, fetcher):
    restos = in_lille(RESTOS)
    theatre = in_lille(THEATRE)
    theatre["section_activite_principale"] = "R"
    api = FakeApi({"59350": [restos, theatre]}, total_override={("59350", None): 10_000})
    report = source_import(
        slug="recherche-entreprises", url=serve(httpserver, api), fetcher=fetcher
    )
    sections = [q.get("section_activite_principale") for q in api.queries]
    assert sections.count(None) == 3  # the three codes, unsplit
    assert {"A", "Q", "R", "U"} <= set(sections)
    assert report.created == 2


def test_an_organisation_known_by_its_siren_is_completed_not_duplicated(httpserver, fetcher):
    known = organisation_create(
        data=OrganisationData(name="Restos du cœur du Nord", siren="400461356")
    )
    api = FakeApi({"59350": [in_lille(RESTOS)]})
    report = source_import(
        slug="recherche-entreprises", url=serve(httpserver, api), fetcher=fetcher
    )
    assert (report.created, report.updated) == (0, 1)
    known.refresh_from_db()
    assert known.name == "Restos du cœur du Nord"  # a value it did not write is kept
    assert known.rna_id == "W491004193"
    assert Organisation.objects.count() == 1


def test_429_is_honoured_through_the_command(httpserver, settings):
    settings.CARTESS_HTTP_RETRY_DELAY = 0.001
    calls = {"n": 0}
    api = FakeApi({"59350": [in_lille(THEATRE)]})

    def first_429(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return Response("", status=429, headers={"Retry-After": "0"})
        return api(request)

    httpserver.expect_request("/search").respond_with_handler(first_429)
    out = StringIO()
    call_command("import", "recherche-entreprises", "--url", httpserver.url_for("/"), stdout=out)
    assert "1 créés" in out.getvalue()
    run = ImportRun.objects.get()
    assert run.parameters["url"] == httpserver.url_for("/")


def test_html_instead_of_json_fails_the_run_and_leaves_the_database_unchanged(httpserver, fetcher):
    api = FakeApi({"59350": [in_lille(THEATRE)]})

    def html_for_lomme(request):
        if request.args["code_commune"] == "59355":
            return Response("<html><body>Service indisponible</body></html>", 200)
        return api(request)

    httpserver.expect_request("/search").respond_with_handler(html_for_lomme)
    with pytest.raises(BadPayload):
        source_import(slug="recherche-entreprises", url=httpserver.url_for("/"), fetcher=fetcher)
    assert not Organisation.objects.exists()
    assert not Provenance.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "HTML" in run.error


def test_a_server_that_keeps_failing_is_reported_by_the_command(httpserver, settings):
    settings.CARTESS_HTTP_RETRY_DELAY = 0.001
    httpserver.expect_request("/search").respond_with_data("oups", status=500)
    with pytest.raises(CommandError, match="HTTP 500"):
        call_command("import", "recherche-entreprises", "--url", httpserver.url_for("/"))
    assert not Organisation.objects.exists()


def test_a_wrong_envelope_is_refused(httpserver, fetcher):
    httpserver.expect_request("/search").respond_with_json({"data": []})
    with pytest.raises(BadPayload, match="results"):
        source_import(slug="recherche-entreprises", url=httpserver.url_for("/"), fetcher=fetcher)


def test_file_and_url_are_exclusive():
    with pytest.raises(CommandError):
        call_command("import", "recherche-entreprises", "--file", "x.json", "--url", "http://x")


def test_import_all_stays_offline_without_the_remote_sources():
    remote = {"recherche-entreprises", "rna", "aides-territoires", "cartofriches"}
    assert remote <= set(SOURCES)
    assert not remote & set(ALL)


def test_an_empty_or_truncated_saved_answer_fails_the_run(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    truncated = tmp_path / "cut.json"
    truncated.write_text((DATA / "search-400461356.json").read_text()[:500])
    for path in (empty, truncated):
        with pytest.raises(BadPayload, match="JSON invalide"):
            source_import(slug="recherche-entreprises", path=path)
    assert not Organisation.objects.exists()


def saved_answer(path: Path, results: list) -> Path:
    """`results` saved as the annuaire saves an answer (the wrapper around the raw one)."""
    path.write_text(json.dumps({"result": {"results": results, "total_results": len(results)}}))
    return path


def as_a_person(result: dict) -> dict:
    """A real result turned into an entrepreneur individuel's, named after Jeanne Dupont."""
    person = copy.deepcopy(result)
    person |= {
        "nature_juridique": "1000",
        "nom_complet": "JEANNE DUPONT (CHEZ JEANNE)",
        "nom_raison_sociale": "DUPONT",
        "sigle": "JD",
        "dirigeants": [{"nom": "DUPONT", "prenoms": "JEANNE", "type_dirigeant": "personne"}],
    }
    person["complements"]["est_entrepreneur_individuel"] = True
    for place in [person["siege"], *person["matching_etablissements"]]:
        place |= {
            "nom_commercial": "CHEZ JEANNE",
            "liste_enseignes": ["JEANNE DUPONT COUTURE"],
            "adresse": "3 RUE DES JARDINS 59000 LILLE",
        }
    return person


def test_an_individual_entrepreneurs_name_is_stored_nowhere(tmp_path):
    person = as_a_person(in_lille(THEATRE))
    path = saved_answer(tmp_path / "answer.json", [in_lille(RESTOS), person])
    report = source_import(slug="recherche-entreprises", path=path)
    assert (report.created, report.rejected, report.out_of_territory) == (1, 1, 0)
    (rejection,) = ImportRejection.objects.all()
    assert (rejection.external_id, rejection.row_number) == ("800329849", 2)
    assert "personne" in rejection.reason
    stored = repr([rejection.raw, *Provenance.objects.values_list("raw", flat=True)])
    for trace in ("JEANNE", "DUPONT", "CHEZ", "JARDINS", "JD"):
        assert trace not in stored
    assert rejection.raw["matching_etablissements"] == [
        {"commune": "59350", "code_postal": "59000", "libelle_commune": "LILLE"}
        | {"est_siege": False, "etat_administratif": "A"}
    ]


def test_an_individual_entrepreneur_from_the_api_is_stripped_too(httpserver, fetcher):
    api = FakeApi({"59350": [as_a_person(in_lille(THEATRE))]})
    report = source_import(
        slug="recherche-entreprises", url=serve(httpserver, api), fetcher=fetcher
    )
    assert report.rejected == 1
    assert "DUPONT" not in repr(list(ImportRejection.objects.values_list("raw", flat=True)))


def test_every_result_of_a_file_is_counted_once(tmp_path):
    lille = [in_lille(with_siren(FILLERS[n], f"84201905{n}")) for n in range(5)]
    results = [*lille, copy.deepcopy(lille[2]), 42, in_lille(with_siren(FILLERS[6], "12345"))]
    report = source_import(
        slug="recherche-entreprises", path=saved_answer(tmp_path / "a.json", results)
    )
    assert report.rows_read == 8
    assert (report.created, report.rejected, report.out_of_territory) == (5, 3, 0)
    reasons = {r.row_number: r.reason for r in report.rejections}
    assert reasons[6] == "Identifiant en double dans le fichier : 842019052."
    assert reasons[7].startswith("Enregistrement illisible : ce n'est pas un objet JSON (42)")
    assert reasons[8] == "SIREN invalide : 12345."


@pytest.mark.parametrize("field", ["siren", "nature_juridique", "nom_complet"])
def test_a_field_renamed_in_every_result_fails_the_run(tmp_path, field):
    results = [in_lille(RESTOS), in_lille(THEATRE)]
    for result in results:
        result[f"{field}_renomme"] = result.pop(field)
    path = saved_answer(tmp_path / "a.json", results)
    with pytest.raises(ImportFailed, match=field):
        source_import(slug="recherche-entreprises", path=path)
    assert not Organisation.objects.exists()
    assert ImportRun.objects.get().status == RunStatus.FAILED


def test_a_result_without_siren_among_good_ones_is_rejected_alone(tmp_path):
    orphan = in_lille(THEATRE)
    del orphan["siren"]
    path = saved_answer(tmp_path / "a.json", [in_lille(RESTOS), orphan])
    report = source_import(slug="recherche-entreprises", path=path)
    assert (report.created, report.rejected) == (1, 1)
    assert report.rejections[0].reason.startswith("SIREN manquant")


def test_an_unreadable_saved_answer_is_explained_in_french(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"result": {"results": [')
    with pytest.raises(BadPayload) as failure:
        source_import(slug="recherche-entreprises", path=path)
    assert str(failure.value) == (
        "Fichier JSON invalide cut.json : JSON invalide ligne 1, colonne 25 "
        "(une page HTML, un fichier tronqué ?)"
    )

"""`aides-territoires`: the real CSV export, and the API (token, pages) on a local server."""

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from directory.models import FundingScheme, PublicationStatus
from importers.engine.errors import FetchFailed, ImportFailed
from importers.engine.services import source_import
from importers.io.http import Fetcher, RetryPolicy
from importers.models import ImportRun, RunStatus
from importers.sources.aides_perimeter import perimeter_covers_lille
from importers.sources.aides_territoires import (
    aid_from_api,
    aid_from_csv,
    concerns_ess,
    map_aid,
    slug_of,
)

pytestmark = pytest.mark.django_db

SAMPLE = (
    Path(__file__).resolve().parents[2] / "data/aides-territoires/aides-territoires_periurbain.csv"
)


def sample_rows() -> list[dict]:
    with SAMPLE.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def write_rows(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def placed(tmp_path) -> Path:
    """The real export with the `Périmètre` column a person may add: Hauts-de-France."""
    rows = [row | {"Périmètre": "Hauts-de-France"} for row in sample_rows()]
    return write_rows(tmp_path / "aides-placees.csv", rows)


def api_aid(number: int, **changes) -> dict:
    """An /api/aids/ record with the fields of SOURCES.md (labels in French)."""
    return {
        "id": 1000 + number,
        "slug": f"aide-{number}-emploi-associatif",
        "url": f"/aides/aide-{number}-emploi-associatif/",
        "name": f"Fonds pour l'emploi associatif n°{number}",
        "description": "<p>Soutenir la <strong>création d'emplois</strong> associatifs.</p>",
        "eligibility": "<ul><li>Association loi 1901</li></ul>",
        "financers": ["Région Hauts-de-France"],
        "perimeter": "Hauts-de-France",
        "mobilization_steps": ["Réflexion / conception", "Mise en œuvre / réalisation"],
        "targeted_audiences": ["Associations", "Communes"],
        "aid_types": ["Subvention"],
        "categories": ["Solidarité"],
        "recurrence": "Permanente",
        "start_date": "2024-01-15",
        "submission_deadline": "2025-06-30",
        "origin_url": "https://www.hautsdefrance.fr/",
        "application_url": "",
        "is_call_for_project": True,
        "subvention_rate_lower_bound": 20,
        "subvention_rate_upper_bound": 80,
        "loan_amount": None,
        "date_updated": "2024-02-01T10:00:00+01:00",
        **changes,
    }


@pytest.fixture
def fetcher() -> Fetcher:
    return Fetcher(retry=RetryPolicy(attempts=2, base_delay=0.001), sleep=lambda s: None)


@pytest.fixture
def api(httpserver, monkeypatch) -> str:
    monkeypatch.setattr(settings, "AIDES_TERRITOIRES_API_TOKEN", "compte-cartess")
    httpserver.expect_request(
        "/api/connexion/", method="POST", headers={"X-AUTH-TOKEN": "compte-cartess"}
    ).respond_with_json({"token": "jwt-123"})
    page_2 = httpserver.url_for("/api/aids/") + "?page=2"
    auth = {"Authorization": "Bearer jwt-123"}
    httpserver.expect_request("/api/aids/", query_string="page=2", headers=auth).respond_with_json(
        {
            "count": 3,
            "next": None,
            "previous": None,
            "results": [api_aid(3, targeted_audiences=["Communes"])],
        }
    )
    httpserver.expect_request("/api/aids/", headers=auth).respond_with_json(
        {"count": 3, "next": page_2, "previous": None, "results": [api_aid(1), api_aid(2)]}
    )
    return httpserver.url_for("/api")


def test_the_real_export_publishes_no_aid_of_unknown_perimeter_but_drafts_them_to_place():
    rows = sample_rows()
    kept = [row for row in rows if concerns_ess(aid_from_csv(row))]

    report = source_import(slug="aides-territoires", path=SAMPLE)

    assert report.rows_read == 274
    assert (report.created, report.rejected) == (len(kept), 0)
    assert len(kept) > 10
    assert not FundingScheme.objects.exclude(publication_status=PublicationStatus.DRAFT).exists()
    assert set(FundingScheme.objects.values_list("territory_label", flat=True)) == {""}
    assert any("aide importée en brouillon, à placer" in w for w in report.warnings)


def test_a_moderator_publishes_a_placed_draft_and_the_next_import_keeps_it():
    source_import(slug="aides-territoires", path=SAMPLE)
    placed = FundingScheme.objects.order_by("pk").first()
    placed.publication_status = PublicationStatus.PUBLISHED
    placed.territory_label = "Hauts-de-France"
    placed.save()

    source_import(slug="aides-territoires", path=SAMPLE, remap=True)

    placed.refresh_from_db()
    assert (placed.publication_status, placed.territory_label) == (
        PublicationStatus.PUBLISHED,
        "Hauts-de-France",
    )


def test_the_export_keeps_the_funding_aids_open_to_associations_of_a_known_perimeter(placed):
    rows = sample_rows()
    kept = [row for row in rows if concerns_ess(aid_from_csv(row))]
    report = source_import(slug="aides-territoires", path=placed)
    assert report.rows_read == len(rows) == 274
    assert report.created == len(kept) > 10
    assert report.rejected == 0
    assert report.set_aside_count == len(rows) - len(kept)
    assert all("Associations" in row["Bénéficiaire"] for row in kept)


def test_every_aid_of_the_export_is_counted_once_with_why_it_was_left_out(tmp_path):
    rows = sample_rows()
    for number, row in enumerate(rows):
        row["Périmètre"] = ("Hauts-de-France", "Morbihan", "")[number % 3]
    report = source_import(slug="aides-territoires", path=write_rows(tmp_path / "a.csv", rows))
    assert report.rows_read == (
        report.created
        + report.updated
        + report.unchanged
        + report.rejected
        + report.out_of_territory
        + sum(report.set_aside.values())
    )
    assert set(report.set_aside) == {
        "aides non destinées aux structures de l'ESS",
        "aides sans financement (ingénierie seule)",
        "aides hors territoire (périmètre sans Lille)",
    }
    assert report.created > 0
    drafts = FundingScheme.objects.filter(publication_status=PublicationStatus.DRAFT)
    assert set(drafts.values_list("territory_label", flat=True)) == {""}
    assert "écartés : " in "\n".join(report.lines())


def test_expired_aids_are_kept_with_their_closing_date(placed):
    source_import(slug="aides-territoires", path=placed)
    closed = FundingScheme.objects.filter(closes_on__lt=date(2026, 1, 1))
    assert closed.exists()
    assert not FundingScheme.objects.filter(closes_on__gte=date(2026, 1, 1)).exists()


def test_labels_are_mapped_back_to_cartess_codes():
    rows = sample_rows()
    row = next(
        r
        for r in rows
        if "Associations" in r["Bénéficiaire"] and "Subvention" in r["Types d'aides"]
    )
    scheme = map_aid(aid_from_csv(row | {"AAP/AMI": "Oui", "Date Clôture": "31/12/2022"})).data
    assert set(scheme.instruments) == {"subvention", "appel-a-projets"}
    assert "association" in scheme.eligible_legal_families
    assert scheme.closes_on == date(2022, 12, 31)
    assert scheme.recurrence in {"permanente", "ponctuelle", "recurrente"}
    assert scheme.funders_label == row["Financeurs"][:255]


def test_an_engineering_only_aid_is_not_a_funding_scheme():
    row = {"Nom": "x", "Lien": "https://a/aides/x/", "Bénéficiaire": "Associations"}
    assert not concerns_ess(aid_from_csv(row | {"Types d'aides": "Ingénierie technique"}))
    assert concerns_ess(aid_from_csv(row | {"Types d'aides": "Ingénierie technique;Prêt"}))


def test_a_private_company_aid_is_kept_only_when_it_speaks_of_the_ess():
    base = {"Lien": "https://a/aides/x/", "Bénéficiaire": "Entreprises privées"}
    plain = aid_from_csv(base | {"Nom": "Aide à l'export", "Types d'aides": "Subvention"})
    ess = aid_from_csv(base | {"Nom": "Prime SCOP et SCIC", "Types d'aides": "Subvention"})
    assert (concerns_ess(plain), concerns_ess(ess)) == (False, True)


def test_the_api_record_maps_steps_audiences_and_html():
    scheme = map_aid(aid_from_api(api_aid(1))).data
    assert scheme.stages == ("amorcage", "consolidation", "pre-amorcage")
    assert scheme.description == "Soutenir la création d'emplois associatifs."
    assert scheme.eligibility_text == "Association loi 1901"
    assert scheme.url == "https://aides-territoires.beta.gouv.fr/aides/aide-1-emploi-associatif/"
    assert (scheme.opens_on, scheme.closes_on) == (date(2024, 1, 15), date(2025, 6, 30))
    assert scheme.amount_text == "Taux de subvention : de 20 % à 80 %"
    assert scheme.territory_label == "Hauts-de-France"


def test_the_api_is_read_with_the_token_across_pages_then_idempotently(api, fetcher):
    report = source_import(slug="aides-territoires", url=api, fetcher=fetcher)
    assert (report.rows_read, report.created) == (3, 2)  # the third is for communes only
    assert report.set_aside == {"aides non destinées aux structures de l'ESS": 1}
    again = source_import(slug="aides-territoires", url=api, fetcher=fetcher)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_hand_corrected_description_survives_a_reimport(api, fetcher):
    source_import(slug="aides-territoires", url=api, fetcher=fetcher)
    scheme = FundingScheme.objects.get(name="Fonds pour l'emploi associatif n°1")
    scheme.description = "Corrigé par la Ville."
    scheme.save()
    source_import(slug="aides-territoires", url=api, fetcher=fetcher)
    scheme.refresh_from_db()
    assert scheme.description == "Corrigé par la Ville."


def test_without_a_token_the_api_run_says_which_variable_to_set(monkeypatch):
    monkeypatch.setattr(settings, "AIDES_TERRITOIRES_API_TOKEN", "")
    with pytest.raises(CommandError, match="AIDES_TERRITOIRES_API_TOKEN"):
        call_command("import", "aides-territoires", "--url", "http://127.0.0.1:9/api")
    assert ImportRun.objects.get().status == RunStatus.FAILED


def test_a_refused_token_fails_the_run(httpserver, monkeypatch, fetcher):
    monkeypatch.setattr(settings, "AIDES_TERRITOIRES_API_TOKEN", "mauvais")
    httpserver.expect_request("/api/connexion/").respond_with_data("", status=401)
    with pytest.raises(FetchFailed, match="HTTP 401"):
        source_import(slug="aides-territoires", url=httpserver.url_for("/api"), fetcher=fetcher)
    assert not FundingScheme.objects.exists()


def test_saved_api_pages_can_be_read_as_a_file(tmp_path):
    path = tmp_path / "aids.json"
    path.write_text(
        json.dumps({"count": 1, "next": None, "previous": None, "results": [api_aid(7)]})
    )
    assert source_import(slug="aides-territoires", path=path).created == 1


def test_renamed_columns_fail_the_run(tmp_path):
    content = SAMPLE.read_text(encoding="utf-8").replace("Date Clôture", "Cloture", 1)
    path = tmp_path / "aides.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed, match="Date Clôture"):
        source_import(slug="aides-territoires", path=path)


def test_an_unreadable_date_rejects_only_its_row(tmp_path):
    rows = sample_rows()
    target = next(i for i, r in enumerate(rows) if concerns_ess(aid_from_csv(r)))
    rows[target]["Date Clôture"] = "bientôt"
    rows = [row | {"Périmètre": "Nord"} for row in rows]
    path = write_rows(tmp_path / "aides.csv", rows)
    report = source_import(slug="aides-territoires", path=path)
    assert report.rejected == 1
    assert "Date illisible" in report.rejections[0].reason


def test_an_export_saved_again_in_windows_1252_keeps_its_accents(tmp_path, placed):
    path = tmp_path / "aides.csv"
    path.write_bytes(placed.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    report = source_import(slug="aides-territoires", path=path)
    assert report.created > 10
    assert FundingScheme.objects.filter(description__contains="é").exists()


def test_an_empty_export_fails_the_run(tmp_path):
    path = tmp_path / "aides.csv"
    path.write_bytes(b"")
    with pytest.raises(ImportFailed, match=r"aides\.csv est vide"):
        source_import(slug="aides-territoires", path=path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"detail": "Authentication credentials were not provided."}, "pas de liste « results »"),
        ([{"id": 1, "nom": "Commune de Lille"}, {"id": 2, "nom": "Roubaix"}], "name, url"),
        (["aide-1", "aide-2"], "targeted_audiences, aid_types"),
        (42, "pas de liste « results »"),
    ],
)
def test_json_that_is_not_the_apis_fails_the_run(tmp_path, content, expected):
    path = tmp_path / "aids.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ImportFailed, match=expected):
        source_import(slug="aides-territoires", path=path)
    assert ImportRun.objects.get().status == RunStatus.FAILED


def test_an_aid_without_a_name_is_rejected_and_the_others_imported(tmp_path):
    nameless = {key: value for key, value in api_aid(2).items() if key not in {"name", "slug"}}
    path = tmp_path / "aids.json"
    path.write_text(json.dumps([api_aid(1), nameless, "pas une aide"]), encoding="utf-8")
    report = source_import(slug="aides-territoires", path=path)
    assert (report.rows_read, report.created, report.rejected) == (3, 1, 2)
    assert report.rows_read == report.rows_accounted
    assert "Nom ou lien de l'aide manquant" in report.rejections[0].reason


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "fichier vide"),
        (b"<!DOCTYPE html><html><body>Maintenance</body></html>", "JSON invalide ligne 1"),
    ],
)
def test_an_unreadable_json_file_is_explained_in_french(tmp_path, content, expected):
    path = tmp_path / "aids.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=expected) as failure:
        source_import(slug="aides-territoires", path=path)
    assert "Expecting" not in str(failure.value)
    assert "codec" not in str(failure.value)


def test_an_unreachable_api_is_explained_in_french(monkeypatch, fetcher):
    monkeypatch.setattr(settings, "AIDES_TERRITOIRES_API_TOKEN", "compte-cartess")
    with pytest.raises(FetchFailed, match="pas de réponse \\(connexion impossible") as failure:
        source_import(slug="aides-territoires", url="http://127.0.0.1:9/api", fetcher=fetcher)
    assert "Max retries" not in str(failure.value)
    assert "Connection" not in str(failure.value)


def test_an_api_answering_garbage_is_explained_in_french(httpserver, monkeypatch, fetcher):
    monkeypatch.setattr(settings, "AIDES_TERRITOIRES_API_TOKEN", "compte-cartess")
    httpserver.expect_request("/api/connexion/").respond_with_data("{token: jwt")
    with pytest.raises(ImportFailed, match="réponse illisible : JSON invalide ligne 1") as failure:
        source_import(slug="aides-territoires", url=httpserver.url_for("/api"), fetcher=fetcher)
    assert "Expecting" not in str(failure.value)


def test_an_invalid_url_is_explained_in_french(monkeypatch, fetcher):
    monkeypatch.setattr(settings, "AIDES_TERRITOIRES_API_TOKEN", "compte-cartess")
    with pytest.raises(FetchFailed, match="requête impossible \\(adresse invalide\\)"):
        source_import(slug="aides-territoires", url="aides-territoires/api", fetcher=fetcher)


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://aides-territoires.beta.gouv.fr/aides/3d9e-accompagner/", "3d9e-accompagner"),
        ("/aides/3d9e-accompagner/", "3d9e-accompagner"),
        ("https://aides-territoires.beta.gouv.fr/aides//", ""),
        ("https://aides-territoires.beta.gouv.fr/", ""),
        ("", ""),
    ],
)
def test_an_aid_is_named_by_the_slug_of_its_page_only(url, slug):
    assert slug_of(url) == slug


@pytest.mark.parametrize(
    ("perimeter", "covers"),
    [
        ("Lille (59350)", True),
        ("Métropole Européenne de Lille", True),
        ("Nord", True),
        ("Hauts-de-France", True),
        ("France", True),
        ("Europe", True),
        ("Morbihan", False),
        ("Occitanie", False),
        ("Bourgogne-Franche-Comté", False),
        ("GAL Pays de Lorient (LEADER 2022)", False),
        ("", None),
    ],
)
def test_a_perimeter_covers_lille_only_when_it_contains_the_city(perimeter, covers):
    assert perimeter_covers_lille(perimeter) is covers


def test_api_aids_of_another_territory_or_no_perimeter_are_set_aside(tmp_path):
    aids = [
        api_aid(1, perimeter="Nord"),
        api_aid(2, perimeter={"name": "Europe"}),
        api_aid(3, perimeter="Morbihan"),
        api_aid(4, perimeter="Occitanie"),
        api_aid(5, perimeter=None),
    ]
    path = tmp_path / "aids.json"
    path.write_text(json.dumps(aids), encoding="utf-8")

    report = source_import(slug="aides-territoires", path=path)

    assert (report.created, report.rejected) == (3, 0)
    assert report.set_aside == {"aides hors territoire (périmètre sans Lille)": 2}
    published = FundingScheme.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    assert set(published.values_list("territory_label", flat=True)) == {"Nord", "Europe"}
    assert FundingScheme.objects.get(territory_label="").publication_status == "brouillon"
    assert "écartés : " in "\n".join(report.lines())

"""Recherche d'entreprises matches a page of results in one query
(importers.sources.recherche_entreprises_match), with the engine's answers."""

import json

import pytest

from directory.models import Organisation
from directory.records import OrganisationData
from directory.services import organisation_create
from importers.engine.services import source_import
from importers.sources.recherche_entreprises import RechercheEntreprisesSource
from tests.importers.sources.test_recherche_entreprises import (
    THEATRE,
    _luhn_key,
    in_lille,
    with_siren,
)

pytestmark = pytest.mark.django_db


def siren_of(number: int) -> str:
    digits = f"9{number:07d}"
    return digits + str(_luhn_key(digits))


def unit(number: int, *, rna: str = "", template: dict = THEATRE) -> dict:
    result = in_lille(with_siren(template, siren_of(number)), siret_suffix=f"{number:05d}")
    result["complements"]["identifiant_association"] = rna or None
    return result


def page_file(tmp_path, results: list[dict]):
    path = tmp_path / "page.json"
    body = {"results": results, "total_results": len(results), "page": 1, "per_page": 25}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_a_page_of_25_new_units_costs_fewer_statements_each(
    tmp_path, django_assert_max_num_queries
):
    path = page_file(tmp_path, [unit(number) for number in range(25)])

    # Row by row the engine needed 407 statements for this page (about 14 a new unit, of
    # which 2 to 3 to look for the same SIRET, RNA id and SIREN); the page now looks for
    # all of them in one query: 357 when measured.
    with django_assert_max_num_queries(365):
        report = source_import(slug="recherche-entreprises", path=path)

    assert report.created == 25
    assert Organisation.objects.filter(siren__startswith="9").count() == 25


@pytest.fixture(params=["page", "row by row"])
def matching(request, monkeypatch):
    if request.param == "row by row":
        monkeypatch.setattr(RechercheEntreprisesSource, "loaders", lambda self: {})
    return request.param


def test_known_organisations_are_found_as_the_engine_finds_them(tmp_path, matching):
    by_siret = unit(1)
    by_siret_org = organisation_create(
        data=OrganisationData(
            name="Théâtre connu par son SIRET",
            siret=by_siret["matching_etablissements"][0]["siret"],
        )
    )
    by_rna_org = organisation_create(
        data=OrganisationData(name="Connue au RNA", rna_id="W591000001")
    )
    by_siren_org = organisation_create(
        data=OrganisationData(name="Connue au SIREN", siren=siren_of(3))
    )
    # Two units of the page share an RNA id: the second is the organisation the first made.
    results = [
        by_siret,
        unit(2, rna="W591000001"),
        unit(3),
        unit(4),
        unit(5, rna="W591000099"),
        unit(6, rna="W591000099"),
    ]

    report = source_import(slug="recherche-entreprises", path=page_file(tmp_path, results))

    assert (report.created, report.updated) == (2, 4)
    assert Organisation.objects.count() == 5
    by_siret_org.refresh_from_db()
    by_rna_org.refresh_from_db()
    by_siren_org.refresh_from_db()
    assert by_siret_org.siren == siren_of(1)
    assert by_rna_org.siren == siren_of(2)
    assert by_siren_org.siret == results[2]["matching_etablissements"][0]["siret"]
    assert Organisation.objects.filter(rna_id="W591000099").count() == 1

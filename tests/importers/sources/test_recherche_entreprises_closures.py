"""A listing whose établissement the Recherche d'entreprises API reports closed becomes
closed: kept, dated with `date_fermeture`, off the directory, never deleted; a closing date
already on it is kept, none is invented; a ceased unit is never created."""

import copy
import json
from datetime import date

import pytest

from directory.models import Organisation
from importers.engine.services import source_import
from importers.io.http import Fetcher, RetryPolicy
from tests.importers.sources.test_recherche_entreprises import (
    RESTOS,
    FakeApi,
    in_lille,
    sample,
    serve,
)

pytestmark = pytest.mark.django_db

#: The real answer for a ceased unit (unit "C", siège "F" closed on 2025-05-22), Paris 18e.
MANAKIN = sample("search-842019051.json")[0]
MANAKIN_SIRET = "84201905100015"
LILLE_PLACE = {
    "adresse": "12 RUE DE GAND 59000 LILLE",
    "code_postal": "59000",
    "commune": "59350",
    "libelle_commune": "LILLE",
    "latitude": "50.6405",
    "longitude": "3.0659",
}


@pytest.fixture
def fetcher() -> Fetcher:
    return Fetcher(
        rate_per_second=7, retry=RetryPolicy(attempts=3, base_delay=0.001), sleep=lambda s: None
    )


def manakin_in_lille(*, open_: bool) -> dict:
    """The real ceased unit with its siège moved to Lille; reopened when `open_`."""
    result = copy.deepcopy(MANAKIN)
    result["siege"].update(LILLE_PLACE)
    if open_:
        result["etat_administratif"] = "A"
        result["date_fermeture"] = result["siege"]["date_fermeture"] = None
        result["siege"]["etat_administratif"] = "A"
    return result


def restos_closed(day: str | None) -> dict:
    """The Restos' établissement in Lille reported closed on `day` (the unit stays active)."""
    result = in_lille(RESTOS)
    result["matching_etablissements"][0] |= {"etat_administratif": "F", "date_fermeture": day}
    return result


def run(httpserver, fetcher, results: list[dict]):
    httpserver.clear_all_handlers()  # the API now answers with `results`
    api = FakeApi({"59350": results})
    url = serve(httpserver, api)
    return source_import(slug="recherche-entreprises", url=url, fetcher=fetcher), api


def restos() -> Organisation:
    return Organisation.objects.get(siret=in_lille(RESTOS)["matching_etablissements"][0]["siret"])


def test_a_listing_whose_etablissement_closed_is_closed_kept_and_leaves_the_directory(
    httpserver, fetcher, client
):
    first, _ = run(httpserver, fetcher, [in_lille(RESTOS), manakin_in_lille(open_=True)])
    assert first.created == 2
    assert restos().closed_on is None
    link = f"/organisations/{restos().slug}/"
    assert link in client.get("/annuaire/", {"q": "restaurants"}).content.decode()

    report, api = run(httpserver, fetcher, [restos_closed("2025-05-22"), MANAKIN])

    assert restos().closed_on == date(2025, 5, 22)
    manakin = Organisation.objects.get(siret=MANAKIN_SIRET)
    assert manakin.closed_on is None  # its siège closed in Paris: not the Lille listing's
    line = "1 fiche(s) fermée(s) : leur établissement est fermé selon la Recherche d'entreprises"
    assert line in report.details
    # The ceased unit is set aside; the Restos are shown by their siège in Angers.
    assert report.set_aside == {"unités cessées ou établissements fermés": 1}
    assert (report.created, report.rejected, report.out_of_territory) == (0, 0, 1)
    assert len(api.queries) == 3  # one page per code, as before: no second pass
    page = client.get(link).content.decode()
    assert "Cette structure a fermé le 22 mai 2025." in page
    assert link not in client.get("/annuaire/", {"q": "restaurants"}).content.decode()


def test_a_ceased_unit_closes_its_listing_with_the_real_answers_date(httpserver, fetcher):
    run(httpserver, fetcher, [manakin_in_lille(open_=True)])

    run(httpserver, fetcher, [manakin_in_lille(open_=False)])

    assert Organisation.objects.get(siret=MANAKIN_SIRET).closed_on == date(2025, 5, 22)
    assert Organisation.objects.count() == 1


def test_a_ceased_unit_cartess_never_listed_is_not_created(httpserver, fetcher):
    report, _ = run(httpserver, fetcher, [manakin_in_lille(open_=False)])

    assert Organisation.objects.count() == 0
    assert report.set_aside == {"unités cessées ou établissements fermés": 1}


def test_a_closing_date_already_on_the_listing_is_kept(httpserver, fetcher):
    run(httpserver, fetcher, [in_lille(RESTOS)])
    Organisation.objects.filter(pk=restos().pk).update(closed_on=date(2024, 12, 31))

    run(httpserver, fetcher, [restos_closed("2025-05-22")])

    assert restos().closed_on == date(2024, 12, 31)


def test_a_closed_etablissement_without_a_date_closes_nothing_and_says_so(httpserver, fetcher):
    run(httpserver, fetcher, [in_lille(RESTOS)])

    report, _ = run(httpserver, fetcher, [restos_closed(None)])

    assert restos().closed_on is None
    assert any("sans date de fermeture lisible" in line for line in report.details)


def test_a_dry_run_closes_nothing(httpserver, fetcher):
    run(httpserver, fetcher, [in_lille(RESTOS)])
    httpserver.clear_all_handlers()
    url = serve(httpserver, FakeApi({"59350": [restos_closed("2025-05-22")]}))

    source_import(slug="recherche-entreprises", url=url, fetcher=fetcher, dry_run=True)

    assert restos().closed_on is None


def test_a_saved_answer_of_a_ceased_unit_creates_nothing(tmp_path):
    path = tmp_path / "answer.json"
    path.write_text(json.dumps({"result": {"results": [manakin_in_lille(open_=False)]}}))

    report = source_import(slug="recherche-entreprises", path=path)

    assert (report.rows_read, report.created) == (1, 0)
    assert report.set_aside == {"unités cessées ou établissements fermés": 1}

"""data·inclusion services (issue 15): the creer-une-entreprise services of the Lille
structures become their support offers; other themes are set aside, services of other
structures are out of the territory, and a services file that fails keeps the data as it was.
"""

import csv
import shutil
from pathlib import Path

import pytest
from werkzeug import Response

from directory.models import Organisation, Provenance, SupportCost, SupportOffer, TerritoryScope
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.models import ImportRun, RunStatus
from importers.sources.data_inclusion_services import (
    OTHER_THEMES,
    OUTSIDE_ZONE,
    map_service,
    zone_scope,
)

pytestmark = pytest.mark.django_db

#: External ids of the sample's services, but their number.
SERVICE = "services:emplois-de-linclusion:emplois-de-linclusion--svc-"
DATA = Path(__file__).resolve().parents[2] / "data" / "data-inclusion"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A folder holding the recorded structures and services files."""
    for name in ("structures.csv", "services.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def offer(name: str) -> SupportOffer:
    return SupportOffer.objects.get(name=name)


def slugs(manager) -> list[str]:
    return sorted(manager.values_list("slug", flat=True))


def test_the_creation_services_of_lille_structures_become_their_support_offers(folder):
    report = source_import(slug="data-inclusion", path=folder)

    assert SupportOffer.objects.count() == 2
    assert report.set_aside == {str(OTHER_THEMES): 1}  # the budget workshop
    # Roubaix's structure, its service, and the service of a structure absent from the file.
    assert report.out_of_territory == 3
    velo = offer("Accompagnement à la création d'une activité de réemploi")
    assert velo.provider == Organisation.objects.get(name="Atelier Vélo Solidaire de Fives")
    assert slugs(velo.stages) == ["amorcage", "pre-amorcage"]
    assert list(velo.kinds.all()) == []  # "accompagnement" says no precise kind
    assert velo.cost == SupportCost.FREE
    assert velo.url == "https://atelier-velo.example.org/creer-son-activite"
    assert velo.eligibility_text == "Porteurs de projet du quartier de Fives"

    info = offer("Information sur le développement de son entreprise")
    assert info.provider.name == "Point conseil budget Lille-Sud"
    assert slugs(info.stages) == ["consolidation"]
    assert slugs(info.kinds) == ["information-orientation"]
    assert (info.cost, info.cost_details) == (SupportCost.PAID, "10 € l'entretien")
    assert info.url == "https://dora.inclusion.beta.gouv.fr/services/svc-3"  # lien_source

    # The Lomme structure is rejected (swapped coordinates): its training is too.
    rejected = {rejection.external_id: rejection.reason for rejection in report.rejections}
    assert "Structure du service absente de Cartess" in rejected[f"{SERVICE}5"]

    provenance = Provenance.objects.get(external_id=f"{SERVICE}1")
    assert provenance.raw["date_maj"] == "2025-03-02"
    assert "Dupont" not in str(provenance.raw)  # a person's name, email, mobile: never read
    assert provenance.source.licence == "Licence Ouverte 2.0"


def test_a_second_run_of_the_same_files_changes_nothing(folder):
    source_import(slug="data-inclusion", path=folder)
    report = source_import(slug="data-inclusion", path=folder)
    assert (report.created, report.updated) == (0, 0)
    assert SupportOffer.objects.count() == 2


def test_a_services_file_alone_links_to_the_structures_loaded_before(folder):
    source_import(slug="data-inclusion", path=folder / "structures.csv")
    assert not SupportOffer.objects.exists()
    source_import(slug="data-inclusion", path=DATA / "services.json")
    assert offer("Accompagnement à la création d'une activité de réemploi").provider.name == (
        "Atelier Vélo Solidaire de Fives"
    )
    assert SupportOffer.objects.count() == 2


@pytest.fixture
def live(httpserver, settings):
    """data.gouv.fr's two resources served locally: structures, then services."""
    settings.CARTESS_HTTP_RETRY_DELAY = 0.01
    settings.CARTESS_DATA_INCLUSION_SERVICES_URL = httpserver.url_for("/services")
    httpserver.expect_request("/structures").respond_with_data(
        (DATA / "structures.csv").read_bytes(), content_type="text/csv"
    )
    return httpserver


def test_the_services_resource_is_downloaded_with_the_structures(live):
    live.expect_request("/services").respond_with_data(
        (DATA / "services.csv").read_bytes(), content_type="text/csv"
    )
    source_import(slug="data-inclusion", url=live.url_for("/structures"))
    assert SupportOffer.objects.count() == 2


def test_a_failing_services_file_leaves_the_data_as_it_was(live, folder):
    source_import(slug="data-inclusion", path=folder)
    before = set(SupportOffer.objects.values_list("pk", "name"))
    live.expect_request("/services").respond_with_handler(
        lambda request: Response("panne", status=503)
    )
    with pytest.raises(ImportFailed):
        source_import(slug="data-inclusion", url=live.url_for("/structures"))
    assert set(SupportOffer.objects.values_list("pk", "name")) == before
    assert ImportRun.objects.order_by("-pk").first().status == RunStatus.FAILED


def test_stages_follow_the_thematiques():
    raw = {
        "source": "dora",
        "id": "x",
        "structure_id": "s",
        "nom": "Créer",
        "thematiques": '["creer-une-entreprise--developper-son-entreprise"]',
    }
    mapped = map_service(raw)
    assert mapped.data.stages == ("consolidation",)
    assert mapped.links == {"provider": ("dora:s",)}


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ('["france"]', (TerritoryScope.NATIONAL, "France entière", ())),
        ("99100", (TerritoryScope.NATIONAL, "France entière", ())),
        # A region is its departments (the schema's rule): the widest code holding Lille wins.
        ('["02", "59", "60", "62", "80"]', (TerritoryScope.DEPARTEMENT, "Nord", ())),
        ('["200093201"]', (TerritoryScope.EPCI, "Métropole Européenne de Lille", ())),
        (
            '["59355", "59350", "59009"]',
            (
                TerritoryScope.COMMUNE,
                "Lille, Lomme",
                ("commune:59350", "commune-associee:59355"),
            ),
        ),
        ("", ("", "", ())),
        ("[]", ("", "", ())),
        ('["62", "59009"]', None),  # Pas-de-Calais, Villeneuve-d'Ascq: not for Lille
    ],
)
def test_the_eligibility_zone_gives_the_offer_its_territory(zone, expected):
    assert zone_scope(zone) == expected


def _zones(folder: Path, zones: dict[str, str]) -> None:
    """Set the `zone_eligibilite` of the services `zones` names (by id) in the CSV file."""
    path = folder / "services.csv"
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        row["zone_eligibilite"] = zones.get(row["id"], row["zone_eligibilite"])
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_the_zone_of_a_service_is_its_offers_territory_and_one_elsewhere_is_set_aside(folder):
    _zones(
        folder,
        {"emplois-de-linclusion--svc-1": '["200093201"]', "dora--svc-3": '["62"]'},
    )

    report = source_import(slug="data-inclusion", path=folder)

    velo = offer("Accompagnement à la création d'une activité de réemploi")
    assert (velo.territory_scope, velo.territory_label) == (
        TerritoryScope.EPCI,
        "Métropole Européenne de Lille",
    )
    assert not SupportOffer.objects.filter(name__startswith="Information sur le dév").exists()
    assert report.set_aside == {str(OTHER_THEMES): 1, str(OUTSIDE_ZONE): 1}

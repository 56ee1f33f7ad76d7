"""The `network-csv` importer: a network's member file, as Excel or a script writes it."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.models import NetworkMembership, Organisation, Provenance
from directory.records import OrganisationData
from directory.services import organisation_create
from importers.engine.base import RawRow
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.models import ImportRejection
from importers.sources.network_csv import TEMPLATE, NetworkCsvSource, raw_rows

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "network-csv"
UTF8 = DATA / "members_utf8_comma.csv"
LATIN1 = DATA / "members_latin1_semicolon.csv"
SIRENE = Path(__file__).resolve().parents[2] / "data" / "sirene"


@pytest.fixture
def networks():
    apes = organisation_create(
        data=OrganisationData(name="APES", kinds=("reseau",), siret="12345678900011")
    )
    Organisation.objects.filter(pk=apes.pk).update(slug="apes")
    apes.refresh_from_db()
    return apes


def members_of(network: Organisation) -> set[str]:
    return set(
        NetworkMembership.objects.filter(network=network).values_list("member__name", flat=True)
    )


@pytest.mark.parametrize("path", [UTF8, LATIN1])
def test_members_are_listed_with_their_membership(networks, path):
    report = source_import(slug="network-csv", path=path)
    assert (report.created, report.rejected) == (3, 2)
    assert members_of(networks) == {
        "Atelier Vélo Solidaire de Fives",
        "La Recyclerie des Bois-Blancs",
        "Épicerie solidaire de Wazemmes",  # network named by its SIRET
    }
    atelier = Organisation.objects.get(siret="50100001200010")
    assert set(atelier.kinds.values_list("slug", flat=True)) == {"entreprise-ess", "siae"}
    assert set(atelier.sectors.values_list("slug", flat=True)) == {"velo-mobilites"}
    assert (atelier.ess_status, atelier.ess_status_source) == ("ess", "reseau")
    membership = NetworkMembership.objects.get(member=atelier)
    assert membership.since.isoformat() == "2023-05-01"
    recyclerie = Organisation.objects.get(rna_id="W595012346")
    assert recyclerie.website == "http://www.recyclerie.example.org"
    assert recyclerie.address_complement == "Bâtiment B"


def test_bad_rows_are_rejected_with_a_reason_the_network_can_act_on(networks):
    report = source_import(slug="network-csv", path=UTF8)
    reasons = sorted(rejection.reason for rejection in report.rejections)
    assert reasons[0].startswith("Réseau inconnu : urscop-inconnu")
    assert reasons[1].startswith("type inconnu : cooperative (valeurs possibles : ")


def test_a_persons_email_and_mobile_are_not_imported(networks):
    source_import(slug="network-csv", path=UTF8)
    recyclerie = Organisation.objects.get(rna_id="W595012346")
    assert (recyclerie.email, recyclerie.phone) == ("", "")
    stored = repr(
        [
            *Provenance.objects.values_list("raw", "imported_values"),
            *ImportRejection.objects.values_list("raw"),
        ]
    )
    assert "jeanne.dupont" not in stored
    assert "06 12 34 56 78" not in stored


def test_a_second_run_changes_nothing(networks):
    source_import(slug="network-csv", path=UTF8)
    report = source_import(slug="network-csv", path=UTF8)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert NetworkMembership.objects.count() == 3


def test_a_member_sirene_lists_is_completed_and_joins_the_network(networks):
    source_import(slug="sirene", path=SIRENE)
    report = source_import(slug="network-csv", path=UTF8)
    assert report.updated == 1
    member = Organisation.objects.get(siret="50100001200010")
    assert member.name == "ASSOCIATION LES JARDINS DE MOULINS"  # SIRENE's, kept
    assert member.website == "https://atelier-velo.example.org"  # was empty
    assert NetworkMembership.objects.filter(network=networks, member=member).exists()


def test_the_templates_example_row_is_refused_and_nothing_is_imported():
    call_command("import", "seed", stdout=StringIO())
    before = Organisation.objects.count()
    out = StringIO()
    call_command("import", "network-csv", "--file", str(TEMPLATE), stdout=out)
    assert "0 créés, 0 mis à jour, 0 inchangés, 1 rejetés" in out.getvalue()
    (rejection,) = ImportRejection.objects.all()
    assert rejection.reason.startswith("Ligne d'exemple du modèle : remplacez-la par vos adhérents")
    assert Organisation.objects.count() == before
    assert not Organisation.objects.filter(name="Exemple de structure adhérente").exists()


def test_the_template_filled_with_a_member_imports_once_the_seed_lists_its_network(tmp_path):
    call_command("import", "seed", stdout=StringIO())
    header, example = TEMPLATE.read_text(encoding="utf-8").splitlines()[:2]
    member = example.replace("Exemple de structure adhérente", "Atelier des Bois-Blancs")
    member = member.replace("exemple", "bois-blancs").replace("l'Exemple", "l'Atelier")
    path = tmp_path / "adherents.csv"
    path.write_text(f"{header}\n{member}\n", encoding="utf-8")
    out = StringIO()
    call_command("import", "network-csv", "--file", str(path), stdout=out)
    assert "Réseau inconnu" not in out.getvalue()
    assert "1 créés" in out.getvalue()
    member = Organisation.objects.get(name="Atelier des Bois-Blancs")
    assert member.website == "https://www.bois-blancs.org"
    (network,) = member.networks.all()
    assert network.name == "Acteurs pour une Économie Solidaire (APES Hauts-de-France)"


HEADER = "reseau,nom,code_postal,commune,code_insee\n"


def members_file(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(f"apes,{row}\n" for row in rows), encoding="utf-8")
    return path


def test_members_outside_the_territory_are_counted_out_of_it(networks, tmp_path):
    path = members_file(
        tmp_path / "adherents.csv",
        "Coopérative de Marseille,13001,Marseille,13055",
        "Boutique de Marseille,13001,Marseille,",
        "Atelier de Lille,59000,Lille,59350",
        "Atelier sans adresse,,,",
    )
    report = source_import(slug="network-csv", path=path)
    assert (report.created, report.rejected, report.out_of_territory) == (2, 0, 2)
    assert members_of(networks) == {"Atelier de Lille", "Atelier sans adresse"}


def test_a_commune_named_only_is_tested_once_the_communes_are_loaded(
    networks, tmp_path, fast_communes
):
    path = members_file(
        tmp_path / "adherents.csv",
        "Coopérative de Roubaix,,Roubaix,",
        "Atelier de Lomme,,Lomme,",
        "Tiers-lieu de Lille,,LILLE CEDEX,",
    )
    assert source_import(slug="network-csv", path=path, dry_run=True).out_of_territory == 0
    source_import(slug="communes")
    report = source_import(slug="network-csv", path=path)
    assert (report.created, report.out_of_territory) == (2, 1)
    assert "Coopérative de Roubaix" not in members_of(networks)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<!DOCTYPE html><html><body>Connexion requise</body></html>\n", "colonnes manquantes"),
        ("", "adherents.csv est vide"),
        ("reseau;name\napes;Oubli de la colonne nom\n", "colonnes manquantes"),
    ],
)
def test_an_unusable_file_fails_and_changes_nothing(networks, tmp_path, content, message):
    source_import(slug="network-csv", path=UTF8)
    before = list(Organisation.objects.order_by("pk").values())
    broken = tmp_path / "adherents.csv"
    broken.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed, match=message):
        source_import(slug="network-csv", path=broken)
    assert list(Organisation.objects.order_by("pk").values()) == before
    assert NetworkMembership.objects.count() == 3


def test_excel_s_unicode_text_export_imports_like_the_csv(networks, tmp_path):
    rows = list(csv.reader(UTF8.read_text(encoding="utf-8").splitlines()))
    unicode_text = tmp_path / "adherents.txt"
    unicode_text.write_text("\r\n".join("\t".join(row) for row in rows) + "\r\n", encoding="utf-16")
    report = source_import(slug="network-csv", path=unicode_text)
    assert (report.created, report.rejected) == (3, 2)


# A run limited to one network (a network's own upload or API call) ----------------------


def test_the_mapper_reads_no_database(networks, django_assert_num_queries):
    row = RawRow(number=2, data={"reseau": "reseau-inconnu", "nom": "Atelier", "siret": ""})
    with django_assert_num_queries(0):
        mapped = NetworkCsvSource().map(row)
    assert mapped.data.network == "reseau-inconnu"  # the key is data until the scope check


def test_an_unchanged_row_of_another_network_is_still_refused_within_a_scope(networks, tmp_path):
    path = members_file(tmp_path / "adherents.csv", "Atelier de Lille,59000,Lille,59350")
    source_import(slug="network-csv", path=path)  # the APES's own run
    cress = organisation_create(data=OrganisationData(name="CRESS", kinds=("reseau",)))
    report = source_import(slug="network-csv", path=path, scope=cress)
    assert (report.unchanged, report.rejected) == (0, 1)
    assert report.rejections[0].reason == (
        "Ligne d'un autre réseau (APES) : ce fichier ne peut concerner que CRESS."
    )


def test_rows_given_as_dicts_are_cleaned_like_the_file(tmp_path):
    record = {
        "reseau": "apes",
        "nom": " Atelier ",
        "courriel": "jeanne.dupont@gmail.com",
        "telephone": "06 12 34 56 78",
    }
    path = tmp_path / "adherents.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(record))
        writer.writeheader()
        writer.writerow(record)
    [given] = raw_rows([record])
    [read] = NetworkCsvSource().read(path)
    assert given.data == read.data
    withheld = (1, "(non publié)", "(non publié)")  # never the person's address or mobile
    assert (given.number, given.data["courriel"], given.data["telephone"]) == withheld


# Only what a row says changes (issue 13) --------------------------------------------------

FULL = (
    "reseau;nom;siret;adresse;code_postal;commune;code_insee;latitude;longitude;site_web;"
    "courriel;telephone;description\n"
    "apes;Atelier Vélo Solidaire;50100001200010;3 rue de Douai;59000;Lille;59350;50.62;3.07;"
    "https://atelier.example.org;contact@atelier.example.org;03 20 00 00 01;Des vélos.\n"
)


def imported(tmp_path: Path, content: str, name: str = "adherents.csv"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return source_import(slug="network-csv", path=path)


def listing() -> tuple:
    member = Organisation.objects.get(siret="50100001200010")
    location = (round(member.location.x, 4), round(member.location.y, 4))
    return (member.website, member.email, member.description, member.street, location)


KEPT = (
    "https://atelier.example.org",
    "contact@atelier.example.org",
    "Des vélos.",
    "3 rue de Douai",
    (3.07, 50.62),
)


def test_a_partial_file_changes_only_the_columns_it_has(networks, tmp_path):
    imported(tmp_path, FULL, "complet.csv")
    partial = (
        "reseau;nom;siret;telephone\napes;Atelier Vélo Solidaire;50100001200010;03 20 00 00 02\n"
    )
    report = imported(tmp_path, partial)
    assert (report.updated, report.rejected) == (1, 0)
    assert listing() == KEPT
    assert Organisation.objects.get(siret="50100001200010").phone == "03 20 00 00 02"
    (provenance,) = Provenance.objects.all()
    # what the network wrote before is still remembered: a later file may update it
    assert provenance.imported_values["website"] == "https://atelier.example.org"
    assert provenance.imported_values["phone"] == "03 20 00 00 02"


def test_empty_cells_and_dropped_values_change_nothing(networks, tmp_path):
    imported(tmp_path, FULL, "complet.csv")
    header, _row = FULL.splitlines()
    empty = (
        "apes;Atelier Vélo Solidaire;50100001200010;;;;;;;"
        "pas un site;jeanne.dupont@gmail.com;06 12 34 56 78;\n"
    )
    report = imported(tmp_path, f"{header}\n{empty}")
    assert report.rejected == 0
    assert listing() == KEPT
    assert Organisation.objects.get(siret="50100001200010").phone == "03 20 00 00 01"
    assert "e-mail personnel ou illisible : non publié" in " ".join(report.warnings)


def test_the_clear_marker_empties_a_field_and_the_point_whole(networks, tmp_path):
    imported(tmp_path, FULL, "complet.csv")
    content = (
        "reseau;nom;siret;site_web;latitude\n"
        "apes;Atelier Vélo Solidaire;50100001200010;(effacer);(Effacer)\n"
    )
    assert imported(tmp_path, content).updated == 1
    member = Organisation.objects.get(siret="50100001200010")
    assert (member.website, member.location, member.geocoding_quality) == ("", None, "")
    assert (member.email, member.street) == ("contact@atelier.example.org", "3 rue de Douai")


def test_the_clear_marker_cannot_empty_an_identifier(networks, tmp_path):
    report = imported(tmp_path, "reseau;nom;siret\napes;Atelier;(effacer)\n")
    assert report.rejections[0].reason == "« (effacer) » ne peut pas vider la colonne siret."


def test_a_new_member_from_a_partial_row_is_created_with_what_it_says(networks, tmp_path):
    report = imported(
        tmp_path, "reseau;nom;siret;telephone\napes;Café de Moulins;77500001200010;0320000003\n"
    )
    assert report.created == 1
    member = Organisation.objects.get(siret="77500001200010")
    assert (member.name, member.phone, member.website, member.location) == (
        "Café de Moulins",
        "03 20 00 00 03",
        "",
        None,
    )
    assert members_of(networks) == {"Café de Moulins"}
    (provenance,) = Provenance.objects.all()
    assert "website" not in provenance.imported_values  # the row said nothing of it


def test_an_address_without_a_point_keeps_the_point(networks, tmp_path):
    imported(tmp_path, FULL, "complet.csv")
    content = (
        "reseau;nom;siret;adresse\napes;Atelier Vélo Solidaire;50100001200010;5 rue de Douai\n"
    )
    imported(tmp_path, content)
    member = Organisation.objects.get(siret="50100001200010")
    assert member.street == "5 rue de Douai"
    assert (round(member.location.x, 2), member.geocoding_quality) == (3.07, "source")

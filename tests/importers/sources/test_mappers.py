"""Mappers are pure: a raw row in, a typed record (or a rejection with its reason) out.

No database here: these tests run in milliseconds.
"""

from decimal import Decimal

import pytest

from directory.records import FundingSchemeData, SupportOfferData
from importers.engine.errors import RowRejected
from importers.engine.mapping import clean_website, split_terms
from importers.sources.quartiers import map_quartier
from importers.sources.seed import (
    eligible_legal_families,
    funder_refs,
    map_organisation,
    map_scheme,
    parse_amounts,
    stages,
    territory_scope,
)
from importers.sources.seed_vocabulary import ESS_FAMILIES
from importers.sources.siae import map_siae
from importers.sources.tiers_lieux import map_tiers_lieu

THIRD_PLACE = {
    "ID": "1189",
    "NOM_TL": "Mutualab",
    "ADRESSE": "19 rue Nicolas Leblanc",
    "CP": "59000",
    "INSEECOM": "59350",
    "NOMCOM": "Lille",
    "WEB": "www.mutualab.org",
    "TYPO": "Tiers lieux à dominante fablab",
    "LAT": "50.629624",
    "LONG": "3.061476",
    "GEOCOD": "19 Rue Nicolas Leblanc 59000 Lille",
    "PRECISION": "0.94",
}
SIAE = {
    "pk": 27,
    "name": "INSERSOL",
    "brand": "",
    "siret": "37839168400032",
    "naf": "8899B",
    "kind": "ACI",
    "address": "Rue Jean Bart",
    "post_code": "59260",
    "city": "Lille",
    "coords": "SRID=4326;POINT (3.110077 50.625958)",
    "website": "",
    "description": "",
    "phone": "+33 8 03 42 98 29",
    "email": "someone@example.org",
}
ORGANISATION = {
    "name": "Optéos",
    "kind": "CAE",
    "summary": "Coopérative d'activités et d'emploi créée en 2010.",
    "website": "https://www.opteos.fr/",
    "street": "",
    "postcode": "",
    "commune": "Lille",
    "siren": "",
    "latitude": "",
    "longitude": "",
    "source_url": "https://www.opteos.fr/qui-sommes-nous/",
}
SCHEME = {
    "name": "Incubateur Évident!",
    "funder": "Initiatives et Cité",
    "instrument": "accompagnement (incubation)",
    "stages": "pré-amorçage; amorçage",
    "amount_range": "",
    "eligible_structures": "projets ESS et d'utilité sociale",
    "territory": "Métropole Européenne de Lille puis Hauts-de-France",
    "url": "",
    "source_url": "https://lagazettefrance.fr/article/la-7e-promotion-de-l-incubateur-evident-est-lancee",
    "notes": "Parcours de 9 mois.",
}


def rejection(mapper, raw) -> str:
    with pytest.raises(RowRejected) as caught:
        mapper(raw)
    return caught.value.reason


# --- Third places ---------------------------------------------------------------------------


def test_third_place_becomes_a_third_place_on_the_map():
    data = map_tiers_lieu(THIRD_PLACE).data
    assert data.kinds == ("tiers-lieu",)
    assert data.location.coords == (3.061476, 50.629624)
    assert data.geocoding_quality == "source"
    assert data.website == "http://www.mutualab.org"
    assert "fablab" in data.description


def test_third_place_without_a_name_is_rejected_with_the_reason():
    assert "Nom du tiers-lieu manquant" in rejection(map_tiers_lieu, {**THIRD_PLACE, "NOM_TL": " "})


def test_swapped_coordinates_are_rejected_as_outside_france():
    swapped = {**THIRD_PLACE, "LAT": "3.061476", "LONG": "50.629624"}
    assert "hors de France" in rejection(map_tiers_lieu, swapped)


def test_unreadable_coordinates_are_rejected():
    assert "illisibles" in rejection(map_tiers_lieu, {**THIRD_PLACE, "LAT": "50,6N"})


def test_overseas_third_place_is_in_france():
    reunion = {**THIRD_PLACE, "LAT": "-20.8789", "LONG": "55.4481"}
    assert map_tiers_lieu(reunion).data.location is not None


def test_loosely_geocoded_third_place_stays_in_the_directory_off_the_map():
    loose = {**THIRD_PLACE, "PRECISION": "0.4"}
    commune_only = {**THIRD_PLACE, "GEOCOD": "Lille", "PRECISION": "0.64"}
    for raw in (loose, commune_only):
        mapped = map_tiers_lieu(raw)
        assert mapped.data.location is None
        assert mapped.data.geocoding_quality == ""
        assert mapped.data.street == "19 rue Nicolas Leblanc"
        assert mapped.warnings


# --- SIAE -----------------------------------------------------------------------------------


def test_siae_keeps_siret_naf_and_kind_but_never_contacts():
    data = map_siae(SIAE).data
    assert (data.siret, data.siren, data.naf_code) == ("37839168400032", "378391684", "88.99B")
    assert "atelier et chantier d'insertion (ACI)" in data.description
    assert data.kinds == ("siae",)
    assert data.sectors == ("iae",)
    assert data.ess_status == "inconnu"
    assert data.phone == data.email == ""


@pytest.mark.parametrize(
    "siret", ["3783916840003", "37839168400033", "12345678901234", "3783916840003A"]
)
def test_siae_with_a_bad_siret_is_rejected(siret):
    assert "SIRET invalide" in rejection(map_siae, {**SIAE, "siret": siret})


def test_siae_point_in_another_spatial_reference_is_refused():
    lambert = {**SIAE, "coords": "SRID=2154;POINT (706000 7059000)"}
    assert "SRID=2154" in rejection(map_siae, lambert)


# --- Seed organisations ---------------------------------------------------------------------


def test_cae_supports_projects_and_is_a_cooperative():
    data = map_organisation(ORGANISATION).data
    assert data.kinds == ("accompagnement",)
    assert data.legal_family == "cooperative"
    assert (data.ess_status, data.ess_status_source) == ("ess", "statut")
    assert data.insee_code == "59350"
    assert data.location is None


def test_several_kinds_are_all_kept():
    data = map_organisation({**ORGANISATION, "kind": "réseau; lieu-ressource"}).data
    assert data.kinds == ("accompagnement", "reseau")


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("URIOPSS Hauts-de-France", "Union régionale interfédérale des organismes privés."),
        ("ChairESS Hauts-de-France", "Chaire associative, interuniversitaire."),
        ("Maison des Associations de Lille", "Équipement municipal d'appui."),
    ],
)
def test_legal_family_is_never_invented(name, summary):
    raw = {**ORGANISATION, "name": name, "kind": "réseau", "summary": summary}
    data = map_organisation(raw).data
    assert data.legal_family == ""
    assert data.ess_status == "inconnu"


def test_summary_stating_association_gives_the_family():
    raw = {**ORGANISATION, "kind": "financement", "summary": "Association créée en 1983."}
    assert map_organisation(raw).data.legal_family == "association"


def test_unknown_kind_is_rejected_so_the_table_gets_extended():
    assert "inconnu : mécène" in rejection(map_organisation, {**ORGANISATION, "kind": "mécène"})


def test_half_coordinates_are_rejected():
    assert "illisibles" in rejection(map_organisation, {**ORGANISATION, "latitude": "50.63"})


# --- Seed schemes ---------------------------------------------------------------------------


def test_support_only_row_becomes_a_support_offer_run_by_its_funder():
    mapped = map_scheme(SCHEME)
    assert isinstance(mapped.data, SupportOfferData)
    assert mapped.data.kinds == ("incubation",)
    assert mapped.data.stages == ("amorcage", "pre-amorcage")
    assert mapped.data.provider_label == "Initiatives et Cité"
    assert mapped.links["provider"] == ("organisations:initiatives-et-cite-initiativesetcite",)
    assert mapped.data.territory_scope == "region"


def test_a_support_offer_keeps_who_it_is_for_apart_from_its_description():
    mapped = map_scheme(SCHEME)
    assert mapped.data.eligibility_text == "projets ESS et d'utilité sociale"
    # The seed's `notes` are the sourcer's caveats: kept for the staff, never the
    # public presentation (issue 19).
    assert mapped.data.sourcing_note == "Parcours de 9 mois."
    assert mapped.data.description == ""


def test_scheme_with_money_and_support_stays_a_funding_scheme():
    raw = {**SCHEME, "instrument": "accompagnement; prêt (avance remboursable)"}
    mapped = map_scheme(raw)
    assert isinstance(mapped.data, FundingSchemeData)
    assert mapped.data.instruments == ("avance-remboursable",)


def test_unknown_instrument_is_rejected():
    assert "Instrument inconnu" in rejection(map_scheme, {**SCHEME, "instrument": "tontine"})


def test_creation_and_takeover_are_the_start_up_stage():
    text = "création (hors amorçage, selon la FAQ); consolidation/développement; reprise"
    assert stages(text) == ("amorcage", "consolidation")


def test_unknown_stage_is_rejected():
    assert "Étape inconnue" in rejection(map_scheme, {**SCHEME, "stages": "maturité"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jusqu'à 30 000 € par projet, dans la limite de 30 % du budget", (None, 30000)),
        ("avance remboursable de 5 000 à 100 000 €, durée maximale 6 mois", (5000, 100000)),
        ("70 % maximum du coût de l'étude de faisabilité, plafond 30 000 €", (None, 30000)),
        ("investissement moyen d'environ 80 000 €, maximum 150 000 € par dossier", (None, 150000)),
        ("jusqu'à 12 000 € (2023) ; jusqu'à 15 000 € selon un article de 2024", (None, None)),
        ("généralement 1 000 à 10 000 € par club", (None, None)),
        ("plafonnée à 50 % d'un investissement éligible de 25 000 € à 300 000 €", (None, None)),
        ("la garantie couvre environ 60 % du prêt bancaire", (None, None)),
        ("", (None, None)),
    ],
)
def test_amounts_are_set_only_when_plainly_stated_in_euros(text, expected):
    low, high = parse_amounts(text)
    assert (low, high) == tuple(Decimal(v) if v is not None else None for v in expected)


@pytest.mark.parametrize(
    ("text", "scope", "areas"),
    [
        ("Lille, Lomme, Hellemmes", "commune", ("commune:59350",)),
        ("Métropole Européenne de Lille", "epci", ()),
        ("Nord / Hauts-de-France", "departement", ()),
        ("Nord-Pas-de-Calais", "region", ()),
        ("Hauts-de-France (agence de Lille)", "region", ()),
        ("France (via les associations territoriales France Active)", "national", ()),
        ("Lille et autres villes du Nord", "departement", ()),
        ("quelque part", "", ()),
    ],
)
def test_territory_text_gives_the_scope(text, scope, areas):
    assert territory_scope(text) == (scope, areas)


def test_funder_aliases_name_the_seed_organisation():
    assert funder_refs("Nord Actif (réseau France Active)") == (
        "organisations:nord-actif-france-active-nord",
    )
    assert funder_refs("France Active") == ("organisations:france-active",)
    assert funder_refs("") == ()


# --- Seed eligibility: who may apply -> legal families (empty: open to all) ----------------


@pytest.mark.parametrize(
    "text",
    [
        "structures de l'ESS, dont associations, en difficulté (notamment après la crise)",
        "structures ESS en activité depuis plus d'un an, employant au moins un salarié",
        "entreprises de l'ESS (PME) de plus de 3 ans ; co-financement obligatoire à 1 pour 1",
        "entreprises solidaires",
        "associations et entreprises solidaires",
    ],
)
def test_ess_structures_are_the_five_ess_families(text):
    assert eligible_legal_families(text) == ESS_FAMILIES
    assert "autre" not in ESS_FAMILIES


@pytest.mark.parametrize(
    "text",
    [
        "associations",
        "porteurs de projets associatifs tournés vers l'emploi et l'utilité sociale",
    ],
)
def test_associations_only_are_restricted_to_the_association_family(text):
    assert eligible_legal_families(text) == ("association",)


@pytest.mark.parametrize(
    "text",
    [
        "associations, coopératives et entreprises commerciales agréées ESUS ayant une activité "
        "économique dans la métropole et existant juridiquement",
        "associations employeuses, SCOP/SCIC, SIAE, EA/ESAT, GE/GEIQ, sociétés agréées ESUS, "
        "ayant au moins un salarié en Hauts-de-France ; projets créant au moins 0,8 ETP en CDI",
        "sociétés agréées ESUS, SCOP/SCIC, associations ayant une activité économique, "
        "SIAE (hors ACI), GE/GEIQ",
    ],
)
def test_listed_ess_forms_give_exactly_those_families(text):
    # SIAE, EA/ESAT, GE/GEIQ are approvals, and "projets" after ";" is a condition: neither
    # opens the offer to everyone.
    assert eligible_legal_families(text) == ("association", "cooperative", "societe-ess")


@pytest.mark.parametrize(
    ("text", "families"),
    [
        (
            "sociétés (SA, SAS, SARL…) dont le siège est en Hauts-de-France, capital social "
            "d'au moins 15 000 €",
            ("autre", "cooperative", "societe-ess"),
        ),
        (
            "sociétés (SARL, SAS, SA, SCOP, SCIC), associations, entrepreneurs salariés de CAE, "
            "à proximité d'un club",
            ("association", "autre", "cooperative", "societe-ess"),
        ),
    ],
)
def test_companies_with_a_share_capital_leave_out_associations_unless_named(text, families):
    assert eligible_legal_families(text) == families


@pytest.mark.parametrize(
    "text",
    [
        "entreprises de tout statut recrutant un porteur de projet ; projet créant 5 emplois",
        "toutes entreprises au sens européen, dont les entreprises de l'ESS",
        "petites et moyennes entreprises et associations créatrices d'emploi local",
        "entrepreneurs éloignés du financement bancaire et structures de l'ESS",
    ],
)
def test_enterprises_in_general_stay_open_to_all(text):
    assert eligible_legal_families(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "créateurs et repreneurs d'entreprise",
        "créateurs exclus du crédit bancaire (bénéficiaires de minima sociaux, demandeurs "
        "d'emploi, habitants des QPV…)",
        "demandeurs d\u2019emploi porteurs d\u2019un projet (hors médical, bâtiment)",
        "porteurs de projets ESS, accompagnés par les structures spécialisées",
        "porteurs de projets et structures de l'ESS",
        "projets ESS et d'utilité sociale (sélection sur appel à projets et jury)",
        "personnes",
        "",
    ],
)
def test_people_and_projects_are_not_a_legal_family_restriction(text):
    assert eligible_legal_families(text) == ()


def test_scheme_and_support_offer_carry_their_families_and_no_sector():
    scheme = map_scheme({**SCHEME, "instrument": "garantie", "eligible_structures": "associations"})
    assert isinstance(scheme.data, FundingSchemeData)
    assert scheme.data.eligible_legal_families == ("association",)
    assert scheme.data.eligibility_text == "associations"
    dla = map_scheme({**SCHEME, "eligible_structures": "associations et entreprises solidaires"})
    assert isinstance(dla.data, SupportOfferData)
    assert dla.data.eligible_legal_families == ESS_FAMILIES
    assert scheme.data.sectors == dla.data.sectors == ()
    assert not scheme.warnings
    assert not dla.warnings


@pytest.mark.parametrize("text", ["collectivités territoriales", "SIAE"])
def test_unknown_eligibility_stays_open_with_a_warning_to_extend_the_table(text):
    mapped = map_scheme({**SCHEME, "eligible_structures": text})
    assert mapped.data.eligible_legal_families == ()
    assert mapped.warnings == (f"Public non reconnu, laissé ouvert à toutes les familles : {text}",)


# --- Quartiers and shared helpers -----------------------------------------------------------


def test_quartier_code_joins_commune_and_quartier_numbers():
    shape = (
        '{ "coordinates": [ [ [ 3.08, 50.61 ], [ 3.07, 50.\n62 ], [ 3.06, 50.61 ], '
        '[ 3.08, 50.61 ] ] ], "type": "Polygon" } '
    )
    raw = {"commune": "Lille", "quartier": "Lille-Moulins", "code_com": "350"}
    data = map_quartier({**raw, "code_quar": "6", "geo_shape": shape}).data
    assert (data.code, data.name, data.kind) == ("59350-6", "Lille-Moulins", "quartier")
    assert (data.parent_kind, data.parent_code) == ("commune", "59350")
    assert data.geometry.geom_type == "MultiPolygon"
    assert data.geometry.srid == 4326


def test_quartier_of_lomme_hangs_under_the_commune_associee():
    ring = "[[2.98, 50.64], [2.99, 50.65], [2.97, 50.65], [2.98, 50.64]]"
    shape = f'{{"type": "Polygon", "coordinates": [{ring}]}}'
    raw = {"quartier": "Lomme", "code_com": "355", "code_quar": "200", "geo_shape": shape}
    data = map_quartier(raw).data
    assert (data.code, data.parent_kind, data.parent_code) == (
        "59355-200",
        "commune-associee",
        "59355",
    )


def test_terms_split_outside_brackets_only():
    assert split_terms("fonds propres (capital; compte courant); prêt") == [
        "fonds propres (capital; compte courant)",
        "prêt",
    ]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("www.co-factory.fr", "http://www.co-factory.fr"),
        ("https://rtes.fr/", "https://rtes.fr/"),
        ("pas une url !", ""),
        ("", ""),
    ],
)
def test_websites_are_normalised_or_dropped(raw, clean):
    assert clean_website(raw) == clean

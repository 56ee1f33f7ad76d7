"""The pathway selector against PostGIS: containment with real outlines, lists and order."""

from datetime import date
from decimal import Decimal

import pytest

from cartography.models import ReferenceArea
from directory.models import LegalFamily, Sector, Stage, SupportKind
from directory.pathway.places import PlaceQuery, place_resolve
from directory.pathway.selectors import Project, pathway_get
from importers.engine.services import source_import
from tests.factories import LOMME, MOULINS, make_organisation, make_support_offer
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 21)
ROUBAIX = (50.6942, 3.1746)


@pytest.fixture
def lille_outlines():
    """The real outlines of Lille, its communes associées and its 12 quartiers (bundled)."""
    source_import(slug="communes")
    source_import(slug="quartiers")
    return {area.code: area for area in ReferenceArea.objects.all()}


def project(**fields) -> Project:
    fields.setdefault("stage", "amorcage")
    return Project(**fields)


def names(matches) -> list[str]:
    return [match.offer.name for match in matches]


def in_moulins(**fields) -> Project:
    return project(place=PlaceQuery(lat=MOULINS.y, lon=MOULINS.x, address="Bd Painlevé"), **fields)


def test_a_commune_outline_contains_an_address_in_moulins(lille_outlines):
    scheme("Fonds lillois", territory_scope="commune", areas=[lille_outlines["59350"]])
    result = pathway_get(project=in_moulins(), today=TODAY)
    assert names(result.schemes) == ["Fonds lillois"]
    assert "Territoire : Lille, qui contient votre adresse" in [
        reason.text for reason in result.schemes[0].reasons
    ]


def test_a_commune_outline_contains_the_moulins_quartier_but_lomme_does_not(lille_outlines):
    scheme("Fonds lillois", territory_scope="commune", areas=[lille_outlines["59350"]])
    scheme("Fonds lommois", territory_scope="commune", areas=[lille_outlines["59355"]])
    result = pathway_get(project=project(place=PlaceQuery(quartier="59350-6")), today=TODAY)
    assert names(result.schemes) == ["Fonds lillois"]
    assert result.schemes[0].reasons[-1].text == (
        "Territoire : Lille, qui contient le quartier Lille-Moulins"
    )
    excluded = {match.offer.name: match.exclusions for match in result.excluded}
    assert [verdict.text for verdict in excluded["Fonds lommois"]] == ["Hors territoire"]


def test_a_quartier_by_slug_and_a_quartier_scheme_for_all_of_lille(lille_outlines):
    scheme("Fonds de Moulins", territory_scope="quartier", areas=[lille_outlines["59350-6"]])
    assert place_resolve(query=PlaceQuery(quartier="lille-moulins")).label == "Lille-Moulins"
    everywhere = pathway_get(project=project(), today=TODAY)
    assert names(everywhere.schemes) == ["Fonds de Moulins"]
    assert everywhere.schemes[0].checks[0].text.startswith("Territoire : Lille-Moulins, une partie")
    fives = pathway_get(project=project(place=PlaceQuery(quartier="59350-4")), today=TODAY)
    assert fives.schemes == []


def test_wide_scopes_contain_any_place_of_lille_and_local_ranks_first(lille_outlines):
    scheme("Prêt national", territory_scope="national", territory_label="France")
    scheme("Aide régionale", territory_scope="region", territory_label="Hauts-de-France")
    scheme("Fonds lillois", territory_scope="commune", areas=[lille_outlines["59350"]])
    result = pathway_get(project=in_moulins(), today=TODAY)
    assert names(result.schemes) == ["Fonds lillois", "Aide régionale", "Prêt national"]
    assert result.place.in_territory is True


def test_an_address_outside_lille_is_said_so(lille_outlines):
    lat, lon = ROUBAIX
    place = place_resolve(query=PlaceQuery(lat=lat, lon=lon))
    assert place.in_territory is False


def test_closed_schemes_leave_now_and_recurring_ones_wait_on_the_road_ahead():
    scheme("AAP clos récurrent", closes_on=date(2025, 6, 30), recurrence="recurrente")
    scheme("AAP clos ponctuel", closes_on=date(2022, 12, 31), recurrence="ponctuelle")
    scheme("AAP à venir", opens_on=date(2027, 1, 15))
    result = pathway_get(project=project(), today=TODAY)
    assert result.schemes == []
    assert names(result.recurring) == ["AAP clos récurrent"]
    assert names(result.soon) == ["AAP à venir"]
    closed = next(m for m in result.excluded if m.offer.name == "AAP clos ponctuel")
    assert [verdict.text for verdict in closed.exclusions] == ["Clôturé le 31/12/2022"]


def test_the_road_ahead_shows_what_opens_at_each_later_stage():
    scheme("Amorçage et développement", stages=("amorcage", "consolidation"))
    scheme("Changement d'échelle", stages=("changement-d-echelle",))
    scheme("Idée", stages=("pre-amorcage",))
    result = pathway_get(project=project(), today=TODAY)
    assert names(result.schemes) == ["Amorçage et développement"]
    steps = {step.stage.slug: step for step in result.road_ahead}
    assert list(steps) == ["consolidation", "changement-d-echelle"]
    assert steps["consolidation"].carried_on == 1
    assert names(steps["changement-d-echelle"].matches) == ["Changement d'échelle"]
    assert "Idée" in names(result.excluded)


def test_ranking_follows_the_fit_family_sector_instrument_amount():
    targeted = scheme("Fonds associatif alimentaire", amount_max=Decimal(30000))
    targeted.eligible_legal_families.set(LegalFamily.objects.filter(slug="association"))
    targeted.sectors.set(Sector.objects.filter(slug="alimentation-durable"))
    scheme("Aide généraliste")
    coop = scheme("Fonds coopératif")
    coop.eligible_legal_families.set(LegalFamily.objects.filter(slug="cooperative"))
    scheme("Prêt d'honneur", instruments=("pret-d-honneur",))
    scheme("Gros prêt", amount_min=Decimal(50000))
    asked = project(
        legal_family="association",
        sector="alimentation-durable",
        instruments=("subvention",),
        amount=10000,
    )
    result = pathway_get(project=asked, today=TODAY)
    assert names(result.schemes) == ["Fonds associatif alimentaire", "Aide généraliste"]
    reasons = [reason.text for reason in result.schemes[0].reasons]
    assert "Ouvert aux associations" in reasons
    assert "Montant jusqu'à 30\xa0000 €, votre besoin : 10\xa0000 €" in reasons
    excluded = {m.offer.name: [v.text for v in m.exclusions] for m in result.excluded}
    assert excluded["Fonds coopératif"] == ["Réservé aux coopératives"]
    assert excluded["Prêt d'honneur"] == [
        "Instrument : prêt d'honneur ; vous cherchez : subvention"
    ]
    assert excluded["Gros prêt"] == [
        "Montant minimum 50\xa0000 €, au-dessus de votre besoin : 10\xa0000 €"
    ]


def test_support_offers_by_kind_and_their_providers_nearest_first():
    near = make_organisation(
        "Incubateur de Moulins", kinds=("accompagnement",), location=MOULINS.clone()
    )
    far = make_organisation("Couveuse de Lomme", kinds=("accompagnement",), location=LOMME.clone())
    for name, provider in (("Incubation Moulins", near), ("Incubation Lomme", far)):
        offer = make_support_offer(name, provider=provider, territory_scope="epci")
        offer.stages.set(Stage.objects.filter(slug="amorcage"))
        offer.kinds.set(SupportKind.objects.filter(slug="incubation"))
    dla = make_support_offer("DLA", territory_scope="departement")
    dla.stages.set(Stage.objects.filter(slug="amorcage"))
    dla.kinds.set(SupportKind.objects.filter(slug="dla"))
    asked = in_moulins(needs=frozenset({"support"}), support_kinds=("incubation",))
    result = pathway_get(project=asked, today=TODAY)
    assert sorted(names(result.support_offers)) == ["Incubation Lomme", "Incubation Moulins"]
    assert [hit.organisation.name for hit in result.organisations] == [
        "Incubateur de Moulins",
        "Couveuse de Lomme",
    ]
    assert result.organisations[0].distance_m < 50
    assert result.organisations[1].distance_m > 3000


def test_only_the_needs_named_are_listed_now():
    scheme("Subvention")
    offer = make_support_offer("Mentorat", territory_scope="region")
    offer.stages.set(Stage.objects.filter(slug="amorcage"))
    money = pathway_get(project=project(needs=frozenset({"money"})), today=TODAY)
    assert (names(money.schemes), money.support_offers) == (["Subvention"], [])
    both = pathway_get(project=project(), today=TODAY)
    assert (names(both.schemes), names(both.support_offers)) == (["Subvention"], ["Mentorat"])


def test_an_unknown_stage_raises():
    with pytest.raises(Stage.DoesNotExist):
        pathway_get(project=project(stage="inconnue"), today=TODAY)


def test_the_pathway_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    for index in range(12):
        scheme(f"Dispositif {index}", stages=("amorcage", "consolidation"))
    # The context, the schemes, the offers, the organisations (issue 20).
    with django_assert_max_num_queries(4):
        result = pathway_get(project=in_moulins(), today=TODAY)
    assert len(result.schemes) == 12

"""`/financements/`, a scheme's page, a support offer's page and `/financements/couverture/`."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from directory.models import ScaleUpStrategy, Sector, Stage, SupportKind
from directory.selectors.funding_landscape import scheme_cells
from importers.engine.services import source_import
from tests.factories import make_organisation, make_support_offer, make_user
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemes():
    mel = make_organisation("Métropole Européenne de Lille", kinds=("financeur",))
    spanning = scheme("Entreprendre autrement", stages=("amorcage", "consolidation"))
    spanning.funders.set([mel])
    growth = scheme("Fonds d'essaimage", stages=("changement-d-echelle",), instruments=("pret",))
    growth.scale_up_strategies.set(ScaleUpStrategy.objects.filter(slug="duplication"))
    scheme("AAP clos", closes_on="2022-12-31", recurrence="recurrente")
    return {"mel": mel, "spanning": spanning}


def test_the_matrix_spans_each_scheme_over_the_stages_it_covers(client, schemes):
    html = client.get("/financements/").content.decode()
    assert '<th scope="col">Pré-amorçage</th>' in html
    assert '<th scope="rowgroup" rowspan="2">Subvention</th>' in html
    assert 'colspan="2">Couvre : Amorçage, Consolidation / développement' in html
    assert "3 dispositifs de financement" in html


def test_in_english_the_matrix_names_the_stages_as_its_headings_do(client, schemes):
    html = client.get("/en/financements/").content.decode()
    assert '<th scope="col">Seed</th>' in html
    assert 'colspan="2">Covers: Seed, Consolidation / growth' in html
    assert "Couvre" not in html
    assert "Amorçage" not in html


def test_each_stage_lists_its_schemes_with_their_instruments_and_strategies(client, schemes):
    html = client.get("/financements/").content.decode()
    by_stage = html[html.index('id="titre-par-etape"') : html.index('id="titre-echelle"')]

    def stage(slug: str) -> str:
        start = by_stage.index(f'id="etape-{slug}"')
        end = by_stage.find('<h3 id="etape-', start + 1)
        return by_stage[start : end if end > 0 else None]

    assert "Pré-amorçage" in stage("pre-amorcage")
    assert "Aucun dispositif ne couvre cette étape" in stage("pre-amorcage")
    assert "Entreprendre autrement" in stage("amorcage")
    assert "Entreprendre autrement" in stage("consolidation")
    growth = stage("changement-d-echelle")
    assert "(1 dispositif)" in growth
    assert "Fonds d&#x27;essaimage</a>" in growth
    assert "Prêt" in growth
    assert "Changement d'échelle : Duplication" in growth
    assert "Entreprendre autrement" not in growth


def test_the_scale_up_strategies_list_their_schemes(client, schemes):
    html = client.get("/financements/").content.decode()
    section = html[html.index('id="titre-echelle"') :]
    assert "Duplication" in section
    assert "Fonds d&#x27;essaimage" in section


def test_the_filters_keep_what_is_open_today_by_instrument(client, schemes):
    html = client.get("/financements/", {"open": "true", "instrument": "subvention"})
    text = html.content.decode()
    assert "Entreprendre autrement" in text
    assert "AAP clos" not in text
    assert "Fonds d&#x27;essaimage" not in text


def test_the_funding_page_takes_a_fixed_number_of_queries(
    client, schemes, django_assert_num_queries
):
    for index in range(15):
        scheme(f"Dispositif {index}")
    client.get("/financements/")  # warm: content types
    # 17 before issue 20's eleventh sitting: the four filters' choices, the stages,
    # instruments and strategies, the schemes with their links' ids in their rows, the
    # support offers by strategy, whether any scheme names a strategy.
    with django_assert_num_queries(10):
        assert client.get("/financements/").status_code == 200


def test_a_scheme_page_names_funders_amounts_dates_and_sources(client, schemes):
    spanning = schemes["spanning"]
    spanning.amount_text = "jusqu'à 30 000 € par projet"
    spanning.amount_max = 30000
    spanning.save()
    html = client.get(f"/financements/{spanning.slug}/").content.decode()
    assert f'href="/organisations/{schemes["mel"].slug}/"' in html
    assert "« jusqu&#x27;à 30 000 € par projet »" in html
    assert "Sources et licence" in html


def test_a_closed_scheme_says_so_and_when(client, schemes):
    closed = scheme("Clos", closes_on="2022-12-31", recurrence="recurrente")
    html = client.get(f"/financements/{closed.slug}/").content.decode()
    assert "Clôturé le 31/12/2022." in html
    assert "guettez la prochaine session" in html
    assert client.get("/financements/inconnu/").status_code == 404


def test_a_seeded_scheme_shows_its_source_and_cited_pages(client):
    source_import(slug="seed")
    html = client.get("/financements/fonds-de-relance-regional-de-less/").content.decode()
    assert "Acteurs et financements de l&#x27;ESS à Lille" in html
    assert "Pages citées" in html


def test_a_support_offer_page(client):
    provider = make_organisation("BGE", kinds=("accompagnement",))
    offer = make_support_offer("Couveuse", provider=provider, cost="gratuit")
    offer.stages.set(Stage.objects.filter(slug="pre-amorcage"))
    offer.kinds.set(SupportKind.objects.filter(slug="hebergement-cae"))
    html = client.get(f"/accompagnements/{offer.slug}/").content.decode()
    assert f'href="/organisations/{provider.slug}/"' in html
    assert "Gratuit" in html


def test_a_support_offer_page_says_who_it_is_for_in_the_source_words(client):
    offer = make_support_offer(
        "Couveuse", eligibility_text="Demandeurs d'emploi porteurs d'un projet"
    )
    html = client.get(f"/accompagnements/{offer.slug}/").content.decode()
    assert "Public (selon la source)" in html
    assert "Demandeurs d&#x27;emploi porteurs d&#x27;un projet" in html


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("agent", password="x", is_staff=True)
    client.force_login(user)
    return client


def test_coverage_is_for_staff_only(client):
    assert client.get("/financements/couverture/").status_code == 302
    user = get_user_model().objects.create_user("public", password="x")
    client.force_login(user)
    assert client.get("/financements/couverture/").status_code == 403
    assert client.get("/financements/couverture/export.csv").status_code == 403


def test_the_city_services_read_the_coverage_and_find_it_from_the_schemes_and_their_page(
    client,
):
    agent = make_user("agent-ville", groups=("Services de la Ville",))
    client.force_login(agent)
    assert client.get("/financements/couverture/").status_code == 200
    assert client.get("/financements/couverture/export.csv").status_code == 200
    assert 'href="/financements/couverture/"' in client.get("/financements/").content.decode()
    assert 'href="/financements/couverture/"' in client.get("/compte/").content.decode()
    client.force_login(make_user("habitant"))
    assert 'href="/financements/couverture/"' not in client.get("/financements/").content.decode()


def test_coverage_counts_and_highlights_gaps(staff, schemes):
    culture = scheme("Aide culture", stages=("pre-amorcage",))
    culture.sectors.set(Sector.objects.filter(slug="culture"))
    html = staff.get("/financements/couverture/").content.decode()
    assert "lacunes repérées" in html
    assert 'class="gap">0 <span class="visually-hidden">— lacune' in html
    assert "Métropole Européenne de Lille" in html
    assert "1 dédié)" in html


def test_coverage_exports_csv(staff, schemes):
    scheme("Clos pour de bon", closes_on="2022-12-31", recurrence="ponctuelle")
    response = staff.get("/financements/couverture/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == [
        "tableau",
        "ligne",
        "etape",
        "dispositifs",
        "offres",
        "acteurs",
        "lacune",
    ]
    subvention = {row[2]: row for row in rows if row[:2] == ["instrument", "subvention"]}
    # Entreprendre autrement and the recurring AAP clos; not the scheme closed for good.
    assert subvention["amorcage"][3] == "2"
    assert subvention["pre-amorcage"][6] == "1"
    # Each row ends with the file's origin (sources, licence, date_extraction).
    assert ["acteur", schemes["mel"].slug, "amorcage", "1", "", "1", "0", ""] in [
        row[:8] for row in rows
    ]


def test_a_scheme_spans_consecutive_stages_and_leaves_gaps_between_others():
    stages = list(Stage.objects.all())
    cells = scheme_cells(
        scheme_stages={"pre-amorcage", "consolidation", "changement-d-echelle"}, stages=stages
    )
    assert [(cell.colspan, cell.covered) for cell in cells] == [(1, True), (1, False), (2, True)]


def test_a_strategy_without_scheme_says_so_once_strategies_are_recorded(client, schemes):
    section = client.get("/financements/").content.decode().split('id="titre-echelle"')[1]
    fusion = section[section.index("Fusion") :]
    assert fusion.index("Aucun dispositif recensé pour cette stratégie.") < fusion.index("</dd>")
    assert "pas encore renseignées" not in section


def test_no_strategy_is_called_missing_before_any_is_recorded(client):
    scheme("Sans stratégie", stages=("changement-d-echelle",))
    section = client.get("/financements/").content.decode().split('id="titre-echelle"')[1]
    assert "Aucun dispositif recensé" not in section
    assert "Les stratégies que servent les dispositifs ne sont pas encore renseignées." in section


def test_a_scheme_page_shows_its_strategies_partners_and_their_source(client):
    ville = scheme("AAP Ville", stages=("changement-d-echelle",))
    mel = scheme("AAP MEL", stages=("changement-d-echelle",))
    mel.scale_up_strategies.set(ScaleUpStrategy.objects.filter(slug="cooperation"))
    mel.co_financeable_with.add(ville)
    mel.scale_up_source = "Délibération de la Ville"
    mel.save()
    html = client.get(f"/financements/{mel.slug}/").content.decode()
    assert "Coopération" in html
    assert f'À combiner avec : <a href="/financements/{ville.slug}/">AAP Ville</a>' in html
    assert "Délibération de la Ville" in html
    back = client.get(f"/financements/{ville.slug}/").content.decode()
    assert f'<a href="/financements/{mel.slug}/">AAP MEL</a>' in back


def test_the_api_names_the_co_financeable_schemes(client):
    ville = scheme("AAP Ville")
    scheme("AAP MEL").co_financeable_with.add(ville)
    rows = client.get("/api/v1/funding-schemes/").json()["results"]
    mel = next(row for row in rows if row["name"] == "AAP MEL")
    assert mel["co_financeable_with"] == [{"slug": ville.slug, "name": "AAP Ville"}]


def test_an_editor_declares_two_schemes_co_financeable_in_the_admin(admin_client):
    ville, mel = scheme("AAP Ville"), scheme("AAP MEL")
    url = reverse("admin:directory_fundingscheme_change", args=[mel.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="co_financeable_with"' in html
    assert 'name="scale_up_source"' in html
    mel.co_financeable_with.add(ville)
    assert list(ville.co_financeable_with.all()) == [mel]


def test_a_sourcing_note_is_for_the_staff_and_the_presentation_for_everybody(client):
    funding = scheme("Fonds d'amorçage solidaire")
    funding.description = "Une avance pour lancer votre activité."
    funding.sourcing_note = "Montants 2024 non confirmés par le financeur."
    funding.save()
    offer = make_support_offer("Couveuse", sourcing_note="Opérateur non vérifié.")
    public = client.get(f"/financements/{funding.slug}/").content.decode()
    assert "Une avance pour lancer votre activité." in public
    assert "Montants 2024 non confirmés" not in public
    assert (
        "Opérateur non vérifié."
        not in client.get(f"/accompagnements/{offer.slug}/").content.decode()
    )

    client.force_login(make_user("moderatrice", groups=("Modérateurs",)))
    staff_view = client.get(f"/financements/{funding.slug}/").content.decode()
    assert "Montants 2024 non confirmés par le financeur." in staff_view
    assert (
        "Opérateur non vérifié." in client.get(f"/accompagnements/{offer.slug}/").content.decode()
    )


def test_a_support_offer_page_names_the_strategies_it_serves_and_their_source(client):
    offer = make_support_offer("Essaimage accompagné", scale_up_source="Avise, 2024")
    offer.scale_up_strategies.set(ScaleUpStrategy.objects.filter(slug__in=["duplication"]))
    html = client.get(f"/accompagnements/{offer.slug}/").content.decode()
    assert "Stratégies de changement d'échelle</dt><dd>Duplication</dd>" in html
    assert "Source des stratégies</dt><dd>Avise, 2024</dd>" in html


def test_an_editor_sets_an_offer_s_strategies_in_the_admin(admin_client):
    offer = make_support_offer("Essaimage accompagné")
    html = admin_client.get(f"/admin/directory/supportoffer/{offer.pk}/change/").content.decode()
    assert 'name="scale_up_strategies"' in html
    assert 'name="scale_up_source"' in html


def test_a_strategy_lists_the_support_offers_serving_it(client):
    offer = make_support_offer("Essaimage accompagné")
    offer.scale_up_strategies.set(ScaleUpStrategy.objects.filter(slug="duplication"))
    make_support_offer("Brouillon", publication_status="brouillon").scale_up_strategies.set(
        ScaleUpStrategy.objects.filter(slug="duplication")
    )
    section = client.get("/financements/").content.decode().split('id="titre-echelle"')[1]
    duplication = section[section.index("Duplication") :]
    duplication = duplication[: duplication.index("</dd>")]
    link = f'Accompagnements : <a href="/accompagnements/{offer.slug}/">Essaimage accompagné</a>'
    assert link in duplication
    assert "Brouillon" not in section
    fusion = section[section.index("Fusion") :]
    assert fusion.index("Aucun dispositif recensé pour cette stratégie.") < fusion.index("</dd>")

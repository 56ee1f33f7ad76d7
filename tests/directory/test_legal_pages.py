"""The legal pages of the footer (issue 19): facts from settings, a missing one said missing."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ("/mentions-legales/", "/donnees-personnelles/", "/accessibilite/")


def test_every_page_links_the_three_legal_pages_from_its_footer(client):
    footer = client.get("/annuaire/").content.decode().split('class="site-footer"')[1]
    for page in PAGES:
        assert f'href="{page}"' in footer
    assert "Accessibilité : non conforme" in footer


def test_the_legal_notice_says_what_the_operator_has_not_filled_in(client, settings):
    settings.CARTESS_PUBLISHER_NAME = ""
    settings.CARTESS_PUBLISHER_ADDRESS = ""
    settings.CARTESS_HOST = ""
    settings.CARTESS_CONTACT_EMAIL = ""
    html = client.get("/mentions-legales/").content.decode()
    assert html.count("non renseigné par l'exploitant du site") == 4


def test_the_legal_notice_shows_the_publisher_host_and_contact_configured(client, settings):
    settings.CARTESS_PUBLISHER_NAME = "Ville de Lille"
    settings.CARTESS_PUBLISHER_ADDRESS = "Place Augustin Laurent, 59000 Lille"
    settings.CARTESS_HOST = "Hébergeur exemple, 1 rue du Serveur, 59000 Lille"
    settings.CARTESS_CONTACT_EMAIL = "cartess@exemple.fr"
    html = client.get("/mentions-legales/").content.decode()
    assert "Ville de Lille" in html
    assert "Place Augustin Laurent, 59000 Lille" in html
    assert "Hébergeur exemple" in html
    assert 'href="mailto:cartess@exemple.fr"' in html
    assert "non renseigné" not in html


def test_the_personal_data_page_says_what_is_kept_how_long_and_whom_to_ask(client, settings):
    settings.CARTESS_CONTACT_EMAIL = "cartess@exemple.fr"
    settings.AXES_FAILURE_LIMIT = 5
    html = client.get("/donnees-personnelles/").content.decode()
    for kept in ("Comptes", "Revendications", "Contributions", "tentatives échouées"):
        assert kept in html
    assert "E-mails de rappel" in html
    assert "Après 5 échecs" in html
    assert 'href="mailto:cartess@exemple.fr"' in html


def test_the_personal_data_page_covers_the_pathway_requests_and_alerts(client, settings):
    settings.CARTESS_MOBILISATION_RETENTION_MONTHS = 7
    settings.CARTESS_ALERTS_UNCONFIRMED_DAYS = 9
    html = client.get("/donnees-personnelles/").content.decode()
    assert "Mobiliser" in html
    assert "Demander un espace" in html
    assert "sont effacés 7 mois après que la demande a été close ou orientée" in html
    assert "Alertes par e-mail (recherches suivies)" in html
    assert "Une demande non confirmée est effacée après 9 jours" in html
    assert "un désabonnement" in html


def test_the_personal_data_page_says_what_a_premises_need_keeps(client):
    # Issue 17: a space request no place can serve becomes a premises need, which keeps the
    # holder's contact after the request itself is erased; the page says so, and the need
    # form links to it.
    html = client.get("/donnees-personnelles/").content.decode()
    assert 'id="besoins-de-locaux"' in html
    assert "une demande d'espace qu'un lieu transmet aux services de la Ville" in html
    assert "pas de suppression automatique à ce jour" in html
    form = client.get("/foncier/besoins/nouveau/").content.decode()
    assert 'href="/donnees-personnelles/#besoins-de-locaux"' in form


def test_the_accessibility_statement_is_honest_about_its_state_and_known_issues(client):
    html = client.get("/accessibilite/").content.decode()
    assert "non conforme au RGAA 4.1" in html
    assert "aucun audit" in html
    assert "Aucun problème n'est connu à ce jour" in html
    # Fixed (issue 19): on a phone the funding matrix is a list per stage.
    assert "tableau des financements" not in html
    assert "Signaler un problème" in html


def test_the_accessibility_statement_lists_the_criteria_checked_and_those_not(client):
    html = client.get("/accessibilite/").content.decode()
    assert "Critères du RGAA 4.1 vérifiés" in html
    for criterion in ("1.1 (alternative des images)", "3.2 (contraste du texte)", "12.7"):
        assert criterion in html
    # Checked since issue 19 (tests/browser/test_accessibility.py walks every page at 320 px).
    assert "10.11 (contenu lisible sans défilement horizontal)" in html
    assert "vérifiée à 320 pixels de large" in html
    assert "Non vérifié à ce jour : l'usage avec un vrai lecteur d'écran" in html

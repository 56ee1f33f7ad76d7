"""The site in French and in English (config/i18n.py): French at the plain URLs, English
under /en/, the visitor's choice or browser honoured, the vocabularies translated, and what
people wrote kept in its language."""

import pytest
from django.conf import settings

from directory.models import Stage
from tests.factories import make_funding_scheme, make_organisation

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def test_a_plain_url_is_french_for_a_visitor_without_preference(client):
    response = client.get("/")

    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert "Aller au contenu" in response.content.decode()


def test_a_browser_that_prefers_english_is_sent_to_the_english_page(client):
    response = client.get("/annuaire/?q=velo", **ENGLISH)

    assert response.status_code == 302
    assert response["Location"] == "/en/annuaire/?q=velo"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    "url", ["/annuaire/export.csv", "/financements/export.csv", "/financements/flux.atom"]
)
def test_a_file_among_the_pages_is_not_redirected_for_an_english_browser(client, url):
    make_funding_scheme(name="Prêt d'honneur")

    response = client.get(url, **ENGLISH)

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] in {
        "text/csv",
        "application/atom+xml",
    }


def test_the_english_page_is_in_english_and_its_links_keep_the_language(client):
    page = client.get("/en/annuaire/").content.decode()

    assert '<html lang="en">' in page
    assert "Skip to content" in page
    assert "Directory of ESS actors" in page
    assert 'href="/en/financements/"' in page
    # The switch offers French, in French.
    assert 'lang="fr">Français</button>' in page


def test_a_visitor_who_chose_french_keeps_french_whatever_the_browser_says(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get("/annuaire/", **ENGLISH)

    assert response.status_code == 200
    assert "Annuaire des acteurs de l'ESS" in response.content.decode()


def test_the_switch_sets_the_choice_and_opens_the_same_page_in_the_other_language(client):
    response = client.post("/langue/setlang/", {"language": "en", "next": "/financements/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/financements/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    # The English page's switch carries the French URL of the same page.
    english = client.get("/en/financements/").content.decode()
    assert '<input type="hidden" name="next" value="/financements/">' in english
    back = client.post("/langue/setlang/", {"language": "fr", "next": "/financements/"})
    assert back["Location"] == "/financements/"
    # French chosen: a plain URL stays French even for an English browser.
    assert client.get("/financements/", **ENGLISH).status_code == 200


def test_the_api_is_not_redirected_and_keeps_its_french_messages(client):
    response = client.get("/api/v1/organisations/?bbox=abc", **ENGLISH)

    assert response.status_code == 400
    assert "bbox attend quatre nombres" in response.content.decode()


def test_the_vocabularies_are_translated_on_english_pages(client):
    scheme = make_funding_scheme("Fonds Amorçage")
    scheme.stages.set(Stage.objects.filter(slug="changement-echelle"))

    english = client.get("/en/financements/").content.decode()
    french = client.get("/financements/").content.decode()

    assert "Scaling up" in english
    assert "Pre-seed" in english
    assert "Changement d&#x27;échelle" in french


def test_what_people_wrote_stays_french_and_is_marked_so_on_an_english_page(client):
    organisation = make_organisation(
        "La Coroutine", description="Atelier vélo participatif et solidaire."
    )

    english = client.get(f"/en/organisations/{organisation.slug}/").content.decode()
    french = client.get(f"/organisations/{organisation.slug}/").content.decode()

    assert '<p lang="fr">Atelier vélo participatif et solidaire.</p>' in english
    assert "<p>Atelier vélo participatif et solidaire.</p>" in french


def test_every_seeded_vocabulary_name_has_its_english_translation():
    from django.utils import translation

    from directory.models.taxonomies import Taxonomy

    untranslated = []
    with translation.override("en"):
        for model in Taxonomy.__subclasses__():
            for name in model.objects.values_list("name", flat=True):
                if translation.gettext(name) == name and name not in SAME_IN_ENGLISH:
                    untranslated.append(f"{model.__name__}: {name}")
    assert untranslated == []


#: Names written the same way in English.
SAME_IN_ENGLISH = {
    "Culture",
    "Diversification",
    "Duplication",
    "Fertilisation",
    "Association",
    "Incubation",
}

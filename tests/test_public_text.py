"""Issue 19, "every help text written for its reader" and "legal pages linked from every
page": the pages anybody reaches, in French and in English, link the three legal pages and
never show the team's notes or a developer's words (commands, field names, raw Markdown).
Those stay in the admin, the README and the staff's notes."""

import re

import pytest

from directory.models import FundingScheme, SupportOffer
from tests.browser.pages import a_small_world, public_pages

#: What a visitor should never read: a command, a module, a model field, Markdown markup,
#: a sourcing note's heading (staff only).
DEVELOPER_TEXT = re.compile(
    r"manage\.py|\w+\.py\b|sourcing_note|Note de sourcing|\*\*|`|TODO|FIXME"
)
#: The footer of every page links them (issue 19, "Legal pages").
LEGAL = ("/mentions-legales/", "/donnees-personnelles/", "/accessibilite/")
#: Markup whose text a reader does not see as such.
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.DOTALL)


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", HIDDEN.sub(" ", html))


@pytest.mark.django_db(databases=["default", "progress"])
@pytest.mark.parametrize("language", ["", "/en"], ids=["fr", "en"])
def test_every_public_page_links_the_legal_pages_and_shows_no_developer_text(client, language):
    world = a_small_world()
    note = "Montant lu le 3 décembre, à vérifier (voir `manage.py seed`)"
    FundingScheme.objects.filter(slug=world["scheme"]).update(sourcing_note=note)
    SupportOffer.objects.filter(slug=world["offer"]).update(sourcing_note=note)
    uid, token = world["reset-uid"], world["reset-token"]
    client.get(f"{language}/compte/mot-de-passe/nouveau/{uid}/{token}/")
    found = []
    for path in public_pages(world):
        answer = client.get(f"{language}{path}")
        assert answer.status_code == 200, path
        text = visible_text(answer.content.decode())
        found += [f"{path}: {match.group()!r}" for match in DEVELOPER_TEXT.finditer(text)]
        html = answer.content.decode()
        found += [
            f"{path}: no link to {legal}"
            for legal in LEGAL
            # An embed links the site's absolute address, in a new tab.
            if not re.search(rf'href="(https?://[^/"]+)?{language}{legal}"', html)
        ]

    assert found == [], "\n".join(found)

"""`{% fact_source %}` writes exactly what the include it replaces on the organisation page
wrote (issue 20), in both languages."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from directory.selectors.credit import TypedBy

CASES = [
    ("Tiers-lieux (ANCT), Répertoire <SIRENE> & co", None),
    ("", TypedBy(who="l'équipe Cartess", date=datetime(2026, 3, 2, 23, 30, tzinfo=UTC))),
    ("", TypedBy(who="la structure", date=datetime(2025, 12, 31, 9, 0, tzinfo=UTC))),
    ("", None),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("sources", "typed"), CASES)
def test_the_tag_writes_what_the_include_wrote(sources, typed, language):
    context = {"sources": {"website": sources}, "typed": {"website": typed} if typed else {}}
    with translation.override(language):
        included = render_to_string(
            "directory/_fact_source.html",
            {"sources": context["sources"]["website"], "typed": context["typed"].get("website")},
        )
        tagged = Template(
            "{% load fact_sources %}{% fact_source sources.website typed.website %}"
        ).render(Context(context))

    assert tagged == included
    assert 'class="fact-source"' in tagged


def test_a_value_typed_just_before_midnight_utc_is_dated_in_lille():
    typed = TypedBy(who="l'équipe Cartess", date=datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    html = Template("{% load fact_sources %}{% fact_source '' typed %}").render(
        Context({"typed": typed})
    )
    assert (
        html == '<span class="fact-source">Saisi par l&#x27;équipe Cartess, le 3 mars 2026</span>\n'
    )

"""`{% fact_source sources.website typed.website %}`: where a fact of an organisation page
comes from ("Source : …", "Saisi par …, le …", "Saisi dans Cartess"), as
`directory/_fact_source.html` says it, without an `{% include %}` per fact (issue 20: the
page shows up to seventeen)."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def fact_source(sources, typed) -> str:
    """The fact's `<span class="fact-source">`: its sources' names (a string) when a source
    is credited with it, else who typed it and when (a `TypedBy`), else "Saisi dans
    Cartess". The words are the include's (same messages); the values are escaped."""
    if sources:
        text = gettext("Source : %(sources)s") % {"sources": conditional_escape(sources)}
    elif typed:
        text = gettext("Saisi par %(who)s, le %(date)s") % {
            "who": conditional_escape(typed.who),
            "date": conditional_escape(date_filter(template_localtime(typed.date))),
        }
    else:
        text = gettext("Saisi dans Cartess")
    # The message is the page's own text, as `{% blocktranslate %}` writes it (unescaped);
    # the line break is the include's last, so that the page stays byte for byte the same.
    return mark_safe(f'<span class="fact-source">{text}</span>\n')  # noqa: S308

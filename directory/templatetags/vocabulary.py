"""`{{ name|vocabulary }}`: a name of a seeded vocabulary (stage, kind, sector, instrument,
strategy, legal family) in the page's language, whether it comes from a model or from a
row of SQL. The names are in the catalogues (directory/taxonomy_names.py); a name typed
later in the admin shows as typed."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def vocabulary(name) -> str:
    return gettext(name) if isinstance(name, str) and name else name

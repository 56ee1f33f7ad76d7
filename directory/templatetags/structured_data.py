"""`{% json_ld data %}`: schema.org data as a `<script type="application/ld+json">` block
(directory.structured_data), escaped like Django's `json_script`."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

#: What would end the script element or open a comment inside it, as JSON escapes (the same
#: characters `json_script` escapes): the data stays data whatever a listing contains.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    """`data` as JSON-LD in a data block: not executed, so the CSP lets it be."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308

"""What the directory's pages show of cartography: `{% load cartography %}`.

The directory never imports cartography; its templates compose with these tags instead: the
map's settings (tiles) for the small maps, a third place's public facts and spaces on an
organisation's page, and the number of published premises on the home page.
"""

from django import template

from cartography.selectors import (
    map_config_get,
    premises_published_count,
    third_place_public_get,
)
from cartography.site_state import premises_public_status_label

register = template.Library()


@register.filter
def public_status(site) -> str:
    """`{{ site|public_status }}`: the label of the availability the public sees of `site`
    (cartography.site_state), for staff pages too, so they say the same."""
    return premises_public_status_label(site)


@register.simple_tag
def map_config() -> dict:
    """`{% map_config as config %}`: tiles, default view and address search of the maps."""
    return map_config_get()


@register.simple_tag(takes_context=True)
def third_place_public(context, organisation):
    """`{% third_place_public organisation as third_place %}`: what the public page of
    `organisation` shows of it as a third place, or None (`third_place_public_get`).

    Read once per page however many blocks ask: the answer is kept in the render context.
    """
    known = context.render_context.setdefault("third_place_public", {})
    if organisation.pk not in known:
        known[organisation.pk] = third_place_public_get(organisation=organisation)
    return known[organisation.pk]


@register.simple_tag(name="premises_published_count")
def premises_published_count_tag() -> int:
    """`{% premises_published_count as count %}`: how many premises are published."""
    return premises_published_count()

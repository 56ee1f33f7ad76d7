"""`{% contact_email %}`: where a person writes to the team (CARTESS_CONTACT_EMAIL)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def contact_email() -> str:
    """The team's address, or "" when the site names none."""
    return settings.CARTESS_CONTACT_EMAIL

"""The main navigation leads to the contribution form, and marks it as the current page."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db

LINK = '<a href="/contribuer/"'


def test_every_page_offers_contribuer_in_the_main_navigation(client):
    page = client.get("/")
    nav = page.content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert f"{LINK}>Contribuer</a>" in nav
    assertNotContains(page, f'{LINK} aria-current="page">Contribuer')


def test_the_contribution_form_is_marked_current(client):
    assertContains(client.get("/contribuer/"), f'{LINK} aria-current="page">Contribuer</a>')

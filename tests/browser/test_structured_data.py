"""The schema.org JSON-LD of the detail pages is a data block: Chromium reads it, runs
nothing, and the strict Content-Security-Policy refuses nothing (issue 18)."""

import json

import pytest
from playwright.sync_api import Page

from directory.models import FundingInstrument
from tests.factories import FIVES, make_funding_scheme, make_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_json_ld_is_read_under_the_policy(page: Page, live_server, page_report):
    organisation = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    scheme = make_funding_scheme("Prêt d'honneur solidaire")
    scheme.instruments.set(FundingInstrument.objects.filter(slug="pret-d-honneur"))
    expected = {
        f"/organisations/{organisation.slug}/": "Organization",
        f"/financements/{scheme.slug}/": "FinancialProduct",
    }
    for path, schema_type in expected.items():
        response = page.goto(f"{live_server.url}{path}", wait_until="networkidle")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        block = page.locator('script[type="application/ld+json"]').text_content()
        assert json.loads(block)["@type"] == schema_type
        page_report.assert_clean()

"""« Vérifié le » is written by a confirmation only: never by an import, an edit or a network."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from directory.freshness.states import FreshnessState, freshness_of, organisation_freshness_annotate
from directory.models import Organisation
from directory.services import network_api_token_create

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
#: The one module allowed to write the field (directory.freshness.services.organisation_confirm).
WRITER = ROOT / "directory" / "freshness" / "services.py"
#: What writing the field looks like in Python or SQL.
WRITES = re.compile(
    r"\.last_verified_on\s*=(?!=)"  # an attribute set
    r"|update_fields=\[[^\]]*last_verified_on"  # a save of it
    r"|\.update\([^)]*last_verified_on\s*="  # a queryset update
    r"|\bUPDATE\b[^;]*\bSET\b[^;]*last_verified_on",  # SQL
)


def test_no_code_but_the_confirmation_writes_verified_on():
    writers = [
        path.relative_to(ROOT)
        for app in ("directory", "cartography", "importers")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and path != WRITER
        and WRITES.search(path.read_text(encoding="utf-8"))
    ]
    assert writers == []
    assert WRITES.search(WRITER.read_text(encoding="utf-8"))  # the pattern finds a writer
    # The bulk path names the column only to insert new listings unverified.
    merge = (ROOT / "importers" / "engine" / "sql" / "merge.py").read_text(encoding="utf-8")
    assert "'publie', NULL, %(now)s" in merge


def test_a_network_sending_its_members_makes_them_up_to_date_not_verified(world):
    _token, secret = network_api_token_create(
        network=world.network_a, name="CRM", user=world.users["editeur A"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    rows = [
        {"nom": "Café solidaire de Moulins", "siret": "77500001200010", "commune": "Lille"},
    ]
    response = client.post(
        f"/api/v1/networks/{world.network_a.slug}/members/", {"rows": rows}, format="json"
    )
    assert response.status_code == 200, response.content
    sent = Organisation.objects.get(siret="77500001200010")
    assert sent.last_verified_on is None
    annotated = organisation_freshness_annotate(
        Organisation.objects.filter(pk=sent.pk), today=timezone.localdate()
    ).get()
    assert freshness_of(annotated).state == FreshnessState.FRESH
    assert freshness_of(annotated).how == "transmise par son réseau"

"""A premises need's contact and description are erased after the stated period, by a
scheduled command; what the city counts stays; the need's page and the personal-data page
say so."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from cartography.models import NeedStatus, PremisesNeed
from importers.schedule import SCHEDULE
from tests.factories import make_need

pytestmark = pytest.mark.django_db
MONTH = timedelta(days=31)


def _need(*, status: str, changed_ago: timedelta) -> PremisesNeed:
    need = make_need(
        holder_name="Vélo-Fives",
        contact_phone="03 20 00 00 00",
        description="Lou cherche un atelier près de chez elle.",
        surface_min_m2=40,
        status=status,
    )
    PremisesNeed.objects.filter(pk=need.pk).update(updated_at=timezone.now() - changed_ago)
    return need


def test_old_needs_lose_their_contact_and_keep_what_the_city_counts(settings):
    settings.CARTESS_NEED_RETENTION_MONTHS = 12
    met_long_ago = _need(status=NeedStatus.MET, changed_ago=13 * MONTH)
    closed_lately = _need(status=NeedStatus.CLOSED, changed_ago=2 * MONTH)
    followed = _need(status=NeedStatus.IN_PROGRESS, changed_ago=18 * MONTH)
    forgotten = _need(status=NeedStatus.NEW, changed_ago=25 * MONTH)
    output = StringIO()
    call_command("needs_purge", stdout=output)
    assert "2 besoins anonymisés (conservation : 12 mois)" in output.getvalue()
    for kept in (closed_lately, followed):
        kept.refresh_from_db()
        assert (kept.contact_email, kept.anonymised_at) == ("lou@example.org", None)
    for erased in (met_long_ago, forgotten):
        erased.refresh_from_db()
        assert [getattr(erased, name) for name in PremisesNeed.PERSONAL_FIELDS] == [""] * 5
        assert erased.anonymised_at is not None
        assert (erased.title, erased.surface_min_m2) == ("Atelier de réparation de vélos", 40)
    assert PremisesNeed.objects.get(pk=met_long_ago.pk).status == NeedStatus.MET
    call_command("needs_purge", stdout=output)  # once erased, not counted again
    assert "0 besoins anonymisés" in output.getvalue()


def test_the_need_page_says_its_contact_was_erased(staff_client):
    erased = _need(status=NeedStatus.CLOSED, changed_ago=30 * MONTH)
    call_command("needs_purge", stdout=StringIO())
    page = staff_client.get(f"/foncier/besoins/{erased.pk}/")
    assertContains(page, "Coordonnées et description effacées le")
    assertNotContains(page, "mailto:")


def test_the_purge_runs_every_night_and_the_privacy_page_says_how_long(client, settings):
    assert "needs_purge" in {job.name for job in SCHEDULE}
    settings.CARTESS_NEED_RETENTION_MONTHS = 9
    page = client.get("/donnees-personnelles/")
    assertContains(page, "sont effacés 9 mois après que les services de la Ville ont noté")

"""Issue 14: what a source said about a site (its raw record, a rejected row) can name the
site's owner; in the admin, like the site's confidential fields, only the city services'
role sees it, whatever model permissions another staff account holds."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from cartography.models import Premises
from directory.models import Provenance, Source
from importers.models import ImportRejection, ImportRun
from tests.factories import make_premises, make_user

pytestmark = pytest.mark.django_db

OWNER = "PROPRIETAIRE-CONFIDENTIEL-42"
VIEWS = ("view_provenance", "view_importrejection", "view_importrun", "view_fielddisagreement")


@pytest.fixture
def cartofriches_rows():
    source = Source.objects.create(slug="cartofriches", name="Cartofriches")
    site = make_premises("Friche de Fives")
    Provenance.objects.create(
        source=source,
        external_id="59350_1",
        content_type=ContentType.objects.get_for_model(Premises),
        object_id=site.pk,
        content_hash="x",
        first_seen_at=timezone.now(),
        last_seen_at=timezone.now(),
        raw={"site_nom": "Friche de Fives", "proprio_nom": OWNER},
    )
    run = ImportRun.objects.create(source=source)
    ImportRejection.objects.create(
        run=run,
        row_number=3,
        external_id="59350_2",
        reason="Surface illisible.",
        raw={"proprio_nom": OWNER},
    )
    return run


def staff(username: str, groups: tuple[str, ...] = ()):
    user = make_user(username, groups=groups, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=VIEWS))
    return user


def pages(run: ImportRun) -> list[str]:
    provenance = Provenance.objects.get()
    return [
        reverse("admin:directory_provenance_changelist"),
        reverse("admin:directory_provenance_change", args=[provenance.pk]),
        reverse("admin:importers_importrejection_changelist"),
        reverse("admin:importers_importrun_change", args=[run.pk]),
    ]


def test_another_staff_account_never_sees_a_site_s_raw_record(client, cartofriches_rows):
    client.force_login(staff("moderatrice-curieuse", groups=("Modérateurs",)))
    for url in pages(cartofriches_rows):
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        html = response.content.decode()
        assert OWNER not in html, url
        assert "59350_1" not in html, url  # not even listed
        assert "59350_2" not in html, url


def test_the_city_services_see_it(client, cartofriches_rows):
    client.force_login(staff("agente-ville", groups=("Services de la Ville",)))
    provenances, provenance, rejections, run = (
        client.get(url).content.decode() for url in pages(cartofriches_rows)
    )
    assert "59350_1" in provenances
    assert "59350_2" in rejections
    assert OWNER in provenance
    assert OWNER in run

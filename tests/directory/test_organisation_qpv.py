"""The QPV its source places an établissement in (`Organisation.qpv_code`, SIRENE's
`plg_qp24`): on the organisation's page, credited with the source's date, and in the API."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cartography.models import AreaKind
from directory.models import Organisation, Provenance, Source
from tests.factories import MOULINS, make_area, make_organisation, square_around

pytestmark = pytest.mark.django_db


def from_sirene(organisation: Organisation) -> None:
    """A provenance saying SIRENE (dated 1 November 2026) wrote the organisation's code."""
    source = Source.objects.create(
        slug="sirene",
        name="Répertoire SIRENE (INSEE) : établissements de l'ESS",
        licence="Licence Ouverte 2.0",
        data_dated="SIRENE au 1er novembre 2026",
    )
    seen = timezone.make_aware(datetime.datetime(2026, 11, 20, 10))
    Provenance.objects.create(
        source=source,
        external_id=organisation.siret,
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=organisation.pk,
        content_hash="0" * 64,
        imported_values={"qpv_code": organisation.qpv_code, "siret": organisation.siret},
        first_seen_at=seen,
        last_seen_at=seen,
    )


@pytest.fixture
def regie():
    organisation = make_organisation(
        "Régie de quartier de Moulins",
        location=MOULINS.clone(),
        siret="50100001200028",
        qpv_code="QN05906M",
    )
    from_sirene(organisation)
    return organisation


def test_the_page_says_the_establishment_is_in_a_qpv_after_sirene_with_its_date(client, regie):
    html = client.get(f"/organisations/{regie.slug}/").content.decode()

    assert "Quartier prioritaire (QPV)" in html
    assert "Dans le QPV QN05906M" in html
    assert "géolocalisation SIRENE (INSEE), SIRENE au 1er novembre 2026" in html


def test_the_page_names_the_qpv_once_its_outline_is_loaded(
    client, regie, django_assert_max_num_queries
):
    make_area(AreaKind.QPV, "QN05906M", "Moulins", square_around(MOULINS, 400))

    with django_assert_max_num_queries(14):  # the detail page's 13, and the QPV's name
        html = client.get(f"/organisations/{regie.slug}/").content.decode()

    assert "Dans le QPV Moulins (QN05906M)" in html


def test_a_code_a_person_typed_is_credited_to_nobody_else(client):
    organisation = make_organisation("Atelier vélo", qpv_code="QN05906M")

    html = client.get(f"/organisations/{organisation.slug}/").content.decode()

    assert "Dans le QPV QN05906M" in html
    assert "géolocalisation SIRENE" not in html


def test_no_code_no_qpv_line(client):
    organisation = make_organisation("Atelier vélo", location=MOULINS.clone())

    html = client.get(f"/organisations/{organisation.slug}/").content.decode()

    assert "Quartier prioritaire (QPV)" not in html


def test_the_directory_api_gives_the_code_and_its_credit(client, regie):
    answer = client.get(f"/api/v1/directory/organisations/{regie.slug}/").json()

    assert answer["qpv_code"] == "QN05906M"
    credit = answer["credit"]["qpv_code"]
    assert credit["sources"][0]["name"].startswith("Répertoire SIRENE (INSEE)")

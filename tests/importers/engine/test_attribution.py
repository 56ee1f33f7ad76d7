"""Every source says who published it and under which licence, and its records show it."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from directory.models import Organisation, Provenance, Source
from importers.engine.services import source_import
from importers.sources import SOURCES, source_get


@pytest.mark.parametrize("slug", sorted(SOURCES))
def test_every_source_names_its_publisher_and_licence(slug):
    info = source_get(slug).info

    assert info.name.strip()
    assert info.publisher.strip()
    assert info.licence.strip()
    # One licence for all records links its text; a compilation names, per record, the
    # column that says where the record comes from.
    assert info.licence_url.startswith("https://") or info.attribution_field


@pytest.mark.django_db
def test_each_record_of_a_compilation_carries_its_own_origin():
    source_import(slug="seed")

    field = source_get("seed").info.attribution_field
    raws = Provenance.objects.filter(source__slug="seed").values_list("raw", flat=True)
    assert raws
    assert all(raw[field].startswith("http") for raw in raws)


@pytest.mark.django_db
def test_an_imported_organisation_s_page_shows_its_source_and_licence(client, fast_communes):
    source_import(slug="communes")
    source_import(slug="tiers-lieux")

    source = Source.objects.get(slug="tiers-lieux")
    assert source.publisher.startswith("CGET")
    organisation = Organisation.objects.get(name="Co-Factory")
    response = client.get(reverse("directory:organisation", kwargs={"slug": organisation.slug}))
    assertContains(response, source.name)
    assertContains(
        response, f'<a href="{source.licence_url}" rel="noopener">{source.licence}</a>', html=True
    )

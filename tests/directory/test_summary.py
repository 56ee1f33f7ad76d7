"""The home page's figures kept by the database (directory.summary, issue 20): every change
the directory commits, whoever makes it, is in the figures at once, and they always equal a
count from scratch."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import IntegrityError, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains

from directory.merging import organisations_merge
from directory.models import (
    FundingScheme,
    Organisation,
    OrganisationKind,
    SummaryDelta,
)
from directory.selectors import directory_summary_get
from directory.summary import directory_summary_compact, directory_summary_rebuild
from importers.engine.services import source_import
from tests.factories import (
    DRAFT,
    FIVES,
    LILLE_CENTRE,
    WAZEMMES,
    make_funding_scheme,
    make_organisation,
    make_support_offer,
)

pytestmark = pytest.mark.django_db


def figures() -> dict[str, int]:
    """The figures as the home page reads them, kinds by slug."""
    summary = directory_summary_get()
    return {
        "organisations": summary.organisations,
        "on_map": summary.organisations_on_map,
        "funding_schemes": summary.funding_schemes,
        "support_offers": summary.support_offers,
        **{kind.slug: kind.count for kind in summary.kinds},
    }


def recounted() -> dict[str, int]:
    """The same figures counted from scratch."""
    directory_summary_rebuild()
    return figures()


def kept_equals_recounted() -> dict[str, int]:
    kept = figures()
    assert kept == recounted()
    return kept


def test_every_kind_of_change_is_counted_as_a_recount_would(django_assert_max_num_queries):
    coroutine = make_organisation("La Coroutine", kinds=("tiers-lieu",), location=WAZEMMES)
    halles = make_organisation("Les Halles de Fives", kinds=("tiers-lieu", "accompagnement"))
    make_organisation("En préparation", kinds=("tiers-lieu",), publication_status=DRAFT)
    scheme = make_funding_scheme("Prêt d'honneur solidaire")
    make_support_offer("Dispositif local d'accompagnement")

    kept = kept_equals_recounted()
    assert (kept["organisations"], kept["on_map"], kept["tiers-lieu"]) == (2, 1, 2)
    assert (kept["funding_schemes"], kept["support_offers"]) == (1, 1)

    Organisation.objects.filter(pk=coroutine.pk).update(location=None, geocoding_quality="")
    halles.kinds.remove(OrganisationKind.objects.get(slug="accompagnement"))
    Organisation.objects.filter(publication_status=DRAFT).update(publication_status="publie")
    Organisation.objects.filter(pk=halles.pk).update(closed_on="2026-11-30")
    FundingScheme.objects.filter(pk=scheme.pk).update(publication_status="archive")
    coroutine.delete()

    kept = kept_equals_recounted()
    # Closed: no longer an open organisation, still counted in its kinds.
    assert (kept["organisations"], kept["on_map"], kept["tiers-lieu"]) == (1, 0, 2)
    assert (kept["accompagnement"], kept["funding_schemes"]) == (0, 0)


def test_a_change_rolled_back_leaves_the_figures_as_they_were():
    coroutine = make_organisation("La Coroutine", kinds=("tiers-lieu",))
    before = figures()

    seen_inside = {}

    def publish_then_fail():
        with transaction.atomic():
            make_organisation("Les Halles de Fives", kinds=("tiers-lieu",), location=FIVES)
            seen_inside.update(figures())  # the transaction sees its own change
            Organisation.objects.create(name="Doublon", slug=coroutine.slug)

    with pytest.raises(IntegrityError):
        publish_then_fail()

    assert seen_inside["tiers-lieu"] == 2

    assert figures() == before


def test_an_import_run_is_counted_and_folded_into_one_row_per_figure():
    make_organisation("Typée à la main", kinds=("financeur",), location=LILLE_CENTRE)

    source_import(slug="seed")

    kept = kept_equals_recounted()
    assert (
        kept["organisations"]
        == Organisation.objects.filter(publication_status="publie", closed_on__isnull=True).count()
    )
    assert kept["organisations"] > 1
    rows = list(SummaryDelta.objects.values_list("figure", flat=True))
    assert len(rows) == len(set(rows))


def test_an_unchanged_rerun_adds_no_change_row():
    source_import(slug="seed")
    before = SummaryDelta.objects.count()

    source_import(slug="seed")

    assert SummaryDelta.objects.count() == before


def test_compacting_keeps_the_figures_and_when_they_last_changed():
    make_organisation("La Coroutine", kinds=("tiers-lieu",), location=WAZEMMES)
    make_organisation("Les Halles de Fives", kinds=("tiers-lieu",))
    before = directory_summary_get()

    directory_summary_compact()

    assert directory_summary_get() == before
    assert SummaryDelta.objects.filter(figure="organisations").count() == 1


def test_deleting_from_the_admin_changes_the_home_page(admin_client):
    kept = make_organisation("Maison de l'ESS", kinds=("reseau",))
    gone = make_organisation("Ancienne antenne", kinds=("reseau",), location=FIVES)

    admin_client.post(
        reverse("admin:directory_organisation_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [gone.pk], "post": "yes"},
    )

    assert list(Organisation.objects.all()) == [kept]
    response = admin_client.get(reverse("directory:home"))
    assertContains(
        response,
        '<tr data-kind="reseau"><th scope="row">Réseau</th><td class="kinds__count">1</td></tr>',
        html=True,
    )
    assert kept_equals_recounted()["on_map"] == 0


def test_unpublishing_and_changing_kinds_in_the_admin_form_is_counted(admin_client):
    organisation = make_organisation("Maison de l'ESS", kinds=("reseau",), location=FIVES)
    url = reverse("admin:directory_organisation_change", args=[organisation.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in {**form.initial, **_inline_management(admin_client, url)}.items()
        if value is not None
    }
    data |= {
        "kinds": [OrganisationKind.objects.get(slug="financeur").pk],
        "location": FIVES.geojson,
        "publication_status": DRAFT,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    kept = kept_equals_recounted()
    assert (kept["organisations"], kept["reseau"], kept["financeur"]) == (0, 0, 0)


def _inline_management(client, url) -> dict:
    """The management forms of the change page's inlines, unchanged."""
    context = client.get(url).context
    data = {}
    for formset in context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = management.prefix
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{name}"] = management.initial.get(name, 0)
        for number, inline_form in enumerate(formset.formset.forms):
            for name, value in inline_form.initial.items():
                data[f"{prefix}-{number}-{name}"] = getattr(value, "pk", value)
    return data


def test_a_merge_counts_one_organisation_with_both_kinds():
    survivor = make_organisation("La Coroutine", kinds=("tiers-lieu",), location=WAZEMMES)
    absorbed = make_organisation("Coroutine (La)", kinds=("tiers-lieu", "accompagnement"))

    organisations_merge(survivor=survivor, absorbed=absorbed)

    kept = kept_equals_recounted()
    assert (kept["organisations"], kept["on_map"]) == (1, 1)
    assert (kept["tiers-lieu"], kept["accompagnement"]) == (1, 1)


def test_a_statement_adds_one_row_per_figure_it_changes():
    before = SummaryDelta.objects.count()
    created = Organisation.objects.bulk_create(
        Organisation(name=f"Structure {number}", slug=f"structure-{number}") for number in range(30)
    )
    Organisation.kinds.through.objects.bulk_create(
        Organisation.kinds.through(organisation=organisation, organisationkind=kind)
        for organisation in created
        for kind in OrganisationKind.objects.filter(slug__in=["siae", "entreprise-ess"])
    )

    assert SummaryDelta.objects.count() == before + 3  # organisations and two kinds
    assert kept_equals_recounted()["siae"] == 30


def test_the_home_page_reads_a_handful_of_rows(client, django_assert_max_num_queries):
    for number in range(30):
        make_organisation(f"Structure {number}", kinds=("siae", "entreprise-ess"))
    make_funding_scheme("Appel à projets ESS")

    with django_assert_max_num_queries(3):
        response = client.get(reverse("directory:home"))

    assertContains(response, '<span class="stat__value">30</span>', html=True)

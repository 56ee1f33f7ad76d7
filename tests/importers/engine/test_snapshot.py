"""What a visitor finds once the bundled offline snapshot is loaded (`import --all`).

The snapshot is loaded once for the module, in a transaction rolled back at the end; each
test runs in its own savepoint on top of it.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from cartography.models import ReferenceArea
from directory.models import FundingScheme, Organisation, Provenance, SupportOffer
from importers.engine.services import sources_import_all
from importers.models import ImportRun
from importers.sources.communes import CommunesSource

pytestmark = pytest.mark.django_db

#: SIAE of the fixture whose point lies in Lille, Hellemmes or Lomme (checked by hand
#: against the commune outlines; the fixture's own note says 23, counting
#: Saint-André-lez-Lille, Lillebonne and Lillers).
SIAE_IN_LILLE = 19


@pytest.fixture(scope="module")
def bundled(django_db_setup, django_db_blocker, communes_file):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(CommunesSource, "default_file", lambda self: communes_file)
        with transaction.atomic():
            yield {report.source: report for report in sources_import_all()}
            transaction.set_rollback(True)


def organisations_from(slug: str):
    provenances = Provenance.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation), source__slug=slug
    )
    return Organisation.objects.filter(pk__in=provenances.values("object_id"))


def test_every_source_loads_its_bundled_file(bundled):
    counts = {slug: (r.created, r.updated, r.rejected) for slug, r in bundled.items()}
    assert counts == {
        "communes": (3, 0, 0),
        "quartiers": (12, 0, 0),
        "seed": (35 + 28, 0, 0),
        # EuraTechnologies is already in the seed: merged, not listed twice.
        "tiers-lieux": (24, 1, 0),
        "siae": (SIAE_IN_LILLE, 0, 0),
        # La Grappe, listed by the 2019 inventory, closed at the end of 2021.
        "seed-closures": (0, 1, 0),
    }


def test_la_grappe_comes_out_closed(bundled):
    grappe = Organisation.objects.get(name="La Grappe")
    assert grappe.closed_on.isoformat() == "2021-12-01"


def test_lille_hellemmes_and_lomme_have_their_outlines_and_quartiers(bundled):
    assert set(ReferenceArea.objects.values_list("kind", "code")) >= {
        ("commune", "59350"),
        ("commune-associee", "59298"),
        ("commune-associee", "59355"),
    }
    quartiers = ReferenceArea.objects.filter(kind="quartier")
    assert quartiers.count() == 12
    moulins = quartiers.get(code="59350-6")
    assert (moulins.name, moulins.parent.code) == ("Lille-Moulins", "59350")
    assert quartiers.get(name="Hellemmes").parent.code == "59298"
    lille = ReferenceArea.objects.get(kind="commune", code="59350")
    assert lille.geometry.contains(moulins.geometry.point_on_surface)


def test_directory_lists_seed_third_places_and_siae(bundled):
    assert organisations_from("seed").count() == 35
    assert organisations_from("tiers-lieux").count() == 25
    assert organisations_from("siae").count() == SIAE_IN_LILLE
    assert Organisation.objects.count() == 35 + 25 - 1 + SIAE_IN_LILLE
    assert FundingScheme.objects.count() + SupportOffer.objects.count() == 28
    assert SupportOffer.objects.count() == 4


def test_a_place_listed_by_two_sources_appears_once_with_both_roles(bundled):
    eura = Organisation.objects.get(name__iexact="EuraTechnologies")
    sources = Provenance.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation), object_id=eura.pk
    ).values_list("source__slug", flat=True)
    assert set(sources) == {"seed", "tiers-lieux"}
    assert set(eura.kinds.values_list("slug", flat=True)) == {"accompagnement", "tiers-lieu"}


def test_only_organisations_with_a_sourced_location_are_on_the_map(bundled):
    seed_points = organisations_from("seed").filter(location__isnull=False)
    assert list(seed_points.values_list("name", flat=True)) == ["EuraTechnologies"]
    located = Organisation.objects.filter(location__isnull=False)
    assert not located.filter(geocoding_quality="").exists()
    assert set(located.values_list("geocoding_quality", flat=True)) == {"source"}
    # Three third places were geocoded too loosely by the inventory: listed, not mapped.
    assert organisations_from("tiers-lieux").filter(location__isnull=True).count() == 3


def test_siae_are_kept_by_their_point_not_their_town_name(bundled):
    siae = organisations_from("siae")
    lille = ReferenceArea.objects.get(kind="commune", code="59350").geometry
    assert all(lille.contains(point) for point in siae.values_list("location", flat=True))
    assert siae.filter(name="INSERSOL", postcode="59260").exists()  # Hellemmes
    assert not siae.filter(city__icontains="Saint-André").exists()


def test_no_siae_phone_or_email_reaches_the_database(bundled):
    siae = organisations_from("siae")
    assert not siae.exclude(phone="").exists()
    assert not siae.exclude(email="").exists()
    for raw in Provenance.objects.filter(source__slug="siae").values_list("raw", flat=True):
        assert not {"phone", "email"} & set(raw)
        assert not [key for key in raw if key.startswith("contact_")]


def test_siae_are_in_the_insertion_sector_with_unknown_ess_status(bundled):
    siae = organisations_from("siae")
    assert siae.filter(sectors__slug="iae").count() == SIAE_IN_LILLE
    assert set(siae.values_list("ess_status", flat=True)) == {"inconnu"}
    assert siae.get(siret="37839168400032").naf_code == "88.99B"


def test_schemes_name_their_funders_and_keep_the_source_s_words(bundled):
    dasess = FundingScheme.objects.get(slug__startswith="dasess")
    assert list(dasess.funders.values_list("name", flat=True)) == [
        "Nord Actif (France Active Nord)"
    ]
    assert dasess.funders_label == "Nord Actif (réseau France Active)"
    assert (dasess.amount_min, dasess.amount_max) == (5000, 100000)
    assert "avance-remboursable" in dasess.instruments.values_list("slug", flat=True)
    fidess = FundingScheme.objects.get(slug__startswith="fidess")
    assert not fidess.funders.exists()


def test_city_scheme_covers_the_lille_commune(bundled):
    city_call = FundingScheme.objects.get(slug__startswith="appel-a-projets-permanent-ess")
    assert city_call.territory_scope == "commune"
    assert list(city_call.territory_areas.values_list("code", flat=True)) == ["59350"]
    assert set(city_call.stages.values_list("slug", flat=True)) == {
        "pre-amorcage",
        "amorcage",
        "consolidation",
    }


def test_support_offers_name_their_provider_or_keep_the_label(bundled):
    couveuse = SupportOffer.objects.get(slug__startswith="couveuse")
    assert couveuse.provider.name == "BGE Hauts-de-France"
    dla = SupportOffer.objects.get(slug__startswith="dla")
    assert dla.provider is None
    assert dla.provider_label.startswith("État, Caisse des dépôts")
    assert list(dla.kinds.values_list("slug", flat=True)) == ["dla"]


def test_schemes_are_restricted_only_where_their_text_says_who_may_apply(bundled):
    def families(offer):
        return sorted(offer.eligible_legal_families.values_list("slug", flat=True))

    apport = FundingScheme.objects.get(name="Contrat d'apport associatif")
    assert apport.eligibility_text == "associations"
    assert families(apport) == ["association"]
    mel_call = FundingScheme.objects.get(slug__startswith="appel-a-projets-permanent-entreprendre")
    assert families(mel_call) == ["association", "cooperative", "societe-ess"]
    pess = FundingScheme.objects.get(slug__startswith="pret-economie-sociale")
    assert families(pess) == ["association", "cooperative", "fondation", "mutuelle", "societe-ess"]
    dla = SupportOffer.objects.get(slug__startswith="dla")
    assert families(dla) == families(pess)
    # "entreprises de tout statut", "créateurs et repreneurs": open to every legal family.
    for prefix in ("fidess", "prets-dhonneur-du-reseau-initiative"):
        assert families(FundingScheme.objects.get(slug__startswith=prefix)) == []
    assert FundingScheme.objects.filter(eligible_legal_families__isnull=True).count() == 12
    assert SupportOffer.objects.filter(eligible_legal_families__isnull=True).count() == 3
    # No row of the file restricts a filière.
    assert not FundingScheme.objects.filter(sectors__isnull=False).exists()
    assert not SupportOffer.objects.filter(sectors__isnull=False).exists()


def test_importing_the_snapshot_again_changes_nothing(bundled):
    before = Organisation.objects.order_by("pk").values_list("pk", "slug", "updated_at")
    before = list(before)
    reports = list(sources_import_all())
    assert [(r.created, r.updated, r.rejected) for r in reports] == [(0, 0, 0)] * 6
    assert sum(r.unchanged for r in reports) == 3 + 12 + 63 + 25 + SIAE_IN_LILLE + 1
    after = list(Organisation.objects.order_by("pk").values_list("pk", "slug", "updated_at"))
    assert after == before


def test_skip_loaded_does_not_run_a_source_twice(bundled):
    runs = ImportRun.objects.count()
    reports = list(sources_import_all(skip_loaded=True))
    assert all(report.skipped for report in reports)
    assert ImportRun.objects.count() == runs

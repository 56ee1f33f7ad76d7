"""The database the migrations build: extensions, vocabulary, search and invariants."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.db import IntegrityError, connection
from django.db.models.functions import Lower

from cartography.models import AreaKind, Premises, ReferenceArea
from directory.models import (
    FundingScheme,
    GeocodingQuality,
    LegalFamily,
    NetworkMembership,
    Organisation,
    OrganisationKind,
    Provenance,
    Source,
    Stage,
)
from directory.search import SEARCH_CONFIG, ImmutableUnaccent

pytestmark = pytest.mark.django_db


def test_migrations_install_the_extensions_cartess_relies_on():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"postgis", "pg_trgm", "unaccent"} <= extensions


def test_stages_follow_the_life_cycle_of_the_strategy():
    assert list(Stage.objects.values_list("slug", flat=True)) == [
        "pre-amorcage",
        "amorcage",
        "consolidation",
        "changement-d-echelle",
    ]


def test_vocabulary_uses_the_public_slugs_of_the_design():
    assert set(OrganisationKind.objects.values_list("slug", flat=True)) == {
        "accompagnement",
        "financeur",
        "tiers-lieu",
        "reseau",
        "entreprise-ess",
        "siae",
        "collectivite",
    }
    assert set(LegalFamily.objects.values_list("slug", flat=True)) == {
        "association",
        "cooperative",
        "mutuelle",
        "fondation",
        "societe-ess",
        "autre",
    }


def test_french_search_ignores_accents_and_inflections():
    Organisation.objects.create(
        name="Atelier coopératif du vélo", slug="atelier", description="Réparations de vélos"
    )
    query = SearchQuery("cooperatif reparation velo", config=SEARCH_CONFIG)
    assert Organisation.objects.filter(search_vector=query).count() == 1


def test_trigram_similarity_tolerates_a_typo_without_accents():
    Organisation.objects.create(name="Coopérative d'activité et d'emploi", slug="cae")
    similarity = TrigramWordSimilarity("ccoperative", ImmutableUnaccent(Lower("name")))
    best = Organisation.objects.annotate(similarity=similarity).get()
    assert best.similarity > 0.5


def test_a_point_must_say_how_precise_it_is(moulins_point):
    with pytest.raises(IntegrityError):
        Organisation.objects.create(name="Sans précision", slug="x", location=moulins_point)


def test_a_point_with_its_quality_is_accepted(moulins_point):
    organisation = Organisation.objects.create(
        name="MESS", slug="mess", location=moulins_point, geocoding_quality=GeocodingQuality.SOURCE
    )
    assert organisation.location.srid == 4326


def test_the_same_siret_cannot_be_two_organisations():
    Organisation.objects.create(name="A", slug="a", siren="123456789", siret="12345678900011")
    with pytest.raises(IntegrityError):
        Organisation.objects.create(name="B", slug="b", siret="12345678900011")


def test_organisations_without_identifiers_do_not_collide():
    Organisation.objects.create(name="A", slug="a")
    Organisation.objects.create(name="B", slug="b")
    assert Organisation.objects.filter(siret="").count() == 2


def test_a_network_cannot_be_its_own_member():
    apes = Organisation.objects.create(name="APES", slug="apes")
    with pytest.raises(IntegrityError):
        NetworkMembership.objects.create(network=apes, member=apes)


def test_members_are_reachable_from_their_network():
    apes = Organisation.objects.create(name="APES", slug="apes")
    member = Organisation.objects.create(name="Une SCOP", slug="scop")
    NetworkMembership.objects.create(network=apes, member=member)
    assert list(apes.members.all()) == [member]
    assert list(member.networks.all()) == [apes]


def test_a_scheme_amount_range_must_be_in_order():
    with pytest.raises(IntegrityError):
        FundingScheme.objects.create(name="X", slug="x", amount_min=5000, amount_max=1000)


def test_premises_need_a_point_or_an_outline():
    with pytest.raises(IntegrityError):
        Premises.objects.create(name="Local", slug="local", kind="local-vacant")


def test_premises_fields_are_each_declared_public_or_staff_only():
    declared = set(Premises.PUBLIC_FIELDS) | set(Premises.STAFF_ONLY_FIELDS)
    assert not set(Premises.PUBLIC_FIELDS) & set(Premises.STAFF_ONLY_FIELDS)
    concrete = {
        f.name
        for f in Premises._meta.get_fields()
        if f.concrete and not f.auto_created and f.name not in {"created_at", "updated_at"}
    }
    assert concrete == declared


def test_reference_area_code_is_unique_per_kind():
    square = MultiPolygon(Polygon.from_bbox((3.0, 50.6, 3.1, 50.7)), srid=4326)
    ReferenceArea.objects.create(kind=AreaKind.COMMUNE, code="59350", name="Lille", geometry=square)
    ReferenceArea.objects.create(kind=AreaKind.QUARTIER, code="59350", name="Q", geometry=square)
    with pytest.raises(IntegrityError):
        ReferenceArea.objects.create(kind=AreaKind.COMMUNE, code="59350", name="X", geometry=square)


def test_an_external_id_is_unique_within_its_source(moulins_point):
    source = Source.objects.create(slug="tiers-lieux", name="Tiers-lieux 2019")
    organisation = Organisation.objects.create(name="A", slug="a")
    fields = {
        "source": source,
        "external_id": "42",
        "record": organisation,
        "content_hash": "x",
        "first_seen_at": "2026-01-01T00:00Z",
        "last_seen_at": "2026-01-01T00:00Z",
    }
    Provenance.objects.create(**fields)
    with pytest.raises(IntegrityError):
        Provenance.objects.create(**fields)


def test_spatial_queries_run_in_postgis(moulins_point):
    Organisation.objects.create(
        name="Proche", slug="p", location=moulins_point, geocoding_quality="source"
    )
    Organisation.objects.create(
        name="Loin", slug="l", location=Point(2.35, 48.85, srid=4326), geocoding_quality="source"
    )
    lille = Polygon.from_bbox((2.96, 50.59, 3.13, 50.66))
    lille.srid = 4326
    assert list(
        Organisation.objects.filter(location__within=lille).values_list("name", flat=True)
    ) == ["Proche"]


def test_every_geometry_column_has_a_gist_index():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT f_table_name || '.' || f_geometry_column FROM geometry_columns
            WHERE NOT EXISTS (
                SELECT 1 FROM pg_indexes
                WHERE tablename = f_table_name
                  AND indexdef ILIKE '%USING gist (' || f_geometry_column || ')%'
            )
            """
        )
        unindexed = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM geometry_columns")
        (geometry_columns,) = cursor.fetchone()
    # Organisation, Premises (location, footprint), ReferenceArea, and the history tables of
    # Organisation and Premises (django-simple-history), indexed the same way.
    assert geometry_columns == 7
    assert unindexed == []

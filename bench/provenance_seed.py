"""Provenances for the bench's synthetic organisations, as a SIRENE import writes them.

Every organisation of a real directory comes from a source: its provenance holds the raw
record (about a kilobyte for a SIRENE établissement) and the values the import wrote
(`imported_values`, the record's snapshot, directory.records.organisation_snapshot). The
directory API and the organisation page read them to credit each fact
(directory.selectors.credit). Without them the bench measured credits that cost nothing
(issue 20); `provenances_seed` gives each organisation one, in one statement.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from directory.models import Organisation
from directory.records import COORDINATE_DECIMALS, ORGANISATION_PLAIN_FIELDS
from importers.engine.services import source_register
from importers.sources import source_get

#: The snapshot's plain fields, as columns of `o` (the point is written apart, as [lon, lat]).
_PLAIN = ", ".join(
    f"'{name}', o.{name}" for name in ORGANISATION_PLAIN_FIELDS if name != "location"
)
_TERMS = """coalesce((SELECT jsonb_agg(t.slug ORDER BY t.slug) FROM directory_organisation_{link} l
    JOIN directory_{table} t ON t.id = l.{column} WHERE l.organisation_id = o.id), '[]')"""
_KINDS = _TERMS.format(link="kinds", table="organisationkind", column="organisationkind_id")
_SECTORS = _TERMS.format(link="sectors", table="sector", column="sector_id")
#: A SIRENE établissement's record in the stock files' column names (StockEtablissement and
#: StockUniteLegale, as importers.sources.sirene reads them), from the organisation's values.
_RAW = """jsonb_build_object(
    'siren', o.siren, 'siret', o.siret, 'nicSiegeUniteLegale', right(o.siret, 5),
    'denominationUniteLegale', o.name, 'sigleUniteLegale', o.acronym,
    'denominationUsuelleEtablissement', '', 'enseigne1Etablissement', '',
    'numeroVoieEtablissement', '', 'indiceRepetitionEtablissement', '',
    'typeVoieEtablissement', '', 'libelleVoieEtablissement', o.street,
    'complementAdresseEtablissement', o.address_complement,
    'codePostalEtablissement', o.postcode, 'libelleCommuneEtablissement', upper(o.city),
    'codeCommuneEtablissement', o.insee_code, 'categorieJuridiqueUniteLegale', '9220',
    'activitePrincipaleEtablissement', o.naf_code, 'etatAdministratifEtablissement', 'A',
    'etatAdministratifUniteLegale', 'A', 'statutDiffusionEtablissement', 'O',
    'economieSocialeSolidaireUniteLegale', 'O', 'identifiantAssociationUniteLegale', o.rna_id,
    'trancheEffectifsEtablissement', 'NN', 'dateCreationEtablissement', '2015-01-01',
    'x', coalesce(round(ST_X(ST_Transform(o.location, 2154))::numeric, 1)::text, ''),
    'y', coalesce(round(ST_Y(ST_Transform(o.location, 2154))::numeric, 1)::text, ''),
    'qualite_xy', '11', 'epsg', '2154', 'plg_qp24', o.qpv_code)"""
_SEED = f"""
INSERT INTO importers_provenance (source_id, external_id, content_type_id, object_id,
    content_hash, mapping_version, raw, imported_values, first_seen_at, last_seen_at)
SELECT %(source)s, 'bench:' || o.id, %(content_type)s, o.id, md5(o.id::text), '',
    {_RAW},
    jsonb_build_object({_PLAIN}) || jsonb_build_object(
        'location', CASE WHEN o.location IS NULL THEN NULL ELSE jsonb_build_array(
            round(ST_X(o.location)::numeric, {COORDINATE_DECIMALS}),
            round(ST_Y(o.location)::numeric, {COORDINATE_DECIMALS})) END,
        'legal_family', coalesce(
            (SELECT f.slug FROM directory_legalfamily f WHERE f.id = o.legal_family_id), ''),
        'kinds', {_KINDS}, 'sectors', {_SECTORS}),
    now(), now()
FROM directory_organisation o
WHERE NOT EXISTS (SELECT 1 FROM importers_provenance p
    WHERE p.content_type_id = %(content_type)s AND p.object_id = o.id)
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


def provenances_seed() -> int:
    """Give every organisation without a provenance one of the `sirene` source, as its
    import writes it; the source registered first. One statement, then ANALYZE of the
    table. Returns the number of provenances written."""
    source = source_register(source=source_get("sirene"))
    content_type = ContentType.objects.get_for_model(Organisation)
    with connection.cursor() as cursor:
        cursor.execute(_SEED, {"source": source.pk, "content_type": content_type.pk})
        written = cursor.rowcount
        if written:
            cursor.execute("ANALYZE importers_provenance")
    return written

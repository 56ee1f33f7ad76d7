"""Where a whole export comes from and how old its data is: the sources of a kind of record
(each with its licence) and the data's own date, read in one statement.

The date is the data's, never the request's: the latest change of a record of that kind
(`updated_at`, which an import's write bumps too) or, for records without one (reference
areas), the latest import that wrote one, and the latest run of their sources that found
them unchanged (a `ProvenanceSighting`). Two downloads of unchanged data are the same bytes,
so their ETag holds and a reuser's `If-None-Match` gets its 304 (config/reuse_http.py).
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from directory.exports.package import ORIGIN_COLUMNS, ExportSource, cartess_source, iso_z
from directory.models import Provenance, ProvenanceSighting, Source


@dataclass(frozen=True)
class DataOrigin:
    """The sources of an export (by name, Cartess itself not included) and its data's date
    (None when there is no data and no import yet)."""

    sources: list[ExportSource]
    dated: datetime | None

    def __or__(self, other: "DataOrigin") -> "DataOrigin":
        """The origin of an export made of both: every source once, the later date."""
        by_name = {source.name: source for source in [*self.sources, *other.sources]}
        dates = [moment for moment in (self.dated, other.dated) if moment is not None]
        return DataOrigin(
            sources=sorted(by_name.values(), key=lambda source: source.name),
            dated=max(dates) if dates else None,
        )


def _statement(model: type[models.Model]) -> str:
    # Table and column names come from the models' _meta: fixed text, not input.
    provenance, sighting = Provenance._meta.db_table, ProvenanceSighting._meta.db_table
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        changed = f"SELECT max(updated_at) FROM {model._meta.db_table}"  # noqa: S608
    else:
        # The kind as a value again: read from `kind`, the planner expected every provenance
        # of every kind and scanned them all (0.4 s at 1,000,000 organisations, issue 20).
        changed = f"SELECT max(last_seen_at) FROM {provenance} p WHERE p.content_type_id = %(kind)s"  # noqa: S608
    return f"""
WITH RECURSIVE kind AS (
    SELECT id FROM django_content_type WHERE app_label = %(app)s AND model = %(model)s
), present(source_id) AS (
    -- The sources with provenances of this kind, one step of `provenance_kind_source_idx`
    -- each (a loose index scan), the kind given as a value so that the planner knows how
    -- many rows it has: an EXISTS per source became a semi-join that read every provenance
    -- (1,000,000 at a national scale: 0.4 to 0.5 s on every map request).
    (SELECT p.source_id FROM {provenance} p WHERE p.content_type_id = %(kind)s
     ORDER BY p.source_id LIMIT 1)
    UNION ALL
    SELECT (SELECT p.source_id FROM {provenance} p
            WHERE p.content_type_id = %(kind)s AND p.source_id > present.source_id
            ORDER BY p.source_id LIMIT 1)
    FROM present WHERE present.source_id IS NOT NULL
), sources AS (
    SELECT s.id, s.name, s.url, s.licence, s.licence_url FROM {Source._meta.db_table} s
    WHERE s.id IN (SELECT source_id FROM present)
)
SELECT
    (SELECT coalesce(json_agg(json_build_object('name', name, 'url', url, 'licence', licence,
        'licence_url', licence_url) ORDER BY name), '[]'::json) FROM sources)::text,
    greatest(
        ({changed}),
        (SELECT max(g.seen_at) FROM {sighting} g WHERE g.source_id IN (SELECT id FROM sources)))
FROM kind
"""  # noqa: S608 - names from the models' _meta; values are bound parameters


def data_origin_get(*, model: type[models.Model]) -> DataOrigin:
    """The sources and the data's date of the records of `model` (published or not: an
    unpublished record changed the export too). One query; reads only."""
    meta = model._meta
    kind = ContentType.objects.get_for_model(model).pk
    with connection.cursor() as cursor:
        cursor.execute(
            _statement(model), {"app": meta.app_label, "model": meta.model_name, "kind": kind}
        )
        row = cursor.fetchone()
    if row is None:  # the model's content type is not created yet
        return DataOrigin(sources=[], dated=None)
    sources = [ExportSource(**entry) for entry in json.loads(row[0])]
    return DataOrigin(sources=sources, dated=row[1])


def internal_licence() -> str:
    """The "licence" of a staff export: confidential fields are not open data."""
    return _("Usage interne (champs confidentiels)")


def origin_members(origin: DataOrigin, *, licence: str = "") -> dict:
    """What a GeoJSON export says about itself at its top level (RFC 7946 foreign members):
    `sources` (Cartess first, each with its licence), `licence` and `licence_url` of the
    export, `date_extraction` (the data's date), and a French `description` saying all of it,
    which GDAL (ogrinfo, QGIS, ogr2ogr) reads as the layer's description. `licence` replaces
    the export's (`internal_licence()` for a staff export)."""
    licence = licence or settings.CARTESS_EXPORT_LICENCE
    sources = [cartess_source(), *origin.sources]
    return {
        "description": origin_description(origin, licence=licence),
        "sources": [
            {
                "name": source.name,
                "url": source.url,
                "licence": source.licence,
                "licence_url": source.licence_url,
            }
            for source in sources
        ],
        "licence": licence,
        "licence_url": settings.CARTESS_EXPORT_LICENCE_URL
        if licence == settings.CARTESS_EXPORT_LICENCE
        else "",
        "date_extraction": iso_z(origin.dated),
    }


def origin_description(origin: DataOrigin, *, licence: str) -> str:
    """One French sentence: sources with their licences, the export's licence, the date."""
    credits = ", ".join(source.credit for source in [cartess_source(), *origin.sources])
    text = _("Sources : %(sources)s. Licence de l'export : %(licence)s.") % {
        "sources": credits,
        "licence": licence,
    }
    if origin.dated is not None:
        day = formats.date_format(timezone.localdate(origin.dated), "j F Y")
        text = f"{text} {_('Données au %(date)s.') % {'date': day}}"
    return text


#: The columns a CSV without per-row sources ends with: every source of its data (with its
#: licence), the licence of the export, the data's date.
ORIGIN_COLUMNS_WITH_SOURCES = ("sources", *ORIGIN_COLUMNS)


def origin_row(origin: DataOrigin, *, licence: str = "") -> list[str]:
    """The cells of `ORIGIN_COLUMNS_WITH_SOURCES` (the same on every row): the sources as
    "Name (licence : X)" joined by " | ", `licence` (the export's by default), the date."""
    credits = " | ".join(source.credit for source in [cartess_source(), *origin.sources])
    return [credits, licence or settings.CARTESS_EXPORT_LICENCE, iso_z(origin.dated)]

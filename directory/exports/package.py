"""What every open export says about itself: its sources, its licence, when it was extracted.

A reuser who opens a CSV months later must know where each row comes from and under which
terms: the `datapackage.json` beside each CSV (Frictionless Data Package) says it in a form
tools read (`frictionless validate .../datapackage.json` checks the CSV against its schema).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Provenance, Source

#: How the CSVs are written (`directory.csv_export.csv_response`): UTF-8 with a BOM and `;`,
#: which a French spreadsheet opens as columns; said in each resource's dialect.
CSV_DIALECT = {"delimiter": ";"}
CSV_ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class ExportSource:
    """One source of the rows of an export, with its own licence."""

    name: str
    url: str
    licence: str
    licence_url: str

    @property
    def credit(self) -> str:
        """ "Name (licence : X)" as the CSVs' source column and the package's titles say it."""
        licence = self.licence or _("licence non précisée")
        return _("%(name)s (licence : %(licence)s)") % {"name": self.name, "licence": licence}


def export_sources_get(*, model: type[models.Model], ids) -> list[ExportSource]:
    """The sources of the records `ids` of `model` (a list of ids or a queryset of them),
    through their provenances, by name. One query; records typed by people have none and
    are credited to Cartess itself."""
    content_type = ContentType.objects.get_for_model(model)
    # One provenance of a record among `ids` is enough to name its source: a subquery
    # stopped at the first, per source (a handful). Asking for the sources of every
    # provenance of those records joined them all: 1.2 s for the directory's 1,000,000
    # published organisations (issue 20).
    first = Provenance.objects.filter(
        source=OuterRef("pk"), content_type=content_type, object_id__in=ids
    ).values("pk")[:1]
    sources = (
        Source.objects.annotate(first_provenance=Subquery(first))
        .filter(first_provenance__isnull=False)
        .order_by("name")
    )
    return [
        ExportSource(
            name=source.name,
            url=source.url,
            licence=source.licence,
            licence_url=source.licence_url,
        )
        for source in sources
    ]


def cartess_source() -> ExportSource:
    """Cartess itself: what people typed in it, published under the export licence."""
    return ExportSource(
        name="Cartess",
        url=settings.CARTESS_SITE_URL,
        licence=settings.CARTESS_EXPORT_LICENCE,
        licence_url=settings.CARTESS_EXPORT_LICENCE_URL,
    )


#: The columns every CSV export without a fixed schema ends with: the licence of the export
#: and when it was extracted (each row's sources have their own column).
ORIGIN_COLUMNS = ("licence", "date_extraction")


def origin_cells(extracted_at: datetime | None) -> tuple[str, str]:
    """The values of `ORIGIN_COLUMNS` for an export whose data dates from `extracted_at`
    (directory.exports.origin: the data's date, not the request's)."""
    return settings.CARTESS_EXPORT_LICENCE, iso_z(extracted_at)


def iso_z(moment: datetime | None) -> str:
    """`moment` in UTC to the second, ISO 8601 with a `Z` ("" for None): how every export
    writes its date."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def extraction_time() -> datetime:
    """The moment of the request, to the second, in UTC. Not for a download: its bytes would
    change every second and its ETag never match (use directory.exports.origin's date)."""
    return timezone.now().astimezone(UTC).replace(microsecond=0)


def csv_resource(*, name: str, path: str, schema: dict) -> dict:
    """One CSV of a package: `path` relative to the descriptor, written as every Cartess
    CSV is (UTF-8 with BOM, `;`), checked against the Table Schema `schema`."""
    return {
        "name": name,
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": CSV_ENCODING,
        "dialect": CSV_DIALECT,
        "schema": schema,
    }


def datapackage(
    *,
    name: str,
    title: str,
    description: str,
    resources: list[dict],
    sources: list[ExportSource],
    extracted_at: datetime | None,
) -> dict:
    """The Data Package descriptor of CSV exports served beside it (`csv_resource`): the
    licence of Cartess's exports, every source with its own licence, and `created`, the
    data's date (none without data). Pure."""
    return {
        "name": name,
        "title": title,
        "description": description,
        **({"created": iso_z(extracted_at)} if extracted_at else {}),
        "licenses": [
            {
                "title": settings.CARTESS_EXPORT_LICENCE,
                "path": settings.CARTESS_EXPORT_LICENCE_URL,
            }
        ],
        "sources": [_source_entry(source) for source in [cartess_source(), *sources]],
        "resources": resources,
    }


def _source_entry(source: ExportSource) -> dict:
    path = source.url or source.licence_url
    return {"title": source.credit, "path": path} if path else {"title": source.credit}

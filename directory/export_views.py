"""Downloads in public schemas, each beside its `datapackage.json` (directory.exports)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.csv_export import csv_response
from directory.exports import data_inclusion
from directory.exports.dispositif_aide import (
    dispositif_aide_header,
    dispositif_aide_schema,
    funding_scheme_aid_rows,
    funding_scheme_export_list,
)
from directory.exports.origin import data_origin_get
from directory.exports.package import (
    ORIGIN_COLUMNS,
    csv_resource,
    datapackage,
    export_sources_get,
)
from directory.exports.tables import table_csv_response, table_schema
from directory.models import FundingScheme, Organisation, PublicationStatus, SupportOffer
from directory.selectors import EXPORT_HEADER

#: The file name of every CSV export beside its `datapackage.json` (the package's `path`).
CSV_NAME = "export.csv"


def package_response(descriptor: dict) -> JsonResponse:
    """A `datapackage.json`, readable by a person too (indented, accents as they are)."""
    return JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def funding_schemes_export_csv(request: HttpRequest) -> HttpResponse:
    """`/financements/export.csv`: published schemes in the etalab schema `dispositif-aide`."""
    return csv_response(
        filename="cartess-dispositifs-aide.csv",
        header=dispositif_aide_header(),
        rows=funding_scheme_aid_rows(funding_scheme_export_list()),
    )


@require_safe
def funding_schemes_datapackage(request: HttpRequest) -> JsonResponse:
    """`/financements/datapackage.json`: the schema, sources, licence and extraction date of
    `/financements/export.csv`."""
    ids = list(funding_scheme_export_list().values_list("pk", flat=True))
    return package_response(
        datapackage(
            name="cartess-dispositifs-aide",
            title=_("Dispositifs de financement de l'ESS à Lille (Cartess)"),
            description=_(
                "Les dispositifs de financement publiés par Cartess, au schéma "
                "« dispositif-aide » d'etalab (v0.2.0)."
            ),
            resources=[
                csv_resource(
                    name="dispositifs-aide", path=CSV_NAME, schema=dispositif_aide_schema()
                )
            ],
            sources=export_sources_get(model=FundingScheme, ids=ids),
            extracted_at=data_origin_get(model=FundingScheme).dated,
        )
    )


#: The data·inclusion files: (rows function, columns, numeric columns, list columns).
DATA_INCLUSION_TABLES = {
    "structures": (
        data_inclusion.structure_rows,
        data_inclusion.STRUCTURE_COLUMNS,
        {"longitude": "number", "latitude": "number", "date_maj": "date"},
        ("sources",),
    ),
    "services": (
        data_inclusion.service_rows,
        data_inclusion.SERVICE_COLUMNS,
        {"date_maj": "date"},
        ("thematiques", "zone_eligibilite", "sources"),
    ),
}


def _data_inclusion_dated():
    """The date of the data·inclusion files' data: the later of organisations and offers."""
    return (data_origin_get(model=Organisation) | data_origin_get(model=SupportOffer)).dated


def _data_inclusion_schema(table: str) -> dict:
    _rows, columns, types, lists = DATA_INCLUSION_TABLES[table]
    return table_schema(columns, types=types, lists=lists)


@require_safe
def data_inclusion_csv(request: HttpRequest, table: str) -> HttpResponse:
    """`/donnees/data-inclusion/<structures|services>.csv`: for a spreadsheet."""
    rows, columns, _types, _lists = DATA_INCLUSION_TABLES[table]
    return table_csv_response(
        filename=f"cartess-{table}-data-inclusion.csv",
        columns=columns,
        rows=rows(extracted_at=_data_inclusion_dated()),
    )


@require_safe
def data_inclusion_json(request: HttpRequest, table: str) -> JsonResponse:
    """`/donnees/data-inclusion/<structures|services>.json`: a list of objects, as the
    data·inclusion API serves them."""
    rows, _columns, _types, _lists = DATA_INCLUSION_TABLES[table]
    return JsonResponse(
        rows(extracted_at=_data_inclusion_dated()),
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def data_inclusion_datapackage(request: HttpRequest) -> JsonResponse:
    """`/donnees/data-inclusion/datapackage.json`: both CSVs, their columns, sources,
    licence and extraction date."""
    organisations = data_inclusion.structure_queryset().values_list("pk", flat=True)
    offers = data_inclusion.service_queryset().values_list("pk", flat=True)
    sources = {
        source.name: source
        for source in [
            *export_sources_get(model=Organisation, ids=list(organisations)),
            *export_sources_get(model=SupportOffer, ids=list(offers)),
        ]
    }
    return package_response(
        datapackage(
            name="cartess-data-inclusion",
            title=_("Structures et accompagnements de l'ESS à Lille (Cartess)"),
            description=_(
                "Les structures et les offres d'accompagnement publiées par Cartess, au "
                "schéma data·inclusion v1 (Structure, Service)."
            ),
            resources=[
                csv_resource(name=table, path=f"{table}.csv", schema=_data_inclusion_schema(table))
                for table in DATA_INCLUSION_TABLES
            ],
            sources=sorted(sources.values(), key=lambda source: source.name),
            extracted_at=_data_inclusion_dated(),
        )
    )


#: The types of the directory CSV's columns that are not text (`/annuaire/export.csv`).
DIRECTORY_TYPES = {"id": "integer", "latitude": "number", "longitude": "number"}


@require_safe
def directory_datapackage(request: HttpRequest) -> JsonResponse:
    """`/annuaire/datapackage.json`: the columns, sources, licence and extraction date of
    `/annuaire/export.csv` (whatever its filters)."""
    published = Organisation.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    columns = [*EXPORT_HEADER, *ORIGIN_COLUMNS]
    return package_response(
        datapackage(
            name="cartess-annuaire",
            title=_("Annuaire des acteurs de l'ESS à Lille (Cartess)"),
            description=_(
                "Les organisations publiées par Cartess, chaque champ avec sa source "
                "(colonnes sources et credit_par_champ)."
            ),
            resources=[
                csv_resource(
                    name="organisations",
                    path=CSV_NAME,
                    schema=table_schema(columns, types=DIRECTORY_TYPES),
                )
            ],
            sources=export_sources_get(model=Organisation, ids=published.values("pk")),
            extracted_at=data_origin_get(model=Organisation).dated,
        )
    )

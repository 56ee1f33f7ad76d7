"""Downloads in public schemas, each beside its `datapackage.json` (directory.exports)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.csv_export import csv_response
from directory.exports.dispositif_aide import (
    dispositif_aide_header,
    dispositif_aide_schema,
    funding_scheme_aid_rows,
    funding_scheme_export_list,
)
from directory.exports.package import datapackage, export_sources_get, extraction_time
from directory.models import FundingScheme

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
            csv_path=CSV_NAME,
            schema=dispositif_aide_schema(),
            sources=export_sources_get(model=FundingScheme, ids=ids),
            extracted_at=extraction_time(),
        )
    )

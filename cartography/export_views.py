"""Cartography's open downloads under `/donnees/`.

`friches/`: premises in the CNIG Friches standard, beside its `datapackage.json`; the public
gets published sites and public fields, the city services (signed in, or with a reader token
as on `/ogc/`) every site and the owner's name (`cartography.friches_export`).
`carte.gpkg`: the public layers in one GeoPackage (`cartography.geopackage`)."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cartography.friches_export import (
    cnig_friches_header,
    cnig_friches_schema,
    premises_cnig_rows,
    premises_export_list,
)
from cartography.geopackage import GeoPackageFailed, public_layers_geopackage
from cartography.models import Premises, ReferenceArea
from cartography.ogc.readers import reader_is_staff
from cartography.ogc.views import ogc_errors
from cartography.place_network import place_network_csv_rows, place_network_get
from directory.exports.origin import ORIGIN_COLUMNS_WITH_SOURCES, data_origin_get
from directory.exports.package import (
    csv_resource,
    datapackage,
    export_sources_get,
)
from directory.exports.tables import table_csv_response, table_schema
from directory.models import Organisation, PublicationStatus

logger = logging.getLogger(__name__)


def _staff(request: HttpRequest) -> bool:
    """City staff through their session or a reader token (so that a script or a GIS tool
    fetches the staff file without a cookie); OgcError 401/403 for a refused token."""
    return reader_is_staff(request)


@require_safe
@ogc_errors
def friches_export_csv(request: HttpRequest) -> HttpResponse:
    """`/donnees/friches/export.csv`: the sites in the CNIG Friches standard."""
    return table_csv_response(
        filename="cartess-friches-cnig.csv",
        columns=cnig_friches_header(),
        rows=premises_cnig_rows(staff=_staff(request)),
    )


@require_safe
@ogc_errors
def friches_datapackage(request: HttpRequest) -> JsonResponse:
    """`/donnees/friches/datapackage.json`: the standard, sources, licence and extraction
    date of `/donnees/friches/export.csv`."""
    ids = list(premises_export_list(staff=_staff(request)).values_list("pk", flat=True))
    descriptor = datapackage(
        name="cartess-friches",
        title=_("Locaux, terrains et friches pour l'ESS à Lille (Cartess)"),
        description=_("Les sites publiés par Cartess, au standard CNIG Friches."),
        resources=[csv_resource(name="friches", path="export.csv", schema=cnig_friches_schema())],
        sources=export_sources_get(model=Premises, ids=ids),
        extracted_at=data_origin_get(model=Premises).dated,
    )
    return JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def public_layers_geopackage_view(request: HttpRequest) -> HttpResponse:
    """`/donnees/carte.gpkg`: organisations, premises and areas in one GeoPackage, with the
    table `about` (sources, licence, extraction date). 503 in French when GDAL fails."""
    organisations = Organisation.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    premises = Premises.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    sources = {
        source.name: source
        for source in [
            *export_sources_get(model=Organisation, ids=organisations.values("pk")),
            *export_sources_get(model=Premises, ids=premises.values("pk")),
        ]
    }
    try:
        content = public_layers_geopackage(
            sources=sorted(sources.values(), key=lambda source: source.name),
            extracted_at=(
                data_origin_get(model=Organisation)
                | data_origin_get(model=Premises)
                | data_origin_get(model=ReferenceArea)
            ).dated,
        )
    except GeoPackageFailed:
        logger.exception("GeoPackage export failed")
        message = _("Le fichier GeoPackage ne peut pas être produit pour le moment.")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/geopackage+sqlite3")
    response["Content-Disposition"] = 'attachment; filename="cartess-carte.gpkg"'
    return response


@require_safe
def place_network_datapackage(request: HttpRequest) -> JsonResponse:
    """`/lieux/reseau/datapackage.json`: the columns, sources, licence and extraction date
    of `/lieux/reseau/export.csv` beside it (the lieux totems, or every place with
    `?tous=on`)."""
    network = place_network_get(totems_only=request.GET.get("tous") != "on")
    header = next(place_network_csv_rows(network))
    descriptor = datapackage(
        name="cartess-reseau-des-lieux",
        title=_("Le réseau des lieux de l'ESS à Lille (Cartess)"),
        description=_(
            "Les services que chaque lieu de l'ESS dit proposer, « oui » ou « non » par "
            "service, avec la source et la licence de chaque fiche."
        ),
        resources=[
            csv_resource(
                name="lieux",
                path="export.csv",
                schema=table_schema([*header, *ORIGIN_COLUMNS_WITH_SOURCES], types={}),
            )
        ],
        sources=export_sources_get(
            model=Organisation, ids=[place.organisation.pk for place in network.places]
        ),
        extracted_at=data_origin_get(model=Organisation).dated,
    )
    return JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})

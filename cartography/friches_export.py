"""Premises in the CNIG Friches standard (the schema Cartofriches publishes and Cartess
imports, copied in `schemas/`): every column of the standard, in its order.

Public callers get the published sites and public fields only (`Premises.PUBLIC_FIELDS`);
the city services get every site, drafts included, and the owner's name (`proprio_nom`).
What Cartess does not know stays empty, or "inconnu" where the standard requires a value; a
site imported from Cartofriches keeps its Cartofriches id and type. Geometries are written
as OGC WKT in EPSG:4326, longitude first (the order GIS tools read).
"""

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from cartography.models import Pollution, Premises, PremisesKind, PremisesStatus
from directory.models import Provenance, PublicationStatus

SCHEMA_PATH = Path(__file__).parent / "schemas" / "cnig-friches.json"
UNKNOWN = "inconnu"
CARTOFRICHES = "cartofriches"

STATUS = {
    PremisesStatus.AVAILABLE: "friche sans projet",
    PremisesStatus.SOON_AVAILABLE: "friche avec projet",
    PremisesStatus.UNDER_PROJECT: "friche avec projet",
    PremisesStatus.RECONVERTED: "friche reconvertie",
    PremisesStatus.UNKNOWN: UNKNOWN,
}
POLLUTION = {
    Pollution.YES: "pollution avérée",
    Pollution.SUSPECTED: "pollution supposée",
    Pollution.NO: "pollution inexistante",
    Pollution.UNKNOWN: UNKNOWN,
}


@cache
def cnig_friches_schema() -> dict:
    """The Table Schema of the CNIG Friches standard, as published (a copy in `schemas/`)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def cnig_friches_header() -> list[str]:
    return [field["name"] for field in cnig_friches_schema()["fields"]]


def _site_types() -> frozenset[str]:
    field = next(f for f in cnig_friches_schema()["fields"] if f["name"] == "site_type")
    return frozenset(field["constraints"]["enum"])


def premises_export_list(*, staff: bool) -> QuerySet[Premises]:
    """The sites an export shows: published ones with public fields, or every site for the
    city services (`staff`). By name."""
    queryset = Premises.objects.order_by("name", "pk")
    if staff:
        return queryset
    return queryset.filter(publication_status=PublicationStatus.PUBLISHED).only(
        "pk", "created_at", "updated_at", *Premises.PUBLIC_FIELDS
    )


def _provenances(ids: list[int]) -> dict[int, list[Provenance]]:
    by_site: dict[int, list[Provenance]] = {}
    provenances = (
        Provenance.objects.filter(
            content_type=ContentType.objects.get_for_model(Premises), object_id__in=ids
        )
        .select_related("source")
        .order_by("first_seen_at")
    )
    for provenance in provenances:
        by_site.setdefault(provenance.object_id, []).append(provenance)
    return by_site


def premises_cnig_rows(*, staff: bool) -> Iterator[dict]:
    """Every site of `premises_export_list` as a dict of the standard's columns. Two
    queries."""
    sites = list(premises_export_list(staff=staff))
    provenances = _provenances([site.pk for site in sites])
    for site in sites:
        yield premises_cnig_row(site, provenances.get(site.pk, []), staff=staff)


def _cartofriches(provenances: list[Provenance]) -> Provenance | None:
    return next((p for p in provenances if p.source.slug == CARTOFRICHES), None)


def _site_type(site: Premises, cartofriches: Provenance | None) -> str:
    if cartofriches is not None:
        raw_type = str((cartofriches.raw or {}).get("site_type") or "").strip()
        if raw_type in _site_types():
            return raw_type
    return UNKNOWN if site.kind == PremisesKind.FRICHE else "autre"


def _wkt(geometry) -> str:
    return geometry.wkt if geometry is not None else ""


def premises_cnig_row(site: Premises, provenances: list[Provenance], *, staff: bool) -> dict:
    """One site in the standard's columns (missing ones empty)."""
    cartofriches = _cartofriches(provenances)
    point = site.location or (site.footprint.point_on_surface if site.footprint else None)
    sources = list(dict.fromkeys(p.source.name for p in provenances)) or ["Cartess"]
    row = dict.fromkeys(cnig_friches_header(), "")
    row.update(
        site_id=cartofriches.external_id if cartofriches else f"cartess-{site.pk}",
        site_nom=site.name,
        site_type=_site_type(site, cartofriches),
        site_adresse=site.street,
        site_identif_date=timezone.localdate(site.created_at).isoformat(),
        site_actu_date=timezone.localdate(site.updated_at).isoformat(),
        site_statut=STATUS.get(site.status, UNKNOWN),
        comm_nom=site.city or UNKNOWN,
        comm_insee=site.insee_code or UNKNOWN,
        bati_surface=site.built_surface_m2,
        unite_fonciere_surface=site.surface_m2,
        sol_pollution_existe=POLLUTION.get(site.pollution, UNKNOWN),
        urba_zone_type=site.planning_zone,
        urba_zaer=UNKNOWN,
        source_nom="|".join(sources),
        source_producteur="Cartess",
        geompoint=_wkt(point),
        geomsurf=_wkt(site.footprint),
    )
    if staff:
        row["proprio_nom"] = site.owner_name
    return row

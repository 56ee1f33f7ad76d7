"""`/donnees/carte.gpkg`: the public map layers in one GeoPackage, for GIS users (QGIS).

Made at request time by GDAL's `ogr2ogr` (gdal-bin, installed with GeoDjango) from the same
GeoJSON the API serves (`cartography.layers`: organisations, premises with public fields,
reference areas), plus a table `about` with the sources, licence and extraction date.
Safely: the GeoJSON is written by Cartess into a private temporary folder, `ogr2ogr` gets
only those file names (a list of arguments, no shell, nothing from the request), runs with a
time limit and without network access (GDAL_HTTP_* off), and the folder is removed after.
"""

import os
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from cartography.filters import AreaFilters
from cartography.layers import layer_get
from cartography.origin import layer_collection_published
from directory.csv_export import csv_writer
from directory.exports.package import ExportSource, cartess_source, iso_z
from directory.filters import OrganisationFilters

OGR2OGR = "ogr2ogr"
#: Seconds one `ogr2ogr` run may take before the download fails.
OGR2OGR_TIMEOUT = 120


class GeoPackageFailed(Exception):
    """`ogr2ogr` is missing, failed or took too long."""


def public_layer_collections() -> dict[str, str]:
    """The GeoJSON text of each public layer, by the name it takes in the GeoPackage."""
    return {
        "organisations": layer_collection_published(
            layer_get("organisations"), "export", filters=OrganisationFilters()
        ),
        "premises": layer_collection_published(layer_get("premises"), "map"),
        "areas": layer_collection_published(layer_get("areas"), "map", filters=AreaFilters()),
    }


def _about_csv(path: Path, *, sources: list[ExportSource], extracted_at: datetime | None) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv_writer(stream)
        writer.writerow(["source", "licence", "url", "extracted_at"])
        stamp = iso_z(extracted_at)
        for source in [cartess_source(), *sources]:
            writer.writerow([source.name, source.licence, source.url, stamp])


def _ogr2ogr(output: Path, source: Path, *, layer: str, spatial: bool) -> None:
    arguments = [OGR2OGR, "-f", "GPKG"]
    if output.exists():
        arguments.append("-update")
    if spatial:
        arguments += ["-a_srs", "EPSG:4326"]
    arguments += ["-nln", layer, str(output), str(source)]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GDAL_HTTP_TIMEOUT": "1",
        "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": "none",
        "GDAL_DISABLE_READDIR_ON_OPEN": "YES",
    }
    try:
        subprocess.run(  # noqa: S603 - fixed program, arguments are our own file names
            arguments, check=True, capture_output=True, timeout=OGR2OGR_TIMEOUT, env=environment
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise GeoPackageFailed(str(error)) from error


def public_layers_geopackage(
    *, sources: list[ExportSource], extracted_at: datetime | None
) -> bytes:
    """The public layers and the `about` table as the bytes of one GeoPackage.

    Raises GeoPackageFailed when ogr2ogr is missing, fails or exceeds OGR2OGR_TIMEOUT."""
    with tempfile.TemporaryDirectory(prefix="cartess-gpkg-") as folder:
        output = Path(folder) / "cartess.gpkg"
        for name, text in public_layer_collections().items():
            source = Path(folder) / f"{name}.geojson"
            source.write_text(text, encoding="utf-8")
            _ogr2ogr(output, source, layer=name, spatial=True)
        about = Path(folder) / "about.csv"
        _about_csv(about, sources=sources, extracted_at=extracted_at)
        _ogr2ogr(output, about, layer="about", spatial=False)
        return output.read_bytes()

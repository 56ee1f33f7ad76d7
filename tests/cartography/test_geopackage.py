"""`/donnees/carte.gpkg`: the public layers in one GeoPackage that GDAL (QGIS) opens, with
named layers, EPSG:4326, public fields only, and its sources, licence and date."""

import pytest
from django.contrib.gis.gdal import DataSource

from tests.factories import FIVES, make_area, make_organisation, make_premises

pytestmark = pytest.mark.django_db


def test_the_geopackage_holds_the_public_layers_and_says_where_they_come_from(
    client, tmp_path, moulins_point
):
    make_organisation("La Piscine", location=moulins_point)
    make_organisation("Sans adresse connue")
    make_premises("Friche Fives-Cail", owner_name="SPL Euralille", publication_status="publie")
    make_premises("Projet non publié", location=FIVES.clone())
    make_area("commune", "59350", "Lille", (3.0, 50.6, 3.1, 50.7))

    response = client.get("/donnees/carte.gpkg")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    path = tmp_path / "carte.gpkg"
    path.write_bytes(response.content)
    source = DataSource(str(path))
    layers = {layer.name: layer for layer in source}
    assert set(layers) == {"organisations", "premises", "areas", "about"}
    assert len(layers["organisations"]) == 2
    assert layers["organisations"].srs.srid == 4326
    premises = layers["premises"]
    assert [feature.get("name") for feature in premises] == ["Friche Fives-Cail"]
    assert "owner_name" not in premises.fields
    assert next(iter(layers["areas"])).geom.geom_type.name == "MultiPolygon"
    about = [feature.get("licence") for feature in layers["about"]]
    assert about[0] == "Licence Ouverte 2.0 (Etalab)"
    assert next(iter(layers["about"])).get("extracted_at").endswith("Z")

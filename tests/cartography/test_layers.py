"""The map layers, declared once (cartography.layers): what each serves, and to whom."""

import pytest

from cartography.layers import LAYERS, PUBLIC, STAFF, Layer, Property, Variant, layer_get
from cartography.models import Premises
from directory.selectors import EXPORT_HEADER


def test_the_public_layers_are_organisations_premises_areas_places_and_schemes():
    assert sorted(LAYERS) == ["areas", "funding-schemes", "organisations", "places", "premises"]
    assert layer_get("premises").model is Premises
    assert str(layer_get("organisations").title) == "Organisations de l'ESS"
    with pytest.raises(KeyError):
        layer_get("rues")


def test_public_premises_read_public_fields_only_and_staff_see_the_rest():
    premises = layer_get("premises")

    public = {key: v for key, v in premises.variants.items() if v.audience == PUBLIC}
    staff = {key: v for key, v in premises.variants.items() if v.audience == STAFF}

    assert set(public) == {"map"}
    assert public["map"].reads() <= set(Premises.PUBLIC_FIELDS)
    assert not public["map"].reads() & set(Premises.STAFF_ONLY_FIELDS)
    assert {"pipeline_stage", "owner_name"} <= staff["land-export"].reads()


def test_a_public_variant_reading_a_staff_only_field_is_refused():
    leaky = Variant(
        audience=PUBLIC,
        geometry="p.location",
        geometry_reads=("location",),
        properties=(Property("owner", "p.owner_name", reads=("owner_name",)),),
        statement=lambda feature: ("", {}),
    )

    with pytest.raises(ValueError, match="owner_name"):
        Layer(
            name="fuite",
            title="Fuite",
            model=Premises,
            alias="p",
            geometry="location",
            filters=None,
            variants={"map": leaky},
        )


def test_the_geojson_export_has_the_columns_of_the_csv_export():
    export = layer_get("organisations").variants["export"]

    names = [prop.name for prop in export.properties]

    # The id is the feature's; `sources` and `edited` are the listing's credit (its imports,
    # its last hand correction), `credit_par_champ` the CSV's only.
    assert len(names) == len(EXPORT_HEADER) - 1 - 1 + 1
    assert names[-2:] == ["sources", "edited"]
    assert names[:3] == ["slug", "name", "acronym"]
    assert "kinds" in names


def test_a_property_name_must_be_a_plain_identifier():
    with pytest.raises(ValueError, match="Invalid property name"):
        Property("name', o.owner_name, 'x", "o.name")

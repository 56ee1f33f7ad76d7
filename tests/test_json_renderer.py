"""config.json_renderer: the API's JSON through orjson is the JSON DRF wrote (issue 20)."""

import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from config.json_renderer import ApiJsonRenderer
from directory.pathway.forms import PathwayForm
from directory.pathway.selectors import pathway_get
from directory.serializers import pathway_as_dict
from tests.directory.pathway.test_pathway_page import JOURNEY, landscape  # noqa: F401 - a fixture
from tests.factories import make_pathway_scheme

JSON = "application/json"


def test_every_kind_of_value_the_api_writes_comes_out_as_drf_wrote_it():
    data = {
        "text": "Atelier vélo « solidaire » — 10 000 €",
        "lazy": gettext_lazy("Source : %(names)s"),
        "amount": Decimal("15000.50"),
        "ratio": 0.125,
        "point": [3.061234, 50.629876],
        "when": datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=UTC),
        "naive": datetime(2026, 12, 4, 9, 30),
        "day": date(2026, 12, 4),
        "hour": time(9, 30),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "none": None,
        "flags": (True, False),
        "nested": [{"1": 1}, {2: "a key that is not text"}],
        "empty": [],
    }
    assert ApiJsonRenderer().render(data, JSON) == JSONRenderer().render(data, JSON)


@pytest.mark.django_db
def test_the_pathway_api_writes_what_drf_would(client, landscape):  # noqa: F811
    for index in range(3):
        make_pathway_scheme(f"Aide {index}", stages=("amorcage",), amount_max=Decimal("5000"))
    response = client.get("/api/v1/pathway/", JOURNEY)
    assert response.status_code == 200
    assert response["Content-Type"] == JSON
    form = PathwayForm(JOURNEY)
    assert form.is_valid()
    data = pathway_as_dict(
        pathway_get(project=form.project(), today=form.today()), today=form.today()
    )
    assert len(data["funding_schemes"]) >= 3
    assert (
        response.content
        == JSONRenderer().render(data, JSON)
        == ApiJsonRenderer().render(data, JSON)
    )


def test_a_value_json_cannot_write_is_still_refused():
    with pytest.raises(TypeError):
        ApiJsonRenderer().render({"value": object()}, JSON)

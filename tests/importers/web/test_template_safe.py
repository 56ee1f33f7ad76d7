"""The network CSV template (`/reseaux/<slug>/import/modele.csv`) is written through the
spreadsheet-safe writer (issue 14): its cells are never evaluated by a spreadsheet."""

import csv
import io

import pytest

from directory.models import Organisation

pytestmark = pytest.mark.django_db


def template_rows(client, world) -> list[list[str]]:
    client.force_login(world.users["editeur A"])
    response = client.get(f"/reseaux/{world.network_a.slug}/import/modele.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))
    assert all(len(row) == len(rows[0]) for row in rows)
    return rows


def test_the_template_neutralises_a_cell_a_spreadsheet_would_evaluate(client, world):
    Organisation.objects.filter(pk=world.network_a.pk).update(slug="-reseau-a")
    world.network_a.slug = "-reseau-a"

    header, example = template_rows(client, world)

    cells = dict(zip(header, example, strict=True))
    assert cells["reseau"] == "'-reseau-a"
    assert cells["nom"] == "Exemple de structure adhérente"
    assert (cells["code_postal"], cells["telephone"]) == ("59000", "03 20 00 00 00")


def test_the_template_of_an_ordinary_network_is_unchanged(client, world):
    header, example = template_rows(client, world)

    assert header[:3] == ["reseau", "nom", "siret"]
    assert example[0] == world.network_a.slug

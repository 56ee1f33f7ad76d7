"""The hostile-input suite for RNA (CSV, geocoded by the BAN), Aides-territoires' CSV export
and SIAE (the marché de l'inclusion's JSON): a few hostile files each, kept small. A bad
value is cleaned; a broken file fails in French and leaves every table as it was."""

import json
import time

import pytest

from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.models import ImportRun, RunStatus
from tests.importers.hostile.cases import DATA, CsvCase, _few, _read
from tests.importers.hostile.test_csv_sources import BROKEN, ENGLISH, raw_texts, run, write
from tests.importers.sources.test_rna import lille_rows

pytestmark = pytest.mark.django_db

RNA = CsvCase("rna", "rna_waldec_20240901_dpt_59.csv", *lille_rows(), "titre", delimiter=";")
AIDES = _few(
    CsvCase(
        "aides-territoires",
        "aides.csv",
        *_read(DATA / "aides-territoires" / "aides-territoires_periurbain.csv"),
        "Nom",
    )
)
#: A few variants per source: the suite's runtime stays small.
VARIANTS = ("duplicated-column", "unclosed-quote-at-end", "cell-over-the-limit")


def test_rna_strips_control_characters_before_the_database(ban, tmp_path):
    rows = [dict(row) for row in RNA.rows]
    rows[1]["titre"] = "ARIADNE\x00 THÉÂTRE\x07\x1b"
    report = run(RNA, write(tmp_path, RNA, RNA.render(rows).encode()))
    assert report.created == 2
    assert not [raw for raw in raw_texts(RNA) if "\\u0000" in raw or "\\u0007" in raw]
    assert [raw for raw in raw_texts(RNA) if "ARIADNE THÉÂTRE" in raw]


@pytest.mark.parametrize("case", [RNA, AIDES], ids=str)
@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_a_broken_file_fails_in_french_and_writes_nothing(
    case, variant, ban, tmp_path, settings, unchanged
):
    spoil, limits, message = BROKEN[variant]
    run(case, write(tmp_path / "", case, case.render().encode()))  # a database with data
    path = write(tmp_path, case, spoil(case))
    for name, value in limits.items():
        setattr(settings, name, value)

    def fails():
        with pytest.raises(ImportFailed) as failure:
            run(case, path)
        assert message in str(failure.value)
        assert not [word for word in ENGLISH if word in str(failure.value)]

    unchanged(fails)
    last = ImportRun.objects.filter(source__slug=case.slug).latest("pk")
    assert (last.status, message in last.error) == (RunStatus.FAILED, True)


@pytest.fixture
def communes(fast_communes):
    source_import(slug="communes")


@pytest.mark.parametrize(
    ("content", "limits", "message"),
    [
        (b"[" * 50_000 + b"]" * 50_000, {}, "imbrique ses données sur plus de 64 niveaux"),
        (
            json.dumps([{"pk": 1, "name": "x" * 500}]).encode(),
            {"CARTESS_IMPORT_MAX_JSON_BYTES": 100},
            "dépasse 100 octets de JSON",
        ),
    ],
    ids=["deep", "over-the-size-limit"],
)
def test_siae_json_over_a_limit_fails_in_french_and_writes_nothing(
    communes, tmp_path, settings, unchanged, content, limits, message
):
    for name, value in limits.items():
        setattr(settings, name, value)
    path = tmp_path / "siaes.json"
    path.write_bytes(content)

    def fails():
        with pytest.raises(ImportFailed) as failure:
            source_import(slug="siae", path=path)
        assert message in str(failure.value)

    unchanged(fails)


def test_aides_copies_of_one_aid_cost_linear_time(tmp_path):
    """20,000 copies of one aid: the first kept, every other refused as a duplicate; the
    identifier is read from the link alone (parsing every copy's terms cost 6 s per 20,000).
    The bound leaves room for a loaded machine."""
    copies = 20_000
    header, rows = _read(DATA / "aides-territoires" / "aides-territoires_periurbain.csv")
    rows = [row | {"Périmètre": "Hauts-de-France"} for row in rows]
    first = source_import(
        slug="aides-territoires", path=write(tmp_path, AIDES, AIDES.render(rows, header).encode())
    )
    row = rows[first.loaded[0].number - 2]
    path = write(tmp_path, AIDES, AIDES.render([row] * copies, header).encode())
    started = time.monotonic()
    report = source_import(slug="aides-territoires", path=path)
    assert time.monotonic() - started < 15
    assert (report.unchanged, report.rows_read) == (1, copies)
    assert sum("en double" in r.reason for r in report.rejections) == copies - 1

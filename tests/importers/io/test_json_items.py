"""JSON files read one record at a time (importers.io.json_items): the same records, limits
and messages as reading the file whole with `json`, without a database."""

import codecs
import gzip
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from importers.engine.errors import BadPayload, ImportFailed
from importers.io import json_items
from importers.io.bounded import LimitExceeded
from importers.io.json_items import json_records, keys_check

RECORDS = [
    {"nom": "Café [solidaire] {Lille}", "note": 'guillemet \\" et \\\\', "surface": 12.5},
    {"nom": "Épicerie", "liste": [[1, 2], {"a": None}], "vrai": True},
    "pas un objet",
]


def _records(path, **options) -> tuple[dict, list]:
    found = json_records(path, key="items", **options)
    return found.head, list(found.items())


@pytest.mark.parametrize(
    "payload",
    [RECORDS, {"source": "dora", "items": RECORDS}, {"items": RECORDS, "après": {"x": [1]}}],
    ids=["array", "object", "key-after"],
)
def test_records_are_those_json_reads(tmp_path, payload):
    path = tmp_path / "structures.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    head, items = _records(path, head_keys=("après",))
    assert items == RECORDS
    assert isinstance(items[0]["surface"], float)
    if isinstance(payload, dict):
        assert head == {key: value for key, value in payload.items() if key != "items"}


def test_a_bom_and_gzip_are_read(tmp_path):
    path = tmp_path / "structures.json.gz"
    path.write_bytes(gzip.compress(codecs.BOM_UTF8 + json.dumps(RECORDS).encode()))
    assert _records(path)[1] == RECORDS


@pytest.mark.parametrize(
    "content",
    [b'[{"x": NaN}, {"x": Infinity}]', json.dumps(RECORDS).encode("utf-16")],
    ids=["nan", "utf-16"],
)
def test_what_ijson_cannot_stream_is_read_whole_as_before(tmp_path, content):
    path = tmp_path / "structures.json"
    path.write_bytes(content)
    assert len(_records(path)[1]) == 2 + (b"NaN" not in content)


@pytest.mark.parametrize("content", [b'[{"nom": "Caf', b"<html><body>502</body></html>", b""])
def test_a_broken_file_fails_before_any_record(tmp_path, content):
    path = tmp_path / "structures.json"
    path.write_bytes(content)
    with pytest.raises(BadPayload, match=r"Fichier JSON invalide structures\.json"):
        json_records(path, key="items")


def test_depth_is_counted_across_chunks_and_strings(tmp_path, settings, monkeypatch):
    settings.CARTESS_IMPORT_MAX_JSON_DEPTH = 5
    monkeypatch.setattr(json_items, "_BUF_SIZE", 7)
    path = tmp_path / "structures.json"
    deep_in_strings = [{"nom": "[[[[[[[[[[", "échappé": '\\\\"[[[[[[[[['}] * 50
    path.write_text(json.dumps(deep_in_strings), encoding="utf-8")
    assert len(_records(path)[1]) == 50
    path.write_text(json.dumps([{"nom": "a"}] * 50 + [[[[[[[1]]]]]]]), encoding="utf-8")
    with pytest.raises(LimitExceeded, match="plus de 5 niveaux"):
        json_records(path, key="items")


def test_keys_absent_from_every_record_fail_before_the_first(tmp_path):
    path = tmp_path / "structures.json"
    path.write_text(json.dumps([{"nom": "a"}, {"nom": "b"}]), encoding="utf-8")
    with pytest.raises(ImportFailed, match="Champs absents de tous les enregistrements"):
        json_records(path, key="items", check=lambda _, items: keys_check(items, ["id"], "x"))


def test_a_big_file_is_read_in_bounded_memory(tmp_path):
    """40 MB of records: read whole, `json` needs several times that; streamed, a few MB."""
    path = tmp_path / "big.json"
    record = json.dumps({"nom": "Structure", "coordonnees": [[3.06, 50.63]] * 200})
    with path.open("w", encoding="utf-8") as out:
        out.write('{"items": [' + ",".join([record] * 10_000) + "]}")
    script = textwrap.dedent(
        f"""
        import resource, django
        django.setup()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        from importers.io.json_items import json_records
        count = sum(1 for _ in json_records({str(path)!r}, key="items").items())
        print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
        """
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[3],
    ).stdout.split()
    assert int(output[0]) == 10_000
    assert int(output[1]) < 20_000  # kB: a fraction of the 40 MB file


def test_a_records_key_named_twice_at_the_top_level_fails_before_any_record(tmp_path, monkeypatch):
    # ijson would read the records of both arrays, json only the last: refused, in French,
    # even when the second name is cut across two chunks.
    monkeypatch.setattr(json_items, "_BUF_SIZE", 7)
    path = tmp_path / "lieux.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"id": 1}],\n'
        ' "name": "features", "features" : [{"id": 2}]}',
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed, match="deux fois la clé « features » au premier niveau"):
        json_records(path, key="features")


def test_the_records_key_may_appear_deeper_or_as_a_value(tmp_path, monkeypatch):
    monkeypatch.setattr(json_items, "_BUF_SIZE", 5)
    payload = {
        "titre": "features",
        "features": [{"properties": {"features": [1, 2]}, "note": 'x\\" "features": ['}],
        "après": {"features": []},
    }
    path = tmp_path / "lieux.geojson"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    found = json_records(path, key="features")
    assert list(found.items()) == payload["features"]


def test_a_file_read_whole_refuses_a_records_key_named_twice_as_well(tmp_path):
    # UTF-16 is read whole by json, which would keep the last array without a word.
    path = tmp_path / "lieux.geojson"
    text = '{"features": [{"id": 1}], "a": {"features": 1, "features": 2}, "features": []}'
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    with pytest.raises(ImportFailed, match="deux fois la clé « features » au premier niveau"):
        json_records(path, key="features")
    # Named twice deeper only: read as json reads it.
    path.write_bytes(codecs.BOM_UTF16_LE + text.replace(', "features": []', "").encode("utf-16-le"))
    assert list(json_records(path, key="features").items()) == [{"id": 1}]

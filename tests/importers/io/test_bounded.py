"""The bounded reader (importers.io.bounded) and the raw-value rules (importers.engine.cells),
without a database: what every importer reads goes through them."""

import codecs
import gzip
import io

import pytest

from importers.engine.base import RawRow
from importers.engine.cells import RAW_CUT_MARK, raw_bounded
from importers.engine.errors import ImportFailed
from importers.io.bounded import (
    Encoding,
    LimitExceeded,
    bytes_decode,
    csv_lines,
    encoding_detect,
    json_depth_check,
    json_parse,
    open_text,
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("nom\nCafé\n".encode(), Encoding("utf-8")),
        (codecs.BOM_UTF8 + "nom\nCafé\n".encode(), Encoding("utf-8-sig")),
        ("nom\nCafé\n".encode("utf-16"), Encoding("utf-16")),
        ("nom\nCafé\n".encode("cp1252"), Encoding("cp1252")),
        ("nom\nVélo\n".encode() + "Café\n".encode("latin-1"), Encoding("utf-8", mixed=True)),
        (b"nom\nx\n", Encoding("utf-8")),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "windows-1252", "mixed", "ascii"],
)
def test_one_encoding_detection_for_every_source(tmp_path, content, expected):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    assert encoding_detect(path) == expected
    assert bytes_decode(content, "f.csv").replace("\ufeff", "").startswith("nom")


def test_a_mixed_file_flags_its_other_rows_and_never_guesses(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("Vélo\n".encode() + "Café\n".encode("latin-1"))
    with open_text(path) as stream:
        first, second = stream.read().splitlines()
    assert RawRow(number=1, data={"nom": first}).defect == ""
    assert "encodage mixte" in RawRow(number=2, data={"nom": second}).defect


def test_control_characters_are_stripped_from_every_value_and_key():
    row = RawRow(number=1, data={"no\x00m": "A\x00B\x07", "deep": [{"x": "\x1b1\t2\n"}]})
    assert row.data == {"nom": "AB", "deep": [{"x": "1\t2\n"}]}
    assert row.defect == ""


def test_control_bytes_are_dropped_before_decoding(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"nom\nA\x00B\x0cC\n")
    with open_text(path) as stream:
        assert stream.read() == "nom\nABC\n"


def test_depth_is_checked_without_recursion(settings):
    settings.CARTESS_IMPORT_MAX_JSON_DEPTH = 64
    json_depth_check(b'{"a": [[["[[[[ not brackets in a string"]]]}', name="f.json")
    with pytest.raises(LimitExceeded, match="plus de 64 niveaux"):
        json_depth_check(b"[" * 1_000_000 + b"]" * 1_000_000, name="f.json")
    nested = json_parse(b"[" * 64 + b"]" * 64, name="f.json")
    for _level in range(63):
        (nested,) = nested
    assert nested == []


def test_a_gzip_bomb_stops_at_the_ratio(tmp_path, settings):
    settings.CARTESS_IMPORT_MAX_RATIO = 2
    path = tmp_path / "f.csv"
    path.write_bytes(gzip.compress(b"nom\n" + b"a" * (5 << 20)))
    with pytest.raises(LimitExceeded, match="archive piégée"), open_text(path) as stream:
        stream.read()


def test_a_file_cut_inside_a_character_is_truncated(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("nom\nVélo\nCafé".encode()[:-1])
    with pytest.raises(ImportFailed, match="fichier tronqué"):
        encoding_detect(path)


def test_raw_values_are_bounded_with_a_marker(settings):
    settings.CARTESS_IMPORT_RAW_VALUE_MAX = 5
    raw = {"a": "abcdefgh", "b": [float("nan"), "ok"], "c": 3}
    assert raw_bounded(raw) == {"a": "abcde" + RAW_CUT_MARK, "b": ["nan", "ok"], "c": 3}


def test_a_line_is_read_no_further_than_the_limit(settings):
    settings.CARTESS_IMPORT_MAX_LINE = 10
    assert list(csv_lines(io.StringIO("a,b\r\n123456789\n"), "f.csv")) == ["a,b\r\n", "123456789\n"]
    stream = io.StringIO("a,b\n" + "," * 1000)  # no line break: read 11 characters, not 1000
    lines = csv_lines(stream, "f.csv")
    assert next(lines) == "a,b\n"
    with pytest.raises(LimitExceeded, match="ligne qui dépasse 10 caractères"):
        next(lines)
    assert stream.tell() == 4 + 11


def test_depth_skips_brackets_in_strings_with_escaped_quotes_and_backslashes(settings):
    settings.CARTESS_IMPORT_MAX_JSON_DEPTH = 2
    json_depth_check(rb'{"a\"[[[": ["]]]\\", "", "[[[", "x\\\"]"]}', name="f.json")
    with pytest.raises(LimitExceeded, match="plus de 2 niveaux"):
        json_depth_check(rb'{"a\"": [["\\"]], "b": "]]"}', name="f.json")

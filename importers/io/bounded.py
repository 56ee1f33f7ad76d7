"""Every file an importer reads goes through here: decompressed as a stream within limits,
its encoding detected one way for all sources, its JSON checked for depth before parsing.

Limits (settings, see README): decompressed bytes (`CARTESS_IMPORT_MAX_BYTES`, and at most
`CARTESS_IMPORT_MAX_RATIO` times the compressed file, which stops a zip bomb after a few
hundred MB read and never kept), the longest CSV cell (`CARTESS_IMPORT_MAX_CELL`) and line
(`CARTESS_IMPORT_MAX_LINE`), JSON
depth and size (`CARTESS_IMPORT_MAX_JSON_DEPTH`, `CARTESS_IMPORT_MAX_JSON_BYTES`), rows per
file (`CARTESS_IMPORT_MAX_ROWS`). Past one, `LimitExceeded` (an ImportFailed: the run
writes nothing) says which, in French.

Encodings: a UTF-16 byte order mark means UTF-16; else UTF-8 (a UTF-8 BOM is dropped) when
the whole file decodes; else, when the file also holds valid UTF-8 text, it is a mix: read
as UTF-8 with the undecodable bytes escaped, so that the rows holding them are rejected
(importers.engine.cells), never stored as mojibake; else the first of
`CARTESS_IMPORT_FALLBACK_ENCODINGS` (Windows-1252, Latin-1) that decodes it.
"""

import codecs
import csv
import gzip
import io
import json
import lzma
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from importers.engine.cells import CONTROL_BYTES
from importers.engine.errors import BadPayload, ImportFailed, describe

#: A compressed file this small may decompress to RATIO_FLOOR * ratio bytes whatever its size.
RATIO_FLOOR = 1 << 20
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_LZMA_SUFFIXES = {".lzma", ".xz"}
#: Valid UTF-8 beyond ASCII, once undecodable bytes are escaped as U+DC80..U+DCFF.
_NON_ASCII_TEXT = re.compile("[\u0080-\udc7f\udd00-\U0010ffff]")
#: A byte UTF-8 could not decode, escaped by surrogateescape.
_ESCAPED = re.compile("[\udc80-\udcff]")
#: Every byte but quotes and brackets, dropped before counting (after escaped quotes).
_JSON_NOT_MARK = bytes(byte for byte in range(256) if byte not in b'"[]{}')
#: Once only quotes and brackets are left: a string, or a bracket (group 1).
_JSON_MARK = re.compile(rb'"[^"]*"|([\[\]{}])')
_JSON_OPENING = (b"[", b"{")


class LimitExceeded(ImportFailed):
    """A file goes past one of the reading limits; nothing of it is written."""


@dataclass(frozen=True)
class Encoding:
    """How to decode a file: `name`, and whether it mixes UTF-8 with other bytes
    (`mixed`: decoded with `surrogateescape`, the rows holding them rejected)."""

    name: str
    mixed: bool = False

    @property
    def errors(self) -> str:
        return "surrogateescape" if self.mixed else "strict"

    @property
    def eight_bit(self) -> bool:
        """Whether control bytes can be stripped before decoding (not UTF-16)."""
        return not self.name.startswith("utf-16")


class _Bounded(io.RawIOBase):
    """A binary stream read through, counting decompressed bytes against `limit`, and
    dropping control bytes when `strip` (importers.engine.cells.CONTROL_BYTES)."""

    def __init__(self, stream: IO[bytes], *, limit: int, name: str, strip: bool = False):
        self._stream, self._limit, self._name, self._strip = stream, limit, name, strip
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            chunk = self._stream.read(len(buffer))
            if not chunk:
                return 0
            self.count += len(chunk)
            if self.count > self._limit:
                raise LimitExceeded(
                    _(
                        "%(name)s dépasse %(limit)s octets une fois décompressé (limite "
                        "CARTESS_IMPORT_MAX_BYTES, ou %(ratio)s fois sa taille compressée : "
                        "une archive piégée ?)."
                    )
                    % {
                        "name": self._name,
                        "limit": self._limit,
                        "ratio": settings.CARTESS_IMPORT_MAX_RATIO,
                    }
                )
            if self._strip:
                chunk = chunk.translate(None, CONTROL_BYTES)
                if not chunk:
                    continue
            buffer[: len(chunk)] = chunk
            return len(chunk)


def byte_limit(compressed_size: int | None) -> int:
    """How many decompressed bytes a file may give: CARTESS_IMPORT_MAX_BYTES, and for a
    compressed one at most CARTESS_IMPORT_MAX_RATIO times its size (RATIO_FLOOR at least)."""
    limit = settings.CARTESS_IMPORT_MAX_BYTES
    if compressed_size is None:
        return limit
    return min(limit, settings.CARTESS_IMPORT_MAX_RATIO * max(compressed_size, RATIO_FLOOR))


@contextmanager
def open_binary(
    path: Path,
    *,
    member: Callable[[zipfile.ZipFile], str] | None = None,
    strip_controls: bool = False,
) -> Iterator[IO[bytes]]:
    """`path` decompressed (zip: the entry `member` chooses; gzip; .lzma/.xz), as a
    bounded binary stream. Raises ImportFailed when unreadable, LimitExceeded past a limit."""
    path = Path(path)
    name = path.name
    try:
        with _decompressed(path, member) as (stream, compressed_size):
            bounded = _Bounded(
                stream, limit=byte_limit(compressed_size), name=name, strip=strip_controls
            )
            yield io.BufferedReader(bounded, _CHUNK)
    except (OSError, zipfile.BadZipFile, lzma.LZMAError, EOFError) as error:
        raise ImportFailed(
            _("Fichier illisible %(path)s : %(error)s") % {"path": name, "error": describe(error)}
        ) from error


@contextmanager
def _decompressed(path: Path, member) -> Iterator[tuple[IO[bytes], int | None]]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(member(archive) if member else _only_member(archive))
            if info.file_size > byte_limit(info.compress_size):
                raise LimitExceeded(
                    _(
                        "%(name)s annonce %(size)s octets une fois décompressé : "
                        "au-delà des limites (CARTESS_IMPORT_MAX_BYTES, _MAX_RATIO)."
                    )
                    % {"name": path.name, "size": info.file_size}
                )
            with archive.open(info) as stream:
                yield stream, info.compress_size
        return
    if path.suffix.lower() == ".zip":
        raise zipfile.BadZipFile(path.name)  # named .zip, but not a (whole) zip
    size = path.stat().st_size
    with path.open("rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        if magic == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw) as stream:
                yield stream, size
        elif path.suffix.lower() in _LZMA_SUFFIXES:
            with lzma.LZMAFile(raw) as stream:
                yield stream, size
        else:
            yield raw, None


def _only_member(archive: zipfile.ZipFile) -> str:
    names = [name for name in archive.namelist() if not name.endswith("/")]
    if len(names) != 1:
        raise ImportFailed(
            _("Le zip %(name)s doit contenir un seul fichier.")
            % {"name": Path(archive.filename or "").name}
        )
    return names[0]


# --- Encodings ----------------------------------------------------------------------------


def encoding_detect(path: Path, *, member=None) -> Encoding:
    """The Encoding of `path` (see the module's docstring), read once as a bounded stream.
    Raises ImportFailed when no encoding decodes it, LimitExceeded past a limit."""
    with open_binary(path, member=member) as stream:
        head = stream.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return Encoding("utf-16")
        name = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        valid, has_text = _scan_utf8(head, stream, Path(path).name)
    if valid:
        return Encoding(name)
    if has_text:
        return Encoding(name, mixed=True)
    for fallback in settings.CARTESS_IMPORT_FALLBACK_ENCODINGS:
        if _decodes(path, fallback, member):
            return Encoding(fallback)
    raise ImportFailed(
        _("Encodage illisible pour %(name)s : enregistrez le fichier en UTF-8.")
        % {"name": Path(path).name}
    )


def _scan_utf8(head: bytes, stream: IO[bytes], name: str) -> tuple[bool, bool]:
    """(whether the whole stream is UTF-8, whether it holds valid UTF-8 beyond ASCII).
    Raises ImportFailed when a UTF-8 file ends inside a character (a truncated file)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    valid, has_text = True, False
    chunk = head
    while True:
        final = not chunk
        if final and valid and decoder.getstate()[0]:
            raise ImportFailed(
                _("%(name)s s'arrête au milieu d'un caractère UTF-8 : fichier tronqué.")
                % {"name": name}
            )
        text = decoder.decode(chunk, final=final)
        valid = valid and not _ESCAPED.search(text)
        has_text = has_text or bool(_NON_ASCII_TEXT.search(text))
        if final or (has_text and not valid):
            return valid, has_text
        chunk = stream.read(_CHUNK)


def _decodes(path: Path, encoding: str, member) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open_binary(path, member=member) as stream:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def bytes_decode(content: bytes, name: str) -> str:
    """`content` (a whole small file) as text, by the same rules as `encoding_detect`:
    a mixed file keeps its undecodable bytes escaped. Raises ImportFailed."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFailed(
                _("Fichier illisible %(path)s : %(error)s")
                % {"path": name, "error": describe(error)}
            ) from error
    text = content.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    if _ESCAPED.search(text[-3:]) and not _ESCAPED.search(text[:-3]):
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data":
                raise ImportFailed(
                    _("%(name)s s'arrête au milieu d'un caractère UTF-8 : fichier tronqué.")
                    % {"name": name}
                ) from error
    if not _ESCAPED.search(text) or _NON_ASCII_TEXT.search(text):
        return text
    for fallback in settings.CARTESS_IMPORT_FALLBACK_ENCODINGS:
        try:
            return content.decode(fallback)
        except UnicodeDecodeError:
            continue
    raise ImportFailed(
        _("Encodage illisible pour %(name)s : enregistrez le fichier en UTF-8.") % {"name": name}
    )


@contextmanager
def open_text(path: Path, *, encoding: Encoding | None = None, member=None) -> Iterator[IO[str]]:
    """`path` as a bounded text stream (universal newlines off, for csv), its encoding
    detected unless given; control bytes are dropped before decoding (8-bit and UTF-8)."""
    encoding = encoding or encoding_detect(path, member=member)
    with open_binary(path, member=member, strip_controls=encoding.eight_bit) as binary:
        yield io.TextIOWrapper(binary, encoding=encoding.name, errors=encoding.errors, newline="")


# --- CSV and JSON -------------------------------------------------------------------------


def csv_limit() -> None:
    """Make the csv module refuse a cell longer than CARTESS_IMPORT_MAX_CELL characters
    (one unclosed quote otherwise swallows the rest of the file into one cell)."""
    csv.field_size_limit(settings.CARTESS_IMPORT_MAX_CELL)


def csv_lines(stream: IO[str], name: str) -> Iterator[str]:
    """The physical lines of `stream`, for `csv.reader`, each read no further than
    CARTESS_IMPORT_MAX_LINE characters: a longer one (a row of millions of empty cells, a
    file without line breaks) raises LimitExceeded before it is held whole."""
    limit = settings.CARTESS_IMPORT_MAX_LINE
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith("\n"):
            raise LimitExceeded(
                _(
                    "%(name)s a une ligne qui dépasse %(limit)s caractères "
                    "(limite CARTESS_IMPORT_MAX_LINE)."
                )
                % {"name": name, "limit": limit}
            )
        yield line


def rows_check(count: int, name: str) -> None:
    """Raise LimitExceeded when a file's `count` rows pass CARTESS_IMPORT_MAX_ROWS."""
    if count > settings.CARTESS_IMPORT_MAX_ROWS:
        raise LimitExceeded(
            _("%(name)s a plus de %(limit)s lignes (limite CARTESS_IMPORT_MAX_ROWS).")
            % {"name": name, "limit": settings.CARTESS_IMPORT_MAX_ROWS}
        )


def json_read(path: Path, *, member=None, pairs_hook=None) -> Any:
    """The decoded content of a JSON file (plain or compressed), within the size and depth
    limits (`pairs_hook` as `json_parse`'s). Raises LimitExceeded, ImportFailed
    (unreadable), BadPayload (not JSON)."""
    limit = settings.CARTESS_IMPORT_MAX_JSON_BYTES
    with open_binary(path, member=member) as stream:
        content = stream.read(limit + 1)
    return json_parse(content, name=Path(path).name, pairs_hook=pairs_hook)


def json_parse(content: bytes | str, *, name: str, pairs_hook=None) -> Any:
    """`content` parsed as JSON after its size and depth are checked (without recursion);
    bytes are decoded like any file (bytes_decode); `pairs_hook`, when given, builds each
    object from its (name, value) pairs (json's `object_pairs_hook`). Raises LimitExceeded
    or BadPayload."""
    limit = settings.CARTESS_IMPORT_MAX_JSON_BYTES
    if len(content) > limit:
        raise LimitExceeded(
            _("%(name)s dépasse %(limit)s octets de JSON (limite CARTESS_IMPORT_MAX_JSON_BYTES).")
            % {"name": name, "limit": limit}
        )
    raw = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    json_depth_check(raw, name=name)
    text = bytes_decode(content, name) if isinstance(content, bytes) else content
    try:
        return json.loads(text, object_pairs_hook=pairs_hook)
    except (json.JSONDecodeError, RecursionError) as error:
        raise BadPayload(
            _("Fichier JSON invalide %(path)s : %(error)s")
            % {"path": name, "error": describe(error)}
        ) from error


def json_depth_check(content: bytes, *, name: str) -> None:
    """Raise LimitExceeded when `content` nests arrays and objects deeper than
    CARTESS_IMPORT_MAX_JSON_DEPTH. No recursion, and memory for no more than a copy of
    `content`: escaped quotes and backslashes are dropped, then every byte but quotes and
    brackets, then empty strings (C speed); one scan counts what is left, strings skipped.
    (Removing the strings with re.sub held a piece per string: 780 MB for a 42 MB fixture
    of 100,000 records.)"""
    limit, depth = settings.CARTESS_IMPORT_MAX_JSON_DEPTH, 0
    marks = content.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _JSON_NOT_MARK)
    for match in _JSON_MARK.finditer(marks.replace(b'""', b"")):
        bracket = match.group(1)
        if bracket is None:
            continue  # a string: its brackets do not count
        if bracket not in _JSON_OPENING:
            depth -= 1  # more closings than openings: json.loads says where
            continue
        depth += 1
        if depth > limit:
            raise LimitExceeded(
                _(
                    "%(name)s imbrique ses données sur plus de %(limit)s niveaux "
                    "(limite CARTESS_IMPORT_MAX_JSON_DEPTH)."
                )
                % {"name": name, "limit": limit}
            )

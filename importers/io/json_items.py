"""JSON files read one item at a time (ijson), so that memory stays bounded by the largest
item rather than by the file (issue 14: a 98 MB GeoJSON parsed whole by `json` held 889 MB).

`json_records` reads a file whose records are a top-level array, or the array under one key
of a top-level object (`features` of a FeatureCollection, `items`), within the same limits
as importers.io.bounded: size (`CARTESS_IMPORT_MAX_JSON_BYTES`) and depth
(`CARTESS_IMPORT_MAX_JSON_DEPTH`, checked on each chunk as it is read, without recursion).
The file is first read through once (the caller's `check` sees every item), so a broken file
fails before a row is yielded. Whatever ijson cannot stream the same way as `json` — a file
that is not plain UTF-8, a truncated or HTML file, `NaN` or `Infinity`, another shape — is
read whole by importers.io.bounded.json_read as before: same values, same French messages.
"""

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson
from django.conf import settings
from django.utils.translation import gettext as _

from importers.engine.errors import ImportFailed
from importers.io.bounded import (
    _JSON_NOT_MARK,
    _JSON_OPENING,
    LimitExceeded,
    encoding_detect,
    json_read,
    open_binary,
)

#: What ijson raises on a file it cannot stream like `json` would read it.
#: How many bytes ijson asks for at a time.
_BUF_SIZE = 64 * 1024
_UNSTREAMABLE = (ijson.JSONError, UnicodeDecodeError, StopIteration)


@dataclass
class JsonRecords:
    """The records of a JSON file: `head`, the top-level members other than the records'
    key (those written before the records when streamed, and those asked for), `items()`, a
    fresh iterator over the records (None when the file holds no list where expected), and
    whether the file is an object (`is_object`) or a top-level array."""

    head: dict
    items: Callable[[], Iterator[Any]] | None
    is_object: bool = True


def json_records(
    path: Path,
    *,
    key: str,
    member=None,
    head_keys: Collection[str] = (),
    check: Callable[[JsonRecords, Iterator[Any]], None] | None = None,
) -> JsonRecords:
    """The records of `path`: its top-level array, or the array under `key` of its
    top-level object. `check(records, items)`, when given, runs over every record once before
    this returns (e.g. required keys); `head_keys` are top-level members the caller needs in
    `head` even when they come after the records (read by one more pass each).

    Raises LimitExceeded past the size or depth limit, ImportFailed when unreadable,
    BadPayload when not JSON, and whatever `check` raises.
    """
    path = Path(path)
    encoding = encoding_detect(path, member=member)
    if encoding.name in ("utf-8", "utf-8-sig") and not encoding.mixed:
        try:
            head, prefix = _shape(path, key, member)
            if prefix is not None:
                head |= _members(path, [name for name in head_keys if name not in head], member)
                records = JsonRecords(head, lambda: _items(path, prefix, member), prefix != "item")
                (check or _read_through)(records, records.items())
                return records
        except _UNSTREAMABLE:
            pass  # read whole below: json says what is wrong, as before
    return _whole(path, key, member, check)


def keys_check(records: Iterable[Mapping], keys: Collection[str], name: str) -> None:
    """Like importers.io.readers.require_keys, over records streamed once: raise
    ImportFailed when one of `keys` is absent from every record of a non-empty file."""
    seen: set[str] = set()
    empty = True
    for record in records:
        empty = False
        seen.update(key for key in keys if key in record)
    missing = [key for key in keys if key not in seen]
    if missing and not empty:
        raise ImportFailed(
            _("Champs absents de tous les enregistrements de %(name)s : %(missing)s.")
            % {"name": name, "missing": ", ".join(missing)}
        )


def objects_only(records: Iterable[Any]) -> Iterator[dict]:
    """`records`, each that is not a JSON object made an empty record (rejected)."""
    return (record if isinstance(record, dict) else {} for record in records)


def _read_through(_records: JsonRecords, items: Iterator[Any]) -> None:
    for _item in items:
        pass


def _whole(path: Path, key: str, member, check) -> JsonRecords:
    # json keeps the last of two members of the same name: whether the records' key was
    # named twice is noted object by object, the top-level object's being the last built.
    last_object = {"named": 0}

    def pairs(members: list[tuple[str, Any]]) -> dict:
        last_object["named"] = sum(1 for name, _value in members if name == key)
        return dict(members)

    payload = json_read(path, member=member, pairs_hook=pairs)
    if isinstance(payload, dict) and last_object["named"] > 1:
        raise ImportFailed(_twice_message(path.name, key))
    if isinstance(payload, dict):
        records = payload.get(key)
        head = {name: value for name, value in payload.items() if name != key}
    else:
        records, head = payload, {}
    if not isinstance(records, list):
        return JsonRecords(head, None, isinstance(payload, dict))
    found = JsonRecords(head, lambda: iter(records), isinstance(payload, dict))
    (check or _read_through)(found, iter(records))
    return found


def _shape(path: Path, key: str, member) -> tuple[dict, str | None]:
    """(the top-level members before the records, the ijson prefix of the records or None
    when the file holds no list there), from the first events of the file."""
    with _stream(path, member) as stream:
        events = ijson.parse(stream, buf_size=_BUF_SIZE, use_float=True)
        _, event, _ = next(events)
        if event == "start_array":
            return {}, "item"
        if event != "start_map":
            return {}, None
        return _head(events, key)


def _head(events: Iterator, key: str) -> tuple[dict, str | None]:
    head: dict = {}
    for prefix, event, value in events:
        if prefix != "" or event != "map_key":
            return head, None  # the end of the object: no records
        _, first, scalar = next(events)
        if value == key:
            return head, (f"{key}.item" if first == "start_array" else None)
        head[value] = _value(events, first, scalar)
    return head, None


def _value(events: Iterator, first: str, scalar: Any) -> Any:
    """One top-level member's value, built from its events (a small one: crs, type…)."""
    if first not in ("start_map", "start_array"):
        return scalar
    builder = ijson.ObjectBuilder()
    builder.event(first, scalar)
    depth = 1
    while depth:
        _, event, value = next(events)
        depth += event in ("start_map", "start_array")
        depth -= event in ("end_map", "end_array")
        builder.event(event, value)
    return builder.value


def _members(path: Path, names: list[str], member) -> dict:
    """The top-level members `names` of an object file, wherever they are."""
    found = {}
    for name in names:
        with _stream(path, member) as stream:
            for value in ijson.items(stream, name, buf_size=_BUF_SIZE, use_float=True):
                found[name] = value  # the last one, as json keeps it
    return found


def _items(path: Path, prefix: str, member) -> Iterator[Any]:
    # An object file's records key, counted at the top level as the stream goes by: ijson
    # would yield the items of every array under it, where `json` keeps the last one only.
    key = prefix.removesuffix(".item") if prefix != "item" else None
    with _stream(path, member, key=key) as stream:
        yield from ijson.items(stream, prefix, buf_size=_BUF_SIZE, use_float=True)


class _Checked:
    """A binary stream read through, past a UTF-8 byte order mark, that raises
    LimitExceeded once it gives more than CARTESS_IMPORT_MAX_JSON_BYTES or nests arrays and
    objects deeper than CARTESS_IMPORT_MAX_JSON_DEPTH (counted per chunk, strings skipped,
    like importers.io.bounded.json_depth_check); with `key`, ImportFailed when the top-level
    object names that member twice (its records would be read from both)."""

    def __init__(self, stream: IO[bytes], name: str, key: str | None = None):
        self._stream, self._name = stream, name
        self._count = self._depth = 0
        self._in_string = False
        self._carry = b""
        self._key = None if key is None else key.encode()
        self._key_seen = False
        #: A string of the top-level object being read (None: not in one), then, once
        #: closed, waiting for what follows it to say whether it names a member.
        self._top_string: bytes | None = None
        self._top_closed: bytes | None = None
        if stream.peek(3)[:3] == b"\xef\xbb\xbf":
            stream.read(3)

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self._count += len(chunk)
        limit = settings.CARTESS_IMPORT_MAX_JSON_BYTES
        if self._count > limit:
            raise LimitExceeded(
                _(
                    "%(name)s dépasse %(limit)s octets de JSON "
                    "(limite CARTESS_IMPORT_MAX_JSON_BYTES)."
                )
                % {"name": self._name, "limit": limit}
            )
        self._scan(chunk, final=not chunk and size != 0)
        return chunk

    def _scan(self, chunk: bytes, *, final: bool) -> None:
        data = self._carry + chunk
        # A run of backslashes cut by the chunk's end waits for the next chunk.
        kept = data if final else data.rstrip(b"\\")
        self._carry = data[len(kept) :]
        unescaped = kept.replace(b"\\\\", b"").replace(b'\\"', b"")
        marks = unescaped.translate(None, _JSON_NOT_MARK)
        texts = unescaped.split(b'"') if self._key is not None else None
        for index, part in enumerate(marks.split(b'"')):
            if index:
                self._in_string = not self._in_string
                if self._key is not None:
                    self._string_edge()
            if not self._in_string:
                if self._top_closed is not None:
                    self._member_check(texts[index])
                self._count_brackets(part)
            elif self._top_string is not None:
                self._top_string += texts[index]

    def _string_edge(self) -> None:
        """A string opens or closes: remember a top-level one (depth 1) until it closes."""
        if self._in_string:
            self._top_string = b"" if self._depth == 1 else None
        elif self._top_string is not None:
            self._top_closed, self._top_string = self._top_string, None

    def _member_check(self, text: bytes) -> None:
        """`text` follows a closed top-level string: a colon makes it a member's name."""
        following = text.lstrip()
        if not following:
            return  # the rest of the file will tell
        named, self._top_closed = self._top_closed, None
        if following[:1] != b":" or named != self._key:
            return
        if self._key_seen:
            raise ImportFailed(_twice_message(self._name, self._key.decode()))
        self._key_seen = True

    def _count_brackets(self, part: bytes) -> None:
        limit = settings.CARTESS_IMPORT_MAX_JSON_DEPTH
        for byte in part:
            if byte not in _OPENING_BYTES:
                self._depth -= 1
                continue
            self._depth += 1
            if self._depth > limit:
                raise LimitExceeded(
                    _(
                        "%(name)s imbrique ses données sur plus de %(limit)s niveaux "
                        "(limite CARTESS_IMPORT_MAX_JSON_DEPTH)."
                    )
                    % {"name": self._name, "limit": limit}
                )


def _twice_message(name: str, key: str) -> str:
    return _(
        "%(name)s contient deux fois la clé « %(key)s » au premier niveau : "
        "lequel des deux tableaux importer ? Gardez-en un seul."
    ) % {"name": name, "key": key}


_OPENING_BYTES = frozenset(byte for mark in _JSON_OPENING for byte in mark)


@contextmanager
def _stream(path: Path, member, key: str | None = None) -> Iterator[_Checked]:
    with open_binary(path, member=member) as stream:
        yield _Checked(stream, path.name, key=key)

"""What a raw value may hold before it reaches the database: no control characters, no
undecodable bytes, a bounded length in what is kept of it. Pure.

- Control characters (C0 but tab, line feed and carriage return; DEL) are stripped from
  every text value, keys included: PostgreSQL refuses NUL in text and JSON, and no field of
  any source means anything with them (a NUL, a form feed is the residue of a binary
  export). Tab and line breaks stay: descriptions span lines; the mappers trim single-line
  fields.
- A value holding bytes its file's encoding could not decode (a Latin-1 row in a UTF-8
  file, read with `surrogateescape` by importers.io.readers; a lone surrogate in JSON) is
  never guessed at: its row is rejected (`mixed_encoding_reason`), and what the rejection
  keeps shows the bytes as U+FFFD.
- `raw_bounded` cuts each text value over settings.CARTESS_IMPORT_RAW_VALUE_MAX characters
  with `RAW_CUT_MARK`, for what provenance and rejections keep (the content hash is taken
  on the whole record first, so a change past the cut is still seen).
"""

import json
import math
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

#: C0 controls but tab, LF and CR, and DEL.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Lone surrogates: undecodable bytes (surrogateescape) or a broken JSON \\u escape.
_SURROGATES = re.compile("[\ud800-\udfff]")
_DIRTY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: The same controls as bytes, for streams stripped before decoding (8-bit and UTF-8 only).
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
#: What ends a raw value cut by `raw_bounded`.
RAW_CUT_MARK = "…[tronqué]"
#: JSON as PostgreSQL takes it: no NaN nor Infinity (a ValueError sends `raw_json` the long way).
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
#: A control character as a JSON text escapes it (PostgreSQL's jsonb output).
_ESCAPED_CONTROL = re.compile(r"\\u00(?:[01][0-9a-fA-F]|7[fF])")


def mixed_encoding_reason() -> str:
    """The rejection reason of a row whose bytes its file's encoding could not decode."""
    return _(
        "Ligne dans un autre encodage que le reste du fichier (encodage mixte) : "
        "caractères illisibles, rien n'est deviné ; réenregistrez le fichier en UTF-8."
    )


def text_clean(value: str) -> tuple[str, bool]:
    """(`value` without control characters, whether it holds undecodable bytes). These
    stay (a source that builds a new row from this one finds them again); `raw_bounded`
    shows them as U+FFFD in what is stored."""
    if _CONTROLS.search(value):
        value = _CONTROLS.sub("", value)
    return value, bool(_SURROGATES.search(value))


def record_clean(data: dict[str, Any]) -> bool:
    """Clean every text of `data` in place, nested dicts and lists included (walked without
    recursion); True when one held undecodable bytes (see `text_clean`)."""
    if _flat_and_clean(data):
        return False
    undecodable = False
    pending: list[Any] = [data]
    while pending:
        container = pending.pop()
        items = container.items() if isinstance(container, dict) else enumerate(container)
        updates = []
        for key, value in items:
            if isinstance(value, str):
                cleaned, bad = text_clean(value)
                undecodable |= bad
                if cleaned is not value:
                    updates.append((key, cleaned))
            elif isinstance(value, dict | list):
                pending.append(value)
        for key, value in updates:
            container[key] = value
        if isinstance(container, dict) and any(isinstance(key, str) for key in container):
            undecodable |= _clean_keys(container)
    return undecodable


def _flat_and_clean(data: dict[str, Any]) -> bool:
    """Whether `data` is a flat record of clean texts: one search over all its texts, the
    common case (every row of every file goes through here)."""
    values = data.values()
    if any(isinstance(value, dict | list) for value in values):
        return False
    return not _DIRTY.search("".join(map(str, data)) + "".join(map(str, values)))


def _clean_keys(container: dict) -> bool:
    undecodable = False
    for key in [key for key in container if isinstance(key, str)]:
        cleaned, bad = text_clean(key)
        undecodable |= bad
        if cleaned != key:
            container[cleaned] = container.pop(key)
    return undecodable


def raw_bounded(data: Any) -> Any:
    """A copy of the raw record `data` whose text values (nested ones too: the depth of a
    record is bounded by the JSON limits) are at most settings.CARTESS_IMPORT_RAW_VALUE_MAX
    characters, a longer one cut and marked, undecodable bytes shown as U+FFFD, a NaN or
    infinite number as text."""
    return _bounded(data, settings.CARTESS_IMPORT_RAW_VALUE_MAX)


def _bounded(data: Any, limit: int) -> Any:
    if isinstance(data, str):
        if _SURROGATES.search(data):
            data = _SURROGATES.sub("\ufffd", data)
        return data if len(data) <= limit else data[:limit] + RAW_CUT_MARK
    if isinstance(data, float) and not math.isfinite(data):
        return str(data)  # JSON has no NaN nor Infinity: PostgreSQL would refuse the record
    if isinstance(data, dict):
        return {key: _bounded(value, limit) for key, value in data.items()}
    if isinstance(data, list):
        return [_bounded(value, limit) for value in data]
    return data


def raw_json(data: Any) -> str:
    """`raw_bounded(data)` as JSON text, what a rejection keeps. In the common case one
    encoding and one search: a text no longer than the limit holds no longer value."""
    limit = settings.CARTESS_IMPORT_RAW_VALUE_MAX
    try:
        text = _encode(data)
    except ValueError:  # a NaN or infinite number
        text = ""
    if text and len(text) <= limit and not _SURROGATES.search(text):
        return text
    return _encode(_bounded(data, limit))


def raw_json_of_text(text: str) -> str:
    """`raw_json` of a record PostgreSQL gives back as JSON text (a jsonb column, which
    holds no undecodable bytes): kept as it is when short and free of control characters,
    else read, cleaned (`record_clean`) and bounded."""
    if len(text) <= settings.CARTESS_IMPORT_RAW_VALUE_MAX and not _ESCAPED_CONTROL.search(text):
        return text
    data = json.loads(text)
    if isinstance(data, dict):
        record_clean(data)
    return raw_json(data)

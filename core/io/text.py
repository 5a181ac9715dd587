"""The one encoding policy for users' text files (CSV, TXT, JSON survey files), also applied
to the text of a Shapefile's attributes, field by field (:func:`fields_encoding`).

1. UTF-8, with or without a byte-order mark (what current software and Excel's
   "CSV UTF-8" write);
2. otherwise Windows-1258 (cp1258), what Vietnamese office PCs export as "CSV";
3. refused, naming the line: a file holding NUL or other control bytes (binary, not text),
   a file mixing UTF-8 and cp1258 lines (decoding it either way would turn one part into
   mojibake: "Cầu Thái Bình" -> "Cáº§u ThĂ¡i BĂ¬nh"), and bytes that are neither.

The text is NFC-composed (cp1258 writes Vietnamese tone marks as combining characters), so
"Cầu" reads the same from either encoding. A caller may fix the encoding (``utf-8``,
``utf-8-sig`` or ``cp1258``); then only that one is tried.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from .errors import FileError
from .paths import read_bytes

AUTO = "auto"
ENCODINGS = ("utf-8", "utf-8-sig", "cp1258")  # what a caller may fix instead of AUTO
# C0 control bytes no text file holds (tab, LF, VT, FF, CR, SUB and ESC are allowed)
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x19\x1c-\x1f]")


@dataclass(frozen=True)
class DecodedText:
    """A file's text (NFC) and the encoding it was read with."""

    text: str
    encoding: str


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _first_utf8_line(data: bytes) -> int | None:
    """The first line holding non-ASCII bytes that are valid UTF-8, or None."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if max(line, default=0) >= 0x80:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return number
    return None


def check_encoding(encoding: str, source: str) -> str:
    """``encoding`` (its normal name) if the policy allows it: ``auto`` or :data:`ENCODINGS`."""
    if encoding == AUTO:
        return AUTO
    try:
        normal = codecs.lookup(encoding).name
    except (LookupError, TypeError):
        normal = None
    if normal not in ENCODINGS:
        raise FileError(f"{source}: encoding {encoding!r} is not supported (use auto, "
                        f"{', '.join(ENCODINGS)})")
    return normal


def decode_bytes(data: bytes, source: str, encoding: str = AUTO) -> DecodedText:
    """Decode ``data`` by the policy above; ``source`` names the file in errors."""
    encoding = check_encoding(encoding, source)
    binary = _BINARY.search(data)
    if binary:
        raise FileError(f"{source}: line {_line_of(data, binary.start())}: holds control "
                        f"byte 0x{data[binary.start()]:02x}: a binary file, not text")
    bom = data.startswith(codecs.BOM_UTF8)
    if encoding == "cp1258" and bom:
        raise FileError(f"{source}: starts with a UTF-8 byte-order mark, but cp1258 is set")
    skip = len(codecs.BOM_UTF8) if bom else 0
    try:
        if encoding in (AUTO, "utf-8", "utf-8-sig"):
            text = data[skip:].decode("utf-8")
            used = "utf-8-sig" if bom else "utf-8"
        else:
            text, used = data.decode("cp1258"), "cp1258"
        return DecodedText(unicodedata.normalize("NFC", text), used)
    except UnicodeDecodeError as exc:
        bad_line = _line_of(data, exc.start + (skip if encoding != "cp1258" else 0))
        if encoding != AUTO:
            raise FileError(f"{source}: line {bad_line}: not {encoding} text "
                            f"({exc.reason})") from None
    utf8_line = _first_utf8_line(data)
    if bom or utf8_line is not None:
        where = "it starts with a UTF-8 byte-order mark" if bom else \
            f"line {utf8_line} is UTF-8"
        raise FileError(f"{source}: line {bad_line}: not UTF-8 text, but {where}: the file "
                        "mixes encodings (save it again as UTF-8)")
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise FileError(f"{source}: line {_line_of(data, exc.start)}: neither UTF-8 nor "
                        "cp1258 (Vietnamese Windows) text; save it as UTF-8") from None
    return DecodedText(unicodedata.normalize("NFC", text), "cp1258")


def read_text(path: Union[str, Path], what: str = "input file",
              encoding: str = AUTO) -> DecodedText:
    """Read a user's text file by the policy above (errors name the file and the line)."""
    return decode_bytes(read_bytes(path, what), str(path), encoding)


def _text_kind(value: bytes) -> str:
    """``ascii``, ``utf-8``, ``cut`` (UTF-8 but for a letter cut off at its end, as a tool that
    cuts text at a field's width in bytes leaves it) or ``other``."""
    if max(value, default=0) < 0x80:
        return "ascii"
    try:
        value.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "cut" if exc.reason == "unexpected end of data" else "other"
    return "utf-8"


def decode_field(value: bytes, encoding: str) -> str:
    """A field's bytes as NFC text in ``encoding`` (``utf-8`` or ``cp1258``); a UTF-8 letter
    cut off at the end of the field is left out (the rest of it is not in the file)."""
    if encoding == "utf-8" and _text_kind(value) == "cut":
        try:
            value.decode("utf-8")
        except UnicodeDecodeError as exc:
            value = value[:exc.start]
    return unicodedata.normalize("NFC", value.decode(encoding))


def fields_encoding(rows, source: str, declared: str = AUTO, fix: str = "") -> str:
    """The encoding of the text fields of a binary table (a Shapefile's ``.dbf``) by the
    policy above, field by field: ``utf-8`` when every text is UTF-8 (a letter cut off at the
    end of a field counts as UTF-8), else ``cp1258``; refused naming the 1-based rows and the
    fields when UTF-8 and other texts mix, when a text is neither, or, ``declared`` ``utf-8``
    (a ``.cpg`` saying so), when a text is not UTF-8 (``fix`` says how to declare cp1258).

    ``rows``: (row number, {field name: bytes}) pairs."""
    first_utf8 = None
    others: list = []
    for number, values in rows:
        for name, value in values.items():
            kind = _text_kind(value)
            if kind == "utf-8" and first_utf8 is None:
                first_utf8 = (number, name)
            elif kind == "other":
                others.append((number, name, value))
    if not others:
        return "utf-8"

    def where(found) -> str:
        return f"row {found[0]}, field {found[1]!r}"

    more = (f" (also {', '.join(where(o) for o in others[1:10])}"
            f"{', ...' if len(others) > 10 else ''})" if len(others) > 1 else "")
    if declared == "utf-8":
        try:
            shown = f" (as Windows-1258: {decode_field(others[0][2], 'cp1258').strip()[:40]!r})"
        except UnicodeDecodeError:
            shown = ""
        raise FileError(f"{source}: {where(others[0])}: not UTF-8 text as the file declares"
                        f"{shown}{more}; if the file is Windows-1258 (Vietnamese Windows), "
                        f"{fix or 'declare it so'}, else save it again as UTF-8; nothing was "
                        "read")
    if first_utf8 is not None:
        raise FileError(f"{source}: {where(others[0])}: not UTF-8 text, but "
                        f"{where(first_utf8)} is UTF-8{more}: the file mixes encodings (save "
                        "it again as UTF-8)")
    for number, name, value in others:
        try:
            value.decode("cp1258")
        except UnicodeDecodeError:
            raise FileError(f"{source}: {where((number, name))}: neither UTF-8 nor cp1258 "
                            "(Vietnamese Windows) text; save it as UTF-8 with a .cpg "
                            "file") from None
    return "cp1258"

"""The one encoding policy for users' text files (CSV, TXT, JSON survey files), also applied
to the text of a Shapefile's attributes when it declares no encoding (:func:`records_encoding`).

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


def records_encoding(records, source: str, what: str = "record") -> str:
    """The encoding of the text in a binary table's records (a Shapefile's ``.dbf`` rows,
    which declares none) by the policy above: ``utf-8`` when every record is UTF-8, else
    ``cp1258``; refused naming the 1-based record when UTF-8 and other records mix, or a
    record is neither."""
    first_utf8 = first_other = None
    for number, record in enumerate(records, start=1):
        if max(record, default=0) < 0x80:
            continue
        try:
            record.decode("utf-8")
        except UnicodeDecodeError:
            first_other = first_other or number
        else:
            first_utf8 = first_utf8 or number
    if first_other is None:
        return "utf-8"
    if first_utf8 is not None:
        raise FileError(f"{source}: {what} {first_other}: not UTF-8 text, but {what} "
                        f"{first_utf8} is UTF-8: the file mixes encodings (save it again as "
                        "UTF-8)")
    for number, record in enumerate(records, start=1):
        try:
            record.decode("cp1258")
        except UnicodeDecodeError:
            raise FileError(f"{source}: {what} {number}: neither UTF-8 nor cp1258 (Vietnamese "
                            "Windows) text; save it as UTF-8 with a .cpg file") from None
    return "cp1258"

"""Read a weighing-record CSV (format in :mod:`.csv_format`) into validated numpy arrays.

Parsing is vectorised: pandas' C parser reads the file, the semicolon lists are parsed by a
second C-parser pass into a padded matrix, ISO 8601 times are decoded with numpy on a
fixed-width character view. Bad rows do not stop the read: each problem becomes a
:class:`..io.rows.RowError` naming the line and column, and the row is left out of the arrays.
The file is UTF-8 (read directly by pandas); any other file goes through the one encoding
policy of :mod:`..io.text` (cp1258 is read; mixed, binary or other text is refused).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from ..errors import Cancelled, RoadInfraError
from ..io.errors import FileError
from ..io.paths import input_file
from ..io.rows import RowError
from ..io.tabular import allow_fields_of
from ..io.text import read_text
from . import csv_format as fmt

Progress = Optional[Callable[[float], None]]
IsCancelled = Optional[Callable[[], bool]]

_EXTRA = 8  # spare columns to catch rows with more fields than the header
# The whole days a pandas time (int64 nanoseconds since 1970) holds, 1677-09-22..2262-04-10:
# a record outside is refused by every loads command alike (statistics use pandas times).
FIRST_TIME = np.datetime64(pd.Timestamp.min.ceil("D"), "s")
LAST_TIME = np.datetime64(pd.Timestamp.max.floor("D") - pd.Timedelta(seconds=1), "s")
_TIME_WIDTH = 26  # fast-path time strings are 19..25 characters; a 26th marks a longer one


class RecordsError(RoadInfraError):
    """The file as a whole cannot be read (missing, not CSV, required columns missing)."""




@dataclass
class WeighingRecords:
    """The valid rows of a file as arrays (one entry per vehicle), plus the row errors."""

    path: str
    rows_read: int  # data rows in the file (valid + rejected)
    line: np.ndarray  # int64, 1-based file line of each record
    station_codes: np.ndarray  # object, distinct station codes (sorted)
    station: np.ndarray  # int32, index into station_codes
    weighed_at: np.ndarray  # datetime64[s], UTC
    vehicle_type: np.ndarray  # int8, index into csv_format.VEHICLE_TYPES
    axle_count: np.ndarray  # int8
    loads_kg: np.ndarray  # int32 (n, largest axle_count), zero-padded after axle_count
    spacings_mm: np.ndarray  # int32 (n, largest axle_count - 1), zero-padded
    gross_kg: np.ndarray  # int32
    lane: np.ndarray  # int16, 0 = not given
    direction: np.ndarray  # object, "" = not given
    errors: List[RowError] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.line.shape[0])

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.errors})

    def station_code_of(self) -> np.ndarray:
        return self.station_codes[self.station]


class _Collector:
    """Gathers row errors from boolean masks (vectorised; Python only over the bad rows)."""

    def __init__(self, path: str, lines: np.ndarray):
        self.path = path
        self.lines = lines
        self.bad = np.zeros(lines.shape[0], dtype=bool)
        self.errors: List[RowError] = []

    def add(self, mask: np.ndarray, column: str, message: Union[str, Callable[[int], str]]):
        mask = mask & ~self.bad  # report the first problem of a row only
        idx = np.flatnonzero(mask)
        for i in idx:
            text = message(int(i)) if callable(message) else message
            self.errors.append(RowError(self.path, int(self.lines[i]), column, text))
        self.bad |= mask


def _read_table(path: Path) -> pd.DataFrame:
    """The file as a frame; UTF-8 straight into pandas' C parser, anything else decoded by
    the policy of :mod:`..io.text` first (which refuses mixed and binary files)."""
    try:
        input_file(path, "weighing-record CSV")
        with open(path, "rb") as handle:
            head = handle.readline()
    except FileError as exc:
        raise RecordsError(str(exc)) from None
    except OSError as exc:
        raise RecordsError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        header_line = head.decode("utf-8-sig")
        source, encoding = path, "utf-8-sig"
        return _parse_table(path, source, encoding, header_line)
    except UnicodeDecodeError:
        pass
    try:
        decoded = read_text(path, "weighing-record CSV")
    except FileError as exc:
        raise RecordsError(str(exc)) from None
    header_line = decoded.text.split("\n", 1)[0]
    return _parse_table(path, io.StringIO(decoded.text), None, header_line)


def _parse_table(path: Path, source, encoding: Optional[str],
                 header_line: str) -> pd.DataFrame:
    allow_fields_of(len(header_line))
    header = [h.strip() for h in next(csv.reader([header_line.rstrip("\r\n")],
                                                 delimiter=fmt.DELIMITER), [])]
    missing = [c for c in fmt.REQUIRED_COLUMNS if c not in header]
    if missing:
        hint = ""
        if fmt.LIST_SEPARATOR in header_line and fmt.DELIMITER not in header_line:
            hint = (f"; the header is separated by '{fmt.LIST_SEPARATOR}', "
                    f"expected '{fmt.DELIMITER}'")
        raise RecordsError(
            f"{path}: line 1: missing column(s) {', '.join(missing)} "
            f"(required: {', '.join(fmt.REQUIRED_COLUMNS)}){hint}")
    if len(set(header)) != len(header):
        raise RecordsError(f"{path}: line 1: a column name appears twice")
    text_cols = ["station_code", "weighed_at", "vehicle_type", "axle_loads_t",
                 "axle_spacings_m", "direction"]
    options = dict(
        sep=fmt.DELIMITER, engine="c", encoding=encoding, skip_blank_lines=False,
        skipinitialspace=True, keep_default_na=False, na_values=[""],
        dtype={c: str for c in text_cols if c in header},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            try:
                frame = pd.read_csv(source, **options)
                frame.columns = header
            except pd.errors.ParserError:
                # some row has more fields than the header: read again with spare columns
                # so that the row can be reported and the others checked
                if isinstance(source, io.StringIO):
                    source.seek(0)
                names = header + [f"__extra{i}" for i in range(_EXTRA)]
                frame = pd.read_csv(source, header=None, skiprows=1, names=names, **options)
    except pd.errors.ParserError as exc:
        raise RecordsError(f"{path}: not readable as CSV: {exc}") from None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=header)
    return frame


def _numbers(series: pd.Series) -> Tuple[np.ndarray, np.ndarray]:
    """Float values (NaN when empty or bad) and a mask of present-but-unparsable cells."""
    if series.dtype.kind in "fiu":
        return series.to_numpy(dtype=np.float64), np.zeros(len(series), dtype=bool)
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(values) & series.notna().to_numpy()
    return values, bad


def _split_lists(series: pd.Series, width: int) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse ``"a;b;c"`` cells into a (n, width) float matrix (NaN padded).

    Returns the matrix, the number of values per cell (separators + 1; 0 for empty cells)
    and a mask of cells holding a value that is not a finite number or more than ``width``
    values. Fast path: count separators on the UTF-8 bytes, parse every value of the column
    in one ``numpy.fromstring`` call and scatter them by the counts. When some value does not
    parse, the column is parsed again by pandas' C parser to find the bad cells.
    """
    n = len(series)
    cells = series.fillna("").to_numpy(dtype=object)
    joined = "\n".join(cells)
    raw = np.frombuffer((joined + "\n").encode("utf-8"), dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    if newlines.shape[0] != n:  # a cell holding a line break: flatten it
        cells = series.fillna("").str.replace("\n", " ").to_numpy(dtype=object)
        joined = "\n".join(cells)
        raw = np.frombuffer((joined + "\n").encode("utf-8"), dtype=np.uint8)
        newlines = np.flatnonzero(raw == 10)
    starts = np.concatenate(([0], newlines[:-1] + 1)).astype(np.int64)
    if n:
        seps = np.add.reduceat(raw == ord(fmt.LIST_SEPARATOR), starts, dtype=np.int64)
    else:
        seps = np.zeros(0, dtype=np.int64)
    counts = np.where(newlines > starts, seps + 1, 0)  # empty cell: no value
    bad = counts > width
    take = (counts > 0) & ~bad
    width = max(1, int(counts[take].max())) if take.any() else 1  # only the columns in use
    matrix = np.full((n, width), np.nan)
    flat = None
    if take.any():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                text = (joined.replace("\n", fmt.LIST_SEPARATOR) if take.all()
                        else fmt.LIST_SEPARATOR.join(cells[take]))
                flat = np.fromstring(text, sep=fmt.LIST_SEPARATOR)
            except (DeprecationWarning, ValueError):
                flat = None
        if flat is None or flat.shape[0] != int(counts[take].sum()):
            return _split_lists_slow(cells, width, counts, bad)
        rows = np.repeat(np.flatnonzero(take), counts[take])
        offsets = np.repeat(np.cumsum(counts[take]) - counts[take], counts[take])
        matrix[rows, np.arange(flat.shape[0]) - offsets] = flat
        bad |= np.isinf(matrix).any(axis=1)
    return matrix, counts, bad


def _split_lists_slow(cells: np.ndarray, width: int, counts: np.ndarray,
                      bad: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell-exact parse with pandas' C parser (used when the fast path meets a bad value)."""
    n = cells.shape[0]
    joined = "\n".join(np.where(bad, "", cells))
    parsed = pd.read_csv(
        io.StringIO(joined), sep=fmt.LIST_SEPARATOR, header=None, names=range(width),
        engine="c", skip_blank_lines=False, skipinitialspace=True, keep_default_na=False,
        na_values=[""], dtype=str,
    )
    matrix = np.empty((n, width), dtype=np.float64)
    bad = bad.copy()
    for j in range(width):
        values, col_bad = _numbers(parsed[j])
        matrix[:, j] = values
        bad |= col_bad | np.isinf(values)
    return matrix, counts, bad


def _fit(matrix: np.ndarray, width: int) -> np.ndarray:
    """``matrix`` cut or zero-padded to ``width`` columns."""
    if matrix.shape[1] >= width:
        return matrix[:, :width]
    return np.pad(matrix, ((0, 0), (0, width - matrix.shape[1])))


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (vectorised)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def parse_times(series: pd.Series) -> Tuple[np.ndarray, np.ndarray]:
    """ISO 8601 texts -> (datetime64[s] UTC, bad mask). A time without offset is +07:00.

    ``YYYY-MM-DDTHH:MM:SS`` (or a space for the ``T``) with nothing, ``Z`` or ``+HH:MM`` after
    it is decoded with numpy; any other spelling (fractions of a second, ...) goes through
    :func:`datetime.fromisoformat`, row by row.
    """
    n = len(series)
    present = series.notna().to_numpy()
    filled = series.fillna("")
    try:  # ASCII bytes are 4x smaller than UCS-4 text; non-ASCII falls back to the latter
        codes = filled.to_numpy(dtype=f"S{_TIME_WIDTH}").view(np.uint8)
    except UnicodeEncodeError:
        codes = filled.to_numpy(dtype=f"U{_TIME_WIDTH}").view(np.uint32)
    # one character plane per position (26, n), int32, contiguous rows
    c = codes.reshape(n, _TIME_WIDTH).T.astype(np.int32)
    dig = c[[0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]] - 48
    fast = (dig.astype(np.uint32) <= 9).all(axis=0)
    fast &= (c[4] == 45) & (c[7] == 45) & ((c[10] == 84) | (c[10] == 32))  # "T" or " "
    fast &= (c[13] == 58) & (c[16] == 58)
    naive = c[19] == 0
    zulu = (c[19] == 90) & (c[20] == 0)
    off_dig = c[[20, 21, 23, 24]] - 48
    offset = (((c[19] == 43) | (c[19] == 45)) & (c[22] == 58) & (c[25] == 0)
              & (off_dig.astype(np.uint32) <= 9).all(axis=0)
              & (off_dig[2] < 6))  # offset minutes 00..59
    fast &= naive | zulu | offset

    year = (dig[0] * 1000 + dig[1] * 100 + dig[2] * 10 + dig[3]).astype(np.int64)
    month = dig[4] * 10 + dig[5]
    day = dig[6] * 10 + dig[7]
    hour = dig[8] * 10 + dig[9]
    minute = dig[10] * 10 + dig[11]
    second = dig[12] * 10 + dig[13]
    month_ok = (month >= 1) & (month <= 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month = np.where(month_ok, month, 1)
    dim = _DAYS_IN_MONTH[month] - ((month == 2) & ~leap)
    valid = fast & month_ok & (day >= 1) & (day <= dim) & (hour < 24) & (minute < 60)
    valid &= second < 60
    off_min = (off_dig[0] * 10 + off_dig[1]) * 60 + off_dig[2] * 10 + off_dig[3]
    off_min = np.where(c[19] == 45, -off_min, off_min)
    default_min = int(fmt.TIMEZONE.utcoffset(None).total_seconds()) // 60
    off_min = np.where(offset, off_min, np.where(zulu, 0, default_min))
    valid &= np.abs(off_min) < 24 * 60
    seconds = (_days_from_civil(year, month.astype(np.int64), day) * 86400
               + (hour * 3600 + minute * 60 + second - off_min * 60))
    out = np.where(valid, seconds, 0).astype("datetime64[s]")
    bad = ~valid
    slow = np.flatnonzero(~fast & present)
    if slow.shape[0]:
        raw = series.to_numpy(dtype=object)
        for i in slow:
            moment = _parse_one_time(raw[i])
            if moment is not None:
                out[i] = moment
                bad[i] = False
    bad |= ~present
    return out, bad


# a trailing UTC offset [+-]HH[:]MM: datetime.fromisoformat takes minutes above 59 too
_OFFSET = re.compile(r"[+-]\d\d:?(\d\d)(?::?\d\d(?:\.\d+)?)?$")


def _parse_one_time(text: object) -> np.datetime64 | None:
    text = str(text).strip()
    offset = _OFFSET.search(text)
    if offset and int(offset.group(1)) >= 60:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=fmt.TIMEZONE)
    return np.datetime64(int(moment.timestamp()), "s")


def read_records(
    path: Union[str, Path],
    progress: Progress = None,
    is_cancelled: IsCancelled = None,
) -> WeighingRecords:
    """Read and validate a weighing-record CSV. File-level problems raise RecordsError."""
    path = Path(path)
    step = _stepper(str(path), progress, is_cancelled)
    step(0.0)
    frame = _read_table(path)
    step(40.0)
    return _validate(frame, str(path), np.arange(2, len(frame) + 2, dtype=np.int64), step)


def records_from_rows(
    rows: Iterable[Sequence[Any]],
    source: str = "layer",
    progress: Progress = None,
    is_cancelled: IsCancelled = None,
) -> WeighingRecords:
    """Validate weighing records already read (e.g. the features of a loaded layer).

    Each row is ``(row number, station_code, weighed_at, vehicle_type, axle_count,
    axle_loads_t, axle_spacings_m, gross_t, lane, direction)``: the columns of the CSV
    format in its order (:data:`.csv_format.COLUMNS`), the row number first (what messages
    call the row). ``weighed_at`` is a :class:`datetime` (naive: +07:00) or ISO 8601 text;
    axle loads and spacings are lists of numbers, ``"a;b"`` text or a JSON list text.
    Bad rows become row errors exactly as in a CSV file.
    """
    step = _stepper(source, progress, is_cancelled)
    step(0.0)
    numbers, cells = [], []
    for row in rows:
        if len(row) != len(fmt.COLUMNS) + 1:
            raise RecordsError(f"{source}: a record has {len(row) - 1} values, expected "
                               f"{len(fmt.COLUMNS)} ({', '.join(fmt.COLUMNS)})")
        numbers.append(int(row[0]))
        cells.append([_cell(name, value) for name, value in zip(fmt.COLUMNS, row[1:])])
    frame = pd.DataFrame(cells, columns=list(fmt.COLUMNS), dtype=object)
    frame = frame.where(frame.notna(), None)
    step(40.0)
    return _validate(frame, source, np.asarray(numbers, dtype=np.int64), step)


def _cell(column: str, value: Any) -> Any:
    """One value of a record as the CSV reader would hold it (text or number; None if empty)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if column == "weighed_at" and isinstance(value, datetime):
        return fmt.format_time(value)
    if column in ("axle_loads_t", "axle_spacings_m"):
        if isinstance(value, str) and value.strip().startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        if isinstance(value, (list, tuple)):
            return fmt.LIST_SEPARATOR.join(str(v) for v in value)
        return str(value).strip() or None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return str(value)


def _stepper(source: str, progress: Progress, is_cancelled: IsCancelled):
    def step(pct: float):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled(f"{source}: reading cancelled")
        if progress is not None:
            progress(pct)
    return step


def _validate(frame: pd.DataFrame, source: str, lines: np.ndarray, step) -> WeighingRecords:
    """The rows of ``frame`` (CSV column names, text or number cells) checked into arrays;
    ``lines``: the row number of each (file line or feature number)."""
    n = len(frame)
    errs = _Collector(source, lines)
    width = fmt.AXLE_COUNT_MAX

    station = frame["station_code"]
    no_station = station.isna().to_numpy()
    empty_row = no_station.copy()
    if no_station.any():  # a blank line: every cell empty (checked only where the first is)
        empty_row[no_station] = frame[no_station].isna().to_numpy().all(axis=1)
    errs.add(empty_row, "", "empty line")
    extra_cols = [c for c in frame.columns if str(c).startswith("__extra")]
    if extra_cols:
        errs.add(frame[extra_cols].notna().any(axis=1).to_numpy(), "",
                 f"more fields than the header has columns "
                 f"(is '{fmt.DELIMITER}' used inside a value?)")

    errs.add(station.isna().to_numpy(), "station_code", "empty")

    times, bad_time = parse_times(frame["weighed_at"])
    errs.add(bad_time & frame["weighed_at"].isna().to_numpy(), "weighed_at", "empty")
    errs.add(bad_time, "weighed_at",
             lambda i: f"not an ISO 8601 date-time: {frame['weighed_at'].iat[i]!r}")
    errs.add((times < FIRST_TIME) | (times > LAST_TIME), "weighed_at",
             lambda i: f"{frame['weighed_at'].iat[i]!r} is outside {FIRST_TIME.astype('M8[D]')}"
                       f"..{LAST_TIME.astype('M8[D]')}")
    step(55.0)

    vtype = pd.Categorical(frame["vehicle_type"], categories=fmt.VEHICLE_TYPES).codes
    errs.add(vtype < 0, "vehicle_type",
             lambda i: f"unknown vehicle type {frame['vehicle_type'].iat[i]!r} "
                       f"(expected {', '.join(fmt.VEHICLE_TYPES)})")

    count_f, _ = _numbers(frame["axle_count"])
    count_ok = ~np.isnan(count_f) & (count_f == np.round(count_f))
    count_ok &= (count_f >= fmt.AXLE_COUNT_MIN) & (count_f <= fmt.AXLE_COUNT_MAX)
    errs.add(~count_ok, "axle_count",
             lambda i: f"not an integer in {fmt.AXLE_COUNT_MIN}..{fmt.AXLE_COUNT_MAX}: "
                       f"{frame['axle_count'].iat[i]!r}")
    axle_count = np.where(count_ok, count_f, 0).astype(np.int64)

    loads, load_n, load_bad = _split_lists(frame["axle_loads_t"], width)
    step(70.0)
    spacings, spc_n, spc_bad = _split_lists(frame["axle_spacings_m"], width - 1)
    step(85.0)
    errs.add(load_bad, "axle_loads_t", "not a ';'-separated list of numbers (tonnes)")
    errs.add(count_ok & (load_n != axle_count), "axle_loads_t",
             lambda i: f"{load_n[i]} axle load(s) for axle_count {axle_count[i]}")
    errs.add(spc_bad, "axle_spacings_m", "not a ';'-separated list of numbers (metres)")
    errs.add(count_ok & (spc_n != axle_count - 1), "axle_spacings_m",
             lambda i: f"{spc_n[i]} spacing(s) for axle_count {axle_count[i]} "
                       f"(expected {axle_count[i] - 1})")

    used_loads = np.arange(loads.shape[1])[None, :] < axle_count[:, None]
    used_spc = np.arange(spacings.shape[1])[None, :] < (axle_count[:, None] - 1)
    errs.add((used_loads & np.isnan(loads)).any(axis=1), "axle_loads_t", "empty axle load")
    errs.add((used_spc & np.isnan(spacings)).any(axis=1), "axle_spacings_m", "empty spacing")
    errs.add((used_loads & (loads < 0)).any(axis=1), "axle_loads_t", "negative axle load")
    errs.add((used_spc & (spacings <= 0)).any(axis=1), "axle_spacings_m",
             "spacing must be greater than zero")
    errs.add((used_loads & (loads > fmt.MAX_LOAD_T)).any(axis=1), "axle_loads_t",
             f"axle load above {fmt.MAX_LOAD_T:g} t")
    errs.add((used_spc & (spacings > fmt.MAX_SPACING_M)).any(axis=1), "axle_spacings_m",
             f"spacing above {fmt.MAX_SPACING_M:g} m")
    loads_kg = np.where(used_loads & ~np.isnan(loads), np.rint(loads * fmt.KG_PER_T), 0)
    spacings_mm = np.where(used_spc & ~np.isnan(spacings),
                           np.rint(spacings * fmt.MM_PER_M), 0)
    errs.add((used_spc & (spacings > 0) & (spacings_mm < 1)).any(axis=1), "axle_spacings_m",
             "spacing rounds to 0 mm (spacings are whole millimetres)")

    gross, gross_bad = _numbers(frame["gross_t"])
    errs.add(gross_bad | np.isnan(gross), "gross_t", "empty or not a number (tonnes)")
    errs.add(gross < 0, "gross_t", "negative gross weight")
    errs.add(gross > fmt.MAX_LOAD_T * fmt.AXLE_COUNT_MAX, "gross_t", "implausibly large")
    axle_sum_t = loads_kg.sum(axis=1) / fmt.KG_PER_T
    errs.add(np.abs(gross - axle_sum_t) > fmt.GROSS_SUM_TOLERANCE_T + 1e-9, "gross_t",
             lambda i: f"gross {gross[i]:g} t differs from the sum of the axle loads "
                       f"{axle_sum_t[i]:g} t by more than {fmt.GROSS_SUM_TOLERANCE_T:g} t")

    if "lane" in frame.columns:
        lane_f, lane_bad = _numbers(frame["lane"])
        lane_given = ~np.isnan(lane_f)
        lane_ok = (lane_f == np.round(lane_f)) & (lane_f >= fmt.LANE_MIN)
        lane_ok &= lane_f <= fmt.LANE_MAX
        errs.add(lane_bad | (lane_given & ~lane_ok), "lane",
                 f"not an integer in {fmt.LANE_MIN}..{fmt.LANE_MAX}")
        lane = np.where(lane_given & lane_ok, lane_f, 0).astype(np.int16)
    else:
        lane = np.zeros(n, dtype=np.int16)
    if "direction" in frame.columns:
        direction = frame["direction"].fillna("").to_numpy(dtype=object)
    else:
        direction = np.full(n, "", dtype=object)

    keep = ~errs.bad
    axles = int(axle_count[keep].max()) if keep.any() else fmt.AXLE_COUNT_MIN
    loads_kg = _fit(loads_kg, axles)
    spacings_mm = _fit(spacings_mm, axles - 1)
    if keep.all():
        keep = slice(None)  # no copies when every row is good
    codes, uniques = pd.factorize(station[keep], sort=True)
    errs.errors.sort(key=lambda e: e.row)
    step(100.0)
    return WeighingRecords(
        path=source,
        rows_read=n,
        line=lines[keep],
        station_codes=np.asarray(uniques, dtype=object),
        station=codes.astype(np.int32),
        weighed_at=times[keep],
        vehicle_type=vtype[keep].astype(np.int8),
        axle_count=axle_count[keep].astype(np.int8),
        loads_kg=loads_kg[keep].astype(np.int32),
        spacings_mm=spacings_mm[keep].astype(np.int32),
        gross_kg=np.rint(gross[keep] * fmt.KG_PER_T).astype(np.int32),
        lane=lane[keep],
        direction=direction[keep],
        errors=errs.errors,
    )

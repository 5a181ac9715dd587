"""Reading weighing-record CSVs: bad rows are reported by line and column, the rest is kept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from roadinfra.core.loads import csv_format as fmt
from roadinfra.core.loads.records import RecordsError, parse_times, read_records

HEADER = ",".join(fmt.COLUMNS)
GOOD = "LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;9.80;9.70,3.60;1.30,26.00,1,up"

# (row text, column, words expected in the message)
BAD_ROWS = [
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;9.80,3.60;1.30,16.30,1,up",
     "axle_loads_t", "2 axle load(s) for axle_count 3"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;9.80;9.70,3.60,26.00,1,up",
     "axle_spacings_m", "1 spacing(s) for axle_count 3"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;-9.80;9.70,3.60;1.30,6.40,1,up",
     "axle_loads_t", "negative"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;9.80;9.70,3.60;0,26.00,1,up",
     "axle_spacings_m", "greater than zero"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;9.80;9.70,3.60;1.30,27.00,1,up",
     "gross_t", "differs from the sum"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;9.80;9.70,3.60;1.30,-26,1,up",
     "gross_t", "negative"),
    ("LS-QL10-01,14/03/2025 07:32,truck,3,6.50;9.80;9.70,3.60;1.30,26.00,1,up",
     "weighed_at", "not an ISO 8601"),
    ("LS-QL10-01,2025-02-29T07:32:05+07:00,truck,3,6.50;9.80;9.70,3.60;1.30,26.00,1,up",
     "weighed_at", "not an ISO 8601"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:75,truck,3,6.50;9.80;9.70,3.60;1.30,26.00,1,up",
     "weighed_at", "not an ISO 8601"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,tractor,3,6.50;9.80;9.70,3.60;1.30,26.00,1,up",
     "vehicle_type", "unknown vehicle type 'tractor'"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,three,6.50;9.80;9.70,3.60;1.30,26.00,1,up",
     "axle_count", "not an integer"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,1,9.70,,9.70,1,up",
     "axle_count", "not an integer in 2..12"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.5;9,8;9.7,3.60;1.30,26.00,1,up",
     "", "more fields than the header"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;x;9.70,3.60;1.30,26.00,1,up",
     "axle_loads_t", "not a ';'-separated list"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;;9.70,3.60;1.30,16.20,1,up",
     "axle_loads_t", "empty axle load"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;inf;9.70,3.60;1.30,26.00,1,up",
     "axle_loads_t", "not a ';'-separated list"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,2,6.50;1e12,3.60,1e12,1,up",
     "axle_loads_t", "above 1000 t"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,2,6.50;9.80,360,16.30,1,up",
     "axle_spacings_m", "above 100 m"),
    ("LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;9.80;9.70,3.60;1.30,26.00,0,up",
     "lane", "not an integer in 1..12"),
    (",2025-03-14T07:32:05+07:00,truck,3,6.50;9.80;9.70,3.60;1.30,26.00,1,up",
     "station_code", "empty"),
    ("LS-QL10-01,,truck,3,6.50;9.80;9.70,3.60;1.30,26.00,1,up", "weighed_at", "empty"),
    ("", "", "empty line"),
]


def write(tmp_path, lines, name="records.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


@pytest.mark.parametrize("row,column,words", BAD_ROWS)
def test_bad_row_is_reported_and_the_rest_checked(tmp_path, row, column, words):
    path = write(tmp_path, [HEADER, GOOD, row, GOOD])
    rec = read_records(path)
    assert rec.rows_read == 3
    assert len(rec) == 2
    assert list(rec.line) == [2, 4]
    assert len(rec.errors) == 1
    error = rec.errors[0]
    assert (error.row, error.field) == (3, column)
    assert words in error.message


def test_all_bad_rows_in_one_file(tmp_path):
    lines = [HEADER] + [r for r, _, _ in BAD_ROWS] + [GOOD]
    rec = read_records(write(tmp_path, lines))
    assert len(rec) == 1 and rec.line[0] == len(lines)
    assert [e.row for e in rec.errors] == list(range(2, len(lines)))
    assert rec.rejected_rows == len(BAD_ROWS)


def test_values_are_integer_kilograms_and_millimetres(tmp_path):
    row = "LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.5;9.805;9.7,3.6;1.299,26.005,,"
    rec = read_records(write(tmp_path, [HEADER, row]))
    assert rec.loads_kg.tolist() == [[6500, 9805, 9700]]
    assert rec.spacings_mm.tolist() == [[3600, 1299]]
    assert rec.gross_kg[0] == 26005
    assert rec.lane[0] == 0 and rec.direction[0] == ""


def test_column_order_bom_and_optional_columns(tmp_path):
    header = "gross_t,axle_spacings_m,axle_loads_t,axle_count,vehicle_type,weighed_at,station_code"
    row = "15.10,5.10,6.20;8.90,2,bus,2025-03-14T07:33:41+07:00,LS-DT452-01"
    rec = read_records(write(tmp_path, [header, row], encoding="utf-8-sig"))
    assert rec.errors == []
    assert rec.station_code_of().tolist() == ["LS-DT452-01"]
    assert fmt.VEHICLE_TYPES[rec.vehicle_type[0]] == "bus"


def test_missing_column_is_a_file_error(tmp_path):
    path = write(tmp_path, ["station_code,weighed_at,vehicle_type,axle_count", "x,y,z,2"])
    with pytest.raises(RecordsError, match="line 1: missing column.*axle_loads_t"):
        read_records(path)


def test_semicolon_separated_file_gets_a_hint(tmp_path):
    path = write(tmp_path, [HEADER.replace(",", ";"), GOOD.replace(",", ";")])
    with pytest.raises(RecordsError, match="separated by ';', expected ','"):
        read_records(path)


@pytest.mark.parametrize("bad_line", [1, 2, 3, 30_000])
def test_a_cp1258_file_is_read_and_a_mixed_file_is_refused_naming_the_line(tmp_path,
                                                                         bad_line):
    """One encoding policy for every reader (docs/input-files.md): a Windows-1258 export
    is read; a UTF-8 file with one line typed in cp1258 ("Kênh" with the byte 0xEA) is
    refused naming that line, instead of turning one part into mojibake."""
    lines = [HEADER] + [GOOD] * 40_000
    lines[bad_line - 1] = lines[bad_line - 1].replace("LS-QL10-01", "LS-Kênh", 1)
    if bad_line == 1:
        lines[0] += ",ghi chú"  # an extra column in the header
    path = tmp_path / "records.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1258"))
    rec = read_records(path)
    assert len(rec) == 40_000 and not rec.errors
    if bad_line > 1:
        assert "LS-Kênh" in set(rec.station_codes)
    mixed = lines[:]
    mixed[-1] = mixed[-1].replace("LS-QL10-01", "LS-Cầu", 1)  # UTF-8 below the cp1258 line
    path.write_bytes(("\n".join(mixed[:-1]) + "\n").encode("cp1258")
                     + (mixed[-1] + "\n").encode("utf-8"))
    with pytest.raises(RecordsError, match=f"records.csv: line {bad_line}: not UTF-8 text, "
                       f"but line {len(mixed)} is UTF-8: the file mixes encodings"):
        read_records(path)


def test_missing_file(tmp_path):
    with pytest.raises(RecordsError, match="not found"):
        read_records(tmp_path / "nope.csv")


def test_arrays_padded_to_the_largest_axle_count(tmp_path):
    two = "LS-QL10-01,2025-03-14T07:32:05+07:00,bus,2,5;9,6,14,,"
    rec = read_records(write(tmp_path, [HEADER, two, GOOD]))
    assert rec.loads_kg.tolist() == [[5000, 9000, 0], [6500, 9800, 9700]]
    assert rec.spacings_mm.tolist() == [[6000, 0], [3600, 1300]]


def test_crlf_line_ends(tmp_path):
    path = tmp_path / "crlf.csv"
    path.write_bytes(("\r\n".join([HEADER, GOOD, GOOD]) + "\r\n").encode())
    rec = read_records(path)
    assert len(rec) == 2 and rec.errors == [] and rec.direction.tolist() == ["up", "up"]


def test_header_only(tmp_path):
    rec = read_records(write(tmp_path, [HEADER]))
    assert len(rec) == 0 and rec.errors == []


def test_too_many_axle_values(tmp_path):
    loads = ";".join(["1.00"] * 13)
    row = f"LS-QL10-01,2025-03-14T07:32:05+07:00,truck,12,{loads},{';'.join(['1.5'] * 11)},13,,"
    rec = read_records(write(tmp_path, [HEADER, row, GOOD]))
    assert [(e.row, e.field) for e in rec.errors] == [(2, "axle_loads_t")]
    assert len(rec) == 1


def test_times_to_utc():
    texts = pd.Series([
        "2025-03-14T07:32:05+07:00",  # fast path
        "2025-03-14T00:32:05Z",
        "2025-03-14T07:32:05",  # no offset: Vietnam time
        "2025-03-13T19:02:05-05:30",
        "2025-03-14 07:32:05+07:00",  # space for the T
        "2025-03-14T07:32:05.700+07:00",  # fraction: slow path (fromisoformat)
        "2024-02-29T07:32:05+07:00",  # leap day
        "2025-02-29T07:32:05+07:00",  # not a date
        "2025-03-14T24:00:00+07:00",
        "yesterday",
        None,
    ])
    out, bad = parse_times(texts)
    expected = np.datetime64("2025-03-14T00:32:05", "s")
    assert (out[:6] == expected).all()
    assert out[6] == np.datetime64("2024-02-29T00:32:05", "s")
    assert bad.tolist() == [False] * 7 + [True] * 4
    reference = pd.to_datetime(texts[:4], utc=True).dt.tz_localize(None).to_numpy()
    assert (reference[[0, 1, 3]].astype("datetime64[s]") == out[[0, 1, 3]]).all()


def test_progress_and_cancel(tmp_path):
    from roadinfra.core.errors import Cancelled as CancelledError
    from roadinfra.core.loads.check import check_file

    path = write(tmp_path, [HEADER] + [GOOD] * 50)
    seen = []
    checked = check_file(path, progress=seen.append)
    assert len(checked.records) == 50
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(seen)
    calls = []

    def cancel_on_third_call():
        calls.append(1)
        return len(calls) >= 3

    with pytest.raises(CancelledError):
        check_file(path, is_cancelled=cancel_on_third_call)

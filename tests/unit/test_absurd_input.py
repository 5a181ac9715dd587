"""Issue 9, one test per class: outputs never replace an input (item 1), and absurd values
are refused instead of giving a traceback (item 5) or a wrong answer with exit 0 (item 6)."""

import json
import os
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from roadinfra.core.cli import main
from roadinfra.core.loads import csv_format as fmt
from roadinfra.core.loads.records import read_records

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
QL10_ID = "e74387cf-09b4-594b-a026-9f02e434dfed"


def run(argv, capsys):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


# ------------------------------------------------------------- item 1: outputs
@pytest.mark.parametrize("spelling", ["same", "hard_link", "symlink", "dot_dot"])
def test_lrs_calibrate_never_replaces_its_posts_layer(tmp_path, capsys, spelling):
    """`lrs calibrate route.geojson P.geojson -o P.geojson` left P.geojson empty."""
    routes, posts = tmp_path / "route.geojson", tmp_path / "P.geojson"
    shutil.copy(SAMPLE / "route.geojson", routes)
    shutil.copy(SAMPLE / "calibration_point.geojson", posts)
    before = posts.read_bytes()
    output = {"same": posts, "hard_link": tmp_path / "link.geojson",
              "symlink": tmp_path / "soft.geojson",
              "dot_dot": tmp_path / "sub" / ".." / "P.geojson"}[spelling]
    (tmp_path / "sub").mkdir()
    if spelling == "hard_link":
        os.link(posts, output)
    elif spelling == "symlink":
        os.symlink(posts, output)
    code, out, err = run(["lrs", "calibrate", routes, posts, "--route-field", "id",
                          "--post-route-field", "route_id", "--measure-field", "measure_m",
                          "-o", output], capsys)
    assert code == 2 and "is the input file" in err and len(err.splitlines()) == 1
    assert posts.read_bytes() == before


def test_lrs_outputs_are_complete_files_and_leave_no_temporary(tmp_path, capsys):
    routes = tmp_path / "route.geojson"
    shutil.copy(SAMPLE / "route.geojson", routes)
    events = tmp_path / "events.csv"
    # QL10 starts at its start measure (start_m, about Km70+767), not at 0
    events.write_text(f"route,from_m,to_m\n{QL10_ID},71000,72500\n", encoding="utf-8")
    out = tmp_path / "lines.gpkg"
    code, _, err = run(["lrs", "events", routes, events, "--route-field", "id", "-o", out],
                       capsys)
    assert code == 0, err
    assert gpd.read_file(out).geometry.length.round(1).tolist() == [1500.0]
    assert gpd.read_file(out, layer="lines").shape[0] == 1  # layer named after the file
    code, _, _ = run(["lrs", "segment", events, events, "-o", tmp_path / "seg.csv"], capsys)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "events.csv", "lines.gpkg", "route.geojson", "seg.csv"]


@pytest.mark.parametrize("command", ["check", "stats"])
def test_loads_output_by_hard_link_or_into_a_folder_is_refused(tmp_path, capsys, command):
    records = tmp_path / "records.csv"
    lines = (SAMPLE / "weighing_records.csv").read_text(encoding="utf-8").splitlines()[:6]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = records.read_bytes()
    os.link(records, tmp_path / "alias.csv")
    for output, words in ((tmp_path / "alias.csv", "is the input file"),
                          (tmp_path, "is a folder"),
                          (tmp_path / "no" / "out.csv", "does not exist")):
        code, _, err = run(["loads", command, records, "-o", output], capsys)
        assert code == 2 and words in err and len(err.splitlines()) == 1
    assert records.read_bytes() == before


# ------------------------------------------------------------- items 5 and 6: numbers
def test_chainage_of_400_digits_is_an_error_not_infinity(capsys):
    huge = "Km" + "9" * 400 + "+000"
    for extra in ([], ["--json"]):
        code, out, err = run(["chainage", "parse", huge, *extra], capsys)
        assert code == 2 and out == "" and "above the largest accepted chainage" in err
    code, out, _ = run(["chainage", "parse", "Km99999+999.5", "--json"], capsys)
    assert code == 0 and json.loads(out)[0]["metres"] == 99_999_999.5


@pytest.mark.parametrize("argv, words", [
    (["chainage", "format", "12", "--decimals", "-5"], "--decimals: -5 is outside 0..9"),
    (["pavement", "sample-size", "20", "--std-dev", "nan"], "--std-dev: 'nan' is not a finite"),
    (["pavement", "sample-size", "20", "--error", "-1"], "--error: '-1' must be greater than 0"),
    (["pavement", "sample-size", "0"], "n_units: 0 is outside 1..1000000"),
    (["bridges", "posting", "inf"], "operating_t: 'inf' is not a finite number"),
    (["lrs", "locate", "r.geojson", "p.geojson", "--max-offset", "nan"],
     "--max-offset: 'nan' is not a finite number"),
    (["lrs", "calibrate", "r.geojson", "p.geojson", "--tolerance", "-3"],
     "--tolerance: '-3' is negative"),
    (["loads", "esal", SAMPLE / "weighing_records.csv", "--stations", "s", "--sections", "s",
      "--year", "2025",
      "--max-distance", "nan"], "--max-distance: 'nan' is not a finite number"),
])
def test_absurd_numbers_are_refused_at_the_command_line(argv, words, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == "" and words in err and len(err.splitlines()) == 1


def test_sample_size_with_a_huge_std_dev_is_every_unit(capsys):
    code, out, _ = run(["pavement", "sample-size", "20", "--std-dev=1e308", "--json"], capsys)
    assert code == 0 and json.loads(out)["sample_size"] == 20
    code, out, _ = run(["pavement", "sample-size", "20", "--error=1e308", "--json"], capsys)
    assert code == 0 and json.loads(out)["sample_size"] == 1


@pytest.mark.parametrize("ratings, words", [
    (["deck=inf"], "rating 'inf' is outside scheme 'nbi'"),
    (["deck=7", "deck=3"], "component 'deck' is given twice (deck=7 and deck=3)"),
])
def test_bridge_ratings_infinite_or_given_twice(ratings, words, capsys):
    code, out, err = run(["bridges", "rate", *ratings], capsys)
    assert code == 2 and out == "" and words in err


# ------------------------------------------------------------- files: rows that disagree
def test_duplicate_sample_units_in_json_are_refused_as_in_csv(tmp_path, capsys):
    survey = tmp_path / "survey.json"
    unit = {"id": "SU1", "area": 230, "distresses": [{"code": 1, "severity": "M",
                                                      "quantity": 4}]}
    survey.write_text(json.dumps({"sample_units": [unit, {**unit, "area": 200}]}),
                      encoding="utf-8")
    code, out, err = run(["pavement", "pci", survey], capsys)
    assert code == 2
    assert "field 'sample_units[1].id': sample unit id 'SU1' repeats sample_units[0]" in err


def test_overlapping_iri_intervals_are_row_errors(tmp_path, capsys):
    path = tmp_path / "iri.csv"
    path.write_text("route,from_m,to_m,iri\nQL10,0,100,2\nQL10,100,200,3\nQL10,150,250,4\n"
                    "DT1,150,250,4\nQL10,0,50,1\n", encoding="utf-8")
    code, out, err = run(["pavement", "iri", path], capsys)
    assert code == 2
    assert "row 4, field 'from_m': interval 150-250 m of route 'QL10' overlaps 100-200 m " \
           "on row 3" in err
    assert "row 6, field 'from_m': interval 0-50 m of route 'QL10' overlaps 0-100 m" in err
    assert "DT1" not in err


@pytest.mark.parametrize("command", ["pavement iri", "bridges import", "lrs events"])
def test_a_mixed_utf8_cp1258_file_is_refused_not_turned_into_mojibake(tmp_path, capsys,
                                                                     command):
    """The stored bridge name "Cầu Thái Bình" used to become "Cáº§u ThĂ¡i BĂ¬nh"."""
    path = tmp_path / "mixed.csv"
    header = "route,from_m,to_m,iri,note\n"
    path.write_bytes(header.encode() + "QL10,0,100,2,Cầu Thái Bình\n".encode()
                     + "QL10,100,200,2,Sông Đà\n".encode("cp1258"))
    argv = {"pavement iri": ["pavement", "iri", path],
            "bridges import": ["bridges", "import", path],
            "lrs events": ["lrs", "events", SAMPLE / "route.geojson", path]}[command]
    code, out, err = run(argv, capsys)
    assert code == 2 and "mixed.csv: line 3: not UTF-8 text, but line 2 is UTF-8: the file " \
                         "mixes encodings" in err


# ------------------------------------------------------------- weighing records
def _records(tmp_path, rows):
    path = tmp_path / "records.csv"
    path.write_text(",".join(fmt.COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_loads_check_and_stats_agree_on_dates_pandas_cannot_hold(tmp_path, capsys):
    good = "LS-1,2025-03-14T07:32:05+07:00,truck,2,6.00;9.00,4.00,15.00,1,up"
    late = good.replace("2025-03-14", "2262-04-12")
    early = good.replace("2025-03-14", "1677-09-21")
    path = _records(tmp_path, [good, late, early])
    rec = read_records(path)
    assert [(e.row, e.field) for e in rec.errors] == [(3, "weighed_at"), (4, "weighed_at")]
    assert "is outside 1677-09-22..2262-04-10" in rec.errors[0].message
    for command in ("check", "stats"):
        code, out, err = run(["loads", command, path, "--json"], capsys)
        assert code == 0, err
        assert json.loads(out)["rejected"] == 2


def test_an_axle_spacing_rounding_to_zero_mm_is_a_row_error(tmp_path):
    tridem = "LS-1,2025-03-14T07:32:05+07:00,truck,4,6;8;8;8,4.00;{};1.30,30.00,1,up"
    path = _records(tmp_path, [tridem.format("0.0004"), tridem.format("1e-320"),
                               tridem.format("0.001")])
    rec = read_records(path)
    assert [(e.row, e.field) for e in rec.errors] == [(2, "axle_spacings_m"),
                                                       (3, "axle_spacings_m")]
    assert "rounds to 0 mm" in rec.errors[0].message
    assert rec.spacings_mm.tolist() == [[4000, 1, 1300]]


def test_a_station_or_section_chainage_of_1e308_gets_no_esal(tmp_path, capsys):
    stations = tmp_path / "stations.csv"
    stations.write_text("code,route_id,chainage_m\nLS-340-001,QL10,1e308\n", encoding="utf-8")
    sections = tmp_path / "sections.csv"
    sections.write_text("route_id,from_m,to_m\nQL10,0,1e308\n", encoding="utf-8")
    code, out, err = run(["loads", "esal", SAMPLE / "weighing_records.csv", "--stations",
                          stations, "--sections", sections, "--year", "2025"], capsys)
    assert code == 2 and "chainage" in err

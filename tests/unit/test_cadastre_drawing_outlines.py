"""Parcel outlines in drawings (DXF): a small gap in an outline closed (snap_m), labels in no
closed outline or on an edge and faces without a label listed with their position, the sheet
frame left out or its layer not read, a label area that is no number a row error."""

from __future__ import annotations

import pytest
from roadinfra.core.cadastre.reader import read_parcels


def _drawing(tmp_path, name="d.dxf", gap=0.05, frame_layer=None, labels=None):
    """Four closed 20 m parcels 215-218, parcel 219 drawn open with a ``gap`` (m), and
    optionally a sheet frame around them on ``frame_layer``."""
    from shapely.geometry import box

    from tests.support.cadastre_files import origin, write_dxf

    x0, y0 = origin()
    squares = [box(x0 + 20 * i, y0, x0 + 20 * i + 20, y0 + 20) for i in range(4)]
    if labels is None:
        labels = [((x0 + 20 * i + 8, y0 + 8), str(215 + i)) for i in range(4)]
        labels.append(((x0 + 208, y0 + 8), "219"))
    lines = [("RANHTHUA", [(x0 + 200, y0), (x0 + 220, y0), (x0 + 220, y0 + 20),
                           (x0 + 200, y0 + 20), (x0 + 200, y0 + gap)], False)]
    if frame_layer:
        lines.append((frame_layer, [(x0 - 50, y0 - 50), (x0 + 250, y0 - 50),
                                    (x0 + 250, y0 + 70), (x0 - 50, y0 + 70)], True))
    return write_dxf(tmp_path / name, squares, labels, lines), (x0, y0)


def _mapping(tmp_path, cad: str):
    from roadinfra.core.cadastre.mapping import load_mapping, mapping_path

    text = mapping_path("vn_cadastre").read_text(encoding="utf-8")
    head, _, tail = text.partition("[cad]")
    pattern = next(line for line in tail.splitlines() if line.startswith("label_pattern"))
    path = tmp_path / "m.toml"
    path.write_text(head + "[cad]\n" + (pattern if "label_pattern" not in cad else "")
                    + "\n" + cad + "\n", encoding="utf-8")
    return load_mapping(path)


def test_a_small_gap_in_an_outline_is_closed(tmp_path):
    path, _ = _drawing(tmp_path)
    parcels = read_parcels(path, sheet="5", crs=9209)
    assert sorted(parcels.frame["parcel_no"]) == ["215", "216", "217", "218", "219"]
    assert not parcels.errors
    p219 = parcels.frame[parcels.frame["parcel_no"] == "219"].geometry.iloc[0]
    assert p219.area == pytest.approx(400.0, abs=0.01)


def test_a_label_in_no_closed_outline_is_listed_with_its_position(tmp_path):
    path, (x0, y0) = _drawing(tmp_path, gap=0.5)   # wider than snap_m 0.1
    parcels = read_parcels(path, sheet="5", crs=9209)
    assert sorted(parcels.frame["parcel_no"]) == ["215", "216", "217", "218"]
    [error] = parcels.errors
    assert error.field == "Text" and "'219'" in error.message
    assert f"x={x0 + 208:.2f}, y={y0 + 8:.2f}" in error.message
    assert "no closed parcel outline" in error.message
    # snap_m = 0 keeps even the 5 cm gap open, as documented
    path, _ = _drawing(tmp_path, "b.dxf")
    strict = read_parcels(path, _mapping(tmp_path, "snap_m = 0"), sheet="5", crs=9209)
    assert len(strict.frame) == 4 and "'219'" in strict.errors[0].message


def test_labels_on_an_edge_and_faces_without_label_are_listed(tmp_path):
    from tests.support.cadastre_files import origin

    x0, y0 = origin()
    labels = [((x0 + 8, y0 + 8), "215"), ((x0 + 40, y0 + 8), "217"),
              ((x0 + 68, y0 + 8), "218"), ((x0 + 208, y0 + 8), "219")]
    path, _ = _drawing(tmp_path, labels=labels)
    parcels = read_parcels(path, sheet="5", crs=9209)
    messages = sorted(e.message for e in parcels.errors)
    assert len(parcels.frame) == 3 and len(messages) == 3
    assert any("'217'" in m and "on the boundary" in m for m in messages)
    unlabelled = [m for m in messages if "no parcel label inside" in m]
    assert len(unlabelled) == 2 and all("parcel outline at x=" in m for m in unlabelled)


def test_the_sheet_frame_is_left_out_or_its_layer_not_read(tmp_path, tb_db):
    path, _ = _drawing(tmp_path, frame_layer="RANHTHUA")
    parcels = read_parcels(path, sheet="5", crs=9209)
    assert len(parcels.frame) == 5 and not parcels.errors
    framed, _ = _drawing(tmp_path, "f.dxf", frame_layer="KHUNG")
    only = read_parcels(framed, sheet="5", crs=9209, cad_layers=["ranhthua", "SOTHUA"])
    assert len(only.frame) == 5 and not only.errors
    by_mapping = read_parcels(framed, _mapping(tmp_path, 'layers = ["RANHTHUA", "SOTHUA"]'),
                              sheet="5", crs=9209)
    assert len(by_mapping.frame) == 5
    no_labels = read_parcels(framed, sheet="5", crs=9209, cad_layers=["RANHTHUA"])
    assert len(no_labels.frame) == 0 and len(no_labels.errors) == 5


def test_a_label_area_that_is_no_number_is_a_row_error(tmp_path):
    from tests.support.cadastre_files import origin

    x0, y0 = origin()
    # a DXF keeps 255 characters of a text: "1e400" stands for a 400-digit area (infinite)
    labels = [((x0 + 8, y0 + 8), "215 1e400"), ((x0 + 28, y0 + 8), "216 12x LUC")]
    mapping = _mapping(tmp_path, "label_pattern = '^(?P<parcel_no>\\d+) (?P<area_official_m2>"
                                 "\\S+)'")
    path, _ = _drawing(tmp_path, labels=labels)
    parcels = read_parcels(path, mapping, sheet="5", crs=9209)
    bad = [e.message for e in parcels.errors if "is not an area" in e.message]
    assert len(bad) == 2

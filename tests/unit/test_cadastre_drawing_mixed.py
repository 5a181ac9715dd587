"""Drawings as surveyors label them, read with the default vn_cadastre mapping: a mixed land use
(``ONT+CLN``) in one text or as the last of separate texts, and the fraction layout (number
over area, the land use to the right at mid height) read as one label; faces whose texts read
no such way are still refused, each named."""

from __future__ import annotations

from roadinfra.core.cadastre.reader import read_parcels
from shapely.geometry import box

from tests.support.cadastre_files import origin, write_dxf


def _squares():
    x, y = origin()
    return [box(x + 30 * k, y, x + 30 * k + 30, y + 30) for k in range(4)]


def _read(tmp_path, name, labels):
    path = write_dxf(tmp_path / name, _squares(), labels)
    parcels = read_parcels(path, sheet="5", crs=9209)
    got = {r.parcel_no: (r.area_official_m2, r.land_use) for r in parcels.frame.itertuples()}
    return got, sorted(e.message for e in parcels.errors)


def _centres():
    return [(s.centroid.x, s.centroid.y) for s in _squares()]


def test_mixed_land_use_in_one_text_and_in_separate_texts(tmp_path):
    one = [((cx, cy), f"{k + 1} 900.0 ONT+CLN") for k, (cx, cy) in enumerate(_centres())]
    got, errors = _read(tmp_path, "one.dxf", one)
    assert errors == [] and got == {str(k): (900.0, "ONT+CLN") for k in range(1, 5)}
    stacked = [label for k, (cx, cy) in enumerate(_centres()) for label in (
        ((cx, cy + 4), str(k + 1)), ((cx, cy), "900.0"), ((cx, cy - 4), "ONT+CLN+LUC"))]
    got, errors = _read(tmp_path, "stacked.dxf", stacked)
    assert errors == [] and got == {str(k): (900.0, "ONT+CLN+LUC") for k in range(1, 5)}


def test_the_fraction_layout_is_one_label_and_ambiguous_faces_are_refused(tmp_path):
    (a, b), (c, d), (e, f), (g, h) = _centres()
    labels = [((a - 3, b + 2), "1"), ((a - 3, b - 2), "900.0"), ((a + 5, b), "ONT"),
              ((c - 3, d + 2), "2"), ((c - 3, d - 2), "899,5"), ((c + 5, d), "ONT+CLN"),
              # three numbers in the layout: no land use to the right
              ((e - 3, f + 2), "3"), ((e - 3, f - 2), "900.0"), ((e + 5, f), "7"),
              # the text to the right is not between the other two: not the layout
              ((g - 3, h + 2), "4"), ((g - 3, h - 2), "900.0"), ((g + 5, h + 6), "LUC")]
    got, errors = _read(tmp_path, "fraction.dxf", labels)
    assert got == {"1": (900.0, "ONT"), "2": (899.5, "ONT+CLN")}
    assert len(errors) == 2
    assert all("3 labels in one parcel: [" in m and "do not read as one label" in m
               for m in errors)
    assert any("'7'" in m for m in errors) and any("'LUC'" in m for m in errors)

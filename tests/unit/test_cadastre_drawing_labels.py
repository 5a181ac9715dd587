"""DXF parcels labelled with separate texts : number, area and land
use written one above the other in a face are read as one label; texts that do not read so
(side by side, in another order) are still listed with the face's position."""

from __future__ import annotations

from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cli import main
from roadinfra.core.db import create_database, open_database
from shapely.geometry import box

from tests.support.cadastre_files import origin, write_dxf


def _sheet(tmp_path, faces=5):
    """Five 30 m parcels in a row (or the first ``faces``); labels at the centre of each, 4 m
    apart vertically."""
    x, y = origin()
    squares = [box(x + 30 * k, y, x + 30 * k + 30, y + 30) for k in range(5)]
    centres = [(s.centroid.x, s.centroid.y) for s in squares]

    def stack(k, *texts):
        cx, cy = centres[k]
        return [((cx, cy + 4 - 4 * i), text) for i, text in enumerate(texts)]
    labels = (stack(0, "1", "900.0", "LUC") + stack(1, "2", "899,5", "ONT")
              + stack(2, "3", "CLN")                           # number and land use only
              + [((centres[3][0] - 6, centres[3][1]), "4"),    # two numbers side by side
                 ((centres[3][0] + 6, centres[3][1]), "5")]
              + stack(4, "900.0", "6"))                        # area above the number
    labels = [(p, text) for p, text in labels if p[0] < x + 30 * faces]
    return write_dxf(tmp_path / f"lab{faces}.dxf", squares[:faces], labels), (x, y)


def test_separate_texts_of_one_parcel_are_one_label(tmp_path):
    path, (x, y) = _sheet(tmp_path)
    parcels = read_parcels(path, sheet="5", crs=9209)
    got = {r.parcel_no: (r.area_official_m2 if r.area_official_m2 == r.area_official_m2
                         else None, r.land_use, round(r.geometry.area, 2))
           for r in parcels.frame.itertuples()}
    assert got == {"1": (900.0, "LUC", 900.0), "2": (899.5, "ONT", 900.0),
                   "3": (None, "CLN", 900.0)}
    messages = sorted(e.message for e in parcels.errors)
    assert len(messages) == 2
    assert all("2 labels in one parcel: [" in m and "] do not read as one label (number, "
               "area, land use from top to bottom, or number over area with the land use to "
               "the right)" in m for m in messages)
    assert any("['4', '5']" in m and f"x={x + 105:.2f}" in m for m in messages)
    assert any("['900.0', '6']" in m and f"x={x + 135:.2f}" in m for m in messages)


def test_check_and_import_of_a_drawing_with_separate_labels(tmp_path, capsys):
    path, _ = _sheet(tmp_path)
    assert main(["cadastre", "check", str(path), "--crs", "EPSG:9209", "--sheet", "5"]) == 0
    out = capsys.readouterr().out
    assert "3 parcel(s) on 1 sheet(s)" in out and out.count("left out:") == 2
    db = tmp_path / "tb.gpkg"
    create_database(db).close()
    good, _ = _sheet(tmp_path, faces=3)
    assert main(["cadastre", "import", str(good), str(db), "--crs", "EPSG:9209",
                 "--sheet", "5"]) == 0
    rows = open_database(db).fetch("cadastral_parcel")
    assert sorted((r["parcel_no"], r["area_official_m2"], r["land_use"]) for r in rows) == [
        ("1", 900.0, "LUC"), ("2", 899.5, "ONT"), ("3", None, "CLN")]

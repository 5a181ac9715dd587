"""Areas in the quality report and check: measured equal-area, not in Web Mercator; a grid in
US survey feet not measured as metres; the area line compares computed and official areas
over the same parcels."""

from __future__ import annotations

import pytest
from pyproj import CRS, Transformer
from roadinfra.core.cadastre.quality import quality_report
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cli import main
from shapely.ops import transform

from tests.support.cadastre_files import NOWGS_10545, grid_parcels, truth, write


def test_web_mercator_areas_measured_equal_area(tmp_path):
    grid = grid_parcels(columns=3, rows=2)
    in_grid = quality_report(read_parcels(write(grid, tmp_path / "grid.gpkg")))
    merc = quality_report(read_parcels(write(grid.to_crs(3857), tmp_path / "merc.gpkg")))
    assert merc.counts.get("area_mismatch", 0) == 0
    assert "equal-area" in merc.area_note and "Pseudo-Mercator" in merc.area_note
    assert merc.summary()["area_ratio_median"] == pytest.approx(
        in_grid.summary()["area_ratio_median"], abs=2e-4)
    assert list(merc.parcels["area_computed_m2"]) == pytest.approx(
        list(in_grid.parcels["area_computed_m2"]), rel=2e-4)
    assert in_grid.area_note.startswith("planar")


def test_areas_of_a_grid_in_us_survey_feet(tmp_path):
    feet = CRS.from_proj4(NOWGS_10545.replace("105.75", "105.5").replace(
        "+units=m", "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,"
        "0.01975479,-0.00427372,0.252906278 +units=us-ft"))
    move = Transformer.from_crs(9209, feet, always_xy=True).transform
    frame = truth()
    frame["geometry"] = [transform(move, g) for g in frame.geometry]
    path = frame.set_crs(feet, allow_override=True).to_file(tmp_path / "ft.gpkg") or \
        tmp_path / "ft.gpkg"
    report = quality_report(read_parcels(path))
    assert report.summary()["area_computed_m2"] == pytest.approx(4000, rel=1e-4)
    assert report.counts.get("area_mismatch", 0) == 0
    assert "US survey foot" in report.area_note


def test_the_area_line_compares_only_parcels_with_an_official_area(tmp_path, capsys):
    """10 parcels of 20 x 20 m, DienTich given for 5: computed and official
    are both 5 x 400 = 2000 m² over those 5, not 4000 against 2000."""
    frame = truth(count=10)
    frame["DienTich"] = [400.0] * 5 + [None] * 5
    path = tmp_path / "half.gpkg"
    frame.to_file(path)
    capsys.readouterr()
    assert main(["cadastre", "check", str(path)]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("area:"))
    assert line.startswith("area: official area given for 5 of 10 parcel(s): computed "
                           "2000.0 m², official 2000.0 m², median ratio 1.0 (")
    frame["DienTich"] = None
    frame.to_file(tmp_path / "none.gpkg")
    assert main(["cadastre", "check", str(tmp_path / "none.gpkg")]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("area:"))
    assert line.startswith("area: computed 4000.0 m², no official areas (")
    assert "None" not in line

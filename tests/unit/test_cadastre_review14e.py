"""Issue 14, hostile review round 3 (14c): a CRS assigned with --assign-crs that disagrees
with the file's own correct declaration (#6) and the CRS named in user text (never PROJ's
``unknown``); a text too long for a workbook cell named by its source row and parcel (#8)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from roadinfra.core.cadastre.outputs import write_tables
from roadinfra.core.cadastre.quality import working_crs
from roadinfra.core.cli import main
from roadinfra.core.db import create_database, database_info
from roadinfra.core.io.spreadsheet import CellTextTooLongError
from shapely.geometry import box

from tests.unit.test_cadastre_review14d import NOWGS_10545, truth


def test_an_assigned_crs_against_a_correct_declaration_says_to_drop_it(tmp_path, capsys):
    """The file declares EPSG:9209 and is right; --crs EPSG:9210 --assign-crs would read it
    ~26 km off: the refusal names both CRSs and says to drop --assign-crs, not to assign
    the grid."""
    path, tb_db = tmp_path / "ok9209.gpkg", tmp_path / "thai_binh.gpkg"
    truth().to_file(path)
    create_database(tb_db).close()
    before = database_info(tb_db)
    capsys.readouterr()
    assert main(["cadastre", "import", str(path), str(tb_db), "--crs", "EPSG:9210",
                 "--assign-crs"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.endswith("nothing was imported")
    assert (f"{path}: the CRS assigned to the file (EPSG:9210 VN-2000 / TM-3 105-45, --crs "
            "with --assign-crs) disagrees with the file's own declared CRS, EPSG:9209 "
            "VN-2000 / TM-3 105-30, which the coordinates fit: drop --assign-crs and --crs")\
        in err
    assert "mislabelled" not in err and database_info(tb_db) == before
    assert main(["cadastre", "import", str(path), str(tb_db)]) == 0


def test_an_unnamed_crs_is_described_in_the_check_never_unknown(tmp_path, capsys):
    path = tmp_path / "lab.gpkg"
    truth(crs=NOWGS_10545).to_file(path)
    capsys.readouterr()
    assert main(["cadastre", "check", str(path), "--crs", "EPSG:9209", "--assign-crs"]) == 0
    out = capsys.readouterr().out
    assert ("CRS VN-2000 / TM-3 105-30 assigned by the user in place of the file's own (an "
            "unnamed Transverse Mercator CRS (longitude of natural origin 105.75") in out
    assert "the declared an" not in out
    frame = truth(crs=NOWGS_10545)
    crs, note = working_crs(frame.crs, frame)
    assert crs is frame.crs and note.startswith("planar, in an unnamed Transverse Mercator "
                                                "CRS (longitude of natural origin 105.75")
    assert "unknown" not in note


def test_a_text_too_long_for_a_cell_is_named_by_its_file_row_and_parcel(tmp_path, capsys):
    """Review 14c #8: the owner of file row 5 (parcel 7/5) is too long for a workbook cell:
    the refusal names that row of the file read and the parcel, not a row of the workbook
    that was not written."""
    frame = truth(count=6)
    frame["ChuSuDung"] = ["Hộ A"] * 4 + ["x" * 40000, "Hộ B"]
    path = tmp_path / "owners.gpkg"
    frame.to_file(path)
    capsys.readouterr()
    assert main(["cadastre", "check", str(path), "-o", str(tmp_path / "q.xlsx")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and not (tmp_path / "q.xlsx").exists()
    assert (f"q.xlsx: sheet 'parcels', row 5 of {path}, parcel 7/5, field 'owner' (column "
            "'ChuSuDung' of the source): a text of 40,000 characters") in err


def test_an_overlay_piece_too_long_for_a_cell_is_named_by_parcel_and_zone(tmp_path):
    pieces = gpd.GeoDataFrame({
        "route": ["QL10"] * 3, "zone": ["road_land", "road_land", "safety_corridor"],
        "commune_code": ["13297"] * 3, "sheet_no": ["99"] * 3, "parcel_no": ["4", "5", "5"],
        "owner": ["Hộ A", "y" * 40000, "y" * 40000], "geometry": [box(0, 0, 1, 1)] * 3},
        crs=9209)
    with pytest.raises(CellTextTooLongError) as refused:
        write_tables({"corridor_parcels": pieces}, tmp_path / "o.xlsx")
    assert str(refused.value).startswith(
        f"{tmp_path / 'o.xlsx'}: sheet 'corridor_parcels', parcel 13297/99/5, QL10 road_land, "
        "field 'owner': a text of 40,000 characters")
    assert str(refused.value).endswith("(also sheet 'corridor_parcels', parcel 13297/99/5, "
                                       "QL10 safety_corridor, field 'owner')")


def test_buildings_are_read_whatever_the_encoding_of_their_unused_text(tmp_path):
    """Noticed in review 14c: a buildings Shapefile whose .cpg says UTF-8 but whose field
    names and text are Windows-1258 (a Vietnamese MapInfo export) was refused as unreadable;
    only its polygons are used, so its text is no reason to refuse it."""
    import fiona
    from roadinfra.core.cadastre.sources import read_buildings
    from roadinfra.core.crs import to_grid
    from roadinfra.core.profile import load_profile
    from shapely.geometry import mapping

    x, y = to_grid(106.40, 20.50)
    path = tmp_path / "nha.shp"
    schema = {"geometry": "Polygon", "properties": {"ChủNhà": "str:40", "LoạiNhà": "str:8"}}
    with fiona.open(path, "w", driver="ESRI Shapefile", crs="EPSG:9209", schema=schema,
                    encoding="cp1258") as out:
        for k in range(2):
            out.write({"geometry": mapping(box(x + 20 * k, y, x + 20 * k + 8, y + 8)),
                       "properties": {"ChủNhà": "Nguyễn Văn Bảy", "LoạiNhà": "cấp 4"}})
    path.with_suffix(".cpg").write_text("UTF-8")
    buildings = read_buildings(path, load_profile())
    assert list(buildings.columns) == ["geometry"] and buildings.crs.to_epsg() == 9209
    assert sorted(round(g.area, 6) for g in buildings.geometry) == [64.0, 64.0]

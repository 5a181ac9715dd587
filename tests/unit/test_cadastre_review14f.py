"""Issue 14, hostile review round 4 (14d): area sums over the same parcels (#9), a refused
workbook cell named by the file's column (#10), and the import/pull guards (#1, #2, #6)."""

from __future__ import annotations

from roadinfra.core.cli import main

from tests.unit.test_cadastre_review14d import truth


def test_the_area_line_compares_only_parcels_with_an_official_area(tmp_path, capsys):
    """Review 14d #9: 10 parcels of 20 x 20 m, DienTich given for 5: computed and official
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


def test_a_refused_workbook_cell_names_the_files_column(tmp_path, capsys):
    """Review 14d #10: the owner is read from the file's column ChuSuDung: the refusal names
    it beside the target field."""
    frame = truth(count=3)
    frame["ChuSuDung"] = ["Hộ A", "x" * 40000, "Hộ B"]
    path = tmp_path / "owners.gpkg"
    frame.to_file(path)
    capsys.readouterr()
    assert main(["cadastre", "check", str(path), "-o", str(tmp_path / "q.xlsx")]) == 2
    err = capsys.readouterr().err
    assert (f"sheet 'parcels', row 2 of {path}, parcel 7/2, field 'owner' (column "
            "'ChuSuDung' of the source): a text of 40,000 characters") in err

"""Issue 14, third hostile review (#10): a table with more records than a workbook sheet
holds is refused up front naming the workbook, the sheet and the count, suggesting a
GeoPackage or CSV; nothing written (was openpyxl's bare ValueError)."""

from __future__ import annotations

import pandas as pd
import pytest
from roadinfra.core.cadastre.outputs import write_tables
from roadinfra.core.io.spreadsheet import SHEET_ROW_LIMIT, SheetTooLongError
from roadinfra.core.reports.tables import Column, ReportTable
from roadinfra.core.reports.xlsx import write_xlsx


def test_cadastre_workbook_with_more_records_than_a_sheet_holds(tmp_path):
    path = tmp_path / "check.xlsx"
    frame = pd.DataFrame({"row": range(SHEET_ROW_LIMIT)})
    with pytest.raises(SheetTooLongError) as caught:
        write_tables({"summary": frame.iloc[:1], "parcels": frame}, path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    assert "sheet 'parcels': 1,048,576 records need 1,048,577 rows" in message
    assert "GeoPackage" in message and "CSV" in message and not path.exists()
    write_tables({"parcels": frame.iloc[:3]}, path)  # below the limit: written
    assert path.exists()


def test_report_workbook_with_more_rows_than_a_sheet_holds(tmp_path):
    path = tmp_path / "report.xlsx"
    row = {"road": "QL10"}
    table = ReportTable("roads", "Đường", "Roads", (Column("road", "Đường", "Road"),),
                        [row] * (SHEET_ROW_LIMIT - 3), notes=("a note",))
    with pytest.raises(SheetTooLongError) as caught:
        write_xlsx([table], path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    assert "sheet 'roads': 1,048,573 records need 1,048,578 rows" in message
    assert not path.exists()

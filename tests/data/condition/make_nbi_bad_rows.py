"""Derive nbi_bad_rows.csv: five real NBI records with deliberately broken cells, re-encoded.

Source: /work/shared/data/bridges_us_nbi_sample/sample.csv (FHWA NBI 2013, public domain).
Rows kept: the header and source data rows 1-5. Changes (data row -> cell):
  1 valid (control);  2 DECK_COND_058 '7' -> 'X' (rating outside the scheme);
  3 LAT_016 minutes 17 -> 75 (bad angle) and YEAR_BUILT_027 '1942' -> '1700' (below schema min);
  4 DATE_OF_INSPECT_090 '612' -> '1399' (month 13);  5 STRUCTURE_NUMBER_008 = row 1's (repeat),
  and row 1's FEATURES_DESC_006A gets Vietnamese text 'SÔNG TRÀ LÝ' so the file, written in cp1258
  (Vietnamese Windows), exercises encoding detection.
Run: .venv/bin/python tests/data/condition/make_nbi_bad_rows.py
"""

import csv
from pathlib import Path

SOURCE = Path("/work/shared/data/bridges_us_nbi_sample/sample.csv")
TARGET = Path(__file__).resolve().parent / "nbi_bad_rows.csv"

with open(SOURCE, newline="", encoding="ascii") as handle:
    rows = list(csv.reader(handle, quotechar="'"))
header, data = rows[0], [list(r) for r in rows[1:6]]
col = {name: i for i, name in enumerate(header)}
data[1][col["DECK_COND_058"]] = "X"
lat = data[2][col["LAT_016"]]
data[2][col["LAT_016"]] = lat[:2] + "75" + lat[4:]
data[2][col["YEAR_BUILT_027"]] = "1700"
data[3][col["DATE_OF_INSPECT_090"]] = "1399"
data[4][col["STRUCTURE_NUMBER_008"]] = data[0][col["STRUCTURE_NUMBER_008"]]
# cp1258 has no precomposed Ý: Windows Vietnamese writes Y + combining acute (0xEC)
data[0][col["FEATURES_DESC_006A"]] = "SÔNG TRÀ LY\u0301"
with open(TARGET, "w", newline="", encoding="cp1258") as handle:
    writer = csv.writer(handle, quotechar="'", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(data)
print(f"{TARGET}: {len(data)} rows")

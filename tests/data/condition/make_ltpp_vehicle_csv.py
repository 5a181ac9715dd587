"""Derive ltpp_tx_vehicle.csv (a survey-vehicle style IRI file) from the LTPP extract.

Input: /work/shared/data/pavement_ltpp_iri/flexible_iri_raw_merged.csv (FHWA LTPP, public
domain; extract MIT). For every Texas (STATE_ABBR TX) test section the latest visit is kept;
sections are laid end to end in SHRP_ID order on a pseudo route "LTPP-TX", each 152.4 m
long (the LTPP monitoring length, 500 ft), with IRI = MEAN_IRI (m/km), rut_mm =
MAX_MEAN_DEPTH_WIRE_REF (mm) and cracking_pct = HPMS16_CRACKING_PERCENT_AC (blank if absent).
Run: .venv/bin/python tests/data/condition/make_ltpp_vehicle_csv.py
"""

import csv
from pathlib import Path

SOURCE = Path("/work/shared/data/pavement_ltpp_iri/flexible_iri_raw_merged.csv")
TARGET = Path(__file__).resolve().parent / "ltpp_tx_vehicle.csv"
SECTION_M = 152.4

latest = {}
with open(SOURCE, newline="", encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        if row["STATE_ABBR"] != "TX":
            continue
        key = int(row["SHRP_ID"])
        if key not in latest or row["VISIT_DATE"] > latest[key]["VISIT_DATE"]:
            latest[key] = row

with open(TARGET, "w", newline="", encoding="utf-8") as handle:
    out = csv.writer(handle, lineterminator="\n")
    out.writerow(["route", "from_km", "to_km", "iri", "rut_mm", "cracking_pct", "visit_date",
                  "shrp_id"])
    for i, key in enumerate(sorted(latest)):
        row = latest[key]
        start = i * SECTION_M / 1000.0
        out.writerow(["LTPP-TX", f"{start:.4f}", f"{start + SECTION_M / 1000.0:.4f}",
                      f"{float(row['MEAN_IRI']):.3f}", row["MAX_MEAN_DEPTH_WIRE_REF"],
                      row["HPMS16_CRACKING_PERCENT_AC"], row["VISIT_DATE"], row["SHRP_ID"]])
print(f"{TARGET}: {len(latest)} rows")

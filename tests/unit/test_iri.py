"""IRI bands from the profile, checked on the real LTPP roughness runs, and the import of a
survey-vehicle CSV derived from them (tests/data/condition/README.md)."""

import csv
from pathlib import Path

import pytest
from roadinfra.core.condition.iri import (
    IriError,
    classify,
    classify_survey,
    iri_bands,
    read_vehicle_csv,
)
from roadinfra.core.io.rows import RowErrorsError

from tests.support.shared_data import SHARED_DATA

LTPP = SHARED_DATA / "pavement_ltpp_iri/flexible_iri_raw_merged.csv"
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "condition" / "ltpp_tx_vehicle.csv"
M_PER_KM_TO_IN_PER_MI = 63.36  # 1 m/km = 63.36 in/mi


def ltpp_iri():
    with open(LTPP, newline="", encoding="utf-8") as handle:
        return [float(r["MEAN_IRI"]) for r in csv.DictReader(handle) if r["MEAN_IRI"].strip()]


def test_profile_bands_are_fhwa_defaults():
    bands = iri_bands()
    assert bands.labels_en == ("Good", "Fair", "Poor")
    assert bands.labels_vi == ("Tốt", "Trung bình", "Kém")
    assert [bands.label(v) for v in (0.0, 1.49, 1.5, 2.69, 2.7, 9.0)] == [
        "Good", "Good", "Fair", "Fair", "Poor", "Poor"]
    with pytest.raises(IriError):
        bands.label(-1.0)


def test_ltpp_classification_counts_and_fhwa_inch_oracle():
    values = ltpp_iri()
    assert len(values) == 2795
    counts = classify(values, iri_bands())
    assert dict(counts) == {"Good": 1592, "Fair": 1033, "Poor": 170}
    # FHWA 23 CFR 490.313 in its own units: Good < 95 in/mi, Fair 95-170, Poor > 170.
    # The profile rounds to 1.5 / 2.7 m/km, so only values in the rounding gaps
    # [95 in/mi, 1.5 m/km) and (170 in/mi, 2.7 m/km) may be classed differently.
    bands = iri_bands()
    gaps = ((95 / M_PER_KM_TO_IN_PER_MI, 1.5), (170 / M_PER_KM_TO_IN_PER_MI, 2.7))
    differing = []
    for value in values:
        inches = value * M_PER_KM_TO_IN_PER_MI
        fhwa = "Good" if inches < 95 else "Fair" if inches <= 170 else "Poor"
        if bands.label(value) != fhwa:
            differing.append(value)
            assert any(low <= value < high for low, high in gaps), value
    assert len(differing) < 10


def test_vehicle_csv_import_and_summary():
    rows = read_vehicle_csv(FIXTURE)
    assert len(rows) == 50
    assert rows[0].route == "LTPP-TX"
    assert rows[1].from_m == pytest.approx(152.4)
    assert rows[1].rut_mm == 15.0 and rows[0].rut_mm is None
    survey = rows[1].as_survey_row()
    assert survey["method"] == "VEHICLE" and survey["cracking_pct"] == 42.0
    summary = classify_survey(rows)
    assert summary.counts == {"Good": 13, "Fair": 30, "Poor": 7}
    assert sum(summary.length_m.values()) == pytest.approx(50 * 152.4)
    assert summary.mean_iri == pytest.approx(sum(r.iri for r in rows) / 50)
    assert summary.labels_vi[1] == "Trung bình"


def test_vehicle_csv_reports_every_bad_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "route,from_m,to_m,iri,rut_mm,cracking_pct\n"
        "QL10,0,100,2.1,5,10\n"
        ",100,200,2.1,5,10\n"        # row 3: empty route
        "QL10,200,150,2.1,5,10\n"    # row 4: end before start
        "QL10,300,400,abc,5,10\n"    # row 5: IRI not a number
        "QL10,400,500,-1,5,10\n"     # row 6: negative IRI
        "QL10,500,600,2.0,5,140\n"   # row 7: cracking above 100 %
        "QL10,600,700,2.0,-3,10\n"   # row 8: negative rut
        "QL10,700,800,3.0,,\n"       # fine, optional values empty
    )
    with pytest.raises(RowErrorsError) as info:
        read_vehicle_csv(path)
    found = [(e.row, e.field) for e in info.value.errors]
    assert found == [(3, "route"), (4, "to_m"), (5, "iri"), (6, "iri"), (7, "cracking_pct"),
                     (8, "rut_mm")]


def test_missing_column_is_reported(tmp_path):
    path = tmp_path / "nocol.csv"
    path.write_text("route,from_km,iri\nQL10,0,2\n")
    with pytest.raises(IriError, match="to_km"):
        read_vehicle_csv(path)


def test_mixed_metre_and_kilometre_columns_are_refused(tmp_path):
    """from_m with to_km used to read 0.1 km as 0.1 m: a 100 m interval became 10 cm."""
    path = tmp_path / "mixed.csv"
    path.write_text("route,from_m,to_km,iri\nQL10,0,0.1,2.0\n")
    with pytest.raises(IriError, match="row 1 .*'from_m' and 'to_km'"):
        read_vehicle_csv(path)


def test_cp1258_route_codes_are_read_as_vietnamese(tmp_path):
    """Provincial roads are "ĐT..." and a Windows-1258 file was read as latin-1: 0xD0 became
    the Icelandic "Ð", so route ĐT452 never matched its sections."""
    path = tmp_path / "xe_khao_sat.csv"
    path.write_bytes("route,from_km,to_km,iri\nĐT452,0,0.1,2.5\n".encode("cp1258"))
    (row,) = read_vehicle_csv(path)
    assert row.route == "ĐT452"


def test_semicolon_file_with_decimal_commas(tmp_path):
    """What Excel writes with Vietnamese regional settings; it used to be refused as
    missing every column."""
    path = tmp_path / "excel_vi.csv"
    path.write_text("route;from_km;to_km;iri\nQL10;1,2;1,3;2,75\n", encoding="utf-8")
    (row,) = read_vehicle_csv(path)
    assert (row.from_m, row.to_m, row.iri) == pytest.approx((1200.0, 1300.0, 2.75))


def test_header_only_file_is_refused(tmp_path):
    """An empty survey used to give a NaN mean IRI (and invalid JSON) instead of an error."""
    path = tmp_path / "empty.csv"
    path.write_text("route,from_km,to_km,iri\n\n")
    with pytest.raises(IriError, match="no survey rows"):
        read_vehicle_csv(path)


def test_section_iri_is_overlap_weighted():
    from roadinfra.core.condition.iri import section_iri

    rows = read_vehicle_csv(FIXTURE)
    # the section covers all of fixture row 1 (152.4-304.8 m) and half of row 2
    expected = (rows[1].iri * 152.4 + rows[2].iri * 76.2) / 228.6
    assert section_iri(rows, "LTPP-TX", 152.4, 381.0) == pytest.approx(expected)
    assert section_iri(rows, "QL10", 0, 100) is None
    with pytest.raises(IriError):
        section_iri(rows, "LTPP-TX", 100, 100)

"""PCI per ASTM D6433: the CDV iteration, deduct curves against published worked examples,
section PCI, sample size, and the rating function against San Diego's 2023 PCI classes.

Worked examples (numbers as published):
- ASTM D6433 sample-unit example (asphalt, 2,500 ft2; 1L 13 ft2, 1H 14 ft2, 7L 130 ft,
  8M 143 ft, 11H 22 ft2, 13L 1 pothole, 15L 21 ft2, 19L 250 ft2): deducts 25.1, 23.4, 17.9,
  11.2, 7.9, 7.5, 6.9, 5.3; m = 7.9; first iteration total 104.7, q = 8, CDV 51; max CDV 51,
  PCI 49, Poor. As reproduced in the MIT-licensed test suite of
  github.com/brandnewbox/pavement_condition_index
  (spec/asphalt_sample_unit_condition_survey_spec.rb).
- Diponegoro University thesis "Evaluation of pavement distresses using pavement condition
  index" (UNDIP-IR), Table 4.3: deducts 48, 23, 18, 6 and 3.85 (5 x 0.77, m = 5.77),
  max CDV 60, PCI 40.
"""

import csv
import json
import math

import pytest
from roadinfra.core.condition.pci import (
    Distress,
    PciError,
    allowable_deducts,
    cdv_iterations,
    pci_from_deducts,
    pci_rating,
    sample_size,
    sample_unit_pci,
    section_pci,
)
from roadinfra.core.condition.pci_curves import (
    CurveError,
    corrected_deduct_value,
    deduct_value,
    load_curves,
)
from roadinfra.core.profile import load_profile

from tests.support.shared_data import SHARED_DATA

SANDIEGO = SHARED_DATA / "pavement_sandiego_pci"
SANDIEGO_2023 = SANDIEGO / "pavement_condition_assessment_2023_datasd.csv"
ASTM_DEDUCTS = [25.1, 23.4, 17.9, 11.2, 7.9, 7.5, 6.9, 5.3]
ASTM_UNIT = [  # ASTM D6433 example sample unit, inch-pound units, area 2500 ft2
    Distress(1, "L", 5), Distress(1, "L", 4), Distress(1, "L", 4),
    Distress(1, "H", 8), Distress(1, "H", 6),
    Distress(7, "L", 32), Distress(7, "L", 15), Distress(7, "L", 18), Distress(7, "L", 24),
    Distress(7, "L", 41),
    Distress(8, "M", 20), Distress(8, "M", 15), Distress(8, "M", 35), Distress(8, "M", 27),
    Distress(8, "M", 23), Distress(8, "M", 10), Distress(8, "M", 13),
    Distress(11, "H", 12), Distress(11, "H", 10),
    Distress(13, "L", 1),
    Distress(15, "L", 4), Distress(15, "L", 9), Distress(15, "L", 8),
    Distress(19, "L", 250),
]
#: documented error of the digitised curves against the standard's printed example
DEDUCT_TOLERANCE = 3.0
PCI_TOLERANCE = 2.0


def test_curve_file_has_19_distresses_three_severities_and_q_1_to_7():
    curves = load_curves()
    assert sorted(curves.distresses) == list(range(1, 20))
    for dtype in curves.distresses.values():
        assert set(dtype.deduct) == {"L", "M", "H"}
        for values in dtype.deduct.values():
            assert len(values) == len(dtype.density_pct)
    assert sorted(curves.cdv) == list(range(1, 8))


def test_allowable_deducts_formula():
    assert allowable_deducts(25.1) == pytest.approx(1 + 9 / 98 * 74.9)
    assert allowable_deducts(0.0) == 10.0  # capped at 10
    assert allowable_deducts(100.0) == 1.0


def test_cdv_iteration_reproduces_astm_example_table():
    m, steps = cdv_iterations(ASTM_DEDUCTS)
    assert m == pytest.approx(7.8786, abs=1e-4)
    # the printed table rounds m to 7.9 (last deduct 0.9 x 5.3 = 4.8, total 104.7); the
    # formula gives 0.8786 x 5.3 = 4.66; every later line of the table is exact
    assert steps[0].deducts[-1] == pytest.approx(5.3 * (m - 7))
    assert steps[0].total == pytest.approx(104.7, abs=0.15)
    assert [s.q for s in steps] == [8, 7, 6, 5, 4, 3, 2, 1]
    assert [round(s.total, 1) for s in steps[1:]] == [101.9, 97.0, 91.5, 85.6, 76.4, 60.5, 39.1]
    assert steps[1].deducts == (25.1, 23.4, 17.9, 11.2, 7.9, 7.5, 6.9, 2.0)
    assert steps[-1].deducts == (25.1,) + (2.0,) * 7
    assert steps[-1].cdv == pytest.approx(39.1)  # q = 1: CDV = total
    assert steps[0].cdv == pytest.approx(51, abs=PCI_TOLERANCE)
    result = pci_from_deducts(ASTM_DEDUCTS)
    assert result.pci == pytest.approx(49, abs=PCI_TOLERANCE)
    assert result.rating == "Poor"
    assert result.rating_vi == "Kém"


def test_cdv_iteration_thesis_example():
    m, steps = cdv_iterations([48, 23, 18, 6, 3.85])
    assert m == pytest.approx(5.775, abs=1e-3)
    assert [s.q for s in steps] == [5, 4, 3, 2, 1]
    assert [round(s.total, 2) for s in steps] == [98.85, 97.0, 93.0, 77.0, 56.0]
    result = pci_from_deducts([48, 23, 18, 6, 3.85])
    assert result.max_cdv == pytest.approx(60, abs=PCI_TOLERANCE)
    assert result.pci == pytest.approx(40, abs=PCI_TOLERANCE)


def test_one_deduct_above_two_uses_the_total():
    result = pci_from_deducts([7.9, 1.5, 0.5])
    assert result.max_cdv == pytest.approx(9.9)
    assert result.pci == pytest.approx(90.1)
    assert result.allowable_deducts is None
    assert pci_from_deducts([]).pci == 100.0


def test_astm_example_end_to_end_within_curve_error():
    result = sample_unit_pci(ASTM_UNIT, 2500, units="imperial")
    by_group = {(d.code, d.severity): d for d in result.deducts}
    assert len(by_group) == 8
    assert by_group[(1, "L")].density_pct == pytest.approx(0.52)
    assert by_group[(8, "M")].density_pct == pytest.approx(5.72)
    assert by_group[(13, "L")].density_pct == pytest.approx(0.04)
    assert by_group[(1, "L")].deduct == pytest.approx(7.9, abs=DEDUCT_TOLERANCE)
    ours = sorted((d.deduct for d in result.deducts), reverse=True)
    for mine, printed in zip(ours, ASTM_DEDUCTS):
        assert mine == pytest.approx(printed, abs=DEDUCT_TOLERANCE)
    assert result.iterations[0].q == 8
    assert result.max_cdv == pytest.approx(51, abs=PCI_TOLERANCE)
    assert result.pci == pytest.approx(49, abs=PCI_TOLERANCE)
    assert result.rating == "Poor"


def test_metric_input_gives_the_same_densities_as_imperial():
    factor = {"area": 0.3048**2, "length": 0.3048, "count": 1.0}
    measure = {code: dtype.measure for code, dtype in load_curves().distresses.items()}
    metric = [Distress(d.code, d.severity, d.quantity * factor[measure[d.code]])
              for d in ASTM_UNIT]
    a = sample_unit_pci(ASTM_UNIT, 2500, units="imperial")
    b = sample_unit_pci(metric, 2500 * factor["area"], units="metric")
    assert b.pci == pytest.approx(a.pci, abs=1e-9)


def test_deduct_curves_behave():
    assert deduct_value(13, "H", 0.0) == 0.0
    assert deduct_value(1, "M", 1.0) == pytest.approx(21.3)  # a digitised point
    assert deduct_value(13, "H", 8.0) == 100.0  # pothole curves are clipped at 100
    assert deduct_value(12, "", 10.0) == deduct_value(12, "H", 10.0)  # no severity levels
    assert corrected_deduct_value(100.0, 1) == 100.0
    assert corrected_deduct_value(100.0, 9) == corrected_deduct_value(100.0, 7)
    with pytest.raises(CurveError):
        deduct_value(20, "L", 1.0)
    with pytest.raises(CurveError):
        deduct_value(1, "X", 1.0)
    with pytest.raises(CurveError):
        deduct_value(1, "L", 101.0)


def test_polished_aggregate_is_one_group_whatever_severity_was_written(tmp_path):
    """Distress 12 has no severity levels: 50 m2 written without a severity and 50 m2 as 'L'
    used to be two groups, each deducted (twice ~6.9) instead of one deduct for 100 m2."""
    from roadinfra.core.condition.pci_survey import survey_pci

    split = sample_unit_pci([Distress(12, "", 50), Distress(12, "L", 50)], unit_area=230)
    whole = sample_unit_pci([Distress(12, "L", 100)], unit_area=230)
    assert [(d.code, d.severity, d.quantity) for d in split.deducts] == [(12, "L", 100.0)]
    assert split.pci == whole.pci
    path = tmp_path / "polished.csv"
    path.write_text("sample_unit,unit_area,code,severity,quantity\n"
                    "A,230,12,,50\nA,230,12,M,50\nA,230,1,M,10\n")
    unit = survey_pci(path).units[0].result
    assert [(d.code, d.severity, d.quantity) for d in unit.deducts] == [
        (1, "M", 10.0), (12, "L", 100.0)]


def test_bad_input_raises():
    with pytest.raises(PciError):
        sample_unit_pci([Distress(1, "L", -1)], 230)
    with pytest.raises(PciError, match="above 100"):
        sample_unit_pci([Distress(1, "L", 300)], 230)
    with pytest.raises(PciError):
        sample_unit_pci([Distress(1, "L", 3)], 0)


def test_section_pci_is_area_weighted():
    assert section_pci([(80, 200), (50, 100)]) == pytest.approx(70)
    with pytest.raises(PciError):
        section_pci([])


def test_sample_size_formula():
    # n = N s^2 / ((e^2/4)(N-1) + s^2): N=20 -> 2000 / (6.25*19 + 100) = 9.04 -> 10
    assert sample_size(20) == 10
    assert sample_size(100) == math.ceil(100 * 100 / (6.25 * 99 + 100))
    assert sample_size(1) == 1
    assert sample_size(5, std_dev=15, error=5) == 5
    with pytest.raises(PciError):
        sample_size(0)
    for std_dev, error in ((math.nan, 5.0), (10.0, math.inf)):
        with pytest.raises(PciError):
            sample_size(20, std_dev, error)


def test_rating_agrees_with_san_diego_2023_classes():
    profile = load_profile()
    checked = 0
    disagreements = []
    with open(SANDIEGO_2023, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["pci"].strip():
                continue
            checked += 1
            if pci_rating(float(row["pci"]), profile) != row["pci_desc"]:
                disagreements.append(row)
    assert checked > 30000
    assert disagreements == []


def test_rating_cut_points():
    assert [pci_rating(v) for v in (100, 85, 84.99, 70, 55, 40, 25, 10, 9.99, 0)] == [
        "Good", "Good", "Satisfactory", "Satisfactory", "Fair", "Poor", "Very Poor", "Serious",
        "Failed", "Failed"]
    with pytest.raises(PciError):
        pci_rating(101)


def test_survey_json_and_csv_files(tmp_path):
    from roadinfra.core.condition.pci_survey import survey_pci

    doc = {"units": "imperial", "sample_units": [
        {"id": "A", "area": 2500,
         "distresses": [{"code": d.code, "severity": d.severity, "quantity": d.quantity}
                        for d in ASTM_UNIT]},
        {"id": "B", "area": 2500, "distresses": []}]}
    path = tmp_path / "survey.json"
    path.write_text(json.dumps(doc))
    result = survey_pci(path)
    assert [u.unit_id for u in result.units] == ["A", "B"]
    assert result.units[1].result.pci == 100.0
    assert result.section_pci == pytest.approx((result.units[0].result.pci + 100) / 2)

    csv_path = tmp_path / "survey.csv"
    lines = ["sample_unit,unit_area,code,severity,quantity"]
    lines += [f"A,2500,{d.code},{d.severity},{d.quantity}" for d in ASTM_UNIT]
    csv_path.write_text("\n".join(lines) + "\n")
    from_csv = survey_pci(csv_path, units="imperial")
    assert from_csv.units[0].result.pci == pytest.approx(result.units[0].result.pci)

    deducts = tmp_path / "deducts.csv"
    deducts.write_text("deduct\n" + "\n".join(str(v) for v in ASTM_DEDUCTS) + "\n")
    assert survey_pci(deducts).units[0].result.pci == pytest.approx(
        pci_from_deducts(ASTM_DEDUCTS).pci)


def test_survey_reports_every_bad_row(tmp_path):
    from roadinfra.core.condition.pci_survey import survey_pci
    from roadinfra.core.io.rows import RowErrorsError

    path = tmp_path / "bad.csv"
    path.write_text(
        "sample_unit,unit_area,code,severity,quantity\n"
        "A,230,1,L,5\n"          # fine
        "A,230,27,L,5\n"         # unknown distress code
        "A,230,1,M,-3\n"         # negative quantity
        "A,230,1,H,400\n"        # density above 100 %
        "A,230,13,X,1\n"         # bad severity
        "B,abc,1,L,2\n"          # bad area
        "A,230,15,M,many\n"      # not a number
    )
    with pytest.raises(RowErrorsError) as info:
        survey_pci(path)
    found = {(e.row, e.field) for e in info.value.errors}
    assert found == {(3, "code"), (4, "quantity"), (5, "quantity"), (6, "severity"),
                     (7, "unit_area"), (8, "quantity")}
    assert "bad.csv, row 3, field 'code'" in str(info.value)


def test_pci_from_records_checks_every_record():
    from roadinfra.core.condition.pci_survey import pci_from_records
    from roadinfra.core.io.rows import RowErrorsError

    records = [(i, "A", 2500, d.code, d.severity, d.quantity)
               for i, d in enumerate(ASTM_UNIT, start=1)]
    result = pci_from_records(records, units="imperial")
    assert result.units[0].result.pci == pytest.approx(
        sample_unit_pci(ASTM_UNIT, 2500, units="imperial").pci)
    with pytest.raises(RowErrorsError) as info:
        pci_from_records([(7, "A", 230, "1", "L", None), (8, "", 230, 1, "L", 1),
                          (9, "B", -5, 1, "L", 1)], source="layer")
    assert [(e.row, e.field) for e in info.value.errors] == [
        (7, "quantity"), (8, "sample_unit"), (9, "unit_area")]

"""``roadinfra pavement pci | sample-size | iri`` end to end through the CLI entry point."""

import json
from pathlib import Path

from roadinfra.core.cli import main

from tests.support.distress import one_survey_of_the_sample

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "condition" / "ltpp_tx_vehicle.csv"
ASTM_DEDUCTS = [25.1, 23.4, 17.9, 11.2, 7.9, 7.5, 6.9, 5.3]


def test_pci_from_deduct_list_json(tmp_path, capsys):
    path = tmp_path / "deducts.json"
    path.write_text(json.dumps(ASTM_DEDUCTS))
    assert main(["pavement", "pci", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    unit = out["sample_units"][0]
    assert [s["q"] for s in unit["iterations"]] == [8, 7, 6, 5, 4, 3, 2, 1]
    assert unit["rating"] == "Poor" and out["section_rating_vi"] == "Kém"
    assert abs(unit["pci"] - 49) <= 2


def test_pci_text_output_and_bad_rows(tmp_path, capsys):
    path = tmp_path / "survey.csv"
    path.write_text("sample_unit,unit_area,code,severity,quantity\nA,230,13,H,2\nA,230,1,M,12\n")
    assert main(["pavement", "pci", str(path)]) == 0
    text = capsys.readouterr().out
    assert "distress 13H" in text and "max CDV" in text
    bad = tmp_path / "bad.csv"
    bad.write_text("sample_unit,unit_area,code,severity,quantity\nA,230,99,H,2\nA,230,1,Q,-1\n")
    assert main(["pavement", "pci", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 2, field 'code'" in err and "row 3, field 'severity'" in err
    assert "row 3, field 'quantity'" in err
    assert main(["pavement", "pci", str(bad), "--json"]) == 2
    assert len(json.loads(capsys.readouterr().out)["errors"]) == 3


def test_sample_size_and_iri(capsys):
    assert main(["pavement", "sample-size", "20", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sample_size"] == 10
    assert main(["pavement", "iri", str(FIXTURE), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"] == {"Good": 13, "Fair": 30, "Poor": 7}
    assert len(out["rows"]) == 50


def test_malformed_json_surveys_are_refused_naming_the_field(tmp_path, capsys):
    cases = {
        '{"sample_units": [5]}': "'sample_units[0]' must be an object",
        '{"sample_units": {"A": 1}}': "'sample_units' must be a list",
        '{"sample_units": [{"id": "A", "area": 230, "distresses": [7]}]}':
            "'sample_units[0].distresses[0]' must be an object",
        '{"sample_units": [{"id": "A", "area": 230, "distresses": "1M"}]}':
            "'sample_units[0].distresses' must be a list",
        '{"deduct_values": 25}': "'deduct_values' must be a list",
        "[]": "'deduct_values' is empty",  # an empty file is not a perfect pavement
    }
    for k, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"survey{k}.json"
        path.write_text(text)
        assert main(["pavement", "pci", str(path)]) == 2, text
        err = capsys.readouterr().err
        assert f"survey{k}.json" in err and expected in err, err


def test_cp1258_survey_from_a_vietnamese_windows_pc(tmp_path, capsys):
    """A CSV saved in Windows-1258 used to stop with a UnicodeDecodeError traceback."""
    path = tmp_path / "khao_sat.csv"
    # cp1258 has "Đ" but writes the dot below of "ạ" as a combining mark after the "a"
    path.write_bytes("sample_unit,unit_area,code,severity,quantity\nĐoa\u0323n 1,230,1,M,12\n"
                     .encode("cp1258"))
    assert main(["pavement", "pci", str(path), "--json"]) == 0
    unit = json.loads(capsys.readouterr().out)["sample_units"][0]
    assert unit["id"] == "Đoạn 1" and unit["deducts"][0]["code"] == 1


def test_semicolon_survey_with_decimal_commas(tmp_path, capsys):
    path = tmp_path / "excel_vi.csv"
    path.write_text("sample_unit;unit_area;code;severity;quantity\nA;230;1;M;12,5\n",
                    encoding="utf-8")
    assert main(["pavement", "pci", str(path), "--json"]) == 0
    unit = json.loads(capsys.readouterr().out)["sample_units"][0]
    assert unit["area"] == 230 and unit["deducts"][0]["quantity"] == 12.5


def test_pci_reads_the_distress_table_columns_by_default(tmp_path, capsys):
    """The CLI and roadinfra:compute_pci share core's defaults (the pavement_distress
    columns unit_area_m2, distress_code); the older names unit_area, code are read too."""
    from roadinfra.core.condition.pci_survey import DISTRESS_COLUMNS

    assert DISTRESS_COLUMNS["unit_area"] == "unit_area_m2"
    assert DISTRESS_COLUMNS["code"] == "distress_code"
    table = one_survey_of_the_sample(tmp_path / "distress.csv")
    assert main(["pavement", "pci", str(table), "--json"]) == 0
    schema = json.loads(capsys.readouterr().out)
    older = one_survey_of_the_sample(tmp_path / "older.csv",
                                     {"unit_area_m2": "unit_area", "distress_code": "code"})
    assert main(["pavement", "pci", str(older), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert schema["section_pci"] > 0
    assert again["section_pci"] == schema["section_pci"]
    assert {k: v for k, v in again.items() if k != "file"} == \
        {k: v for k, v in schema.items() if k != "file"}


def test_pci_column_options_name_other_columns(tmp_path, capsys):
    rename = {"sample_unit": "o_mau", "unit_area_m2": "dien_tich", "distress_code": "ma",
              "severity": "muc_do", "quantity": "khoi_luong"}
    table = one_survey_of_the_sample(tmp_path / "vi.csv", rename)
    assert main(["pavement", "pci", str(table)]) != 0
    assert "missing column(s) ['sample_unit', 'unit_area_m2'" in capsys.readouterr().err
    assert main(["pavement", "pci", str(table), "--json", "--sample-unit-column", "o_mau",
                 "--unit-area-column", "dien_tich", "--code-column", "ma",
                 "--severity-column", "muc_do", "--quantity-column", "khoi_luong"]) == 0
    renamed = json.loads(capsys.readouterr().out)
    assert main(["pavement", "pci", str(one_survey_of_the_sample(tmp_path / "d.csv")),
                 "--json"]) == 0
    assert renamed["section_pci"] == json.loads(capsys.readouterr().out)["section_pci"]

"""``roadinfra bridges import | rate | posting`` through the CLI entry point."""

import json
from pathlib import Path

from roadinfra.core.cli import main

from tests.support.shared_data import SHARED_DATA

NBI = f"{SHARED_DATA}/bridges_us_nbi_sample/sample.csv"
BAD = Path(__file__).resolve().parents[1] / "data" / "condition" / "nbi_bad_rows.csv"


def test_import_nbi_json(capsys):
    assert main(["bridges", "import", NBI, "--mapping", "nbi_2013", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"] == {"bridge": 18, "culvert": 1, "inspection": 19,
                             "component_rating": 71}
    assert out["errors"] == [] and out["encoding"] == "utf-8"


def test_import_reports_bad_rows(capsys):
    assert main(["bridges", "import", str(BAD)]) == 2
    out = capsys.readouterr().out
    assert "5 rows read, 1 imported" in out
    assert "row 3, field 'DECK_COND_058'" in out


def test_rate_and_posting(capsys):
    assert main(["bridges", "rate", "deck=7", "superstructure=4", "substructure=6",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["overall"] == 4 and out["deficient"] is True
    assert main(["bridges", "rate", "--scheme", "vn5", "deck=7"]) == 2
    assert "outside scheme 'vn5'" in capsys.readouterr().err
    assert main(["bridges", "posting", "13.6", "9.5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["posting_t"] == 13.0

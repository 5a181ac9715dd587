"""The options table: every bad row reported at once, naming row and field."""

import pytest
from roadinfra.core.io.errors import FileError
from roadinfra.core.io.rows import RowErrorsError
from roadinfra.core.planning.errors import PlanningError
from roadinfra.core.planning.options import parse_budget, read_options


def write(tmp_path, text, name="options.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_comma_and_semicolon_files(tmp_path):
    plain = read_options(write(tmp_path, "section,year,treatment,cost,benefit,condition\n"
                               "A,2027,OVERLAY,100,12.5,40\nB,2028,ROUTINE,5,1,\n"))
    assert [(o.section, o.year, o.cost, o.condition) for o in plain.items] == [
        ("A", 2027, 100.0, 40.0), ("B", 2028, 5.0, None)]
    assert plain.years == [2027, 2028] and plain.sections == ["A", "B"]
    semi = read_options(write(tmp_path, "Section;Year;Treatment;Cost;Benefit\nA;2027;X;1,5;2,25\n",
                              "semi.csv"))
    assert (semi.items[0].cost, semi.items[0].benefit) == (1.5, 2.25)


def test_every_bad_row_is_named(tmp_path):
    path = write(tmp_path, "section,year,treatment,cost,benefit\n"
                 "A,2027,X,-5,1\n"          # 2 negative cost
                 "B,2027,X,10,nan\n"        # 3 NaN benefit
                 "C,2027.5,X,10,1\n"        # 4 year not whole
                 "D,2027,X,10,1\n"
                 "D,2027,X,12,2\n"          # 6 duplicate of row 5
                 "E,,,,\n"                  # 7 a section with no options
                 ",2027,X,1,1\n"            # 8 empty section
                 "F,2027,X,ten,inf\n")      # 9 cost and benefit
    with pytest.raises(RowErrorsError) as err:
        read_options(path)
    found = [(e.row, e.field) for e in err.value.errors]
    assert found == [(2, "cost"), (3, "benefit"), (4, "year"), (6, "treatment"),
                     (7, "treatment"), (8, "section"), (9, "cost"), (9, "benefit")]
    message = str(err.value)
    assert "negative cost -5" in message and "duplicate of row 5" in message
    assert "section 'E' is listed with no option" in message
    assert f"{path}, row 3, field 'benefit'" in message


def test_missing_columns_and_empty_table(tmp_path):
    with pytest.raises(PlanningError, match=r"row 1 \(header\): missing column\(s\) \['benefit'\]"):
        read_options(write(tmp_path, "section,year,treatment,cost\nA,2027,X,1\n"))
    with pytest.raises(PlanningError, match="no options"):
        read_options(write(tmp_path, "section,year,treatment,cost,benefit\n"))


def test_budget_text():
    assert parse_budget("5e9") == 5e9
    assert parse_budget("2027=1_000,2028=2000") == {2027: 1000.0, 2028: 2000.0}
    for bad, match in (("-1", "negative"), ("2027=x", "not a finite number"),
                       ("2027=1,2027=2", "given twice"), ("abc=1", "YEAR=AMOUNT"),
                       ("nan", "not a finite")):
        with pytest.raises(PlanningError, match=match):
            parse_budget(bad)


def test_unreadable_files_are_errors_not_tracebacks(tmp_path):
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(FileError, match="binary.csv: line 1: .* a binary file, not text"):
        read_options(binary)
    huge = write(tmp_path, "section,year,treatment,cost,benefit\nA,2027,X,1," + "9" * 400
                 + "\n", "huge.csv")
    with pytest.raises(RowErrorsError, match="row 2, field 'benefit'"):
        read_options(huge)
    with pytest.raises(FileError, match="is a folder, not a planning options table"):
        read_options(tmp_path)


@pytest.mark.parametrize("extra, message", [
    (["--years", "99999999999999999999"], "argument --years: 99999999999999999999 is outside"),
    (["--gap", "nan"], "argument --gap: 'nan' is not a finite number"),
    (["--time-limit", "-1"], "argument --time-limit: '-1' must be greater than 0"),
    (["--png", "SELF"], "is the input"),
    (["--png", "/dev/null"], "is not a regular file"),
    (["--points", "1000000000"], "argument --points: 1000000000 is outside 1..100"),
    (["--factors", "1,inf"], "argument --factors: 'inf' is not a finite number"),
    (["--budget", "2027=1,2027=2"], "argument --budget: budget year 2027 is given twice"),
])
def test_cli_refuses_bad_numbers_and_outputs(tmp_path, capsys, extra, message):
    from roadinfra.core.cli import main

    path = write(tmp_path, "section,year,treatment,cost,benefit\nA,2027,X,10,1\n")
    before = path.read_bytes()
    extra = [str(path) if e == "SELF" else e for e in extra]
    assert main(["plan", "curve", str(path), "--budget", "10", *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith(("roadinfra: error:", "roadinfra plan curve: error:")), err
    assert message in err and len(err.splitlines()) == 1, err
    assert path.read_bytes() == before

"""Chainage strings <-> metres (issue 4, item 1)."""

import pytest
from roadinfra.core.chainage import ChainageError, format_chainage, parse_chainage
from roadinfra.core.cli import main


@pytest.mark.parametrize(
    "text, metres",
    [
        ("Km12+350", 12350.0),
        ("Km 12+350.5", 12350.5),
        ("km12+350", 12350.0),
        ("12+350", 12350.0),
        ("KM12 + 350", 12350.0),
        ("Km12+350,25", 12350.25),   # Vietnamese decimal comma
        ("Km0+000", 0.0),
        ("Km12+035", 12035.0),
        ("Km1234+999.999", 1234999.999),
        ("Km12", 12000.0),               # a kilometre-post label: Km12+000
        ("km 3", 3000.0),
        ("KM0", 0.0),
    ],
)
def test_parse(text, metres):
    assert parse_chainage(text) == metres


@pytest.mark.parametrize("text", ["Km12+1350", "Km-1+000", "abc", "12+35", "", "12", "Km+350",
                                  "Km12+350.", "12350", "Km12+", "Km12.5"])
def test_parse_refuses_malformed(text):
    with pytest.raises(ChainageError) as err:
        parse_chainage(text, where="posts.csv row 7 field km")
    assert "posts.csv row 7 field km" in str(err.value)
    assert repr(text) in str(err.value)


@pytest.mark.parametrize(
    "metres, text",
    [
        (12350, "Km12+350"),
        (12350.5, "Km12+350.5"),
        (0, "Km0+000"),
        (12035, "Km12+035"),
        (999.9996, "Km1+000"),          # rounds up across the kilometre
        (0.1 + 0.2, "Km0+000.3"),       # binary noise does not leak into the text
        (1234567.125, "Km1234+567.125"),
    ],
)
def test_format(metres, text):
    assert format_chainage(metres) == text


def test_format_decimals_and_refusals():
    assert format_chainage(12350.46, decimals=1) == "Km12+350.5"
    assert format_chainage(12350.44, decimals=0) == "Km12+350"
    for bad in (-0.5, float("nan"), "x", 1e300):
        with pytest.raises(ChainageError):
            format_chainage(bad)
    with pytest.raises(ChainageError):
        format_chainage(12350.5, decimals=400)  # more digits than Decimal carries


@pytest.mark.parametrize("metres", [0.0, 1.5, 999.999, 12350.5, 54672.529, 1e6 + 0.001])
def test_round_trip(metres):
    assert parse_chainage(format_chainage(metres)) == pytest.approx(metres, abs=5e-4)


def test_cli_parse_and_format(capsys):
    assert main(["chainage", "parse", "Km12+350", "Km 12+350.5"]) == 0
    assert capsys.readouterr().out.split() == ["12350", "12350.5"]
    assert main(["chainage", "format", "12350.5"]) == 0
    assert capsys.readouterr().out.strip() == "Km12+350.5"
    assert main(["chainage", "parse", "Km12+1350"]) == 2
    assert "Km12+1350" in capsys.readouterr().err


def test_cli_parse_prints_every_digit_of_long_chainages(capsys):
    assert main(["chainage", "parse", "Km1234+999", "Km1000+000", "Km1234+999.5"]) == 0
    assert capsys.readouterr().out.split() == ["1234999", "1000000", "1234999.5"]


def test_cli_format_refuses_huge_values_without_traceback(capsys):
    assert main(["chainage", "format", "1e300"]) == 2
    assert "argument 1" in capsys.readouterr().err


def test_a_post_label_is_one_chainage_everywhere(tmp_path, capsys):
    """``Km3`` means Km3+000 for ``chainage parse``, post labels and event tables alike."""
    from roadinfra.core.lrs.events import _measure
    from roadinfra.core.lrs.io import post_measure

    assert main(["chainage", "parse", "Km3"]) == 0
    assert capsys.readouterr().out.strip() == "3000"
    assert post_measure("Km3", "posts row 2") == _measure("Km3", "events row 2") == 3000.0
    assert post_measure("Km3+250", "posts") == _measure("Km3+250", "events") == 3250.0

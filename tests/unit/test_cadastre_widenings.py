"""Planned widenings (``--widening``): finite, positive widths up to 500 m and kilometre
ranges in order, else a one-line error naming the widening."""

from __future__ import annotations

import pytest
from roadinfra.core.cadastre.corridor import parse_widening
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cli import main


@pytest.mark.parametrize("width", ["1e308", "501"])
def test_absurd_widening_width_refused(width):
    with pytest.raises(CadastreError, match="at most 500 m"):
        parse_widening(f"QL10:Km80+200-Km81+000:{width}")
    assert parse_widening("QL10:Km80+200-Km81+000:500").width_m == 500.0


@pytest.mark.parametrize("text", ["DH71:0-100:inf", "DH71:0-100:nan", "DH71:0-inf:20",
                                  "DH71:0-100:-5", "DH71:0-100:0", "DH71:100-0:20"])
def test_a_widening_needs_finite_positive_numbers(text):
    from roadinfra.core.cadastre.corridor import parse_widening

    with pytest.raises(CadastreError, match="widening"):
        parse_widening(text)


def test_overlay_with_an_infinite_widening_is_a_one_line_error(tb_db, capsys):

    code = main(["cadastre", "overlay", str(tb_db), "--widening", "DH71:0-100:inf"])
    err = capsys.readouterr().err
    assert code != 0 and "must be finite" in err and "Traceback" not in err

"""Exponential hazard model: closed forms checked by hand and against expm of the generator."""

import json
import math

import numpy as np
import pytest
from roadinfra.core.cli import main
from roadinfra.core.io.rows import RowErrorsError
from roadinfra.core.planning.errors import PlanningError
from roadinfra.core.planning.markov import (
    estimate_hazards,
    estimate_transition_matrix,
    expected_state,
    fit_inspection_file,
    forecast,
    inspection_pairs,
    transition_matrix,
)
from scipy.linalg import expm


def generator(hazards):
    n = len(hazards) + 1
    q = np.zeros((n, n))
    for i, theta in enumerate(hazards):
        q[i, i], q[i, i + 1] = -theta, theta
    return q


def test_two_states_closed_form():
    theta, z = 0.23, 3.5
    p = transition_matrix([theta], z)
    assert p[0, 0] == pytest.approx(math.exp(-theta * z), rel=1e-12)
    assert p[0, 1] == pytest.approx(1 - math.exp(-theta * z), rel=1e-12)
    assert p[1].tolist() == [0.0, 1.0]


def test_three_states_by_hand():
    t1, t2, z = 0.3, 0.12, 2.0
    p = transition_matrix([t1, t2], z)
    p11 = math.exp(-t1 * z)
    p12 = t1 / (t2 - t1) * (math.exp(-t1 * z) - math.exp(-t2 * z))
    p22 = math.exp(-t2 * z)
    expected = [[p11, p12, 1 - p11 - p12], [0, p22, 1 - p22], [0, 0, 1]]
    assert np.allclose(p, expected, atol=1e-14)
    assert p12 == pytest.approx(0.3 / -0.18 * (math.exp(-0.6) - math.exp(-0.24)))


def test_five_states_match_the_generator_and_chapman_kolmogorov():
    hazards = [0.12, 0.10, 0.14, 0.20]
    for z in (0.5, 1.0, 7.0):
        assert np.allclose(transition_matrix(hazards, z), expm(generator(hazards) * z),
                           atol=1e-12)
    assert np.allclose(transition_matrix(hazards, 3.0),
                       transition_matrix(hazards, 1.0) @ transition_matrix(hazards, 2.0),
                       atol=1e-12)
    assert np.allclose(transition_matrix(hazards, 0.0), np.eye(5))


def test_equal_rates_give_the_erlang_form():
    theta, z = 0.2, 3.0
    p = transition_matrix([theta, theta], z)
    assert p[0, 1] == pytest.approx(theta * z * math.exp(-theta * z), rel=1e-9)


@pytest.mark.parametrize("bad", [[0.2, -0.1], [0.0], [float("nan")], []])
def test_bad_hazards_are_named(bad):
    with pytest.raises(PlanningError, match="hazard rate|at least one"):
        transition_matrix(bad, 1.0)


def test_forecast_distribution_and_expected_state():
    p = transition_matrix([0.5], 1.0)
    dist = forecast(p, 1, 2)
    assert dist[2, 0] == pytest.approx(math.exp(-1.0))
    assert expected_state(dist[2]) == pytest.approx(2 - math.exp(-1.0))
    with pytest.raises(PlanningError, match="outside"):
        forecast(p, 3, 1)


def test_two_state_estimate_equals_the_closed_form_mle():
    # 40 assets inspected twice 2 years apart, 30 stayed in state 1: exp(-2 theta) = 30/40
    records = []
    for a in range(40):
        records.append((2 * a + 1, f"B{a}", 2020, 1))
        records.append((2 * a + 2, f"B{a}", 2022, 1 if a < 30 else 2))
    fit = estimate_hazards(inspection_pairs(records, 2))
    assert fit.hazards[0] == pytest.approx(-math.log(30 / 40) / 2, rel=1e-4)
    assert fit.pairs == 40


def test_estimate_recovers_simulated_hazards():
    rng = np.random.default_rng(7)
    truth = [0.3, 0.2, 0.4]
    step = transition_matrix(truth, 2.0)
    records, row = [], 0
    for a in range(400):
        state = 1
        for year in range(2000, 2010, 2):
            row += 1
            records.append((row, f"C{a}", f"{year}-06-30", state))
            state = int(rng.choice(4, p=step[state - 1])) + 1
    pairs = inspection_pairs(records, 4)
    fit = estimate_hazards(pairs)
    assert np.allclose(fit.hazards, truth, rtol=0.15)
    matrix = estimate_transition_matrix(pairs, 2.0)
    assert np.allclose(matrix.matrix, step, atol=0.06)


def test_improvements_are_dropped_and_bad_records_listed():
    pairs = inspection_pairs([(1, "A", 2020, 3), (2, "A", 2021, 1), (3, "A", 2022, 2)], 5)
    assert pairs.improved == 1 and len(pairs.pairs) == 1
    with pytest.raises(RowErrorsError) as err:
        inspection_pairs([(2, "", 2020, 1), (3, "A", "soon", 1), (4, "A", 2020, 7)], 5)
    assert [(e.row, e.field) for e in err.value.errors] == [(2, "asset"), (3, "date"),
                                                            (4, "state")]


def test_state_without_information_is_an_error():
    records = [(1, "A", 2020, 1), (2, "A", 2021, 1)]
    with pytest.raises(PlanningError, match=r"state\(s\) \[2\]"):
        estimate_hazards(inspection_pairs(records, 3))


def test_cli_prints_the_matrix_as_json(capsys):
    assert main(["forecast", "markov", "--hazards", "0.3,0.12", "--years", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["matrix"][0][0] == pytest.approx(math.exp(-0.6), abs=1e-10)
    assert out["expected_years_in_state"] == pytest.approx([1 / 0.3, 1 / 0.12])
    assert main(["forecast", "markov", "--hazards", "0.3,x"]) == 2


def test_hazards_from_a_file(tmp_path, capsys):
    path = tmp_path / "inspections.csv"
    lines = ["asset,date,state"]
    for a in range(20):
        lines += [f"B{a},2021-05-01,1", f"B{a},2022-05-01,{1 if a < 15 else 2}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fit = fit_inspection_file(path, 2)
    assert fit.hazard.hazards[0] == pytest.approx(-math.log(15 / 20), rel=1e-3)
    assert fit.matrix.matrix[0].tolist() == pytest.approx([0.75, 0.25])
    assert main(["forecast", "hazards", str(path), "--states", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hazard_model"]["pairs"] == 20

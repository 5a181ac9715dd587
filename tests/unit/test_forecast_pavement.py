"""Pavement model and its calibration: closed forms, profile overrides, the real LTPP fit."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from roadinfra.core.cli import main
from roadinfra.core.planning.calibration import (
    calibrate_iri,
    calibrate_pci,
    read_ltpp_iri,
    read_pci_pairs,
)
from roadinfra.core.planning.errors import PlanningError
from roadinfra.core.planning.markov import profile_hazards
from roadinfra.core.planning.pavement import PavementModel, pavement_model
from roadinfra.core.profile import Profile, load_profile

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
LTPP = DATA / "pavement_ltpp_iri" / "flexible_iri_raw_merged.csv"


def test_iri_grows_exponentially_with_loading():
    model = PavementModel(iri_rate=0.03, iri_rate_per_mesal=0.01)
    assert model.iri(1.5, 10, mesal=2.0) == pytest.approx(1.5 * math.exp(0.05 * 10))
    assert model.iri(1.5, 10, mesal=2.0, factor=2) == pytest.approx(1.5 * math.exp(1.0))
    assert model.iri(10.0, 100) == model.iri_max


def test_pci_moves_along_the_age_curve():
    model = PavementModel(pci_rho=4.0, pci_beta=1.0, iri_rate=0.02, iri_rate_per_mesal=0.01)
    assert model.pci_at_age(5) == 80
    assert model.pci(80, 3) == pytest.approx(68)                 # linear curve: 4 a year
    assert model.pci(80, 3, mesal=2.0) == pytest.approx(80 - 4 * 3 * 2)  # c = b/a = 0.5
    assert model.pci_from_age(5, mesal=2.0) == pytest.approx(60)
    assert model.pci(5, 10) == 0
    curved = PavementModel()
    assert curved.pci(curved.pci(70, 2), 3) == pytest.approx(curved.pci(70, 5))


def test_profile_overrides_and_bad_keys():
    profile = load_profile()
    assert pavement_model(profile) == PavementModel()  # the shipped profile only comments
    data = dict(profile.data, planning={**profile.data["planning"],
                                        "pavement_model": {"pci_rho": 5.0}})
    assert pavement_model(Profile("x", profile.path, data)).pci_rho == 5.0
    data["planning"]["pavement_model"] = {"pci_rh": 5.0, "pci_beta": -1}
    with pytest.raises(PlanningError, match=r"unknown key 'pci_rh'.*key 'pci_beta' must be"):
        pavement_model(Profile("x", profile.path, data))
    assert profile_hazards(profile) == (0.12, 0.10, 0.14, 0.20)


def test_iri_fit_recovers_synthetic_coefficients():
    records, row = [], 0
    for s in range(25):
        kesal = 100.0 * (s % 5 + 1)
        for k in range(5):
            row += 1
            iri = 1.2 * math.exp((0.03 + 0.02 * kesal / 1000) * 2 * k)
            records.append((row, f"S{s:02d}", 1, f"{2000 + 2 * k}-07-01", iri, kesal))
    fit = calibrate_iri(records)
    assert fit.iri_rate == pytest.approx(0.03, abs=1e-3)
    assert fit.iri_rate_per_mesal == pytest.approx(0.02, abs=2e-3)
    assert fit.sections_held_back == 5 and fit.held_back.rmse < 0.01


def test_pci_fit_recovers_synthetic_coefficients():
    truth = PavementModel(pci_rho=3.0, pci_beta=1.1)
    records = [(n, f"S{n:03d}", p, truth.pci(p, 7), 7) for n, p in
               enumerate(np.linspace(20, 98, 60))]
    records.append((99, "S999", 40, 90, 7))  # works in between: left out
    fit = calibrate_pci(records)
    assert (fit.pci_rho, fit.pci_beta) == (pytest.approx(3.0, rel=1e-3),
                                           pytest.approx(1.1, rel=1e-3))
    assert fit.pairs_with_works == 1


@pytest.mark.skipif(not LTPP.exists(), reason="shared LTPP data not present")
def test_real_ltpp_fit_beats_no_change():
    fit = calibrate_iri(read_ltpp_iri(LTPP), str(LTPP))
    assert fit.iri_rate > 0 and fit.iri_rate_per_mesal > 0
    assert fit.held_back.n > 100
    assert fit.held_back.rmse < fit.held_back.baseline_rmse
    assert abs(fit.held_back.bias) < 0.1
    # the shipped defaults are this fit (docs/planning.md)
    assert PavementModel().iri_rate == pytest.approx(fit.iri_rate, abs=5e-4)
    assert PavementModel().iri_rate_per_mesal == pytest.approx(fit.iri_rate_per_mesal, abs=5e-4)


def test_pci_pairs_reader(tmp_path):
    (tmp_path / "a.csv").write_text("seg_id,pci,pci_desc\nX,80,Good\nY,,\nZ,50,Fair\n")
    (tmp_path / "b.csv").write_text("seg_id,pci,pci_desc\nX,70,Fair\nY,60,Fair\n")
    assert read_pci_pairs(tmp_path / "a.csv", tmp_path / "b.csv", 7) == [(2, "X", "80", "70", 7)]


def test_cli_pavement_forecast(capsys):
    assert main(["forecast", "pavement", "--pci", "40", "--iri", "4.0", "--esal-per-day", "500",
                 "--years", "3", "--treatment", "OVERLAY", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["forecast"][0] == {"year": 0, "pci": 92.0, "iri": 1.6}
    assert out["forecast"][3]["pci"] < out["forecast"][1]["pci"] < 92
    assert main(["forecast", "pavement", "--pci", "40", "--treatment", "NOPE"]) == 2

"""Condition-state Markov chains for bridges and culverts.

States are numbered 1 (best) .. J (worst); the worst state is absorbing until works.

Two models, one forecast:

- a plain transition matrix ``P`` (one step = ``step_years``), estimated by counting the
  transitions between consecutive inspections one step apart;
- the exponential hazard model (Tsuda, Kaito, Aoki and Kobayashi 2006, "Estimating Markovian
  transition probabilities for bridge deterioration forecasting", JSCE; used in Vietnamese
  pavement and bridge management studies): a structure stays in state ``i`` for an
  exponentially distributed time with hazard rate ``theta_i`` and then drops to ``i + 1``.
  Over an interval ``z`` the transition probabilities have a closed form
  (:func:`transition_matrix`); the rates are estimated by maximum likelihood from pairs of
  consecutive inspections with any interval (:func:`estimate_hazards`).

Inspection records are ``(row, asset, when, state)``: ``row`` names the record in messages,
``when`` is a date, a datetime or a decimal year, ``state`` an integer 1..J. A pair whose
state improved (works in between) says nothing about deterioration and is dropped.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from ..io.rows import RowError, RowErrorsError
from .errors import PlanningError

#: Rates closer than this (relative) count as equal: the closed form divides by their
#: difference, so such a model is evaluated as the exponential of its generator (the closed
#: form's limit) instead.
_EQUAL = 1e-6


def _check_hazards(hazards: Sequence[float]) -> np.ndarray:
    rates = np.asarray([float(h) for h in hazards], dtype=float)
    if rates.size == 0:
        raise PlanningError("give at least one hazard rate (a two-state model)")
    for i, rate in enumerate(rates, start=1):
        if not math.isfinite(rate) or rate <= 0:
            raise PlanningError(f"hazard rate of state {i} must be a positive number, "
                                f"not {rate!r}")
    return rates


def transition_matrix(hazards: Sequence[float], years: float = 1.0) -> np.ndarray:
    """Exponential hazard model: the ``J x J`` transition probabilities over ``years``.

    ``hazards`` are ``theta_1 .. theta_{J-1}`` (per year; state J is absorbing). For
    ``i <= j < J``::

        p_ij(z) = prod_{m=i}^{j-1} theta_m
                  * sum_{k=i}^{j} exp(-theta_k z) / prod_{m=i..j, m!=k} (theta_m - theta_k)

    (so ``p_ii = exp(-theta_i z)``), and ``p_iJ = 1 - sum_{j=i}^{J-1} p_ij``. Equal rates
    (within 1e-6) have no such form; the matrix is then ``expm(Q z)`` of the generator.
    """
    theta = _check_hazards(hazards)
    if not math.isfinite(years) or years < 0:
        raise PlanningError(f"years must be a non-negative number, not {years!r}")
    n = theta.size + 1
    ordered = np.sort(theta)
    if np.any(np.diff(ordered) <= _EQUAL * ordered[1:]):
        from scipy.linalg import expm

        generator = np.zeros((n, n))
        generator[np.arange(n - 1), np.arange(n - 1)] = -theta
        generator[np.arange(n - 1), np.arange(1, n)] = theta
        return np.clip(expm(generator * years), 0.0, 1.0)
    p = np.zeros((n, n))
    decay = np.exp(-theta * years)
    for i in range(n - 1):
        for j in range(i, n - 1):
            total = 0.0
            for k in range(i, j + 1):
                denominator = 1.0
                for m in range(i, j + 1):
                    if m != k:
                        denominator *= theta[m] - theta[k]
                total += decay[k] / denominator
            p[i, j] = float(np.prod(theta[i:j])) * total
        p[i, i:n - 1] = np.clip(p[i, i:n - 1], 0.0, 1.0)
        p[i, n - 1] = max(0.0, 1.0 - p[i, i:n - 1].sum())
    p[n - 1, n - 1] = 1.0
    return p


def expected_durations(hazards: Sequence[float]) -> list[float]:
    """Mean years spent in each non-absorbing state: ``1 / theta_i``."""
    return [1.0 / rate for rate in _check_hazards(hazards)]


def forecast(matrix: np.ndarray, start: int | Sequence[float], steps: int) -> np.ndarray:
    """State distributions after 0..``steps`` steps of ``matrix``, one row per step.

    ``start`` is a state number (1-based) or a distribution over the states.
    """
    p = np.asarray(matrix, dtype=float)
    n = p.shape[0]
    if p.ndim != 2 or p.shape[1] != n:
        raise PlanningError(f"transition matrix must be square, not {p.shape}")
    if np.any(p < -1e-12) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-9):
        raise PlanningError("transition matrix rows must be probabilities summing to 1")
    if isinstance(start, (int, np.integer)):
        if not 1 <= start <= n:
            raise PlanningError(f"start state {start} is outside 1..{n}")
        dist = np.zeros(n)
        dist[start - 1] = 1.0
    else:
        dist = np.asarray(start, dtype=float)
        if dist.shape != (n,) or not math.isclose(dist.sum(), 1.0, abs_tol=1e-9):
            raise PlanningError(f"start distribution must have {n} shares summing to 1")
    out = np.empty((steps + 1, n))
    out[0] = dist
    for t in range(1, steps + 1):
        out[t] = out[t - 1] @ p
    return out


def expected_state(distribution: Sequence[float]) -> float:
    """Mean state number (1-based) of a distribution."""
    dist = np.asarray(distribution, dtype=float)
    return float(dist @ np.arange(1, dist.size + 1))


# --------------------------------------------------------------------------- estimation

@dataclass(frozen=True)
class Pair:
    """Two consecutive inspections of one asset: states and the interval in years."""

    asset: str
    before: int
    after: int
    years: float
    row: int


@dataclass(frozen=True)
class Pairs:
    """Deterioration pairs from inspection records and what was left out."""

    states: int
    pairs: tuple[Pair, ...]
    improved: int       # pairs dropped because the state got better (works in between)
    same_day: int       # pairs dropped because both inspections have the same date


def _decimal_year(value: Any) -> float:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        start = _dt.date(value.year, 1, 1)
        length = (_dt.date(value.year + 1, 1, 1) - start).days
        return value.year + (value - start).days / length
    text = str(value).strip()
    try:
        return _decimal_year(_dt.date.fromisoformat(text[:10]))
    except ValueError:
        pass
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def inspection_pairs(records: Iterable[tuple], states: int, source: str = "inspections") -> Pairs:
    """Check ``(row, asset, when, state)`` records and pair consecutive inspections per asset.

    Raises :class:`RowErrorsError` listing every bad record (empty asset, unreadable date,
    state outside 1..``states``).
    """
    if states < 2:
        raise PlanningError(f"a condition-state model needs at least 2 states, not {states}")
    errors: list[RowError] = []
    by_asset: dict[str, list[tuple[float, int, int]]] = {}
    for row, asset, when, state in records:
        asset_id = str(asset if asset is not None else "").strip()
        ok = True
        if not asset_id:
            errors.append(RowError(source, row, "asset", "empty asset id"))
            ok = False
        try:
            year = _decimal_year(when)
        except (TypeError, ValueError):
            errors.append(RowError(source, row, "date", f"{when!r} is not a date or a year"))
            ok = False
        try:
            number = float(state)
            if number != int(number) or not 1 <= number <= states:
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            errors.append(RowError(source, row, "state", f"state {state!r} is not an integer "
                                   f"in 1..{states}"))
            ok = False
        if ok:
            by_asset.setdefault(asset_id, []).append((year, int(number), row))
    if errors:
        raise RowErrorsError(errors)
    pairs: list[Pair] = []
    improved = same_day = 0
    for asset_id, history in sorted(by_asset.items()):
        history.sort()
        for (y0, s0, _), (y1, s1, row1) in zip(history, history[1:]):
            if y1 - y0 <= 0:
                same_day += 1
            elif s1 < s0:
                improved += 1
            else:
                pairs.append(Pair(asset_id, s0, s1, y1 - y0, row1))
    return Pairs(states, tuple(pairs), improved, same_day)


@dataclass(frozen=True)
class HazardFit:
    """Estimated hazard rates (per year) with what they rest on."""

    hazards: tuple[float, ...]
    pairs: int
    pairs_from_state: tuple[int, ...]
    log_likelihood: float
    improved_dropped: int
    same_day_dropped: int

    def as_dict(self) -> dict:
        return {
            "hazards": [round(h, 6) for h in self.hazards],
            "expected_years_in_state": [round(1.0 / h, 3) for h in self.hazards],
            "pairs": self.pairs,
            "pairs_from_state": list(self.pairs_from_state),
            "log_likelihood": round(self.log_likelihood, 4),
            "dropped_improved": self.improved_dropped,
            "dropped_same_day": self.same_day_dropped,
        }


def estimate_hazards(pairs: Pairs) -> HazardFit:
    """Maximum-likelihood hazard rates of the exponential hazard model.

    The likelihood of a pair (``i`` then ``j`` after ``z`` years) is ``p_ij(z)`` of
    :func:`transition_matrix`. A state that no pair starts in or passes through cannot be
    estimated and is reported as an error.
    """
    from scipy.optimize import minimize

    n = pairs.states
    if not pairs.pairs:
        raise PlanningError("no pair of consecutive inspections to estimate hazards from")
    informed = [0] * (n - 1)
    starts = [0] * (n - 1)
    for pair in pairs.pairs:
        if pair.before < n:
            starts[pair.before - 1] += 1
        for state in range(pair.before, min(pair.after, n - 1) + 1):
            informed[state - 1] += 1
    missing = [i + 1 for i, count in enumerate(informed) if count == 0]
    if missing:
        raise PlanningError(f"no inspection pair starts in or passes through state(s) "
                            f"{missing}: their hazard rates cannot be estimated")
    groups: dict[float, list[tuple[int, int]]] = {}
    for pair in pairs.pairs:
        if pair.before < n:  # pairs starting in the absorbing state carry no information
            groups.setdefault(round(pair.years, 6), []).append((pair.before - 1, pair.after - 1))
    # starting values: transitions out of a state per year observed in it
    time_in = np.full(n - 1, 1e-9)
    left = np.zeros(n - 1)
    for pair in pairs.pairs:
        if pair.before < n:
            time_in[pair.before - 1] += pair.years
            left[pair.before - 1] += pair.after > pair.before
    start = np.log(np.clip((left + 0.5) / (time_in + 1.0), 1e-4, 10.0))

    def negative_log_likelihood(log_theta: np.ndarray) -> float:
        theta = np.exp(log_theta)
        total = 0.0
        for years, observed in groups.items():
            p = transition_matrix(theta, years)
            for i, j in observed:
                total -= math.log(max(p[i, j], 1e-300))
        return total

    result = minimize(negative_log_likelihood, start, method="L-BFGS-B",
                      bounds=[(math.log(1e-6), math.log(50.0))] * (n - 1))
    hazards = tuple(float(h) for h in np.exp(result.x))
    return HazardFit(hazards, len(pairs.pairs), tuple(starts), -float(result.fun),
                     pairs.improved, pairs.same_day)


@dataclass(frozen=True)
class MatrixFit:
    """A plain transition matrix counted from one-step pairs."""

    matrix: np.ndarray
    counts: np.ndarray
    step_years: float
    unobserved_states: tuple[int, ...]

    def as_dict(self) -> dict:
        return {
            "step_years": self.step_years,
            "matrix": [[round(float(v), 6) for v in row] for row in self.matrix],
            "counts": self.counts.astype(int).tolist(),
            "unobserved_states": list(self.unobserved_states),
        }


def estimate_transition_matrix(pairs: Pairs, step_years: float = 1.0) -> MatrixFit:
    """Count the transitions of pairs one step apart (interval within half a step of it).

    A state no such pair starts in keeps its row as "stays" and is listed as unobserved.
    """
    if not step_years > 0:
        raise PlanningError(f"step must be positive, not {step_years!r}")
    n = pairs.states
    counts = np.zeros((n, n))
    for pair in pairs.pairs:
        if abs(pair.years - step_years) <= step_years / 2:
            counts[pair.before - 1, pair.after - 1] += 1
    if not counts.any():
        raise PlanningError(f"no pair of inspections about {step_years:g} year(s) apart")
    matrix = np.eye(n)
    unobserved = []
    for i in range(n):
        total = counts[i].sum()
        if total:
            matrix[i] = counts[i] / total
        elif i < n - 1:
            unobserved.append(i + 1)
    return MatrixFit(matrix, counts, step_years, tuple(unobserved))


# ------------------------------------------------------------------------ files and profile

@dataclass(frozen=True)
class InspectionFit:
    """Both models estimated from one inspection history."""

    source: str
    hazard: HazardFit
    matrix: MatrixFit | None   # None when no two inspections are one step apart

    def as_dict(self) -> dict:
        return {"file": self.source, "states": len(self.hazard.hazards) + 1,
                "hazard_model": self.hazard.as_dict(),
                "transition_matrix": None if self.matrix is None else self.matrix.as_dict()}


def fit_inspection_records(records: Iterable[tuple], states: int, source: str = "inspections",
                           step_years: float = 1.0) -> InspectionFit:
    """Hazard rates and a plain one-step matrix from ``(row, asset, when, state)`` records."""
    pairs = inspection_pairs(records, states, source)
    hazard = estimate_hazards(pairs)
    try:
        matrix = estimate_transition_matrix(pairs, step_years)
    except PlanningError:
        matrix = None
    return InspectionFit(source, hazard, matrix)


def fit_inspection_file(path, states: int, step_years: float = 1.0) -> InspectionFit:
    """Like :func:`fit_inspection_records` for a CSV with columns ``asset,date,state``."""
    from .csv_input import read_csv_rows

    _, rows = read_csv_rows(path, "inspection table", ("asset", "date", "state"))
    records = [(n, r["asset"], r["date"], r["state"]) for n, r in rows]
    return fit_inspection_records(records, states, str(path), step_years)


def profile_hazards(profile) -> tuple[float, ...]:
    """The profile's ``[planning.structures]`` hazards (one per state but the last)."""
    where = f"{profile.path}: [planning.structures]"
    raw = profile.data.get("planning", {}).get("structures")
    if not isinstance(raw, dict):
        from .treatments import OLD_PROFILE_HINT

        raise PlanningError(f"{where} is missing{OLD_PROFILE_HINT}")
    states, hazards = raw.get("states"), raw.get("hazards")
    if not isinstance(states, int) or isinstance(states, bool) or states < 2:
        raise PlanningError(f"{where}: key 'states' must be an integer >= 2, not {states!r}")
    if not isinstance(hazards, list) or len(hazards) != states - 1:
        raise PlanningError(f"{where}: key 'hazards' must list {states - 1} rates (one per "
                            f"state but the last), not {hazards!r}")
    try:
        return tuple(_check_hazards(hazards))
    except PlanningError as exc:
        raise PlanningError(f"{where}: key 'hazards': {exc}") from None

"""The plain options table: one candidate treatment of one section in one year.

CSV columns ``section,year,treatment,cost,benefit`` (``condition`` optional: the section's
condition, lower is worse, used by worst-first). ``;``-separated files with decimal commas
work too. Every row is checked and all bad rows are reported together, naming row and field:
unreadable or non-finite numbers (NaN, inf), negative cost or benefit, duplicates of a
section, year and treatment, a section listed without any option.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Union

from ..io.rows import RowError, RowErrorsError
from .csv_input import read_csv_rows
from .errors import PlanningError

COLUMNS = ("section", "year", "treatment", "cost", "benefit")


@dataclass(frozen=True)
class Option:
    """One candidate: ``row`` is where it came from (a line or feature number)."""

    row: int
    section: str
    year: int
    treatment: str
    cost: float
    benefit: float
    condition: float | None = None


@dataclass(frozen=True)
class Options:
    """Checked options of one table, in the order read."""

    source: str
    items: tuple[Option, ...]

    @property
    def years(self) -> list[int]:
        return sorted({o.year for o in self.items})

    @property
    def sections(self) -> list[str]:
        return sorted({o.section for o in self.items})


def _number(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    number = float(value.strip().replace(",", ".")) if isinstance(value, str) else float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def options_from_records(records: Iterable[tuple], source: str = "options") -> Options:
    """Check ``(row, section, year, treatment, cost, benefit[, condition])`` records.

    A record whose treatment, cost and benefit are all empty lists a section with no option
    and is an error. Raises :class:`RowErrorsError` naming every bad row and field.
    """
    errors: list[RowError] = []
    items: list[Option] = []
    seen: dict[tuple[str, int, str], int] = {}
    for record in records:
        row, section, year, treatment, cost, benefit, *rest = record
        condition = rest[0] if rest else None

        def bad(field: str, message: str, row: int = row) -> None:
            errors.append(RowError(source, row, field, message))

        name = str(section if section is not None else "").strip()
        kind = str(treatment if treatment is not None else "").strip()
        if not name:
            bad("section", "empty section")
            continue
        if not kind and all(str(v if v is not None else "").strip() == "" for v in (cost, benefit)):
            bad("treatment", f"section {name!r} is listed with no option (no treatment, cost "
                "or benefit)")
            continue
        ok = True
        if not kind:
            bad("treatment", "empty treatment")
            ok = False
        try:
            number = _number(year)
            if number != int(number):
                raise ValueError
            work_year = int(number)
        except (TypeError, ValueError, OverflowError):
            bad("year", f"year {year!r} is not a whole number")
            ok = False
        values = {}
        for field, raw in (("cost", cost), ("benefit", benefit)):
            try:
                values[field] = _number(raw)
            except (TypeError, ValueError):
                bad(field, f"{field} {raw!r} is not a finite number")
                ok = False
                continue
            if values[field] < 0:
                bad(field, f"negative {field} {values[field]:g}")
                ok = False
        cond = None
        if condition is not None and str(condition).strip() != "":
            try:
                cond = _number(condition)
            except (TypeError, ValueError):
                bad("condition", f"condition {condition!r} is not a finite number")
                ok = False
        if not ok:
            continue
        key = (name, work_year, kind)
        if key in seen:
            bad("treatment", f"duplicate of row {seen[key]}: section {name!r}, year "
                f"{work_year}, treatment {kind!r}")
            continue
        seen[key] = row
        items.append(Option(row, name, work_year, kind, values["cost"], values["benefit"], cond))
    if errors:
        raise RowErrorsError(errors)
    if not items:
        raise PlanningError(f"{source}: no options")
    return Options(source, tuple(items))


def read_options(path: Union[str, Path]) -> Options:
    """Read and check an options CSV (see the module docstring)."""
    header, rows = read_csv_rows(path, "planning options table", COLUMNS)
    has_condition = "condition" in header
    records = ((line, r.get("section"), r.get("year"), r.get("treatment"), r.get("cost"),
                r.get("benefit"), r.get("condition") if has_condition else None)
               for line, r in rows)
    return options_from_records(records, str(path))


def parse_budget(text: str) -> float | dict[int, float]:
    """``--budget`` text: one amount for every year, or ``2027=5e9,2028=6e9``."""
    def amount(raw: str, what: str) -> float:
        try:
            value = _number(raw.replace("_", ""))
        except (TypeError, ValueError):
            raise PlanningError(f"budget {what}: {raw!r} is not a finite number") from None
        if value < 0:
            raise PlanningError(f"budget {what}: negative amount {value:g}")
        return value

    text = text.strip()
    if "=" not in text:
        return amount(text, "amount")
    budgets: dict[int, float] = {}
    for part in text.split(","):
        year_text, sep, value = part.partition("=")
        try:
            year = int(year_text.strip())
        except ValueError:
            raise PlanningError(f"budget entry {part.strip()!r}: expected YEAR=AMOUNT") from None
        if not sep:
            raise PlanningError(f"budget entry {part.strip()!r}: expected YEAR=AMOUNT")
        if year in budgets:
            raise PlanningError(f"budget year {year} is given twice")
        budgets[year] = amount(value, str(year))
    return budgets


@dataclass(frozen=True)
class Problem:
    """Options within the planning years and the budget of each of those years."""

    options: tuple[Option, ...]
    budgets: Mapping[int, float]
    ignored: int  # options outside the planning years


def problem(options: Options, budget: float | Mapping[int, float],
            years: int | None = None) -> Problem:
    """The planning years and their budgets, checked against the options.

    One amount applies to every year of the options (from the first, ``years`` of them when
    given); a mapping gives each year its own (``years`` then keeps the first ones). A year
    whose budget is below every option of that year is an error naming the cheapest option.
    """
    if years is not None and not 1 <= years <= 100:
        raise PlanningError(f"years must be 1 to 100, not {years}")
    if isinstance(budget, Mapping):
        plan_years = sorted(budget)
        if years is not None:
            plan_years = plan_years[:years]
        budgets = {y: float(budget[y]) for y in plan_years}
        unknown = [y for y in plan_years if y not in options.years]
        if unknown:
            raise PlanningError(f"{options.source}: no option in budget year(s) {unknown}; "
                                f"the options cover {options.years}")
    else:
        first = options.years[0]
        last = options.years[-1] if years is None else first + years - 1
        budgets = {y: float(budget) for y in range(first, last + 1)}
    kept = tuple(o for o in options.items if o.year in budgets)
    problems = []
    for year, amount in budgets.items():
        in_year = [o for o in kept if o.year == year]
        if not in_year:
            continue
        cheapest = min(in_year, key=lambda o: o.cost)
        if amount < cheapest.cost:
            problems.append(f"budget {amount:,.0f} for {year} is below every option of that "
                            f"year (cheapest: row {cheapest.row}, field 'cost' = "
                            f"{cheapest.cost:,.0f}, section {cheapest.section!r}, treatment "
                            f"{cheapest.treatment!r})")
    if problems:
        raise PlanningError(f"{options.source}: " + "; ".join(problems))
    return Problem(kept, budgets, len(options.items) - len(kept))

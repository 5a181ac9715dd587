"""Read a PCI distress survey (JSON or CSV) and compute PCI per sample unit and section.

CSV: one distress record per row with the columns of :data:`DISTRESS_COLUMNS` (by default
those of the ``pavement_distress`` table: ``sample_unit, unit_area_m2, distress_code,
severity, quantity``; the older names ``unit_area`` and ``code`` are read too; any other names
chosen per column, :func:`distress_columns`), or a column ``deduct`` holding recorded deduct values
(``sample_unit`` optional); ``;``-separated with decimal commas works too. JSON::

    {"units": "metric", "sample_units": [
        {"id": "SU1", "area": 230, "distresses": [{"code": 1, "severity": "M", "quantity": 4}]}]}

or ``{"deduct_values": [25.1, 23.4, ...]}`` or a bare list of numbers. Every row is checked;
all bad rows are reported together (:class:`RowErrorsError`) naming row and field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Union

from ..errors import Cancelled
from ..io.jsonfile import parse_json
from ..io.rows import RowError, RowErrorsError
from ..io.tabular import parse_csv
from ..io.text import read_text
from ..profile import Profile
from .pci import (
    UNITS,
    Distress,
    PciError,
    PciResult,
    density_percent,
    pci_from_deducts,
    pci_rating,
    sample_unit_pci,
    section_pci,
)
from .pci_curves import (
    SEVERITIES,
    SEVERITY_FREE,
    CurveError,
    distress_type,
    load_curves,
    normal_severity,
)

#: Role -> default column of a distress table: the ``pavement_distress`` table's columns. The
#: one set of defaults of ``roadinfra pavement pci`` and ``roadinfra:compute_pci``.
DISTRESS_COLUMNS = {"sample_unit": "sample_unit", "unit_area": "unit_area_m2",
                    "code": "distress_code", "severity": "severity", "quantity": "quantity"}
#: Older names a table may use where the default column is absent.
OLDER_NAMES = {"unit_area": "unit_area", "code": "code"}


def distress_columns(header: Iterable[str], chosen: Mapping[str, str | None] | None = None
                     ) -> dict[str, str]:
    """Role -> column of a table with ``header``: the column ``chosen`` for the role, else the
    default (:data:`DISTRESS_COLUMNS`), else its older name when only that is present."""
    present = {str(h).lower() for h in header}
    out = {}
    for role, default in DISTRESS_COLUMNS.items():
        name = (chosen or {}).get(role)
        if not name:
            older = OLDER_NAMES.get(role)
            name = older if default not in present and older in present else default
        out[role] = name
    return out


@dataclass(frozen=True)
class UnitPci:
    """PCI of one surveyed sample unit."""

    unit_id: str
    area: float | None
    result: PciResult


@dataclass(frozen=True)
class SurveyPci:
    """Result of a survey file: each unit's PCI and the area-weighted section PCI."""

    source: str
    units: tuple[UnitPci, ...]
    section_pci: float
    section_rating: str
    section_rating_vi: str

    def as_dict(self) -> dict:
        return {
            "file": self.source,
            "section_pci": round(self.section_pci, 1),
            "section_rating": self.section_rating,
            "section_rating_vi": self.section_rating_vi,
            "sample_units": [
                {"id": u.unit_id, "area": u.area, **u.result.as_dict()} for u in self.units
            ],
        }


@dataclass
class _Unit:
    unit_id: str
    area: float | None
    first_row: int
    records: list  # (row, Distress)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    if math.isnan(number) or math.isinf(number):
        raise ValueError(value)
    return number


class _Checker:
    """Collects row errors while turning raw records into checked distress records."""

    def __init__(self, source: str, units: str):
        self.source = source
        self.units = units
        self.errors: list[RowError] = []
        self.curves = load_curves()

    def error(self, row: int, field: str, message: str) -> None:
        self.errors.append(RowError(self.source, row, field, message))

    def area(self, row: int, field: str, value: Any) -> float | None:
        try:
            area = _number(value)
        except (TypeError, ValueError):
            self.error(row, field, f"sample unit area {value!r} is not a number")
            return None
        if area <= 0:
            self.error(row, field, f"sample unit area must be positive, not {area:g}")
            return None
        return area

    def record(self, row: int, prefix: str, code: Any, severity: Any, quantity: Any,
               area: float | None) -> Distress | None:
        ok = True
        try:
            dtype = distress_type(int(_number(code)), self.curves)
            if _number(code) != dtype.code:
                raise CurveError(code)
        except (TypeError, ValueError, CurveError):
            self.error(row, f"{prefix}code", f"unknown distress code {code!r} "
                       f"(ASTM D6433 asphalt codes 1-{max(self.curves.distresses)})")
            dtype, ok = None, False
        sev = str(severity or "").strip().upper()
        if sev not in SEVERITIES and not (dtype is not None and dtype.code in SEVERITY_FREE):
            self.error(row, f"{prefix}severity", f"severity {severity!r} is not L, M or H")
            ok = False
        try:
            qty = _number(quantity)
            if qty < 0:
                self.error(row, f"{prefix}quantity", f"negative quantity {qty:g}")
                ok = False
        except (TypeError, ValueError):
            self.error(row, f"{prefix}quantity", f"quantity {quantity!r} is not a number")
            ok = False
        if not ok or dtype is None:
            return None
        if area is not None:
            try:
                density_percent(dtype.code, qty, area, self.units, self.curves)
            except PciError as exc:
                self.error(row, f"{prefix}quantity", f"{exc} (quantity {qty:g}, unit area "
                           f"{area:g} {'m2' if self.units == 'metric' else 'ft2'})")
                return None
        return Distress(dtype.code, normal_severity(dtype.code, sev), qty)

    def deduct(self, row: int, field: str, value: Any) -> float | None:
        try:
            dv = _number(value)
        except (TypeError, ValueError):
            self.error(row, field, f"deduct value {value!r} is not a number")
            return None
        if not 0 <= dv <= 100:
            self.error(row, field, f"deduct value {dv:g} is outside 0..100")
            return None
        return dv


def _read_csv(text: str, checker: _Checker, chosen: Mapping[str, str | None] | None = None
              ) -> tuple[list[_Unit], dict[str, list[float]]]:
    table = parse_csv(text, checker.source)
    header = [h.lower() for h in table.header]
    reader = [(line, dict(zip(header, cells))) for line, cells in table.rows]
    deducts: dict[str, list[float]] = {}
    if "deduct" in header or "deduct_value" in header:
        column = "deduct" if "deduct" in header else "deduct_value"
        for line, row in reader:
            value = checker.deduct(line, column, row.get(column))
            if value is not None:
                unit = row.get(distress_columns(header, chosen)["sample_unit"].lower())
                deducts.setdefault((unit or "1").strip(), []).append(value)
        return [], deducts
    columns = {role: name.lower() for role, name in distress_columns(header, chosen).items()}
    missing = [c for c in columns.values() if c not in header]
    if missing:
        raise PciError(f"{checker.source}: row 1 (header): missing column(s) {missing}; "
                       f"expected {list(columns.values())} (name others with the column "
                       "options) or a 'deduct' column")
    records = ((line, *(row.get(columns[role]) for role in DISTRESS_COLUMNS))
               for line, row in reader)
    return _units_from_records(records, checker), deducts


def _units_from_records(records: Iterable[tuple], checker: _Checker) -> list[_Unit]:
    """Check (row, unit id, unit area, code, severity, quantity) records, grouped by unit."""
    units: dict[str, _Unit] = {}
    for line, unit_raw, area_raw, code, severity, quantity in records:
        unit_id = str(unit_raw if unit_raw is not None else "").strip()
        if not unit_id:
            checker.error(line, "sample_unit", "empty sample unit id")
            continue
        area = checker.area(line, "unit_area", area_raw)
        unit = units.get(unit_id)
        if unit is None:
            unit = units[unit_id] = _Unit(unit_id, area, line, [])
        elif area is not None and unit.area is not None and not math.isclose(area, unit.area):
            checker.error(line, "unit_area", f"area {area:g} differs from {unit.area:g} given "
                          f"for sample unit {unit_id!r} on row {unit.first_row}")
            continue
        rec = checker.record(line, "", code, severity, quantity, unit.area)
        if rec is not None:
            unit.records.append((line, rec))
    return list(units.values())


def _read_json(text: str, checker: _Checker) -> tuple[list[_Unit], dict[str, list[float]]]:
    doc = parse_json(text, checker.source)
    if isinstance(doc, list):
        doc = {"deduct_values": doc}
    if not isinstance(doc, dict):
        raise PciError(f"{checker.source}: expected a JSON object or a list of deduct values")
    if "units" in doc:
        if doc["units"] not in UNITS:
            raise PciError(f"{checker.source}: 'units' must be one of {UNITS}")
        checker.units = doc["units"]
    if "deduct_values" in doc:
        raw_values = _json_list(doc, "deduct_values", checker.source)
        if not raw_values:
            raise PciError(f"{checker.source}: field 'deduct_values' is empty")
        values = []
        for i, raw in enumerate(raw_values, start=1):
            value = checker.deduct(i, f"deduct_values[{i - 1}]", raw)
            if value is not None:
                values.append(value)
        return [], {"1": values}
    units = []
    first_of: dict[str, int] = {}
    row = 0
    for i, item in enumerate(_json_list(doc, "sample_units", checker.source)):
        row += 1
        if not isinstance(item, dict):
            raise PciError(f"{checker.source}: field 'sample_units[{i}]' must be an object "
                           f"with id, area and distresses, not {item!r}")
        unit_id = str(item.get("id", i + 1)).strip()
        if unit_id in first_of:
            checker.error(row, f"sample_units[{i}].id", f"sample unit id {unit_id!r} repeats "
                          f"sample_units[{first_of[unit_id]}] (each unit once, with all its "
                          "distresses)")
        first_of.setdefault(unit_id, i)
        area = checker.area(row, f"sample_units[{i}].area", item.get("area"))
        unit = _Unit(unit_id, area, row, [])
        for j, rec in enumerate(_json_list(item, "distresses", checker.source,
                                           f"sample_units[{i}].")):
            row += 1
            prefix = f"sample_units[{i}].distresses[{j}]."
            if not isinstance(rec, dict):
                raise PciError(f"{checker.source}: field '{prefix[:-1]}' must be an object "
                               f"with code, severity and quantity, not {rec!r}")
            checked = checker.record(row, prefix, rec.get("code"), rec.get("severity"),
                                     rec.get("quantity"), area)
            if checked is not None:
                unit.records.append((row, checked))
        units.append(unit)
    if not units:
        raise PciError(f"{checker.source}: no 'sample_units' and no 'deduct_values'")
    return units, {}


def _json_list(doc: dict, key: str, source: str, prefix: str = "") -> list:
    """``doc[key]`` as a list (missing or null: empty); anything else is a PciError."""
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PciError(f"{source}: field '{prefix}{key}' must be a list, not {value!r}")
    return value


def survey_pci(path: Union[str, Path], units: str = "metric",
               profile: Profile | None = None,
               columns: Mapping[str, str | None] | None = None,
               progress: Callable[[float], None] | None = None,
               is_cancelled: Callable[[], bool] | None = None) -> SurveyPci:
    """PCI of every sample unit in a JSON or CSV survey and the section's area-weighted PCI.

    ``units`` (metric: m2, m; imperial: ft2, ft) applies to CSV; JSON may set ``"units"``.
    ``columns``: role -> CSV column chosen (:func:`distress_columns`). Raises
    :class:`RowErrorsError` listing every bad row once the whole file is checked.
    """
    path = Path(path)
    if units not in UNITS:
        raise PciError(f"units must be one of {UNITS}, not {units!r}")
    text = read_text(path, "distress survey").text
    checker = _Checker(str(path), units)
    is_json = path.suffix.lower() == ".json" or text.lstrip()[:1] in "[{"
    raw_units, deducts = _read_json(text, checker) if is_json else \
        _read_csv(text, checker, columns)
    return _compute(str(path), raw_units, deducts, checker, profile, progress, is_cancelled)


def pci_from_records(records: Iterable[tuple], source: str = "table", units: str = "metric",
                     profile: Profile | None = None,
                     progress: Callable[[float], None] | None = None,
                     is_cancelled: Callable[[], bool] | None = None) -> SurveyPci:
    """Like :func:`survey_pci` for records already read from a table or a layer.

    Each record is ``(row, sample_unit, unit_area, code, severity, quantity)``; ``row`` is
    what error messages call the record (a line or feature number).
    """
    if units not in UNITS:
        raise PciError(f"units must be one of {UNITS}, not {units!r}")
    checker = _Checker(source, units)
    raw_units = _units_from_records(records, checker)
    return _compute(source, raw_units, {}, checker, profile, progress, is_cancelled)


@dataclass(frozen=True)
class SurveysPci:
    """PCI of each survey of a distress table, computed apart: ``surveys`` holds the surveys
    whose rows are all good (first-seen order), ``errors`` the bad rows of each other one."""

    source: str
    surveys: tuple[tuple[str, SurveyPci], ...]
    errors: dict[str, tuple[RowError, ...]]

    @property
    def all_errors(self) -> list[RowError]:
        return [error for errors in self.errors.values() for error in errors]


def pci_by_survey(records: Iterable[tuple], source: str = "table", units: str = "metric",
                  profile: Profile | None = None,
                  progress: Callable[[float], None] | None = None,
                  is_cancelled: Callable[[], bool] | None = None) -> SurveysPci:
    """:func:`pci_from_records` for each survey of a table holding many (e.g. the
    ``pavement_distress`` layer): its sample units are its own, its errors too.

    Each record is ``(row, survey, sample_unit, unit_area, code, severity, quantity)``. A
    survey with a bad row is left out of ``surveys`` and its rows listed in ``errors`` (under
    a source naming the survey); the other surveys are computed. Raises only when no survey
    can be computed (a :class:`RowErrorsError` listing every bad row).
    """
    if units not in UNITS:
        raise PciError(f"units must be one of {UNITS}, not {units!r}")
    groups: dict[str, list[tuple]] = {}
    no_survey: list[RowError] = []
    for row, survey, *rest in records:
        key = str(survey if survey is not None else "").strip()
        if not key:
            no_survey.append(RowError(source, row, "survey", "no survey given"))
            continue
        groups.setdefault(key, []).append((row, *rest))
    computed, errors = [], {}
    if no_survey:
        errors[""] = tuple(no_survey)
    for n, (survey, rows) in enumerate(groups.items()):
        if is_cancelled and is_cancelled():
            raise Cancelled("PCI computation cancelled")
        try:
            computed.append((survey, pci_from_records(rows, f"{source}, survey {survey}",
                                                      units, profile)))
        except RowErrorsError as exc:
            errors[survey] = tuple(exc.errors)
        except PciError as exc:
            errors[survey] = (RowError(f"{source}, survey {survey}", rows[0][0], "", str(exc)),)
        if progress:
            progress(100.0 * (n + 1) / len(groups))
    result = SurveysPci(source, tuple(computed), errors)
    if not computed:
        if not result.all_errors:
            raise PciError(f"{source}: no distress records")
        raise RowErrorsError(result.all_errors)
    return result


def _compute(source: str, raw_units: list[_Unit], deducts: dict[str, list[float]],
             checker: _Checker, profile: Profile | None,
             progress: Callable[[float], None] | None,
             is_cancelled: Callable[[], bool] | None) -> SurveyPci:
    # density of a whole distress/severity group may exceed 100 % although no row does
    for unit in raw_units:
        sums: dict[tuple[int, str], tuple[int, float]] = {}
        for row, rec in unit.records:
            first, total = sums.get((rec.code, rec.severity), (row, 0.0))
            sums[(rec.code, rec.severity)] = (first, total + rec.quantity)
        for (code, sev), (first, total) in sums.items():
            if unit.area is None:
                continue
            try:
                density_percent(code, total, unit.area, checker.units, checker.curves)
            except PciError as exc:
                checker.error(first, "quantity", f"sample unit {unit.unit_id!r}, distress "
                              f"{code}{sev} summed over its rows: {exc}")
    if checker.errors:
        raise RowErrorsError(checker.errors)
    results = []
    count = len(raw_units) + len(deducts)
    for n, unit in enumerate(raw_units):
        if is_cancelled and is_cancelled():
            raise Cancelled("PCI computation cancelled")
        res = sample_unit_pci([rec for _, rec in unit.records], unit.area, checker.units,
                              checker.curves, profile)
        results.append(UnitPci(unit.unit_id, unit.area, res))
        if progress:
            progress(100.0 * (n + 1) / count)
    for unit_id, values in deducts.items():
        results.append(UnitPci(unit_id, None, pci_from_deducts(values, checker.curves, profile)))
    if not results:
        raise PciError(f"{source}: no sample units or deduct values found")
    if all(u.area for u in results):
        pci = section_pci((u.result.pci, u.area) for u in results)
    else:  # recorded deducts carry no area: plain mean
        pci = sum(u.result.pci for u in results) / len(results)
    return SurveyPci(source, tuple(results), pci, pci_rating(pci, profile, "en"),
                     pci_rating(pci, profile, "vi"))

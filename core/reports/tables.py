"""Report tables from rows already read (as :meth:`Database.fetch` returns them).

Each table has bilingual titles and column labels, typed columns (text, count, km, VND,
share) and the columns its chart plots. Tombstoned rows are never passed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ..condition.pci import pci_rating
from ..condition.summary import STRUCTURE_CLASS_LABELS, STRUCTURE_CLASSES, structure_class
from ..profile import Profile
from ..schema import CODELISTS

Rows = Sequence[Mapping[str, Any]]
KINDS = ("text", "count", "km", "vnd", "share")
#: Vietnam's civil time (no daylight saving): months of weighing records are local months.
VIETNAM = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Column:
    key: str
    label_vi: str
    label_en: str
    kind: str = "text"

    def label(self, lang: str) -> str:
        return self.label_vi if lang == "vi" else self.label_en


@dataclass(frozen=True)
class ReportTable:
    """One report: ``rows`` are dicts keyed by the columns' keys; a total row is last when
    ``total`` is set. ``chart`` names the columns plotted against the first column."""

    key: str
    title_vi: str
    title_en: str
    columns: tuple[Column, ...]
    rows: list[dict]
    chart: tuple[str, ...] = ()
    total: bool = False
    notes: tuple[str, ...] = field(default=())

    def title(self, lang: str) -> str:
        return self.title_vi if lang == "vi" else self.title_en

    def as_dict(self, lang: str = "en") -> dict:
        return {"key": self.key, "title": self.title(lang),
                "columns": [c.label(lang) for c in self.columns],
                "rows": [[row.get(c.key) for c in self.columns] for row in self.rows]}


def _latest(rows: Iterable[Mapping[str, Any]], date_field: str, value_field: str):
    rated = [r for r in rows if r.get(value_field) is not None and r.get(date_field)]
    return max(rated, key=lambda r: str(r[date_field])) if rated else None


def _with_total(rows: list[dict], first: str, label: tuple[str, str], lang_key: str,
                numeric: Sequence[str]) -> list[dict]:
    total = {first: label[0] if lang_key == "vi" else label[1]}
    for key in numeric:
        total[key] = sum(r.get(key) or 0 for r in rows)
    out = rows + [total]
    for row in out:  # metres are the precision of the data: km to 3 decimals, VND whole
        for key in numeric:
            if isinstance(row.get(key), float):
                row[key] = round(row[key], 3)
    return out


def network_condition(routes: Rows, sections: Rows, surveys: Rows, profile: Profile,
                      lang: str = "vi") -> ReportTable:
    """Network length (km) by route class and PCI class of the latest survey."""
    bands = profile.section("pavement.pci_bands")
    labels_en, labels_vi = list(bands["labels_en"]), list(bands["labels_vi"])
    route_class = {r["id"]: r["route_class"] for r in routes}
    by_section: dict[str, list] = {}
    for s in surveys:
        by_section.setdefault(s["section_id"], []).append(s)
    band_keys = [f"band_{i}" for i in range(len(labels_en))]
    classes = CODELISTS["route_class"]
    rows: dict[str, dict] = {}
    for sec in sections:
        code = route_class.get(sec["route_id"])
        if code is None:
            continue
        label = next((vi if lang == "vi" else en for c, vi, en in classes.items if c == code),
                     code)
        row = rows.setdefault(code, {"route_class": label, **dict.fromkeys(band_keys, 0.0),
                                     "none": 0.0, "total": 0.0})
        km = (float(sec["to_m"]) - float(sec["from_m"])) / 1000.0
        latest = _latest(by_section.get(sec["id"], ()), "survey_date", "pci")
        if latest is None:
            row["none"] += km
        else:
            row[band_keys[labels_en.index(pci_rating(float(latest["pci"]), profile, "en"))]] += km
        row["total"] += km
    order = [c for c in classes.codes if c in rows]
    columns = (Column("route_class", "Loại đường", "Route class"),
               *(Column(k, f"{vi} (km)", f"{en} (km)", "km")
                 for k, vi, en in zip(band_keys, labels_vi, labels_en)),
               Column("none", "Chưa khảo sát (km)", "Not surveyed (km)", "km"),
               Column("total", "Tổng (km)", "Total (km)", "km"))
    numeric = [*band_keys, "none", "total"]
    return ReportTable("network_condition", "Chiều dài mạng lưới theo loại đường và tình trạng "
                       "mặt đường (PCI)", "Network length by route class and pavement "
                       "condition (PCI)", columns,
                       _with_total([rows[c] for c in order], "route_class", ("Tổng", "Total"),
                                   lang, numeric),
                       chart=(*band_keys, "none"), total=True,
                       notes=(f"PCI classes: {bands.get('source', '')}",))


def structures_condition(bridges: Rows, culverts: Rows, inspections: Rows,
                         lang: str = "vi") -> ReportTable:
    """Bridges and culverts by the condition class of their latest rated inspection."""
    keys = (*STRUCTURE_CLASSES, "none")
    rows = []
    for kind, assets, label in (("bridge", bridges, ("Cầu", "Bridges")),
                                ("culvert", culverts, ("Cống", "Culverts"))):
        by_asset: dict[str, list] = {}
        for i in inspections:
            if i.get(f"{kind}_id"):
                by_asset.setdefault(i[f"{kind}_id"], []).append(i)
        row = {"structure": label[0] if lang == "vi" else label[1], **dict.fromkeys(keys, 0),
               "total": 0}
        for asset in assets:
            latest = _latest(by_asset.get(asset["id"], ()), "inspection_date", "overall_rating")
            cls = None if latest is None else structure_class(
                latest.get("scheme"), latest["overall_rating"],
                latest.get("structurally_deficient"))
            row[cls or "none"] += 1
            row["total"] += 1
        rows.append(row)
    columns = (Column("structure", "Công trình", "Structure"),
               *(Column(k, STRUCTURE_CLASS_LABELS[k].vi, STRUCTURE_CLASS_LABELS[k].en, "count")
                 for k in keys),
               Column("total", "Tổng", "Total", "count"))
    return ReportTable("structures_condition", "Cầu, cống theo tình trạng kỹ thuật",
                       "Bridges and culverts by condition", columns,
                       _with_total(rows, "structure", ("Tổng", "Total"), lang,
                                   [*keys, "total"]),
                       chart=keys, total=True)


def _month(value: Any) -> str:
    if isinstance(value, dt.datetime):
        local = value.astimezone(VIETNAM) if value.tzinfo else value
        return local.strftime("%Y-%m")
    return str(value)[:7]


def overloads(stations: Rows, weighings: Rows, lang: str = "vi") -> ReportTable:
    """Weighed and overloaded vehicles by load-control station and month (Vietnam time)."""
    names = {s["id"]: s.get("code") or s.get("name") for s in stations}
    counts: dict[tuple[str, str], list[int]] = {}
    for w in weighings:
        key = (names.get(w["station_id"], str(w["station_id"])), _month(w["weighed_at"]))
        tally = counts.setdefault(key, [0, 0])
        tally[0] += 1
        tally[1] += bool(w.get("overloaded"))
    rows = [{"station": s, "month": m, "vehicles": n, "overloaded": o,
             "share": o / n if n else 0.0} for (s, m), (n, o) in sorted(counts.items())]
    columns = (Column("station", "Trạm", "Station"), Column("month", "Tháng", "Month"),
               Column("vehicles", "Số xe cân", "Vehicles weighed", "count"),
               Column("overloaded", "Số xe quá tải", "Overloaded", "count"),
               Column("share", "Tỷ lệ quá tải", "Overloaded share", "share"))
    return ReportTable("overloads", "Xe quá tải theo trạm và tháng",
                       "Overloaded vehicles by station and month", columns, rows,
                       chart=("overloaded",))


def plan_cost(plan: Mapping[str, Any], items: Rows, profile: Profile,
              lang: str = "vi") -> ReportTable:
    """A plan's cost (VND) by district and work year."""
    years = sorted({i["work_year"] for i in items if i.get("work_year") is not None})
    names = {d["code"]: d[f"name_{lang}"] for d in profile.section("districts")}
    rows: dict[str, dict] = {}
    for i in items:
        code = i.get("district_code") or "-"
        row = rows.setdefault(code, {"district": names.get(code, code),
                                     **{f"y{y}": 0.0 for y in years}, "total": 0.0})
        if i.get("work_year") is not None:
            row[f"y{i['work_year']}"] += i.get("cost_vnd") or 0.0
        row["total"] += i.get("cost_vnd") or 0.0
    columns = (Column("district", "Huyện", "District"),
               *(Column(f"y{y}", f"Năm {y} (đồng)", f"{y} (VND)", "vnd") for y in years),
               Column("total", "Tổng (đồng)", "Total (VND)", "vnd"))
    ordered = [rows[c] for c in sorted(rows)]
    return ReportTable("plan_cost", f"Kinh phí kế hoạch {plan['code']} theo huyện và năm",
                       f"Plan {plan['code']} cost by district and year", columns,
                       _with_total(ordered, "district", ("Tổng", "Total"), lang,
                                   [*(f"y{y}" for y in years), "total"]),
                       chart=tuple(f"y{y}" for y in years), total=True,
                       notes=(f"{plan['name']} ({plan['status']})",))


def plan_items(plan: Mapping[str, Any], items: Rows, routes: Rows,
               lang: str = "vi") -> ReportTable:
    """A plan's items in priority order: route, Km from-to, treatment, quantity, cost."""
    route_code = {r["id"]: r["code"] for r in routes}
    rows = [{"priority": int(i["priority"]) if i.get("priority") is not None else None,
             "year": i.get("work_year"), "route": route_code.get(i["route_id"], ""),
             "from_km": i["from_m"] / 1000.0, "to_km": i["to_m"] / 1000.0,
             "asset": i.get("target_table") or "", "treatment": i["treatment"],
             "quantity": i.get("quantity"), "unit": i.get("unit") or "",
             "cost": i.get("cost_vnd")}
            for i in sorted(items, key=lambda i: (i.get("priority") is None,
                                                  i.get("priority") or 0))]
    columns = (Column("priority", "Ưu tiên", "Priority", "count"),
               Column("year", "Năm", "Year", "text"), Column("route", "Tuyến", "Route"),
               Column("from_km", "Từ Km", "From Km", "km"),
               Column("to_km", "Đến Km", "To Km", "km"),
               Column("asset", "Loại tài sản", "Asset"),
               Column("treatment", "Giải pháp", "Treatment"),
               Column("quantity", "Khối lượng", "Quantity", "km"),
               Column("unit", "Đơn vị", "Unit"), Column("cost", "Kinh phí (đồng)", "Cost (VND)",
                                                         "vnd"))
    return ReportTable("plan_items", f"Danh mục hạng mục kế hoạch {plan['code']}",
                       f"Plan {plan['code']} items", columns, rows)


def plan_progress(plan: Mapping[str, Any], items: Rows, lang: str = "vi") -> ReportTable:
    """A plan's progress by work year: items planned, in progress, done and dropped, the
    planned cost, the planned cost of the items done and what they actually cost, and the
    share of the planned cost done."""
    statuses = CODELISTS["plan_item_status"]
    keys = [f"n_{code}" for code in statuses.codes]
    rows: dict[Any, dict] = {}
    for i in items:
        year = i.get("work_year")
        row = rows.setdefault(year, {"year": "-" if year is None else str(year),
                                     **dict.fromkeys(keys, 0), "planned_cost": 0.0,
                                     "done_planned_cost": 0.0, "actual_cost": 0.0})
        status = i.get("status") or "planned"
        row[f"n_{status}"] += 1
        row["planned_cost"] += i.get("cost_vnd") or 0.0
        if status == "done":
            row["done_planned_cost"] += i.get("cost_vnd") or 0.0
            row["actual_cost"] += i.get("actual_cost_vnd") or 0.0
    ordered = [rows[y] for y in sorted(rows, key=lambda y: (y is None, y or 0))]
    numeric = [*keys, "planned_cost", "done_planned_cost", "actual_cost"]
    out = _with_total(ordered, "year", ("Tổng", "Total"), lang, numeric)
    for row in out:
        row["done_share"] = (row["done_planned_cost"] / row["planned_cost"]
                             if row["planned_cost"] else 0.0)
    columns = (Column("year", "Năm", "Year"),
               *(Column(f"n_{code}", vi, en, "count") for code, vi, en in statuses.items),
               Column("planned_cost", "Kinh phí kế hoạch (đồng)", "Planned cost (VND)", "vnd"),
               Column("done_planned_cost", "Kế hoạch đã hoàn thành (đồng)",
                      "Planned cost done (VND)", "vnd"),
               Column("actual_cost", "Kinh phí thực tế (đồng)", "Actual cost (VND)", "vnd"),
               Column("done_share", "Tỷ lệ hoàn thành (theo kinh phí)", "Done (share of cost)",
                      "share"))
    return ReportTable("plan_progress", f"Tiến độ thực hiện kế hoạch {plan['code']}",
                       f"Plan {plan['code']} progress", columns, out,
                       chart=tuple(keys), total=True,
                       notes=(f"{plan['name']} ({plan['status']})",))

"""The sheets of a maintenance-plan atlas: which plan items go on which sheet, in what order,
with which map extent and texts, and the plan's totals for the cover sheet.

:func:`plan_atlas` reads a stored plan (``maintenance_plan`` / ``plan_item``, built by
:func:`roadinfra.core.planning.store.build_plan`) and the layers around it from either
database, and cuts the items into sheets by area (district), by route or one item a sheet.
A sheet whose table would overflow the template's table (``rows_per_sheet``) continues on
the next sheet with the same map. The printed atlas (``plugin/printing/plan_atlas.py``)
puts the cover first, so the sheet ``k`` of the list is printed as "Tờ k+1/n".

Columns of ``plan_item`` beyond the ones read here are ignored (the table grows).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Sequence, Tuple

from ..chainage import format_chainage
from ..db import open_database
from ..errors import Cancelled, RoadInfraError
from ..labels import Label, language
from ..sample_data import USER as SAMPLE_USER
from ..schema import CODELISTS

BY = ("area", "route", "item")
#: Smallest side of a sheet's map extent (m): a 300 m item is shown with its surroundings.
MIN_EXTENT_M = 2000.0
#: Margin around what a sheet shows, as a share of its size.
MARGIN = 0.08

TEXTS = {
    "sheet": Label("Tờ {k}/{n}", "Sheet {k}/{n}"),
    "cover": Label("Toàn tỉnh {province}", "{province} province"),
    "area": Label("{name}", "{name}"),
    "route": Label("Tuyến {code} - {name}", "Route {code} - {name}"),
    "item": Label("Hạng mục {number}: {route} {km_from} - {km_to}",
                  "Item {number}: {route} {km_from} - {km_to}"),
    "part": Label("{title} (phần {part}/{parts})", "{title} (part {part}/{parts})"),
    "no_area": Label("Chưa xác định huyện", "District not set"),
    "total": Label("Tổng cộng", "Total"),
    "years": Label("năm {first}-{last}", "{first}-{last}"),
}
#: Fixed texts of the printed sheets (legend, table headings, title block, notes).
SHEET_TEXTS = {
    "legend": Label("Chú giải", "Legend"),
    "plan_lines": Label("Hạng mục kế hoạch (mặt đường)", "Plan items (pavement)"),
    "plan_points": Label("Hạng mục kế hoạch (cầu, cống)", "Plan items (bridges, culverts)"),
    "condition": Label("Tình trạng mặt đường (PCI)", "Pavement condition (PCI)"),
    "not_surveyed": Label("Chưa khảo sát", "Not surveyed"),
    "routes": Label("Tuyến đường", "Routes"),
    "areas": Label("Ranh giới huyện", "District boundaries"),
    "number": Label("Số", "No."),
    "route": Label("Tuyến", "Route"),
    "km_from": Label("Từ Km", "From"),
    "km_to": Label("Đến Km", "To"),
    "treatment": Label("Giải pháp", "Treatment"),
    "quantity": Label("Khối lượng", "Quantity"),
    "cost": Label("Kinh phí (tr.đ)", "Cost (M VND)"),
    "year": Label("Năm", "Year"),
    "agency_label": Label("Cơ quan", "Agency"),
    "plan_label": Label("Kế hoạch", "Plan"),
    "date_label": Label("Ngày in", "Printed"),
    "prepared": Label("Người lập", "Prepared by"),
    "checked": Label("Kiểm tra", "Checked by"),
    "approved": Label("Phê duyệt", "Approved by"),
    "scale": Label("Tỷ lệ", "Scale"),
    "notes": Label(
        "Ghi chú: kinh phí tính bằng triệu đồng; lý trình Km theo hệ quy chiếu tuyến. "
        "Hệ tọa độ {crs} (EPSG:{epsg}), lưới tọa độ VN-2000 (m). Kế hoạch {code}, trạng thái "
        "{status}. Nguồn: {source}. Lập bằng RoadInfra {version}.",
        "Notes: costs in million VND; Km chainage along the route. Coordinate system {crs} "
        "(EPSG:{epsg}), VN-2000 grid in metres. Plan {code}, status {status}. Source: "
        "{source}. Made with RoadInfra {version}."),
    "source_sample": Label(
        "ranh giới tỉnh geoBoundaries.org; QL10 LegoCity (CC BY-SA 4.0); tài sản và kế hoạch "
        "là dữ liệu mẫu tổng hợp, không phải số liệu thực",
        "province boundary geoBoundaries.org; QL10 LegoCity (CC BY-SA 4.0); assets and plan "
        "are synthetic sample data, not facts about real roads"),
    "source_database": Label("cơ sở dữ liệu {database}", "database {database}"),
}


def sheet_text(key: str, lang: str, **fields: Any) -> str:
    """The printed text ``key`` in ``lang``, ``fields`` filled in."""
    return SHEET_TEXTS[key].text(lang).format(**fields)


class PlanSheetsError(RoadInfraError):
    """The plan asked for cannot be printed (the message names the database and the plan)."""


@dataclass(frozen=True)
class SheetRow:
    """One plan item as printed in a sheet's table and drawn on its map."""

    number: int          # the item's number in the whole plan (its map label)
    item_id: str
    route: str
    km_from: str
    km_to: str
    treatment_code: str
    treatment: str
    quantity: str
    cost: str            # million VND, in the sheet's language
    cost_vnd: float
    year: int | None
    district_code: str | None
    geom: Any = field(compare=False, repr=False)   # shapely line or point, or None


@dataclass
class Sheet:
    """One printed sheet after the cover: its key (area code, route code or item number)."""

    key: str
    title: str
    extent: Tuple[float, float, float, float]
    rows: List[SheetRow]


@dataclass
class PlanAtlas:
    """Everything the printed atlas needs, in one language."""

    lang: str
    by: str
    plan_code: str
    plan_name: str
    status: str
    years: List[int]
    agency: str
    province: str
    crs_epsg: int
    crs_name: str
    cover_title: str
    province_extent: Tuple[float, float, float, float]
    sheets: List[Sheet]
    items: List[SheetRow]
    totals_header: List[str]
    totals: List[List[str]]
    areas: List[Tuple[str, str, Any]] = field(repr=False)      # code, name, geometry
    routes: List[Tuple[str, str, Any]] = field(repr=False)     # code, name, geometry
    sections: List[Tuple[int | None, Any]] = field(repr=False)  # PCI class index, geometry
    pci_labels: List[str] = field(default_factory=list)
    treatments: List[Tuple[str, str]] = field(default_factory=list)  # code, label, in use
    sample: bool = False    # the database is RoadInfra's synthetic sample

    @property
    def sheet_count(self) -> int:
        """Sheets printed, the cover included."""
        return len(self.sheets) + 1

    def sheet_label(self, k: int) -> str:
        """"Tờ k/n" of the printed sheet ``k`` (1 = cover)."""
        return TEXTS["sheet"].text(self.lang).format(k=k, n=self.sheet_count)


def number_text(value: float, decimals: int, lang: str) -> str:
    """``1234567.8`` as ``1.234.567,8`` (vi) or ``1,234,567.8`` (en)."""
    text = f"{value:,.{decimals}f}"
    if language(lang) == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def _plan(db, plan: str, where: str) -> Dict[str, Any]:
    plans = db.fetch("maintenance_plan")
    if not plans:
        raise PlanSheetsError(f"{where}: no maintenance plan is stored; build one with "
                              "`roadinfra plan build`")
    if str(plan).strip().lower() == "latest":
        return max(plans, key=lambda p: (str(p.get("created_at") or ""), str(p["code"])))
    for row in plans:
        if str(plan).strip() in (str(row["id"]), str(row["code"])):
            return row
    known = ", ".join(sorted(str(p["code"]) for p in plans)[:10])
    raise PlanSheetsError(f"{where}: no plan {str(plan)[:80]!r} (plans: {known}; or 'latest')")


def _plan_name(name: str, lang: str) -> str:
    """The plan's name in ``lang`` when it is stored as "Vietnamese / English"."""
    parts = [p.strip() for p in str(name or "").split(" / ")]
    if len(parts) == 2 and all(parts):
        return parts[0] if lang == "vi" else parts[1]
    return str(name or "")


def _grown(bounds: Sequence[float], margin: float = MARGIN,
           minimum: float = MIN_EXTENT_M) -> Tuple[float, float, float, float]:
    minx, miny, maxx, maxy = bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    w = max((maxx - minx) * (1 + 2 * margin), minimum)
    h = max((maxy - miny) * (1 + 2 * margin), minimum)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _union_bounds(geoms) -> Tuple[float, float, float, float] | None:
    bounds = [g.bounds for g in geoms if g is not None and not g.is_empty]
    if not bounds:
        return None
    return (min(b[0] for b in bounds), min(b[1] for b in bounds),
            max(b[2] for b in bounds), max(b[3] for b in bounds))


def _pci_class(pci: float, lower: Sequence[float]) -> int:
    for index, bound in enumerate(lower):
        if pci >= bound:
            return index
    return len(lower) - 1


def _sections(db, profile) -> List[Tuple[int | None, Any]]:
    lower = profile.section("pavement.pci_bands")["lower"]
    latest: Dict[Any, Tuple[str, float]] = {}
    for survey in db.fetch("pavement_survey"):
        pci = survey.get("pci")
        if pci is None or not math.isfinite(float(pci)):
            continue
        date = str(survey.get("survey_date") or "")
        if survey["section_id"] not in latest or date >= latest[survey["section_id"]][0]:
            latest[survey["section_id"]] = (date, float(pci))
    return [(_pci_class(latest[s["id"]][1], lower) if s["id"] in latest else None, s["geom"])
            for s in db.fetch("pavement_section") if s.get("geom") is not None]


def _rows(db, items, profile, lang: str) -> List[SheetRow]:
    routes = {r["id"]: r for r in db.fetch("route")}
    points = {}
    for table in ("bridge", "culvert"):
        points.update({a["id"]: a.get("geom") for a in db.fetch(table)})
    treatments = {t["code"]: Label.of(t, "name").text(lang)
                  for t in profile.data.get("treatments", []) if "code" in t}
    ordered = sorted(items, key=lambda i: (str(routes.get(i["route_id"], {}).get("code", "")),
                                           float(i["from_m"]), str(i["treatment"])))
    rows = []
    for number, item in enumerate(ordered, start=1):
        geom = item.get("geom") or points.get(item.get("target_id"))
        quantity = item.get("quantity")
        unit = str(item.get("unit") or "").replace("m2", "m²")
        cost = float(item.get("cost_vnd") or 0.0)
        rows.append(SheetRow(
            number=number, item_id=str(item["id"]),
            route=str(routes.get(item["route_id"], {}).get("code", "?")),
            km_from=format_chainage(item["from_m"], decimals=0),
            km_to=format_chainage(item["to_m"], decimals=0),
            treatment_code=str(item["treatment"]),
            treatment=treatments.get(item["treatment"]) or str(item["treatment"]),
            quantity=(f"{number_text(float(quantity), 0, lang)} {unit}".strip()
                      if quantity is not None else ""),
            cost=number_text(cost / 1e6, 1, lang), cost_vnd=cost,
            year=int(item["work_year"]) if item.get("work_year") is not None else None,
            district_code=item.get("district_code"), geom=geom))
    return rows


def _group(rows: List[SheetRow], by: str) -> Dict[str, List[SheetRow]]:
    groups: Dict[str, List[SheetRow]] = defaultdict(list)
    for row in rows:
        key = {"area": row.district_code or "", "route": row.route,
               "item": str(row.number)}[by]
        groups[key].append(row)
    return groups


def _chunks(rows: List[SheetRow], lines: int, wrap_chars: int | None) -> List[List[SheetRow]]:
    """``rows`` cut into tables of at most ``lines`` text lines: a row whose treatment is
    longer than ``wrap_chars`` takes two."""
    chunks: List[List[SheetRow]] = [[]]
    used = 0
    for row in rows:
        height = 2 if wrap_chars and len(row.treatment) > wrap_chars else 1
        if chunks[-1] and used + height > lines:
            chunks.append([])
            used = 0
        chunks[-1].append(row)
        used += height
    return chunks


def _split(title: str, extent, rows: List[SheetRow], key: str, per_sheet: int,
           wrap_chars: int | None, lang: str) -> List[Sheet]:
    chunks = _chunks(rows, per_sheet, wrap_chars)
    if len(chunks) == 1:
        return [Sheet(key, title, extent, chunks[0])]
    return [Sheet(key, TEXTS["part"].text(lang).format(title=title, part=n, parts=len(chunks)),
                  extent, chunk) for n, chunk in enumerate(chunks, start=1)]


def _totals(rows: List[SheetRow], years: List[int], area_name: Callable[[str], str],
            lang: str) -> Tuple[List[str], List[List[str]]]:
    header = [Label("Huyện", "District").text(lang), Label("Số hạng mục", "Items").text(lang),
              *[str(y) for y in years], TEXTS["total"].text(lang)]
    by_area: Dict[str, Dict[int | None, float]] = defaultdict(lambda: defaultdict(float))
    counts: Dict[str, int] = defaultdict(int)
    for row in rows:
        by_area[row.district_code or ""][row.year] += row.cost_vnd
        counts[row.district_code or ""] += 1

    def money(vnd: float) -> str:
        return number_text(vnd / 1e6, 1, lang) if vnd else "-"

    def line(name: str, costs: Mapping[int | None, float], count: int) -> List[str]:
        return [name, str(count), *[money(costs.get(y, 0.0)) for y in years],
                money(sum(costs.values()))]

    table = [line(area_name(code), by_area[code], counts[code]) for code in sorted(by_area)]
    overall: Dict[int | None, float] = defaultdict(float)
    for costs in by_area.values():
        for year, cost in costs.items():
            overall[year] += cost
    table.append(line(TEXTS["total"].text(lang), overall, len(rows)))
    return header, table


def plan_atlas(target, plan: str = "latest", by: str = "area", lang: str = "vi",
               rows_per_sheet: int = 20, wrap_chars: int | None = None, profile=None,
               is_cancelled: Callable[[], bool] | None = None) -> PlanAtlas:
    """The sheets of the plan ``plan`` (its code, its id or ``latest``) of the database
    ``target`` (a GeoPackage path or a PostgreSQL target), cut ``by`` area, route or item.
    A sheet's table holds ``rows_per_sheet`` lines; a treatment longer than ``wrap_chars``
    characters takes two (the rest continues on the next sheet).

    Raises :class:`PlanSheetsError` naming the database when there is no such plan or it
    has no items, ``Cancelled`` when ``is_cancelled`` says so.
    """
    lang = language(lang)
    if by not in BY:
        raise PlanSheetsError(f"--by {by!r}: choose one of {', '.join(BY)}")
    if not isinstance(rows_per_sheet, int) or rows_per_sheet < 1:
        raise PlanSheetsError(f"rows per sheet {rows_per_sheet!r}: must be a whole number >= 1")
    where = str(target)
    with open_database(target) as db:
        profile = profile or db.profile
        chosen = _plan(db, plan, where)
        items = db.fetch("plan_item", where={"plan_id": chosen["id"]})
        if not items:
            raise PlanSheetsError(f"{where}: plan {chosen['code']} has no items to print")
        if is_cancelled and is_cancelled():
            raise Cancelled(f"{where}: printing cancelled")
        rows = _rows(db, items, profile, lang)
        admin = db.fetch("admin_unit")
        areas = [(str(a["code"]), str(a["name"]), a.get("geom")) for a in admin
                 if a.get("level") != "province"]
        routes = [(str(r["code"]), str(r["name"]), r.get("geom")) for r in db.fetch("route")]
        sections = _sections(db, profile)
        sample = any(row.get("created_by") == SAMPLE_USER
                     for row in db.fetch("pavement_section")[:50])
    province = profile.section("province")
    names = {code: name for code, name, _ in areas}
    for code in profile.district_codes:
        names.setdefault(code, profile.district_name(code, lang))

    def area_name(code: str) -> str:
        return names.get(code) or TEXTS["no_area"].text(lang)

    province_geoms = [a.get("geom") for a in admin if a.get("level") == "province"] or \
        [g for _, _, g in areas] or [r.geom for r in rows]
    province_extent = _grown(_union_bounds(province_geoms) or _union_bounds(
        [r.geom for r in rows]) or (0, 0, 1, 1), margin=0.03)
    route_names = {code: name for code, name, _ in routes}
    area_geoms = {code: geom for code, _, geom in areas}
    sheets: List[Sheet] = []
    groups = _group(rows, by)
    for key in sorted(groups, key=lambda k: (int(k) if by == "item" else k)):
        group = groups[key]
        if by == "area":
            title = area_name(key)
            bounds = _union_bounds([area_geoms.get(key)]) or _union_bounds(
                [r.geom for r in group])
        elif by == "route":
            title = TEXTS["route"].text(lang).format(code=key, name=route_names.get(key, ""))
            bounds = _union_bounds([r.geom for r in group])
        else:
            row = group[0]
            title = TEXTS["item"].text(lang).format(number=row.number, route=row.route,
                                                    km_from=row.km_from, km_to=row.km_to)
            bounds = _union_bounds([row.geom])
        extent = _grown(bounds) if bounds else province_extent
        sheets.extend(_split(title, extent, group, key, rows_per_sheet, wrap_chars, lang))
    years = sorted({r.year for r in rows if r.year is not None})
    header, totals = _totals(rows, years, area_name, lang)
    name = _plan_name(chosen.get("name"), lang)
    year_text = TEXTS["years"].text(lang).format(first=years[0], last=years[-1]) \
        if years else str(chosen.get("plan_year") or "")
    used = []
    for row in rows:
        if (row.treatment_code, row.treatment) not in used:
            used.append((row.treatment_code, row.treatment))
    return PlanAtlas(
        lang=lang, by=by, plan_code=str(chosen["code"]),
        plan_name=name if str(years[0] if years else "") in name else f"{name} ({year_text})",
        status=CODELISTS["plan_status"].label(str(chosen.get("status") or ""), lang),
        years=years,
        agency=Label.of(province, "agency").text(lang),
        province=Label.of(province, "name").text(lang), crs_epsg=profile.crs_epsg,
        crs_name=str(profile.section("crs").get("name") or f"EPSG:{profile.crs_epsg}"),
        cover_title=TEXTS["cover"].text(lang).format(province=Label.of(province, "name")
                                                     .text(lang)),
        province_extent=province_extent, sheets=sheets, items=rows,
        totals_header=header, totals=totals, areas=areas, routes=routes, sections=sections,
        pci_labels=list(profile.section("pavement.pci_bands")[f"labels_{lang}"]),
        treatments=sorted(used), sample=sample)

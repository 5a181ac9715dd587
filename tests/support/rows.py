"""One valid, realistic row for every writable table, built from real Thai Binh data.

Geometry comes from real data (copies in ``tests/data/schema``, provenance in its README):
the Thái Bình province polygon (geoBoundaries ADM1) and Quốc lộ 10 centre-lines (LegoCity
``giaothong``), projected to the provincial grid with :mod:`roadinfra.core.crs`. Ids are
fixed (uuid5) so rows can refer to each other before they are written; the dict is in
dependency order (parents first).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Dict

from roadinfra.core.crs import to_grid
from roadinfra.core.schema import TABLES
from shapely.geometry import MultiLineString, MultiPolygon, Point, Polygon, box, shape
from shapely.ops import linemerge, substring, transform

DATA = Path(__file__).resolve().parents[1] / "data" / "schema"
PROVINCE_FILE = DATA / "thai_binh_province_adm1.geojson"
ROADS_FILE = DATA / "giaothong_clip_thai_binh.geojson"
_NS = uuid.UUID("6f1c1a52-6d39-4b0c-9a55-2a0f3c7e9b10")

# Tables the API writes (db_meta, change_log and codelist are maintained by RoadInfra).
WRITABLE = tuple(t for t in TABLES if t not in ("db_meta", "change_log", "codelist"))


def rid(name: str) -> str:
    """A fixed id for the example row of table ``name``."""
    return str(uuid.uuid5(_NS, name))


def _to_grid(geom):
    return transform(lambda x, y, z=None: to_grid(x, y), geom)


def province_polygon() -> MultiPolygon:
    """Thái Bình (geoBoundaries ADM1) in EPSG:9209."""
    data = json.loads(PROVINCE_FILE.read_text(encoding="utf-8"))
    geom = _to_grid(shape(data["features"][0]["geometry"]))
    return geom if geom.geom_type == "MultiPolygon" else MultiPolygon([geom])


def ql10() -> MultiLineString:
    """Quốc lộ 10 through Thái Bình (6 clipped pieces) in EPSG:9209."""
    data = json.loads(ROADS_FILE.read_text(encoding="utf-8"))
    lines = []
    for feature in data["features"]:
        geom = _to_grid(shape(feature["geometry"]))
        lines += list(geom.geoms) if geom.geom_type.startswith("Multi") else [geom]
    merged = linemerge(lines)
    return merged if merged.geom_type == "MultiLineString" else MultiLineString([merged])


def example_rows() -> Dict[str, Dict[str, Any]]:
    """table -> one valid row (schema column names, geometry under ``geom``)."""
    route = ql10()
    main = max(route.geoms, key=lambda g: g.length)
    at = main.interpolate(0.4, normalized=True)
    section = substring(main, 1000.0, 2500.0)
    near = Point(at.x + 15.0, at.y + 10.0)
    parcel = Polygon(box(at.x + 25.0, at.y + 25.0, at.x + 45.0, at.y + 55.0))
    rows: Dict[str, Dict[str, Any]] = {
        "admin_unit": dict(id=rid("admin_unit"), code="34", name="Thái Bình", level="province",
                           parent_code=None, geom=province_polygon()),
        "route": dict(id=rid("route"), code="QL10", name="Quốc lộ 10", route_class="QL",
                      road_grade="III", managing_agency="Cục Đường bộ Việt Nam",
                      start_m=0.0, end_m=round(route.length, 1), length_m=round(route.length, 1),
                      geom=route),
        "calibration_point": dict(id=rid("calibration_point"), district_code="344",
                                  route_id=rid("route"), measure_m=12000.0, label="Km12",
                                  geom=at),
        "pavement_section": dict(id=rid("pavement_section"), code="PS-QL10-001",
                                 district_code="344", route_id=rid("route"), from_m=1000.0,
                                 to_m=2500.0, carriageway="both", surface_type="AC",
                                 width_m=11.0, lanes=2, construction_year=2008,
                                 last_works_year=2019, last_works_type="Tăng cường BTN 5 cm",
                                 geom=section),
        "pavement_survey": dict(id=rid("pavement_survey"), district_code="344",
                                section_id=rid("pavement_section"), route_id=rid("route"),
                                from_m=1000.0, to_m=2500.0, survey_date="2024-10-15",
                                method="VISUAL", surveyor="Nguyễn Văn Hùng", pci=68.5,
                                pci_rating="Fair", iri=3.4, rut_mm=12.0, cracking_pct=7.5,
                                geom=section),
        "pavement_distress": dict(id=rid("pavement_distress"), district_code="344",
                                  survey_id=rid("pavement_survey"), sample_unit="SU-03",
                                  unit_area_m2=225.0, distress_code=1, severity="M",
                                  quantity=18.5),
        "bridge": dict(id=rid("bridge"), code="BR-344-001", district_code="344",
                       name="Cầu Tân Đệ", route_id=rid("route"), chainage_m=12350.0, spans=23,
                       length_m=1372.0, width_m=15.0, structure_type="PSC_I", material="PSC",
                       design_load="H30", year_built=2001, load_posting_t=30.0,
                       crossing="RIVER", crossing_name="Sông Hồng", geom=at),
        "bridge_element": dict(id=rid("bridge_element"), district_code="344",
                               bridge_id=rid("bridge"), element_code="12",
                               name="Bản mặt cầu BTCT", quantity=20580.0, unit="m2"),
        "culvert": dict(id=rid("culvert"), code="CU-344-014", district_code="344",
                        route_id=rid("route"), chainage_m=12410.0, culvert_type="BOX",
                        span_m=2.0, height_m=2.0, cells=1, length_m=14.0, material="RC",
                        year_built=1998, geom=near),
        "inspection": dict(id=rid("inspection"), district_code="344", bridge_id=rid("bridge"),
                           culvert_id=None, inspection_date="2024-06-20",
                           inspection_type="PERIODIC", inspector="Trần Thị Lan", scheme="nbi",
                           overall_rating=6, structurally_deficient=False, load_posting_t=None,
                           notes="Nứt nhỏ bản mặt cầu nhịp 5"),
        "component_rating": dict(id=rid("component_rating"), district_code="344",
                                 inspection_id=rid("inspection"), component="deck", rating=6,
                                 notes="Bong tróc cục bộ"),
        "element_condition": dict(id=rid("element_condition"), district_code="344",
                                  inspection_id=rid("inspection"),
                                  element_id=rid("bridge_element"), qty_cs1=19800.0,
                                  qty_cs2=650.0, qty_cs3=130.0, qty_cs4=0.0),
        "attachment": dict(id=rid("attachment"), district_code="344", target_table="bridge",
                           target_id=rid("bridge"), kind="photo",
                           file_path="attachments/BR-344-001/2024-06-20_nhip5.jpg",
                           caption="Nứt bản mặt cầu nhịp 5", taken_at="2024-06-20T09:35:00+07:00",
                           geom=at),
        "load_station": dict(id=rid("load_station"), code="LS-344-01", district_code="344",
                             name="Trạm KTTT xe Vũ Thư", route_id=rid("route"),
                             chainage_m=12900.0, station_type="FIXED",
                             equipment="Cân WIM tốc độ thấp", operator="Thanh tra Sở GTVT",
                             commissioned="2019-03-01", geom=near),
        "weighing_record": dict(id=rid("weighing_record"), station_id=rid("load_station"),
                                weighed_at="2024-03-01T08:15:00+07:00",
                                vehicle_type="semitrailer", axle_count=5,
                                axle_loads_t=[6.8, 9.9, 9.6, 8.7, 8.9],
                                axle_spacings_m=[3.4, 1.3, 5.9, 1.3], gross_t=43.9, lane=1,
                                direction="Thái Bình → Hà Nội", overloaded=True,
                                governing_limit="gross 40 t", overload_pct=9.75, esal=3.1),
        "traffic_loading": dict(id=rid("traffic_loading"), district_code="344",
                                route_id=rid("route"), from_m=1000.0, to_m=2500.0, year=2024,
                                aadt=18500.0, heavy_pct=22.0, esal_per_day=1450.0,
                                source="Trạm KTTT xe Vũ Thư", geom=section),
        "maintenance_plan": dict(id=rid("maintenance_plan"), code="MP-2025", district_code=None,
                                 name="Kế hoạch bảo trì đường bộ năm 2025", plan_year=2025,
                                 budget_vnd=45_000_000_000.0, status="draft",
                                 method="PCI ranking"),
        "plan_item": dict(id=rid("plan_item"), district_code="344",
                          plan_id=rid("maintenance_plan"), route_id=rid("route"), from_m=1000.0,
                          to_m=2500.0, target_table="pavement_section",
                          target_id=rid("pavement_section"), treatment="OVERLAY",
                          quantity=16500.0, unit="m2", cost_vnd=4_620_000_000.0, priority=0.82,
                          work_year=2025, geom=section),
        "cadastral_parcel": dict(id=rid("cadastral_parcel"), district_code="344",
                                 parcel_no="215", sheet_no="18", commune_code="13297",
                                 land_use="LUC", area_official_m2=600.0,
                                 source="Bản đồ địa chính xã Tân Lập", geom=parcel),
        "user_district": dict(username="dhung_editor", district_code="340"),
        "sync_replica": dict(id=rid("sync_replica"), name="Laptop khảo sát Vũ Thư",
                             device="ThinkPad T14", created_at="2024-10-14T07:00:00+07:00",
                             created_by="nguyen.hung", base_change_id=0, last_sync_at=None),
        "sync_changeset": dict(id=rid("sync_changeset"), replica_id=rid("sync_replica"),
                               package_name="Vũ Thư tuần 42", login="nguyen.hung",
                               applied_at="2024-10-18T16:30:00+07:00",
                               summary={"sent": {"update": 3}, "received": {"insert": 1}}),
        "sync_conflict": dict(id=rid("sync_conflict"), changeset_id=rid("sync_changeset"),
                              replica_id=rid("sync_replica"), package_name="Vũ Thư tuần 42",
                              login="nguyen.hung", created_at="2024-10-18T16:30:00+07:00",
                              table_name="bridge", row_id=rid("bridge"), row_code="BR-340-012",
                              kind="field", fields=["spans"], base={"spans": 3},
                              mine={"spans": 4}, theirs={"spans": 5}),
    }
    missing = set(WRITABLE) - set(rows)
    if missing:  # the schema grew: add a realistic row here
        raise AssertionError(f"example_rows lacks {sorted(missing)}")
    return rows

"""Build sample_data/ (the Thai Binh sample province) reproducibly from real open data.

Real inputs (../shared/data): the Thái Bình province polygon (geoBoundaries) and the QL10
centre-line (LegoCity). Everything else is SYNTHETIC, drawn from a seeded generator, so a
rebuild gives byte-identical files. Run from the repository root:

    .venv/bin/python scripts/build_sample_data.py [--shared ../shared/data] [--output sample_data]
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np
from shapely.geometry import LineString, MultiPolygon

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from roadinfra.core.profile import load_profile  # noqa: E402
from roadinfra.core.schema import GEOMETRY_COLUMN, table  # noqa: E402
from roadinfra.core.schema.tables import AUDIT_COLUMNS  # noqa: E402
from sample_data_lib import geo, loads, network, pavement, structures  # noqa: E402
from sample_data_lib.records import stable_id, write_csv, write_geojson, write_rows  # noqa: E402

SEED = 20251126
PROVINCE_FILE = "vn_provinces_geoboundaries/thai_binh_province_adm1.geojson"
ROADS_FILE = "vn_roads_legocity/giaothong_clip_thai_binh.geojson"
QL10_NAME = "Quốc lộ 10"
WEIGHING_FILE = "weighing_records.csv"
AUDIT = {c.name for c in AUDIT_COLUMNS}


def columns(name: str) -> List[str]:
    """The schema columns a sample file carries: all but audit columns and geometry."""
    return [c.name for c in table(name).columns
            if c.name not in AUDIT and c.name != GEOMETRY_COLUMN and not c.derived]


def licence_text(provenance: Path) -> str:
    """The LICENSE entry of a PROVENANCE.txt, re-wrapped (quoted in the README)."""
    lines, keep = [], False
    for line in provenance.read_text(encoding="utf-8").splitlines():
        if re.match(r"[A-Z][A-Z ]*[:(]", line):   # an unindented KEY: starts an entry
            keep = line.startswith("LICENSE")
        if keep:
            lines.append(line.strip())
    return textwrap.fill(" ".join(lines), width=90, initial_indent="  > ", break_on_hyphens=False,
                         subsequent_indent="  > ")


def build(shared: Path, output: Path) -> Dict[str, int]:
    """Write every sample file into ``output``; return rows per file."""
    rng = np.random.default_rng(SEED)
    profile = load_profile()
    output.mkdir(parents=True, exist_ok=True)

    province = geo.read_province(shared / PROVINCE_FILE)
    parts = geo.read_line_parts(shared / ROADS_FILE, QL10_NAME)
    ql10, used, left_out = geo.chain_parts(parts)
    # QL10 chainage runs from Quảng Ninh / Hải Phòng (north-east) towards Nam Định.
    if ql10.coords[0][1] < ql10.coords[-1][1]:
        ql10 = LineString(list(ql10.coords)[::-1])

    districts = network.district_cells(province, profile.section("districts"))
    admin = [{
        "id": stable_id("admin_unit", profile.section("province.code")),
        "code": profile.section("province.code"), "district_code": None,
        "name": profile.section("province.name_vi"), "level": "province",
        "parent_code": None, "geom": MultiPolygon([province]),
    }] + districts
    routes = network.build_routes(province, ql10, rng)
    sections = pavement.section_rows(routes, districts, rng)
    surveys, distresses = pavement.survey_rows(sections, rng)
    bridges = structures.bridge_rows(routes, districts, rng)
    inspections, ratings = structures.inspection_rows(bridges, rng)
    culverts = structures.culvert_rows(routes, bridges, districts, rng)
    culvert_inspections, culvert_ratings = structures.culvert_inspection_rows(culverts, rng)
    stations = loads.station_rows(routes, districts)
    weighings = loads.weighing_rows(stations, profile.section("loads.gross_t"), rng)

    geo_files = {
        "admin_unit": admin, "route": network.route_rows(routes, districts),
        "calibration_point": network.calibration_rows(routes, districts),
        "pavement_section": sections, "bridge": bridges, "culvert": culverts,
        "load_station": stations,
    }
    csv_files = {
        "pavement_survey": surveys, "pavement_distress": distresses,
        "inspection": inspections + culvert_inspections,
        "component_rating": ratings + culvert_ratings,
    }
    counts = {}
    for name, rows in geo_files.items():
        write_geojson(output / f"{name}.geojson", rows, columns(name))
        counts[f"{name}.geojson"] = len(rows)
    for name, rows in csv_files.items():
        write_csv(output / f"{name}.csv", rows, columns(name))
        counts[f"{name}.csv"] = len(rows)
    write_rows(output / WEIGHING_FILE, loads.HEADER, weighings)
    counts[WEIGHING_FILE] = len(weighings)

    write_readme(output, shared, counts, used, left_out, routes, sections, surveys)
    return counts


def write_readme(output: Path, shared: Path, counts: Dict[str, int], used: Sequence,
                 left_out: Sequence, routes, sections, surveys) -> None:
    template = (HERE / "sample_data_lib" / "README.template.md").read_text(encoding="utf-8")
    files = "\n".join(f"| `{name}` | {n} |" for name, n in counts.items())
    route_lines = "\n".join(
        f"| {r.spec.code} | {r.spec.name} | {network.km_label(r.start_m)} - "
        f"{network.km_label(r.end_m)} | {r.line.length / 1000.0:.1f} | "
        f"{'synthetic' if r.synthetic_geometry else 'real (LegoCity), clipped'} |"
        for r in routes)
    surfaces = Counter(s["surface_type"] for s in sections)
    text = template.format(
        files=files, routes=route_lines, seed=SEED,
        ql10_used=", ".join(str(g) for g in sorted(used)),
        ql10_left_out=", ".join(str(g) for g in left_out) or "none",
        surfaces=", ".join(f"{k} {v}" for k, v in sorted(surfaces.items())),
        licence_geoboundaries=licence_text(shared / "vn_provinces_geoboundaries/PROVENANCE.txt"),
        licence_legocity=licence_text(shared / "vn_roads_legocity/PROVENANCE.txt"),
    )
    (output / "README.md").write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder of the real open data (default: ../shared/data)")
    parser.add_argument("--output", type=Path, default=REPO / "sample_data",
                        help="folder to write (default: sample_data/ of the repository)")
    args = parser.parse_args(argv)
    for needed in (PROVINCE_FILE, ROADS_FILE):
        if not (args.shared / needed).is_file():
            parser.error(f"missing input {args.shared / needed} (see --shared)")
    counts = build(args.shared, args.output)
    for name, n in counts.items():
        print(f"{name:28s} {n:6d}")
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Stable identifiers and the writers of the sample files (GeoJSON in the grid, CSV)."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path
from typing import Dict, Iterable, List, Sequence

from .geo import GRID_CRS_URN, round_coords

# All sample UUIDs are name-based (uuid5), so a rebuild gives the same ids.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "roadinfra:sample_data:thai_binh")


def stable_id(table: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{table}/{key}"))


def write_geojson(path: Path, rows: Sequence[Dict], columns: Sequence[str]) -> None:
    """One feature per line; ``geom`` becomes the geometry (None allowed), ``columns`` the
    properties in that order. The ``crs`` member names the provincial grid."""
    lines = [
        "{",
        '"type": "FeatureCollection",',
        f'"name": "{path.stem}",',
        f'"crs": {{"type": "name", "properties": {{"name": "{GRID_CRS_URN}"}}}},',
        '"features": [',
    ]
    features = []
    for row in rows:
        geom = row.get("geom")
        feature = {
            "type": "Feature",
            "properties": {c: row.get(c) for c in columns},
            "geometry": None if geom is None else round_coords(geom),
        }
        features.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    lines.append(",\n".join(features))
    lines += ["]", "}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def write_csv(path: Path, rows: Iterable[Dict], columns: Sequence[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])


def write_rows(path: Path, header: Sequence[str], rows: List[List[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

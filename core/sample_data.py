"""Load the sample province (``sample_data/``) into a RoadInfra database; build the demo GPKG.

``sample_data/`` holds GeoJSON files in the provincial grid and CSV tables whose columns are
schema column names (see its README); weighing records are in the load-control CSV format
and are checked against the profile's limits by :mod:`roadinfra.core.loads` on loading.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Union

from shapely.geometry import shape

from .db import ValidationError, create_database
from .errors import Cancelled, RoadInfraError
from .loads.check import check_file
from .loads.csv_format import KG_PER_T, MM_PER_M
from .schema import GEOMETRY_COLUMN, table
from .version import PLUGIN_ROOT

SAMPLE_DIR = PLUGIN_ROOT / "sample_data"
WEIGHING_FILE = "weighing_records.csv"
USER = "sample"

#: Files in loading order (parents before children): (table, file name).
FILES = (
    ("admin_unit", "admin_unit.geojson"),
    ("route", "route.geojson"),
    ("calibration_point", "calibration_point.geojson"),
    ("pavement_section", "pavement_section.geojson"),
    ("pavement_survey", "pavement_survey.csv"),
    ("pavement_distress", "pavement_distress.csv"),
    ("bridge", "bridge.geojson"),
    ("culvert", "culvert.geojson"),
    ("inspection", "inspection.csv"),
    ("component_rating", "component_rating.csv"),
    ("load_station", "load_station.geojson"),
)
Progress = Optional[Callable[[float], None]]
IsCancelled = Optional[Callable[[], bool]]


class SampleDataError(RoadInfraError):
    """The sample data folder is missing, incomplete or has a bad file, row or field."""


def _typed(table_name: str, column: str, text: str, where: str) -> Any:
    """A CSV cell as the Python value the schema column expects (empty = None)."""
    if text == "":
        return None
    try:
        kind = table(table_name).column(column).type
    except KeyError:
        raise SampleDataError(f"{where}: column '{column}' is not in table "
                              f"{table_name}") from None
    try:
        if kind == "integer":
            return int(text)
        if kind == "real":
            return float(text)
        if kind == "boolean":
            return {"true": True, "false": False, "1": True, "0": False}[text.lower()]
    except (ValueError, KeyError):
        raise SampleDataError(f"{where}: column '{column}': {text!r} is not a "
                              f"{kind}") from None
    return text


def _read_text(path: Path) -> str:
    """The file's UTF-8 text; a bad byte is a SampleDataError naming its line."""
    data = path.read_bytes()
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0  # spreadsheets
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, start + exc.start) + 1
        raise SampleDataError(f"{path}, line {line}: not UTF-8 text ({exc.reason})") from None


def read_csv_rows(path: Path, table_name: str) -> List[Dict[str, Any]]:
    """Rows of a sample CSV file, typed by the schema."""
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    try:
        return [{k: _typed(table_name, k, v or "", f"{path}, line {reader.line_num}")
                 for k, v in row.items()} for row in reader]
    except csv.Error as exc:
        raise SampleDataError(f"{path}, line {reader.line_num}: not readable as CSV: "
                              f"{exc}") from None


def read_geojson_rows(path: Path, table_name: str, epsg: int) -> List[Dict[str, Any]]:
    """Rows of a sample GeoJSON file (properties + ``geom``); its crs must be ``epsg``."""
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise SampleDataError(f"{path}, line {exc.lineno}, column {exc.colno}: not valid "
                              f"JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("features", []), list):
        raise SampleDataError(f"{path}: not a GeoJSON FeatureCollection")
    crs = data.get("crs")
    crs = crs.get("properties") if isinstance(crs, dict) else None
    crs = crs.get("name", "") if isinstance(crs, dict) else ""
    if not isinstance(crs, str) or not crs.replace("::", ":").endswith(f"EPSG:{epsg}"):
        raise SampleDataError(f"{path}: crs {crs or '(none)'} is not EPSG:{epsg}, the "
                              f"provincial grid of the profile")
    rows = []
    for number, feature in enumerate(data.get("features", []), start=1):
        if not (isinstance(feature, dict)
                and isinstance(feature.get("properties"), (dict, type(None)))):
            raise SampleDataError(f"{path}, feature {number}: not a GeoJSON feature")
        row = dict(feature.get("properties") or {})
        geometry = feature.get("geometry")
        try:
            row[GEOMETRY_COLUMN] = shape(geometry) if geometry else None
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            raise SampleDataError(f"{path}, feature {number}: field 'geom': {exc}") from None
        rows.append(row)
    return rows


def weighing_rows(path: Path, station_ids: Dict[str, str], profile=None,
                  is_cancelled: IsCancelled = None) -> List[Dict[str, Any]]:
    """weighing_record rows from a load-control CSV, checked against the profile's limits."""
    checked = check_file(path, profile=profile, is_cancelled=is_cancelled)
    rec, res = checked.records, checked.result
    if rec.errors:
        first = rec.errors[0]
        column = f"column '{first.field}': " if first.field else ""
        raise SampleDataError(f"{path}, line {first.row}: {column}{first.message} "
                              f"({len(rec.errors)} bad row(s))")
    frame = checked.results_frame()
    codes = rec.station_code_of()
    unknown = sorted(set(codes) - set(station_ids))
    if unknown:
        line = int(rec.line[list(codes).index(unknown[0])])
        raise SampleDataError(f"{path}, line {line}: column 'station_code': {unknown[0]!r} "
                              f"is not a load_station code")
    rows = []
    for i in range(len(rec)):
        n = int(rec.axle_count[i])
        rows.append({
            "station_id": station_ids[codes[i]],
            "weighed_at": frame["weighed_at"].iat[i],
            "vehicle_type": frame["vehicle_type"].iat[i],
            "axle_count": n,
            "axle_loads_t": [int(v) / KG_PER_T for v in rec.loads_kg[i, :n]],
            "axle_spacings_m": [int(v) / MM_PER_M for v in rec.spacings_mm[i, :n - 1]],
            "gross_t": int(rec.gross_kg[i]) / KG_PER_T,
            "lane": int(rec.lane[i]) or None,
            "direction": rec.direction[i] or None,
            "overloaded": bool(res.overloaded[i]),
            "governing_limit": str(frame["governing_limit"].iat[i]),
            "overload_pct": float(frame["overload_pct"].iat[i]),
            "esal": float(frame["esal"].iat[i]),
        })
    return rows


def _check_folder(sample_dir: Path) -> None:
    missing = [name for _, name in FILES if not (sample_dir / name).is_file()]
    if not (sample_dir / WEIGHING_FILE).is_file():
        missing.append(WEIGHING_FILE)
    if missing:
        raise SampleDataError(f"{sample_dir}: sample data incomplete, missing "
                              f"{', '.join(missing)} (rebuild with "
                              f"scripts/build_sample_data.py)")


def load_sample_data(db, sample_dir: Union[str, Path] = SAMPLE_DIR, progress: Progress = None,
                     is_cancelled: IsCancelled = None) -> Dict[str, int]:
    """Insert every sample file into ``db`` in one transaction; return rows per table."""
    sample_dir = Path(sample_dir)
    _check_folder(sample_dir)
    epsg = db.profile.crs_epsg

    def step(pct: float) -> None:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled(f"{sample_dir}: loading cancelled")
        if progress is not None:
            progress(pct)

    counts: Dict[str, int] = {}
    section_geoms: Dict[str, Any] = {}
    station_ids: Dict[str, str] = {}
    part = 100.0 / (len(FILES) + 2)  # progress share of one file
    step(0.0)
    with db.transaction():
        for number, (name, file_name) in enumerate(FILES):
            path = sample_dir / file_name
            if path.suffix == ".geojson":
                rows = read_geojson_rows(path, name, epsg)
            else:
                rows = read_csv_rows(path, name)
            if name == "pavement_section":
                section_geoms = {r["id"]: r[GEOMETRY_COLUMN] for r in rows}
            elif name == "pavement_survey":
                for row in rows:  # a survey covers its section: same geometry
                    row[GEOMETRY_COLUMN] = section_geoms.get(row["section_id"])
            elif name == "load_station":
                station_ids = {r["code"]: r["id"] for r in rows}
            _insert(db, name, rows, path, lambda pct, n=number: step((n + pct / 100) * part))
            counts[name] = len(rows)
        path = sample_dir / WEIGHING_FILE
        rows = weighing_rows(path, station_ids, db.profile, is_cancelled)
        step((len(FILES) + 1) * part)
        _insert(db, "weighing_record", rows, path,
                lambda pct: step((len(FILES) + 1 + pct / 100) * part))
        counts["weighing_record"] = len(rows)
    step(100.0)
    return counts


def _insert(db, table_name: str, rows: List[Dict[str, Any]], path: Path,
            progress: Callable[[float], None]) -> None:
    """Insert the rows of one file; a row the schema refuses is named with the file
    (rows without a code or id as ``row N``, N counting the file's rows from 1)."""
    try:
        db.insert(table_name, rows, user=USER, progress=progress)
    except ValidationError as exc:
        raise SampleDataError(f"{path}: {exc}") from None


def build_demo_database(path: Union[str, Path], sample_dir: Union[str, Path] = SAMPLE_DIR,
                        profile=None, progress: Progress = None,
                        is_cancelled: IsCancelled = None) -> Dict[str, int]:
    """Build the sample GeoPackage at ``path``: into a temporary file beside it, then an
    atomic replace, so an existing database is never left half-written. Temporary files
    a killed build left behind are removed first."""
    path = Path(path)
    _check_folder(Path(sample_dir))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(path.parent) as exclusive:
            remove_stale_builds(path, exclusive)
            return _build(path, sample_dir, profile, progress, is_cancelled)
    except OSError as exc:
        raise SampleDataError(f"{path.parent}: cannot write the database here: "
                              f"{exc.strerror}") from None


def _build(path: Path, sample_dir, profile, progress, is_cancelled) -> Dict[str, int]:
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".gpkg",
                                        dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    tmp.unlink()  # create_database wants a new file
    try:
        db = create_database(str(tmp), profile=profile)
        try:
            counts = load_sample_data(db, sample_dir, progress, is_cancelled)
        finally:
            db.close()
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, *_sidecars(tmp)):
            if leftover.exists():
                leftover.unlink()
    return counts


def _sidecars(path: Path) -> List[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-journal", "-wal", "-shm")]


#: Age after which a leftover counts as stale where folders cannot be locked (Windows).
STALE_AFTER_S = 3600.0


@contextmanager
def _build_lock(folder: Path) -> Iterator[bool]:
    """Hold an exclusive advisory lock on ``folder`` while building (a second build there
    waits); yields whether the lock is real (False where fcntl does not exist)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield False
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield True
    finally:
        os.close(fd)  # releases the lock (a killed build's lock goes with its process)


def remove_stale_builds(path: Path, exclusive: bool) -> List[Path]:
    """Remove ``.<stem>-*.gpkg`` temporary databases (and their -journal, -wal, -shm) that
    killed builds left beside ``path``. With ``exclusive`` (this process holds the folder's
    build lock, so no other build is running) all of them; otherwise those older than
    STALE_AFTER_S. Returns the files removed."""
    pattern = re.compile(rf"^\.{re.escape(path.stem)}-[A-Za-z0-9_]+\.gpkg(-journal|-wal|-shm)?$")
    removed = []
    now = time.time()
    for candidate in path.parent.glob(f".{path.stem}-*.gpkg*"):
        if not pattern.match(candidate.name) or not candidate.is_file():
            continue
        if not exclusive and now - candidate.stat().st_mtime < STALE_AFTER_S:
            continue
        try:
            candidate.unlink()
        except FileNotFoundError:
            continue
        removed.append(candidate)
    return removed

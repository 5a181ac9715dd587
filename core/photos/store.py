"""Attaching a photo: copied into the database's photo store under its sha256, recorded in
``attachment`` with its EXIF position and time.

The store of a GeoPackage is the folder ``<name>.photos`` beside it; any database may
name another in ``db_meta`` (key ``photo_store``; required for PostGIS, e.g. a shared
folder). A file is stored once however often it is attached (same content, same name:
``ab/abcdef....jpg``). ``attachment.file_path`` holds the path relative to
:func:`photo_root`: the GeoPackage's folder (``<name>.gpkg.photos/ab/abcdef....jpg``, as the
QGIS form's photo widget reads it, so the file and its database move together), or the
configured store.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Union

from shapely.geometry import Point

from ..crs import to_grid
from ..errors import RoadInfraError
from ..schema.tables import TABLES
from .exif import DEFAULT_UTC_OFFSET_HOURS, read_photo_info

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".webp")


class PhotoError(RoadInfraError):
    """A photo that cannot be attached (missing file, no store, unknown feature)."""


def photo_location(db) -> Tuple[Path, Path]:
    """(store, root) of ``db``'s photos: the folder they are kept in and the folder
    ``attachment.file_path`` is relative to. Nothing is created."""
    configured = db.meta("photo_store")
    if configured:
        return Path(configured), Path(configured)
    if db.kind == "gpkg":
        folder = Path(str(db.target) + ".photos")
        return folder, folder.parent
    raise PhotoError(f"{db.target}: no photo store: set db_meta photo_store to a folder "
                     "every editor can reach")


def photo_store(db) -> Path:
    """The folder photos of ``db`` are kept in (created when missing)."""
    folder = photo_location(db)[0]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def photo_root(db) -> Path:
    """The folder ``attachment.file_path`` is relative to."""
    return photo_location(db)[1]


def photo_path(db, row: Dict[str, Any]) -> Path:
    """Where the file of an attachment row is."""
    return photo_root(db) / str(row["file_path"])


def file_sha256(path: Path) -> str:
    """The sha256 (hex) of the file's content."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stored_suffix(path: Union[str, Path]) -> str:
    """The suffix a file is stored under: its own (lower case) when a photo's, else .bin."""
    suffix = Path(path).suffix.lower()
    return suffix if suffix in PHOTO_SUFFIXES else ".bin"


def store_file(source: Path, store: Path, digest: str, suffix: str,
               replace_damaged: bool = False) -> Path:
    """Copy ``source`` (whose sha256 is ``digest``) into ``store`` as
    ``ab/<digest><suffix>`` unless a file of that name is there (``replace_damaged``: unless
    a file of that name and content is there); returns its path. The copy is written beside
    and renamed: a file of that name is always whole."""
    stored = store / digest[:2] / f"{digest}{suffix}"
    if not stored.exists() or (replace_damaged and file_sha256(stored) != digest):
        stored.parent.mkdir(parents=True, exist_ok=True)
        partial = stored.with_name(stored.name + ".part")
        shutil.copyfile(source, partial)
        partial.replace(stored)
    return stored


def attach_photo(db, target_table: str, target_id: str, source: Union[str, Path], *,
                 caption: Optional[str] = None, user: Optional[str] = None) -> Dict[str, Any]:
    """Copy ``source`` into the store and add an ``attachment`` row for the feature.

    The row's position is the photo's EXIF GPS position (in the grid) when it has one,
    else none; ``taken_at`` the EXIF time. Returns the row as stored.
    """
    path = Path(source)
    if not path.is_file():
        raise PhotoError(f"{path}: no such file")
    if target_table not in TABLES or not TABLES[target_table].has_id:
        raise PhotoError(f"{target_table}: not a table photos can be attached to")
    # read without a lock: on PostGIS the database's live-parent guard (schema 17) refuses
    # the row as well when the feature is deleted meanwhile (its insert waits for that delete)
    found = db.fetch(target_table, where={"id": target_id}, include_deleted=True)
    if not found:
        raise PhotoError(f"{target_table} {target_id}: no such row")
    if found[0].get("deleted_at") is not None:
        label = found[0].get("code") or target_id
        raise PhotoError(f"{target_table} {label} is deleted (a tombstone): a photo cannot be "
                         f"attached to it; restore {target_table} {label} first")
    digest = file_sha256(path)
    stored = store_file(path, photo_store(db), digest, stored_suffix(path))
    relative = stored.relative_to(photo_root(db)).as_posix()
    try:
        offset = float(db.profile.section("province").get("utc_offset_hours",
                                                           DEFAULT_UTC_OFFSET_HOURS))
    except RoadInfraError:
        offset = DEFAULT_UTC_OFFSET_HOURS
    info = read_photo_info(stored, offset)
    row: Dict[str, Any] = {"target_table": target_table, "target_id": target_id,
                           "kind": "photo", "file_path": relative,
                           "caption": caption or path.name, "taken_at": info.taken_at}
    if info.lonlat is not None:
        x, y = to_grid(info.lonlat[0], info.lonlat[1], db.profile)
        row["geom"] = Point(x, y)
    [row_id] = db.insert("attachment", [row], user=user)
    return db.fetch("attachment", where={"id": row_id})[0]

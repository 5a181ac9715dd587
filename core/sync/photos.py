"""Photos of offline packages: carried content-addressed (sha256) both ways, checked, never
duplicated, never dropped silently.

``attachment.file_path`` is relative to the photo root of the database holding the row
(:func:`roadinfra.core.photos.photo_root`): the provincial store, or the package's folder.
A package keeps every photo under ``<package>.gpkg.photos/ab/<sha256><suffix>`` (what
``attach_photo`` on the package makes, what its QGIS/QField form reads as a relative file),
so the path of one photo differs between the two sides; its content name does not. Sync
translates at the border:

* server -> package (:meth:`PhotoSync.to_package`: packaging, and the attachments a sync
  reads again at its end, :meth:`PhotoSync.lacking` among them, both read through
  :func:`.bulk.packed_rows`): a
  content-addressed server path becomes the package path of the same name; any other
  server path (a file picked in a QGIS form on the server) is hashed. The file is copied
  into the package's store, its sha256 checked, when the package lacks it.
* package -> server (:meth:`PhotoSync.to_server`, before the merge, so that merge and
  conflicts speak the server's paths): a row whose ``file_path`` the package changed (a
  photo attached offline through the API, or a form writing e.g. ``DCIM/IMG_0042.jpg``) has
  its file checked (a content-addressed name must match its content; any other image must
  decode), copied once into the provincial store under its sha256 (same content, same file,
  whoever sends it) and the row sent with that path. A missing or damaged file holds the
  row back as a ``photo`` conflict holding every field the crew changed (the row never
  reaches the server pointing to nothing; the package keeps it and sends it once the file
  is there, which closes the conflict, as does deleting the attachment in the package).
  Only files inside the package's folder are sent; a ``photo`` must decode as an image; a
  new attachment whose target already has the same photo is a duplicate: not sent, said in
  ``photos.duplicates``, tombstoned in the package (which keeps the server's row).

Files are copied before the server commits: the copies are idempotent (content-addressed)
and a file whose row was not committed is an orphan, never a wrong photo.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from ..db.base import Database
from ..db.validate import utc_iso
from ..errors import RoadInfraError
from ..photos import file_sha256, photo_location, store_file, stored_suffix
from ..schema.tables import TABLES
from . import faults
from .merge import Conflict
from .values import canonical, dumps, readable

TABLE = "attachment"
_CONTENT_NAME = re.compile(r"^[0-9a-f]{64}\.[a-z0-9]+$")
#: Image files whose content is decoded to find damage when no sha256 name vouches for it.
DECODED = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp")


def content_name(file_path: Any) -> Optional[Tuple[str, str]]:
    """(sha256, suffix) of a content-addressed path ``.../ab/<sha256><suffix>``, else None."""
    parts = PurePosixPath(str(file_path or "").replace("\\", "/")).parts
    if len(parts) < 2 or not _CONTENT_NAME.match(parts[-1]) or parts[-2] != parts[-1][:2]:
        return None
    return parts[-1][:64], parts[-1][64:]



def file_digest(db: Database, file_path: Any) -> Optional[str]:
    """The sha256 of the photo ``file_path`` of database ``db`` names: from its
    content-addressed name, else of the file (relative to ``db``'s photo root); None when
    there is no readable file."""
    named = content_name(file_path)
    if named is not None:
        return named[0]
    text = str(file_path or "").replace("\\", "/")
    if not text or PurePosixPath(text).is_absolute():
        return None
    try:
        return file_sha256(photo_location(db)[1] / text)
    except (OSError, RoadInfraError):
        return None

#: What a package may send per ``attachment_kind``: a ``photo`` must decode as an image
#: (Pillow, whatever its name); a document or drawing is taken as it is (its sha256 is its
#: identity) when its suffix is one of these, else it is held back.
DOCUMENT_SUFFIXES = {
    "document": (".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".csv", ".txt",
                 *DECODED),
    "drawing": (".pdf", ".dwg", ".dxf", ".svg", *DECODED),
}
_HEIC = (".heic", ".heif")


def _undecodable(path: Path, always: bool = False) -> Optional[str]:
    """Why the image ``path`` does not decode (None when it does). Only files with an image
    suffix are decoded unless ``always`` (an attachment of kind ``photo``)."""
    if not always and path.suffix.lower() not in DECODED:
        return None
    try:
        from PIL import Image
    except ImportError:  # without Pillow an image is only hashed
        return "not checked: Pillow is not installed to decode photos" if always else None
    try:
        with Image.open(path) as image:
            image.load()
    except Image.DecompressionBombError:  # very large, not damaged
        return None
    except Image.UnidentifiedImageError:
        if path.suffix.lower() in _HEIC:
            return "HEIC photos are not supported here (Pillow cannot read them): send JPEG"
        return "not an image (Pillow cannot read it)" if always else \
            "damaged: not a readable image"
    except (OSError, ValueError, SyntaxError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        return f"damaged: not a readable image ({first})"
    return None


def check_photo(path: Path, digest: Optional[str] = None, image: bool = False
                ) -> Tuple[Optional[str], Optional[str]]:
    """(sha256, None) for a whole file; (None, problem) for one missing or damaged: empty,
    unreadable, its content not matching ``digest`` (its name), or, with no name to vouch
    for it, an image that does not decode (a truncated copy); with ``image`` (a ``photo``
    sent by a package) the file must decode whatever its name."""
    if not path.is_file():
        return None, "missing"
    try:
        if path.stat().st_size == 0:
            return None, "damaged: empty file"
        found = file_sha256(path)
    except OSError as exc:
        return None, f"unreadable: {exc.strerror or exc}"
    if digest is not None and found != digest:
        return None, "damaged: its content no longer matches its sha256 name"
    problem = _undecodable(path, image) if digest is None or image else None
    return (None, problem) if problem else (found, None)


def photo_files(package, changes: List[Any]) -> List[List[Any]]:
    """[path, size, modification time] (None when absent) of the file of every attachment
    whose ``file_path`` the package changed: part of a changeset's identity, so that a sync
    after the crew put a missing photo back is a new changeset, while one re-run after a kill
    (files untouched) is the same."""
    out: List[List[Any]] = []
    for change in changes:
        path = change.mine.get("file_path") if change.table == TABLE else None
        if not path or change.deleted or (change.base or {}).get("file_path") == path:
            continue
        given, root = Path(str(path)), photo_location(package.db)[1]
        try:
            stat = (given if given.is_absolute() else root / given).stat()
            out.append([str(path), stat.st_size, stat.st_mtime_ns])
        except OSError:
            out.append([str(path), None, None])
    return out


def same_attachment(server: Database, row: Mapping[str, Any], row_id: str,
                    server_digest: Optional[Callable[[Any], Optional[Tuple[str, str]]]] = None
                    ) -> Optional[str]:
    """The id of a live attachment on ``server``, other than ``row_id``, of the same target
    as ``row`` holding the same file (content addressed: its sha256 in its name, or
    ``server_digest`` of its path for one stored under another name); None when there is
    none."""
    digest = content_name(row.get("file_path"))
    if digest is None:
        return None
    for other in server.fetch(TABLE, where={"target_table": str(row.get("target_table")),
                                            "target_id": str(row.get("target_id"))}):
        if str(other["id"]) == str(row_id):
            continue
        named = content_name(other["file_path"]) or (
            server_digest(other["file_path"]) if server_digest else None)
        if named is not None and named[0] == digest[0]:
            return str(other["id"])
    return None


class PhotoSync:
    """The photos of one packaging or one sync between ``server`` and the package whose
    store is ``store`` (its photo paths relative to ``root``, the package's folder)."""

    def __init__(self, server: Database, store: Path, root: Path,
                 package_db: Optional[Database] = None, replica_id: Optional[str] = None):
        self.server, self.store, self.root = server, Path(store), Path(root)
        self.package_db, self.replica_id = package_db, replica_id
        self._made_store = not self.store.exists()
        self._server: Optional[Tuple[Optional[Path], Optional[Path], str]] = None
        self._hashes: Dict[Path, Tuple[Optional[str], Optional[str]]] = {}
        self.counts = {"to_package": 0, "to_server": 0, "already_on_server": 0, "settled": 0}
        self.problems: List[Dict[str, Any]] = []
        self.duplicates: List[Dict[str, Any]] = []
        self.discarded: List[Dict[str, Any]] = []

    @classmethod
    def of_package(cls, package, server: Database) -> PhotoSync:
        return cls(server, *photo_location(package.db), package_db=package.db,
                   replica_id=package.replica_id)

    # ------------------------------------------------------------ the two stores
    def _server_store(self) -> Tuple[Optional[Path], Optional[Path], str]:
        """(store, root, why not) of the provincial photo store, looked up once."""
        if self._server is None:
            try:
                self._server = (*photo_location(self.server), "")
            except RoadInfraError as exc:
                self._server = (None, None, str(exc).splitlines()[0])
        return self._server

    def _package_path(self, digest: str, suffix: str) -> str:
        return (self.store / digest[:2] / f"{digest}{suffix}").relative_to(self.root).as_posix()

    def _hash(self, path: Path) -> Tuple[Optional[str], Optional[str]]:
        if path not in self._hashes:
            try:
                self._hashes[path] = (file_sha256(path), None)
            except OSError as exc:
                self._hashes[path] = (None, f"unreadable: {exc.strerror or exc}")
        return self._hashes[path]

    def _problem(self, row: Dict[str, Any], side: str, path: Any, problem: str) -> None:
        self.problems.append({"table": TABLE, "row_id": row.get("id"), "side": side,
                              "target_table": row.get("target_table"),
                              "target_id": row.get("target_id"), "file": path,
                              "problem": problem})

    def _local(self, path: str) -> Tuple[str, Optional[Tuple[str, str]], Optional[Path], str]:
        """(package path, (sha256, suffix) or None, server file, problem) of a server path;
        a path that cannot be translated (file missing, no store) stays as it is."""
        _, root, why = self._server_store()
        source = root / path if root is not None else None
        named = content_name(path)
        if named is None:
            if source is None:
                return path, None, None, why
            if not source.is_file():
                return path, None, source, "missing"
            digest, problem = self._hash(source)
            if problem:
                return path, None, source, problem
            named = (digest, stored_suffix(path))
        return self._package_path(*named), named, source, why if source is None else ""

    # ------------------------------------------------------------ server -> package
    def to_package(self, rows: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Copies of the server's attachment ``rows`` with the package's paths; the file of
        every live one put into the package's store when it is not there (checked against
        its sha256). A server photo missing or damaged is listed in :attr:`problems`."""
        out = []
        for row in rows:
            path = str(row["file_path"])
            live = row.get("deleted_at") is None
            local, named, source, problem = self._local(path)
            if live and named is not None and source is not None and not problem:
                target = self.store / named[0][:2] / f"{named[0]}{named[1]}"
                if not target.exists():
                    digest, problem = check_photo(source, named[0])
                    if digest:
                        store_file(source, self.store, digest, named[1])
                        self.counts["to_package"] += 1
            if live and problem:
                self._problem(row, "server", path, problem)
            out.append(dict(row, file_path=local))
        faults.point("photos_to_package")
        return out

    def lacking(self) -> List[str]:
        """Ids of the package's live attachments whose file is not in the package's folder
        (a provincial photo missing or damaged when it was last read, or a path that could
        not be translated): a sync reads them again from the server (:meth:`to_package`),
        so that the file comes once it is back and the problem is said again meanwhile."""
        if self.package_db is None:
            return []
        root = self.root.resolve()
        out = []
        for row_id, path in self.package_db._query(
                f'SELECT id, file_path FROM "{TABLE}" WHERE deleted_at IS NULL'):  # noqa: S608 # nosec B608 # TABLE is a schema name
            text = str(path or "").replace("\\", "/")
            source = root / text
            if not text or PurePosixPath(text).is_absolute() or not source.is_file():
                out.append(str(row_id))
        return out

    # ------------------------------------------------------------ package -> server
    def to_server(self, changes: List[Any], theirs: Dict[str, Dict[str, Dict[str, Any]]],
                  login: str) -> Tuple[List[Any], List[Tuple[Any, Conflict]]]:
        """The package's changes with attachment paths in the server's terms, the files of
        new photos copied into the provincial store; and the changes held back, each with
        its ``photo`` conflict (file missing or damaged, or no provincial store; its fields
        are every field the crew changed, all held with the file). A new
        attachment whose target already has a live attachment of the same content (on the
        server, or earlier in this changeset) is not sent: it is listed in
        :attr:`duplicates` and tombstoned in the package, which receives the server's row.
        ``login`` is the login syncing (see :meth:`_closed_as_theirs`)."""
        server_rows = theirs.get(TABLE, {})
        out, held = [], []
        seen: Dict[Tuple[str, str, str], str] = {}
        for change in changes:
            if change.table != TABLE:
                out.append(change)
                continue
            current = server_rows.get(change.row_id)
            base = self._server_terms(change.base, current) if change.base else None
            mine = dict(change.mine)
            if base is not None and mine.get("file_path") == change.base.get("file_path"):
                mine["file_path"] = base["file_path"]
            elif not change.deleted:
                sent, problem = self._send(mine.get("file_path"), mine.get("kind"))
                if problem and self._closed_as_theirs(change.row_id, mine, login):
                    self._discard(mine, change.row_id, problem, made_offline=base is None)
                    continue
                if problem:
                    row = dict(mine, id=change.row_id)
                    self._problem(row, "package", mine.get("file_path"), problem)
                    fields = _changed(change)
                    also = [f for f in fields if f != "file_path"]
                    held.append((dataclasses.replace(change, base=base), Conflict(
                        "photo", fields, base, mine,
                        None if current is None else
                        {f: v for f, v in canonical(TABLES[TABLE], current).items()
                         if f in fields},
                        f"photo {mine.get('file_path')} in the package: {problem}; the "
                        "attachment was not sent"
                        + (f" (nor its other changes: {', '.join(also)})" if also else "")
                        + ": put a good file at that path inside the "
                        "package's folder (or delete the attachment there) and sync again")))
                    continue
                mine["file_path"] = sent
                if base is None:
                    same = self._same_photo(mine, change.row_id, seen)
                    if same is not None:
                        self._duplicate(mine, change.row_id, same)
                        continue
            out.append(dataclasses.replace(change, base=base, mine=mine))
        self._forget_duplicates()
        faults.point("photos_to_server")
        return out, held

    def _same_photo(self, row: Dict[str, Any], row_id: str,
                    seen: Dict[Tuple[str, str, str], str]) -> Optional[str]:
        """The id of a live attachment of the same target holding the same file (content
        addressed) as the package's new ``row``: on the server, or new in this changeset
        (``seen``); None when there is none (the row is then noted in ``seen``)."""
        digest = content_name(row["file_path"])
        if digest is None:
            return None
        key = (str(row.get("target_table")), str(row.get("target_id")), digest[0])
        if key in seen:
            return seen[key]
        same = same_attachment(self.server, row, row_id, self._server_digest)
        if same is None:
            seen[key] = row_id
        return same

    def _server_digest(self, path: Any) -> Optional[Tuple[str, str]]:
        """(sha256, suffix) of a server photo stored under another name (hashed), if readable."""
        _, root, _ = self._server_store()
        source = root / str(path) if root is not None else None
        if source is None or not source.is_file():
            return None
        digest, problem = self._hash(source)
        return None if problem else (digest, stored_suffix(path))

    def _duplicate(self, row: Dict[str, Any], row_id: str, same: str) -> None:
        self.duplicates.append({
            "table": TABLE, "row_id": row_id, "target_table": row.get("target_table"),
            "target_id": row.get("target_id"), "file": row.get("file_path"),
            "same_as": same,
            "message": f"the same photo is already attached to {row.get('target_table')} "
                       f"{row.get('target_id')} (attachment {same}): not sent again, the "
                       "package's copy of the row is removed and the package keeps the "
                       "server's"})

    def _closed_as_theirs(self, row_id: str, mine: Dict[str, Any], login: str) -> bool:
        """Whether the office closed, taking the server's side, a ``photo`` conflict of this
        package (its replica) for its row ``row_id`` holding exactly the edit ``mine`` (the
        package's current values: a conflict about an older edit says nothing of a newer
        one). Trusted when this package's syncing ``login`` recorded it, or when whoever
        resolved it may resolve it whoever recorded it (:meth:`_resolver_may`): so the
        office's ``--take theirs`` on a conflict its own sync of the crew's package recorded
        holds for the crew's syncs, but a login of another district cannot drop a crew's edit
        by recording and closing a conflict of its own. On PostGIS only an open conflict may
        be added, in one's own name, and only who may resolve it resolves it, in its own
        name (schema 12)."""
        wanted = json.loads(dumps(readable(TABLES[TABLE], mine)))
        closed = [c for c in self.server.fetch("sync_conflict", where={
            "replica_id": self.replica_id, "row_id": row_id, "kind": "photo",
            "status": "resolved"})
            if c["mine"] == wanted and (c["resolution"] or {}).get("file_path") == "theirs"]
        return any(c["login"] == login for c in closed) or self._resolver_may(
            [c["id"] for c in closed if c["login"] != login])

    def _resolver_may(self, conflict_ids: List[str]) -> bool:
        return resolver_may(self.server, conflict_ids)

    def _discard(self, row: Dict[str, Any], row_id: str, problem: str,
                 made_offline: bool) -> None:
        """A held row the office does not want: one made offline leaves the package; the
        edit of a row the server has is dropped (the package takes the server's row)."""
        what = ("the attachment is removed from the package, not sent" if made_offline else
                "the package's edit of the attachment is not sent, the package takes the "
                "server's row")
        self.discarded.append({
            "table": TABLE, "row_id": row_id, "target_table": row.get("target_table"),
            "target_id": row.get("target_id"), "file": row.get("file_path"),
            "made_offline": made_offline,
            "message": f"photo {row.get('file_path')}: {problem}; the office closed its "
                       f"conflict taking the server's side: {what}"})

    def dropped(self, rows: List[Dict[str, Any]]) -> None:
        """List in :attr:`discarded` the attachments made offline that the sync removed
        from the package (:func:`.engine.drop_taken_theirs`: kept off under a deleted
        target, the office took theirs)."""
        self.discarded += [{
            "table": TABLE, "row_id": d["row_id"], "target_table": d.get("target_table"),
            "target_id": d.get("target_id"), "file": d.get("file"), "made_offline": True,
            "message": d["message"]} for d in rows]

    def _forget_duplicates(self) -> None:
        """Delete from the package its duplicate rows and the held rows the office
        discarded (made offline, never on the server; the package's delete trigger keeps
        each as a tombstone in its history, which is never sent): inside the package's open
        transaction, so a sync that fails keeps them."""
        gone = self.duplicates + [d for d in self.discarded if d["made_offline"]]
        if self.package_db is None or not gone:
            return
        self.package_db._executemany(
            f'DELETE FROM "{TABLE}" WHERE id = ?',  # noqa: S608 # nosec B608 # TABLE is a schema name
            [(d["row_id"],) for d in gone])

    def _server_terms(self, fields: Dict[str, Any], current: Optional[Dict[str, Any]]
                      ) -> Dict[str, Any]:
        """Fields of the package (its base) with the server's path of their photo."""
        path = fields.get("file_path")
        if current is not None and self._local(str(current["file_path"]))[0] == path:
            return dict(fields, file_path=current["file_path"])
        named = content_name(path)
        _, root, _ = self._server_store()
        store = self._server_store()[0]
        if named is None or root is None or store is None:
            return dict(fields)
        server_path = (store / named[0][:2] / f"{named[0]}{named[1]}").relative_to(root)
        return dict(fields, file_path=server_path.as_posix())

    def _inside(self, path: Any) -> Tuple[Optional[Path], Optional[str]]:
        """(the file, None) when ``path`` names a file inside the package's folder (relative,
        no way out through ``..`` or a symbolic link); (None, why not) else."""
        text = str(path).replace("\\", "/")
        if Path(text).is_absolute() or PurePosixPath(text).is_absolute() or \
                re.match(r"^[A-Za-z]:", text):
            return None, ("outside the package's folder: an absolute path is not accepted "
                          "(attach the file inside the package's folder)")
        root = self.root.resolve()
        try:
            source = (root / text).resolve()
        except (OSError, RuntimeError) as exc:
            return None, f"unreadable: {exc}"
        if not source.is_relative_to(root):
            return None, ("outside the package's folder: the path leads out of it (.. or a "
                          "symbolic link); only files inside the package's folder are sent")
        return source, None

    def _send(self, path: Any, kind: Any = "photo") -> Tuple[Optional[str], Optional[str]]:
        """(server path, None) once the package's file ``path`` (inside the package's folder)
        is in the provincial store; (None, problem) when it cannot be: outside the folder,
        missing, damaged, a ``photo`` that is not an image, a document of a type not taken."""
        if not path:
            return None, "no file named"
        source, problem = self._inside(path)
        if source is None:
            return None, problem
        if kind != "photo":
            allowed = DOCUMENT_SUFFIXES.get(str(kind))
            if allowed is None:
                return None, f"kind {kind!r} is not in the attachment_kind code list"
            if source.suffix.lower() not in allowed:
                return None, (f"a {kind} of type {source.suffix or '(none)'!r} is not taken "
                              f"(allowed: {', '.join(allowed)})")
        named = content_name(path)
        digest, problem = check_photo(source, named[0] if named else None,
                                      image=kind == "photo")
        if problem:
            return None, problem
        store, root, why = self._server_store()
        if store is None or root is None:
            return None, f"the provincial database has no photo store ({why})"
        suffix = named[1] if named else stored_suffix(source)
        there = (store / digest[:2] / f"{digest}{suffix}").exists()
        stored = store_file(source, store, digest, suffix, replace_damaged=True)
        self.counts["already_on_server" if there else "to_server"] += 1
        return stored.relative_to(root).as_posix(), None

    def settle(self, replica_id: str, sent: List[Any], login: str,
               recorded: Dict[str, Dict[str, Any]]) -> None:
        """Close the open ``photo`` conflicts of ``replica_id`` that this sync settled:
        the row was sent with its photo and written (resolved as the package's value,
        ``mine``); else the row was sent and this sync recorded another conflict for it
        (``recorded``: row id -> that conflict; a ``field`` conflict on the photo the office
        replaced meanwhile, an ``edit_delete`` against the office's delete, a ``refused``
        write), which the photo conflict names as its resolution (the choice is that
        conflict's now); or the package no longer holds the row live (the crew deleted the
        attachment: resolved as ``deleted in the package``). Only the conflicts this login may
        close are: its own, and (PostGIS) another login's on a row of its districts
        (``roadinfra_may_resolve``); another's (the office's sync of the package, a row
        outside the crew's area) stays open for who may resolve it, and the sync goes on. Its
        own on a row outside its area is never closed as ``mine`` (schema 14: only who may
        edit the row takes mine), only naming the conflict it met or the delete."""
        from .conflicts import outside_area  # conflicts imports the package, which imports us

        sent_rows = {c.row_id: c for c in sent if c.table == TABLE}
        live = self._live_in_package()
        found_open = self.server.fetch("sync_conflict", where={
            "replica_id": replica_id, "kind": "photo", "status": "open"})
        outside = outside_area(self.server, found_open)
        for conflict in found_open:
            if conflict["id"] in outside and conflict["login"] != login:
                continue  # another login's, on a row this login may not edit: left open
            row_id = conflict["row_id"]
            change = sent_rows.get(row_id)
            found = self.server.fetch(TABLE, where={"id": row_id}) \
                if change is not None and not change.deleted else []
            if found and found[0]["file_path"] == change.mine.get("file_path") \
                    and conflict["id"] not in outside:  # only who may edit takes mine (14)
                resolution = {"file_path": "mine"}
            elif change is not None and row_id in recorded:
                other = recorded[row_id]
                resolution = {"file_path": f"{other['kind']} conflict {other['id']}"}
            elif row_id not in live:
                resolution = {"file_path": "deleted in the package"}
            else:
                continue
            self.server.update("sync_conflict", conflict["id"], {
                "status": "resolved", "resolved_by": login,
                "resolved_at": utc_iso(dt.datetime.now(dt.timezone.utc)),
                "resolution": resolution})
            self.counts["settled"] += 1

    def _live_in_package(self) -> set:
        """Ids of the package's live attachments."""
        if self.package_db is None:
            return set()
        return {str(i) for (i,) in self.package_db._query(
            f'SELECT id FROM "{TABLE}" WHERE deleted_at IS NULL')}  # noqa: S608 # nosec B608 # TABLE is a schema name

    # ------------------------------------------------------------ results
    def summary(self) -> Dict[str, Any]:
        """What the ``photos`` entry of a package's or a sync's result says."""
        return dict(self.counts, problems=list(self.problems),
                    duplicates=list(self.duplicates), discarded=list(self.discarded))

    def discard(self) -> None:
        """Remove the package's photo store if this packaging made it (a packaging that
        failed leaves nothing behind)."""
        if self._made_store:
            shutil.rmtree(self.store, ignore_errors=True)


def _changed(change: Any) -> List[str]:
    """The fields a held change holds back: every field the crew changed (an edit), or the
    file of a row made offline (the whole row is the conflict's ``mine``)."""
    if change.base is None:
        return ["file_path"]
    return sorted({f for f, v in change.mine.items() if v != change.base.get(f)}
                  | {"file_path"})


def resolver_may(server: Database, conflict_ids: List[str]) -> bool:
    """Whether one of the conflicts ``conflict_ids`` was resolved by a login that may
    resolve it: the login that recorded it (on PostGIS only the package's maker or a
    province-wide login records on a package), a province-wide one (``user_district``
    '*', a ``roadinfra_admin``, the database's owner) or an editor of its row's district
    (the row's on the server, else the one the package gave it). A GeoPackage has no
    areas: every login may."""
    if not conflict_ids:
        return False
    if server.kind != "postgis":
        return True
    [(may,)] = server._query(
        "SELECT EXISTS (SELECT 1 FROM sync_conflict c WHERE c.id = ANY(%s::uuid[]) AND ("
        "c.resolved_by = c.login "
        "OR EXISTS (SELECT 1 FROM user_district u WHERE u.username = c.resolved_by AND "
        "(u.district_code = '*' OR u.district_code = "
        "roadinfra_conflict_district(c.table_name, c.row_id, c.mine))) "
        "OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = c.resolved_by AND ("
        "pg_has_role(r.oid, 'roadinfra_admin', 'MEMBER') OR pg_has_role(r.oid, "
        "(SELECT pg_get_userbyid(datdba) FROM pg_database "
        "WHERE datname = current_database()), 'MEMBER')))))",
        ([str(i) for i in conflict_ids],))
    return bool(may)

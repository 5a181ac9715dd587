"""Starting points of the PostGIS sync tests (tests/postgis/test_sync_*_postgis.py): the
provincial photo store, a crew's field conflicts on its bridges, a route package's row in
another district and a field conflict on it, an office photo the crew's package holds
back."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from roadinfra.core.sync import Scope, create_package, sync_package

from tests.support.pg import editor_of, sql
from tests.support.sync import live_ids, ogr_update, row


def set_photo_store(province: str, tmp_path: Path) -> Path:
    """Give database ``province`` a photo store under ``tmp_path``; its folder."""
    store = tmp_path / "kho_anh"
    sql(province, "INSERT INTO db_meta (key, value) VALUES ('photo_store', %s)", (str(store),))
    return store


def bridge_conflicts(province: str, crew: str, pkg: Path, count: int = 1,
                     syncer: Optional[str] = None, name: Optional[str] = None
                     ) -> List[Dict[str, Any]]:
    """Field conflicts on the first ``count`` bridges of an area-340 package ``pkg`` made by
    login URL ``crew``: spans 33 in the package, 44 on the server, synced by ``syncer`` (the
    crew unless given); the conflicts that sync recorded."""
    create_package(crew, Scope("area", "340"), str(pkg), **({"name": name} if name else {}))
    for bridge in live_ids(pkg, "bridge")[:count]:
        ogr_update(pkg, "bridge", bridge, spans=33)
        sql(province, "UPDATE bridge SET spans = 44 WHERE id = %s", (bridge,))
    return sync_package(str(pkg), syncer or crew)["conflicts"]


def route_row_in(pkg: Path, table: str, district: str) -> str:
    """Id of a row of ``table`` in ``district`` in route package ``pkg`` (QL10 crosses
    districts)."""
    return next(r for r in live_ids(pkg, table) if row(pkg, table, r)["district_code"] == district)


def outside_field_conflict(pg_server, province: str, tmp_path: Path
                           ) -> Tuple[Tuple[str, str], str, Dict[str, Any], str]:
    """Crew 340's route package (QL10 crosses districts) edits a district-338 culvert the
    office changed too: a field conflict its sync records on a row outside its area.
    (the crew's login and URL, a 338 editor's URL, the conflict, the culvert's id)."""
    login340, ed340 = editor_of(pg_server, province, "340")
    _, ed338 = editor_of(pg_server, province, "338")
    pkg = tmp_path / "p.gpkg"
    create_package(ed340, Scope("route", "QL10"), str(pkg), name="QL10")
    culvert = route_row_in(pkg, "culvert", "338")
    ogr_update(pkg, "culvert", culvert, cells=3)
    sql(province, "UPDATE culvert SET cells = 5 WHERE id = %s", (culvert,))
    [conflict] = sync_package(str(pkg), ed340)["conflicts"]
    assert conflict["kind"] == "field" and conflict["fields"] == ["cells"]
    return (login340, ed340), ed338, conflict, culvert


def held_office_photo(pg_server, province: str, tmp_path: Path
                      ) -> Tuple[Tuple[str, str], Path, Dict[str, Any]]:
    """The office's photo of a culvert outside district 340, which crew 340's route package
    (QL10) points at a file not in the package (``DCIM/IMG_0500.jpg``, caption ``tổ``): its
    sync holds the edit back. (the crew's login and URL, the package, the photo's row)."""
    from roadinfra.core.db import open_database
    from roadinfra.core.photos import attach_photo

    from tests.support.photos import jpeg

    set_photo_store(province, tmp_path)
    crew = editor_of(pg_server, province, "340")
    probe = tmp_path / "probe.gpkg"
    create_package(province, Scope("route", "QL10"), str(probe))
    culvert = next(r for r in live_ids(probe, "culvert")
                   if row(probe, "culvert", r)["district_code"] not in ("340", None))
    with open_database(province) as db:
        photo = attach_photo(db, "culvert", culvert, jpeg(tmp_path / "in" / "o.jpg"),
                             user="office")
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(crew[1], Scope("route", "QL10"), str(pkg))
    ogr_update(pkg, "attachment", photo["id"], file_path="DCIM/IMG_0500.jpg", caption="tổ")
    return crew, pkg, photo

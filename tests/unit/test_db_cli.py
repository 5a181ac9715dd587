"""``roadinfra db init|upgrade|info`` on GeoPackages."""

import json

from roadinfra.core.cli import main
from roadinfra.core.db import create_database, open_database
from roadinfra.core.schema import SCHEMA_VERSION


def test_init_info_upgrade(tmp_path, capsys):
    path = tmp_path / "tb.gpkg"
    assert main(["db", "init", str(path), "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["schema_version"] == SCHEMA_VERSION and created["srid"] == 9209
    assert main(["db", "init", str(path)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert main(["db", "info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["rows"]["codelist"] == 79 and info["rows"]["bridge"] == 0


def test_upgrade_an_old_geopackage(tmp_path, capsys):
    path = tmp_path / "old.gpkg"
    create_database(path, version=1).close()
    assert main(["db", "info", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"schema version 1 (current is {SCHEMA_VERSION}: run roadinfra db upgrade {path})" in out
    assert "sync_replica" in out
    assert main(["db", "info", str(path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows["sync_replica"] is None  # added by version 2
    assert rows["bridge"] == 0 and rows["codelist"] > 0
    assert main(["db", "upgrade", str(path)]) == 0
    assert f"upgraded schema version 1 -> {SCHEMA_VERSION}" in capsys.readouterr().out
    open_database(path).close()
    assert main(["db", "upgrade", str(path)]) == 0
    assert f"already at schema version {SCHEMA_VERSION}" in capsys.readouterr().out


def test_bad_target_is_a_user_error(capsys):
    assert main(["db", "info", "roads.shp"]) == 2
    assert "not a database target" in capsys.readouterr().err

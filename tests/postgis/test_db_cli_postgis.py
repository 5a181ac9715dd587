"""``roadinfra db`` against the real server, by URL and by pg_service.conf service name."""

import json

from roadinfra.core.cli import main
from roadinfra.core.schema import SCHEMA_VERSION


def test_init_upgrade_info_by_url_and_service(pg_server, pg_database, tmp_path, monkeypatch,
                                              capsys):
    assert main(["db", "init", pg_database, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["schema_version"] == SCHEMA_VERSION
    dbname = pg_database.rsplit("/", 1)[1]
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text(f"[roadinfra_test]\nhost=127.0.0.1\nport={pg_server.port}\n"
                            f"dbname={dbname}\nuser=postgres\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(service_file))
    assert main(["db", "upgrade", "service=roadinfra_test"]) == 0
    assert f"already at schema version {SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["db", "info", "service=roadinfra_test", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["backend"] == "postgis" and info["rows"]["codelist"] == 79
    assert main(["db", "init", "service=roadinfra_test"]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err


def test_upgrade_from_version_1_by_cli(pg_server, capsys):
    from roadinfra.core.db import create_database

    url = pg_server.new_database()
    create_database(url, version=1).close()
    assert main(["db", "upgrade", url]) == 0
    assert f"upgraded schema version 1 -> {SCHEMA_VERSION}" in capsys.readouterr().out


def test_a_damaged_or_newer_schema_version_is_one_clear_line(pg_database, capsys):
    from tests.support.pg import sql

    assert main(["db", "init", pg_database]) == 0
    capsys.readouterr()
    for value in ("abc", "0", "-1"):
        sql(pg_database, "UPDATE db_meta SET value = %s WHERE key = 'schema_version'", (value,))
        for action in ("info", "upgrade"):
            assert main(["db", action, pg_database]) == 2
            err = capsys.readouterr().err
            assert "not a schema version" in err and "Traceback" not in err
            assert len(err.strip().splitlines()) == 1
    sql(pg_database, "UPDATE db_meta SET value = '99' WHERE key = 'schema_version'")
    assert main(["db", "info", pg_database]) == 0
    out = capsys.readouterr().out
    assert "newer than this RoadInfra" in out and "db upgrade" not in out
    assert main(["db", "upgrade", pg_database]) == 2
    assert "update RoadInfra" in capsys.readouterr().err
    sql(pg_database, "UPDATE db_meta SET value = %s WHERE key = 'schema_version'",
        (str(SCHEMA_VERSION),))
    sql(pg_database, "UPDATE db_meta SET value = 'no = [toml' WHERE key = 'profile_toml'")
    assert main(["db", "info", pg_database]) == 2
    assert "not a valid RoadInfra profile" in capsys.readouterr().err

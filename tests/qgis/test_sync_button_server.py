"""The Sync button in a package's own project when the package was made from PostGIS: the
server is recorded with its password hidden, so the button never offers or tries it."""

import sqlite3

import pytest
from qgis.core import Qgis
from roadinfra.core.db import create_database
from roadinfra.core.db.targets import parse_target
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.sync import Scope, create_package
from roadinfra.plugin.database.layers import load_database_layers
from roadinfra.plugin.sync.actions import sync_dialog


@pytest.mark.parametrize("server", ["postgresql://crew:s3cret@db.example:5432/roadinfra",
                                    "service=roadinfra user=crew password=s3cret"])
def test_a_package_of_a_postgis_server_recorded_without_its_password_is_never_tried(
        qgis_iface, empty_project, tmp_path, server):
    """A package made from PostGIS records its server with the password hidden (``***``):
    the button does not offer (nor try) that connection; it asks for the provincial
    database instead."""
    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = tmp_path / "crew.gpkg"
    create_package(province, Scope("area", "340"), str(pkg), name="Tổ 340")
    recorded = str(parse_target(server))  # as create_package records a PostGIS server
    assert "s3cret" not in recorded and "***" in recorded
    conn = sqlite3.connect(pkg)
    with conn:
        conn.execute("UPDATE db_meta SET value = ? WHERE key = 'package_server'", (recorded,))
    conn.close()
    load_database_layers(str(pkg), empty_project, "en")
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    asked = []
    assert sync_dialog(qgis_iface, confirm=lambda text: asked.append(text) or True) is None
    assert asked == []
    [said] = bar.get_messages(Qgis.MessageLevel.Warning)
    assert f"offline package 'Tổ 340', made from {recorded}, whose password RoadInfra " \
        "does not keep: open the provincial database" in said


"""Deleting features with children in a package through QGIS: QGIS turns
SQLite's foreign keys on, so a package that let the row go would fail the commit with
"FOREIGN KEY constraint failed". The package's delete trigger puts the row back as a
tombstone with its children, the commit succeeds and the next sync sends the tombstones."""

from qgis.core import QgsVectorLayer
from roadinfra.core.db import create_database, open_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.sync import Scope, create_package, sync_package

from tests.support.sync import live_keys, row


def test_a_feature_with_children_deleted_in_qgis_becomes_a_tombstone(tmp_path, qgis_app):
    server, pkg = tmp_path / "province.gpkg", tmp_path / "package.gpkg"
    with create_database(str(server)) as db:
        load_sample_data(db)
    create_package(str(server), Scope("area", "340"), str(pkg))
    with open_database(str(pkg)) as db:
        inspections = db.fetch("inspection")
    bridge = next(r["bridge_id"] for r in inspections if r["bridge_id"])
    culvert = next(r["culvert_id"] for r in inspections if r["culvert_id"])
    live = live_keys(pkg)
    for table, row_id in (("bridge", bridge), ("culvert", culvert)):
        layer = QgsVectorLayer(f"{pkg}|layername={table}", table, "ogr")
        assert layer.isValid()
        [feature] = list(layer.getFeatures(f"\"id\" = '{row_id}'"))
        assert layer.startEditing()
        assert layer.deleteFeature(feature.id())
        assert layer.commitChanges(), layer.commitErrors()
        del layer
    gone = live - live_keys(pkg)
    assert ("bridge", bridge) in gone and ("culvert", culvert) in gone
    assert any(table == "inspection" for table, _ in gone)  # their children with them
    with open_database(str(pkg)) as db:
        for table, row_id in gone:  # tombstones in the package, never lost rows
            [kept] = db.fetch(table, where={"id": row_id}, include_deleted=True)
            assert kept["deleted_at"] is not None
            assert db.history(table, row_id)[-1]["operation"] == "DELETE"
    report = sync_package(str(pkg), str(server))
    assert report["conflicts"] == [] and report["refused"] == []
    assert report["sent"] == {"insert": 0, "update": 0, "delete": len(gone)}
    assert all(row(server, t, i)["deleted_at"] is not None for t, i in gone)

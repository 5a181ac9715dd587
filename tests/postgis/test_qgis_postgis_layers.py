"""QGIS layers from the real PostGIS server through a pg_service.conf entry (no password stored)."""

import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from qgis.core import QgsExpression, QgsFeatureRequest, QgsProject, QgsVectorLayerUtils
from roadinfra.core.db import open_database
from roadinfra.plugin.database.layers import load_database_layers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "qgisui"))
from small_network import build_small_network  # noqa: E402


@pytest.fixture
def service(pg_database, tmp_path, monkeypatch):
    """A pg_service.conf with one service pointing at the test database."""
    build_small_network(pg_database).close()
    url = urlparse(pg_database)
    conf = tmp_path / "pg_service.conf"
    conf.write_text(
        "[roadinfra_test]\n"
        f"host={url.hostname}\nport={url.port}\ndbname={url.path.lstrip('/')}\n"
        f"user={url.username}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(conf))
    return "roadinfra_test"


@pytest.fixture
def project(qgis_app):
    instance = QgsProject.instance()
    instance.clear()
    yield instance
    instance.clear()


def test_layers_from_postgis_service(service, project, pg_database):
    loaded = load_database_layers(f"service='{service}'", project, "vi",
                                  default_district="343")
    bridge = loaded.layers["bridge"]
    assert bridge.providerType() == "postgres"
    assert "service='roadinfra_test'" in bridge.source()
    assert "password" not in bridge.source()
    assert bridge.featureCount() == 4
    assert bridge.attributeAlias(bridge.fields().indexFromName("name")) == "Tên cầu"
    assert loaded.group.name() == "RoadInfra – roadinfra_test"
    relation = project.relationManager().relation("inspection__bridge_id")
    assert relation.isValid()
    tan_de = next(bridge.getFeatures(QgsFeatureRequest(QgsExpression("\"name\" = 'Cầu Tân Đệ'"))))
    assert len(list(relation.getRelatedFeatures(tan_de))) == 2
    photos = [r for r in project.relationManager().referencedRelations(bridge)
              if r.polymorphicRelationId()]
    assert [f["caption"] for f in photos[0].getRelatedFeatures(tan_de)] == ["Nứt dọc thân trụ T7"]

    # an edit from QGIS goes through the server's versioning triggers
    feature = QgsVectorLayerUtils.createFeature(bridge, context=bridge.createExpressionContext())
    feature["code"] = "BR-343-077"
    feature["name"] = "Cầu Trà Giang"
    feature["route_id"] = tan_de["route_id"]
    feature.setGeometry(tan_de.geometry())
    assert bridge.startEditing() and bridge.addFeature(feature)
    assert bridge.commitChanges(), bridge.commitErrors()
    db = open_database(pg_database)
    try:
        saved = db.fetch("bridge", where={"code": "BR-343-077"})
        assert saved[0]["id"] == feature["id"] and saved[0]["district_code"] == "343"
        assert saved[0]["revision"] == 1
    finally:
        db.close()

"""QGIS and ``core`` put the same WGS 84 point at the same grid coordinate (<= 0.01 m).

Points: vertices of the real QL10 centre-line (vn_roads_legocity) and the province's
bounding-box corners.
"""


import numpy as np
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
)
from roadinfra.core import crs as core_crs
from roadinfra.plugin import crs as plugin_crs

from tests.support.shared_data import ql10_vertices


def wgs84_points():
    pts = [tuple(p) for p in ql10_vertices()]
    w, s, e, n = core_crs.grid_definition().province_bbox_wgs84
    pts += [(w, s), (w, n), (e, s), (e, n)]
    return np.array(pts)


@pytest.fixture
def project(qgis_app):
    project = QgsProject()
    yield project


def test_qgis_offers_and_pins_epsg_6960(project):
    op = plugin_crs.grid_operation()
    assert "VN-2000 to WGS 84 (2)" in op.name
    proj = plugin_crs.ensure_project_transform(project)
    assert "+proj=helmert" in proj and "+x=-191.90441429" in proj
    ops = project.transformContext().coordinateOperations()
    assert any(v == proj for v in ops.values())


def test_qgis_and_core_agree(project):
    plugin_crs.ensure_project_transform(project)
    pts = wgs84_points()
    e, n = core_crs.to_grid(pts[:, 0], pts[:, 1])
    q = np.array([plugin_crs.to_grid(lon, lat, project) for lon, lat in pts])
    residual = np.hypot(q[:, 0] - e, q[:, 1] - n)
    assert len(pts) > 70
    assert residual.max() <= 0.01


def test_user_crs_with_towgs84_agrees(project):
    """The custom CRS (for EPSG databases without 9209) lands within 0.01 m as well."""
    user = plugin_crs.user_grid_crs(register=False)
    assert user.isValid()
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), user, project)
    pts = wgs84_points()
    e, n = core_crs.to_grid(pts[:, 0], pts[:, 1])
    q = np.array([(p.x(), p.y()) for p in
                  (transform.transform(QgsPointXY(lon, lat)) for lon, lat in pts)])
    assert np.hypot(q[:, 0] - e, q[:, 1] - n).max() <= 0.01


def test_user_crs_is_registered_once(qgis_app):
    from qgis.core import QgsApplication

    registry = QgsApplication.coordinateReferenceSystemRegistry()
    name = f"{core_crs.grid_definition().name} (RoadInfra)"
    before = [d.id for d in registry.userCrsList() if d.name == name]
    try:
        plugin_crs.user_grid_crs(register=True)
        plugin_crs.user_grid_crs(register=True)
        entries = [d for d in registry.userCrsList() if d.name == name]
        assert len(entries) == 1
        assert "+towgs84=-191.90441429" in entries[0].proj
    finally:
        for d in registry.userCrsList():
            if d.name == name and d.id not in before:
                registry.removeUserCrs(d.id)


def test_grid_to_wgs84_uses_the_pinned_operation_backwards(project):
    """Layers stored in the grid are drawn on WGS 84 / web maps through the inverse of the
    pinned operation: QGIS and core must agree that way round too."""
    plugin_crs.ensure_project_transform(project)
    pts = wgs84_points()
    e, n = core_crs.to_grid(pts[:, 0], pts[:, 1])
    back = QgsCoordinateTransform(plugin_crs.grid_crs(), QgsCoordinateReferenceSystem("EPSG:4326"),
                                  project)
    q = np.array([(p.x(), p.y()) for p in
                  (back.transform(QgsPointXY(x, y)) for x, y in zip(e, n))])
    # 1e-7 degree is about 1 cm
    assert np.abs(q - pts).max() < 1e-7

"""The provincial grid and its datum shift inside QGIS: the same CRS and operation as ``core``.

QGIS 3.22 on Debian 12 knows EPSG:9209 and offers EPSG:6960 ("VN-2000 to WGS 84 (2)") among
the WGS 84 -> grid operations, but it may also offer others (EPSG:5194, Mekong delta) and
older EPSG databases may lack the grid. :func:`ensure_project_transform` therefore pins the
operation in the project's transform context (no fallback), and :func:`grid_crs` falls back
to a user CRS built from ``core.crs.grid_proj4`` (+towgs84 in the position-vector sign
convention) when the EPSG code is unknown.
"""

from __future__ import annotations

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDatumTransform,
    QgsPointXY,
    QgsProject,
)

from ..core import crs as core_crs
from ..core.profile import Profile, load_profile
from .log import log

WGS84 = "EPSG:4326"


def grid_crs(profile: Profile | None = None, register: bool = True) -> QgsCoordinateReferenceSystem:
    """The grid as a QGIS CRS: the EPSG definition, or a user CRS from the profile."""
    grid = core_crs.grid_definition(profile)
    crs = QgsCoordinateReferenceSystem(f"EPSG:{grid.epsg}")
    if crs.isValid():
        return crs
    return user_grid_crs(profile, register)


def user_grid_crs(profile: Profile | None = None,
                  register: bool = True) -> QgsCoordinateReferenceSystem:
    """The grid built from its PROJ string with ``+towgs84`` (optionally saved as user CRS)."""
    grid = core_crs.grid_definition(profile)
    crs = QgsCoordinateReferenceSystem.fromProj(core_crs.grid_proj4(profile))
    if not crs.isValid():
        raise core_crs.WrongCrsError(f"QGIS cannot build {grid.name} from its PROJ definition")
    if register:
        name = f"{grid.name} (RoadInfra)"
        registry = QgsApplication.coordinateReferenceSystemRegistry()
        if not any(d.name == name for d in registry.userCrsList()):
            ident = registry.addUserCrs(crs, name)
            if ident < 0 and QgsApplication.createDatabase():  # a profile never opened in
                ident = registry.addUserCrs(crs, name)          # the desktop has no srs table
            if ident < 0:
                log(f"could not save the user CRS {name} in the QGIS user database",
                    level="warning")
            else:
                log(f"registered user CRS {name}: {core_crs.grid_proj4(profile)}")
    return crs


def grid_operation(profile: Profile | None = None) -> QgsDatumTransform.TransformDetails:
    """The WGS 84 -> grid operation through the profile's datum transformation (EPSG:6960)."""
    profile = profile or load_profile()
    wanted = core_crs.datum_transformation_name(profile)
    src = QgsCoordinateReferenceSystem(WGS84)
    dst = grid_crs(profile)
    operations = QgsDatumTransform.operations(src, dst)
    for op in operations:
        if wanted in op.name and op.isAvailable:
            return op
    raise core_crs.WrongCrsError(
        f"QGIS offers no available operation through {wanted!r} from {WGS84} to "
        f"{dst.authid() or dst.description()} (found: {[op.name for op in operations]})"
    )


def ensure_project_transform(project: QgsProject | None = None,
                             profile: Profile | None = None) -> str:
    """Pin WGS 84 <-> grid to the profile's datum transformation in ``project``'s transform
    context (no fallback). Returns the PROJ pipeline (or user CRS definition) now used.

    The plugin calls this when QGIS starts and when a project is read."""
    project = project or QgsProject.instance()
    dst = grid_crs(profile)
    if not dst.authid().upper().startswith("EPSG:"):
        return dst.toProj()  # user CRS: its +towgs84 is the datum shift, nothing to pin
    op = grid_operation(profile)
    src = QgsCoordinateReferenceSystem(WGS84)
    context = project.transformContext()
    context.addCoordinateOperation(src, dst, op.proj, False)
    project.setTransformContext(context)
    return op.proj


def to_grid(lon: float, lat: float, project: QgsProject | None = None,
            profile: Profile | None = None) -> tuple[float, float]:
    """Transform a WGS 84 point to the grid the way QGIS layers are transformed."""
    project = project or QgsProject.instance()
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem(WGS84), grid_crs(profile),
                                       project)
    point = transform.transform(QgsPointXY(lon, lat))
    return point.x(), point.y()

"""VN-2000 provincial grid and the EPSG:6960 datum shift (issue 4, item 4).

Reference: PROJ's own command-line tool ``cs2cs EPSG:4326 EPSG:9209`` (proj-bin), i.e. the
pipeline PROJ picks itself (``projinfo -s EPSG:4326 -t EPSG:9209`` lists it first:
"Inverse of VN-2000 to WGS 84 (2) + Vietnam TM-3 105-30"). Test points: every vertex of the
real QL10 centre-line (vn_roads_legocity) plus the corners of the province's bounding box.
"""

import json
import shutil
import subprocess

import numpy as np
import pytest
from pyproj import CRS, Transformer
from roadinfra.core import crs
from roadinfra.core.cli import main
from roadinfra.core.profile import load_profile

from tests.support.shared_data import QL10, SHARED_DATA, ql10_vertices


@pytest.fixture(scope="module")
def points():
    grid = crs.grid_definition()
    w, s, e, n = grid.province_bbox_wgs84
    corners = np.array([[w, s], [w, n], [e, s], [e, n], [(w + e) / 2, (s + n) / 2]])
    return np.vstack([ql10_vertices(), corners])


def cs2cs_grid(lonlat: np.ndarray) -> np.ndarray:
    """PROJ reference: cs2cs with EPSG axis order (lat lon in), 5 decimals out."""
    text = "\n".join(f"{lat:.10f} {lon:.10f}" for lon, lat in lonlat)
    out = subprocess.run(["cs2cs", "-d", "5", "EPSG:4326", "EPSG:9209"], input=text,
                         capture_output=True, text=True, check=True,
                         env={"PROJ_DATA": "/usr/share/proj", "PATH": "/usr/bin:/bin"}).stdout
    return np.array([[float(v) for v in line.split()[:2]] for line in out.splitlines()])


def residuals(a_e, a_n, b: np.ndarray) -> np.ndarray:
    return np.hypot(np.asarray(a_e) - b[:, 0], np.asarray(a_n) - b[:, 1])


@pytest.mark.skipif(shutil.which("cs2cs") is None, reason="proj-bin (cs2cs) not installed")
def test_to_grid_matches_proj_reference_pipeline(points):
    e, n = crs.to_grid(points[:, 0], points[:, 1])
    ref = cs2cs_grid(points)
    assert len(ref) == len(points) > 70
    assert residuals(e, n, ref).max() <= 0.01


def test_uses_epsg_6960_and_round_trips(points):
    assert "VN-2000 to WGS 84 (2)" in crs.transformation_description()
    e, n = crs.to_grid(points[:, 0], points[:, 1])
    lon, lat = crs.to_wgs84(e, n)
    # PROJ inverts the 7-parameter Helmert approximately: ~7e-9 degree (< 1 mm) round trip
    assert np.abs(lon - points[:, 0]).max() < 1e-8
    assert np.abs(lat - points[:, 1]).max() < 1e-8
    e0, n0 = crs.to_grid(106.35, 20.5)
    assert isinstance(e0, float)
    assert (e0, n0) == pytest.approx((588463.2701, 2267832.5061), abs=1e-3)


def test_towgs84_string_agrees_with_epsg_6960_and_wrong_sign_does_not(points):
    e, n = crs.to_grid(points[:, 0], points[:, 1])
    ref = np.column_stack([e, n])

    def through(towgs84):
        proj4 = crs.grid_proj4(towgs84=towgs84)
        t = Transformer.from_crs(CRS.from_epsg(4326), CRS.from_proj4(proj4), always_xy=True)
        return residuals(*t.transform(points[:, 0], points[:, 1]), ref)

    assert through(crs.VN2000_TOWGS84).max() <= 0.01
    wrong = through(crs.VN2000_TOWGS84_WRONG_SIGN)
    assert 0.6 < wrong.min() and wrong.max() < 0.8          # ~0.7 m: the convention matters
    none = through(crs.NO_DATUM_SHIFT)
    assert 200 < none.min() and none.max() < 240            # ~220 m without the datum shift


def test_proj_writes_epsg_6960_as_our_towgs84():
    """PROJ's own conversion of EPSG:6960 to a WKT1 TOWGS84 (position vector) agrees."""
    from pyproj.crs import CoordinateOperation

    bound = CRS.from_json_dict({
        "type": "BoundCRS",
        "source_crs": CRS.from_epsg(9209).to_json_dict(),
        "target_crs": CRS.from_epsg(4326).to_json_dict(),
        "transformation": CoordinateOperation.from_epsg(6960).to_json_dict(),
    })
    towgs84 = bound.to_wkt("WKT1_GDAL").split("TOWGS84[")[1].split("]")[0]
    assert tuple(float(v) for v in towgs84.split(",")) == crs.VN2000_TOWGS84


def test_towgs84_constant_is_epsg_6960_with_rotations_flipped():
    from pyproj.crs import CoordinateOperation

    op = CoordinateOperation.from_epsg(crs.VN2000_TOWGS84_EPSG)
    assert "Coordinate Frame" in op.method_name
    values = [p.value for p in op.params]
    assert list(crs.VN2000_TOWGS84[:3]) == values[:3]
    assert list(crs.VN2000_TOWGS84[3:6]) == [-v for v in values[3:6]]
    assert crs.VN2000_TOWGS84[6] == values[6]


def test_grid_crs_definition_for_spatial_ref_sys(points):
    epsg, wkt, proj4 = crs.grid_crs_definition(load_profile())
    assert epsg == 9209
    assert wkt.startswith("PROJCS[") and 'AUTHORITY["EPSG","9209"]' in wkt
    e, n = crs.to_grid(points[:, 0], points[:, 1])
    for definition in (wkt, proj4):
        t = Transformer.from_crs(CRS.from_epsg(4326), CRS.from_user_input(definition),
                                 always_xy=True)
        assert residuals(*t.transform(points[:, 0], points[:, 1]),
                         np.column_stack([e, n])).max() <= 0.01
    assert "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836," in proj4
    assert "+lon_0=105.5 " in proj4 and "+k=0.9999 " in proj4
    assert crs.classify_crs(proj4) == "grid"


def test_profile_mismatch_with_epsg_is_refused(tmp_path):
    text = load_profile().path.read_text(encoding="utf-8").replace(
        "central_meridian = 105.5", "central_meridian = 105.75")
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(crs.ProfileError, match="lon_0"):
        crs.grid_definition(load_profile(path))


def grid_variant(towgs84):
    return crs._grid_proj4_variant(crs.grid_definition(), towgs84)


@pytest.mark.parametrize(
    "declared, kind",
    [
        (9209, "grid"),
        ("EPSG:3405", "other"),
        (4326, "other"),
        ("+proj=tmerc +lat_0=0 +lon_0=105.5 +k=0.9999 +x_0=500000 +y_0=0 +datum=WGS84 +units=m",
         "grid_without_datum_shift"),
    ],
)
def test_classify_declared_crs(declared, kind):
    assert crs.classify_crs(declared) == kind


def test_classify_towgs84_variants():
    assert crs.classify_crs(grid_variant(crs.NO_DATUM_SHIFT)) == "grid_without_datum_shift"
    assert crs.classify_crs(grid_variant(crs.VN2000_TOWGS84_WRONG_SIGN)) == \
        "grid_flipped_rotations"
    assert crs.classify_crs(grid_variant(crs.VN2000_TOWGS84)) == "grid"


def ql10_in(code_or_proj4):
    pts = ql10_vertices()
    t = Transformer.from_crs(CRS.from_epsg(4326), CRS.from_user_input(code_or_proj4),
                             always_xy=True)
    return t.transform(pts[:, 0], pts[:, 1])


def test_check_accepts_correct_data():
    x, y = ql10_in(9209)
    assert crs.check_coordinates(x, y, 9209, source="ql10").inside_fraction == 1.0
    assert crs.check_coordinates(x, y, None, source="ql10").declared == "undeclared"
    lon, lat = ql10_vertices().T
    assert crs.check_coordinates(lon, lat, 4326).inside_fraction == 1.0
    x, y = ql10_in(3405)
    assert crs.check_coordinates(x, y, 3405).inside_fraction == 1.0


@pytest.mark.parametrize(
    "actual, named",
    [
        (3405, "EPSG:3405 VN-2000 / UTM zone 48N"),
        (32648, "EPSG:32648 WGS 84 / UTM zone 48N"),
        (9210, "EPSG:9210 VN-2000 / TM-3 105-45"),   # a neighbouring province's meridian
        (9211, "EPSG:9211 VN-2000 / TM-3 106-00"),
        (4326, "EPSG:4326 WGS 84"),
    ],
)
def test_check_names_the_probable_crs(actual, named):
    x, y = ql10_in(actual)
    for declared in (9209, None):
        with pytest.raises(crs.WrongCrsError) as err:
            crs.check_coordinates(x, y, declared, source="ql10.geojson")
        assert named in str(err.value)
        assert "ql10.geojson" in str(err.value)


def test_check_refuses_grid_without_datum_shift_and_flipped_signs():
    no_shift = grid_variant(crs.NO_DATUM_SHIFT)
    x, y = ql10_in(no_shift)
    with pytest.raises(crs.WrongCrsError, match="WITHOUT the datum shift.*220 m"):
        crs.check_coordinates(x, y, no_shift, source="cadastre.shp")
    flipped = grid_variant(crs.VN2000_TOWGS84_WRONG_SIGN)
    with pytest.raises(crs.WrongCrsError, match="0.7 m"):
        crs.check_coordinates(x, y, flipped, source="cadastre.shp")


def test_diagnose_offset_against_gnss_control_points():
    lon, lat = ql10_vertices().T
    e, n = crs.to_grid(lon, lat)
    assert crs.diagnose_offset(e, n, lon, lat).probable == "grid"
    e2, n2 = ql10_in(grid_variant(crs.NO_DATUM_SHIFT))
    d = crs.diagnose_offset(e2, n2, lon, lat)
    assert d.probable == "grid_without_datum_shift"
    assert 200 < d.distance < 240
    e3, n3 = ql10_in(grid_variant(crs.VN2000_TOWGS84_WRONG_SIGN))
    d = crs.diagnose_offset(e3, n3, lon, lat)
    assert d.probable == "grid_flipped_rotations"
    assert 0.6 < d.distance < 0.8
    d = crs.diagnose_offset(e + 5.0, n, lon, lat)
    assert d.probable == "unknown"


def test_cli_to_grid_json(capsys):
    assert main(["crs", "to-grid", "106.35", "20.5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["easting"] == pytest.approx(588463.2701, abs=1e-3)
    assert out["northing"] == pytest.approx(2267832.5061, abs=1e-3)
    assert out["epsg"] == 9209
    assert main(["crs", "to-grid", "106.35", "20.5"]) == 0
    assert capsys.readouterr().out.split() == ["588463.270", "2267832.506"]
    assert main(["crs", "to-wgs84", "588463.2701", "2267832.5061"]) == 0
    lon, lat = map(float, capsys.readouterr().out.split())
    assert (lon, lat) == pytest.approx((106.35, 20.5), abs=1e-8)


@pytest.mark.parametrize("argv, named", [
    (["to-grid", "nan", "20.5"], "argument lon: 'nan' is not a finite number"),
    (["to-grid", "20.5", "106.35"], "lat 106.35"),     # lat/lon swapped
    (["to-wgs84", "1e30", "2267832"], "lon inf"),      # PROJ answers inf, not an error
])
def test_cli_refuses_non_finite_or_swapped_coordinates(argv, named, capsys):
    assert main(["crs", *argv]) == 2
    captured = capsys.readouterr()
    assert named in captured.err and captured.out == ""


def test_cli_check_file(tmp_path, capsys):
    assert main(["crs", "check", str(QL10)]) == 0
    assert "lie in the province" in capsys.readouterr().out
    import geopandas as gpd

    wrong = gpd.read_file(QL10).to_crs(3405).set_crs(9209, allow_override=True)
    path = tmp_path / "ql10_declared_wrong.gpkg"
    wrong.to_file(path, driver="GPKG")
    assert main(["crs", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "EPSG:3405" in err and str(path) in err


def test_to_grid_from_worker_threads(points):
    """QGIS runs Processing algorithms in worker threads: same results from every thread."""
    from concurrent.futures import ThreadPoolExecutor

    e, n = crs.to_grid(points[:, 0], points[:, 1])
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: crs.to_grid(points[:, 0], points[:, 1]), range(8)))
    for e2, n2 in results:
        assert np.array_equal(e2, e) and np.array_equal(n2, n)


def test_check_against_the_province_polygon():
    import geopandas as gpd

    boundary = gpd.read_file(
        f"{SHARED_DATA}/vn_provinces_geoboundaries/thai_binh_province_adm1.geojson"
    ).geometry.iloc[0]
    x, y = ql10_in(9209)   # QL10 was clipped with a ~1 km buffer: a few vertices lie outside
    assert crs.check_coordinates(x, y, 9209, area=boundary, margin_deg=0.01).inside_fraction \
        > 0.95
    x, y = ql10_in(9210)
    with pytest.raises(crs.WrongCrsError, match="probable CRS: EPSG:9210 VN-2000 / TM-3 105-45"):
        crs.check_coordinates(x, y, 9209, area=boundary, margin_deg=0.01)
    # inside the bounding box but outside the province (the south-east corner is in the sea)
    w, s, e, n = crs.grid_definition().province_bbox_wgs84
    corner_e, corner_n = crs.to_grid([e - 0.005] * 3, [s + 0.005] * 3)
    assert crs.check_coordinates(corner_e, corner_n, 9209).inside_fraction == 1.0
    with pytest.raises(crs.WrongCrsError, match="only 0%"):
        crs.check_coordinates(corner_e, corner_n, 9209, area=boundary, margin_deg=0.01)


def test_cli_definition(capsys):
    assert main(["crs", "definition", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["epsg"] == 9209 and "+towgs84=" in out["proj4"]
    assert "VN-2000 to WGS 84 (2)" in out["operation"]

"""The printed overlay map's summary table and the Cadastre dialog's summary
write areas in the language's number format (vi ``26.161``, en ``26,161``), never English
grouping in Vietnamese (read as a thousand times smaller)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from qgis.core import QgsVectorLayer
from roadinfra.plugin.printing.overlay_map import table_rows
from shapely.geometry import box


@pytest.fixture
def overlay_file(tmp_path):
    """An overlay GeoPackage: QL10's safety corridor in three parcels of 10,000.0, 10,000.0
    and 6,161.1 m² (26,161.1 m²), a widening taking 2 parcels of 1,234.5 and 250.0 m²
    (1,484.5 m²)."""
    path = tmp_path / "overlay.gpkg"
    gpd.GeoDataFrame({"route": ["QL10"] * 3, "zone": ["safety_corridor"] * 3,
                      "area_in_m2": [10000.0, 10000.0, 6161.1]},
                     geometry=[box(k * 200, 0, k * 200 + 100, 100) for k in range(3)],
                     crs=9209).to_file(path, layer="corridor_parcels")
    gpd.GeoDataFrame({"widening": ["QL10 mở rộng"] * 2, "area_in_m2": [1234.5, 250.0]},
                     geometry=[box(0, 0, 30, 30), box(40, 0, 50, 25)],
                     crs=9209).to_file(path, layer="land_acquisition")
    return path


@pytest.mark.parametrize("lang, area, taken", [("vi", "26.161", "1.484"),
                                                ("en", "26,161", "1,484")])
def test_the_printed_summary_table_uses_the_maps_number_format(qgis_app, overlay_file, lang,
                                                               area, taken):
    layers = {name: QgsVectorLayer(f"{overlay_file}|layername={name}", name, "ogr")
              for name in ("corridor_parcels", "land_acquisition")}
    rows, _ = table_rows(layers, lang)
    assert [r[1:] for r in rows[1:]] == [["3", area], ["2", taken]]


def test_the_printed_map_counts_each_parcel_and_building_once(qgis_app, tmp_path):
    """One house plot with one house across the road land's edge: four encroachment rows
    (the plot and the house in each zone), one parcel and one building on the map."""
    from roadinfra.plugin.printing.overlay_map import counts

    path = tmp_path / "overlay.gpkg"
    keys = {"commune_code": ["13297"] * 4, "sheet_no": ["7"] * 4, "parcel_no": ["1"] * 4}
    gpd.GeoDataFrame({**keys, "zone": ["road_land", "safety_corridor"] * 2,
                      "part": ["parcel", "parcel", "building", "building"],
                      "building": [None, None, "1", "1"], "area_in_m2": [60.0, 260.0, 20.0, 60.0]},
                     geometry=[box(0, 0, 10, 10)] * 4, crs=9209).to_file(path, layer="encroachment")
    for name in ("corridor_parcels", "land_acquisition"):
        gpd.GeoDataFrame({**{k: v[:2] for k, v in keys.items()}, "area_in_m2": [60.0, 260.0]},
                         geometry=[box(0, 0, 10, 10)] * 2, crs=9209).to_file(path, layer=name)
    layers = {name: QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
              for name in ("corridor_parcels", "encroachment", "land_acquisition")}
    assert counts(layers) == {"pieces": 2, "parcels": 1, "buildings": 1, "acquired": 1}


def test_parcels_of_two_communes_with_one_number_are_each_labelled(qgis_app, tmp_path):
    """Sheets and parcels are numbered per commune: parcel 7/3 of 13297 and 7/3 of 13300
    both hold part of a house; each gets its label, which names the commune (the map shows
    two). With one commune, a label is sheet/number only."""
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsProject
    from roadinfra.plugin.printing.overlay_map import _layers

    project = QgsProject()  # owns the layers while they are read

    def labels(path):
        layer = _layers(path, project, "vi")["encroachment"]
        expression = QgsExpression(layer.labeling().settings().fieldName)
        context = QgsExpressionContext(
            QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        found = []
        for feature in layer.getFeatures():
            context.setFeature(feature)
            found.append(expression.evaluate(context))
        return sorted(v for v in found if v)

    for communes, expected in ((["13297", "13300"], ["13297: 7/3", "13300: 7/3"]),
                               (["13297", "13297"], ["7/3"])):
        path = tmp_path / f"overlay_{communes[1]}.gpkg"
        keys = {"commune_code": communes, "sheet_no": ["7"] * 2, "parcel_no": ["3"] * 2,
                "route": ["QL10"] * 2, "zone": ["safety_corridor"] * 2}
        gpd.GeoDataFrame({**keys, "area_in_m2": [10.06, 20.13], "part": ["building"] * 2,
                          "building": ["1"] * 2},
                         geometry=[box(0, 0, 2, 5), box(2, 0, 6, 5)],
                         crs=9209).to_file(path, layer="encroachment")
        for name in ("corridor_parcels", "land_acquisition"):
            gpd.GeoDataFrame({**keys, "area_in_m2": [100.0, 100.0]},
                             geometry=[box(0, 0, 2, 50), box(2, 0, 6, 50)],
                             crs=9209).to_file(path, layer=name)
        gpd.GeoDataFrame({"route": ["QL10"], "zone": ["road_land"], "from_m": [0.0],
                          "to_m": [10.0]}, geometry=[box(0, -20, 6, 0)],
                         crs=9209).to_file(path, layer="corridors")
        assert labels(path) == expected

"""The printed map's scale bar: in metres when the bar spans less than 2 km
on the ground (a Vietnamese overlay of a few hundred metres read "0 0.006 0.012 km"), in km
beyond, its numbers in the map's language (vi ``1,5``, en ``1.5``)."""

from __future__ import annotations

import re
import subprocess

import geopandas as gpd
import pytest
from qgis.core import (
    QgsLayoutItemMap,
    QgsLayoutItemScaleBar,
    QgsNumericFormatContext,
    QgsProject,
    QgsRectangle,
)
from roadinfra.core.cli import main
from roadinfra.plugin.printing.condition_map import TEMPLATE, _item, scale_bar
from roadinfra.plugin.printing.layout_io import load_template

from tests.support.cadastre_db import parcel_row, route_database
from tests.support.cadastre_files import write
from tests.support.cadastre_qgis import run


def _bar(width_m: float, lang: str) -> tuple:
    """(the layout, its scale bar) for a map ``width_m`` m wide."""
    layout = load_template(QgsProject.instance(), TEMPLATE, RuntimeError)
    map_item = _item(layout, "map", QgsLayoutItemMap)
    ratio = map_item.rect().width() / map_item.rect().height()
    map_item.setExtent(QgsRectangle(590000, 2260000, 590000 + width_m,
                                    2260000 + width_m / ratio))
    bar = _item(layout, "scale_bar", QgsLayoutItemScaleBar)
    scale_bar(bar, map_item, lang)
    return layout, bar  # the layout owns the bar: keep it alive


@pytest.mark.parametrize("lang, half", [("vi", "1,5"), ("en", "1.5")])
def test_the_scale_bar_is_in_metres_on_a_small_map_and_km_on_a_large_one(qgis_app, lang,
                                                                         half):
    (_small_layout, small), (_large_layout, large) = _bar(450.0, lang), _bar(50_000.0, lang)
    assert (small.unitLabel(), large.unitLabel()) == ("m", "km")
    assert small.mapUnitsPerScaleBarUnit() == large.mapUnitsPerScaleBarUnit() == 1.0
    numbers = large.numericFormat()
    assert numbers.formatDouble(1.5, QgsNumericFormatContext()) == half
    assert numbers.formatDouble(1000.0, QgsNumericFormatContext()) == \
        {"vi": "1.000", "en": "1,000"}[lang]


def test_a_printed_vietnamese_overlay_map_of_400_m_has_its_scale_bar_in_metres(
        roadinfra_provider, tmp_path):
    """DH99 with sheet 7 north of it, Km0+100-Km0+520: the map spans ~ 450 m: the scale bar
    reads whole metres (before: 0 0.03 0.06 ... km)."""
    db = route_database(tmp_path, [[(0, 0), (2000, 0)]])
    parcels = write(gpd.GeoDataFrame(parcel_row("7", 100, 520, 6), crs=9209),
                    tmp_path / "sheet7.gpkg")
    assert main(["cadastre", "import", str(parcels), str(db)]) == 0
    overlay = tmp_path / "overlay.gpkg"
    assert main(["cadastre", "overlay", str(db), "--widening", "DH99:Km0+200-Km0+400:20",
                 "-o", str(overlay)]) == 0
    pdf = tmp_path / "overlay_vi.pdf"
    run("cadastre_print_overlay", {"OVERLAY": str(overlay), "LANGUAGE": 0, "OUTPUT": str(pdf)})
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    bar = [line.split() for line in text.splitlines()
           if re.fullmatch(r"\s*0(\s+[\d.,]+)+\s+(m|km)\s*", line)]
    assert len(bar) == 1 and bar[0][-1] == "m", text
    assert all(re.fullmatch(r"\d+", n) for n in bar[0][:-1]), bar

"""Issue 14, third hostile review (#4): Shapefile field NAMES in Windows-1258 (a Vietnamese
MapInfo/Famis export) over ASCII values are decoded by the policy of the values (UTF-8, else
cp1258) or, under a .cpg saying UTF-8, refused naming the field; never a traceback."""

from __future__ import annotations

from pathlib import Path

import fiona
import pytest
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.reader import read_parcels
from shapely.geometry import box, mapping

from tests.support.cadastre_files import origin


def _shapefile(tmp_path, cpg):
    path = tmp_path / "fn.shp"
    schema = {"geometry": "Polygon",
              "properties": {"SoTo": "str:5", "SoThua": "str:5", "ChủSD": "str:40"}}
    x, y = origin()
    with fiona.open(path, "w", driver="ESRI Shapefile", crs="EPSG:9209", schema=schema,
                    encoding="cp1258") as out:
        for k in range(2):
            out.write({"geometry": mapping(box(x + 20 * k, y, x + 20 * k + 20, y + 20)),
                       "properties": {"SoTo": "7", "SoThua": str(k + 1),
                                      "ChủSD": "Nguyen Van A"}})
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg:
        path.with_suffix(".cpg").write_text(cpg)
    return path


@pytest.mark.parametrize("cpg", [None, "1258"])
def test_cp1258_field_names_are_read(tmp_path, cpg):
    shipped = (Path(__file__).parents[2] / "core/data/cadastre_mappings/vn_cadastre.toml")
    mapping = tmp_path / "names.toml"
    mapping.write_text(shipped.read_text(encoding="utf-8").replace('"ChuSD"', '"ChủSD"'),
                       encoding="utf-8")
    parcels = read_parcels(_shapefile(tmp_path, cpg), str(mapping))
    assert not parcels.errors and parcels.columns["owner"] == "ChủSD"
    assert list(parcels.frame["owner"]) == ["Nguyen Van A"] * 2


def test_cp1258_field_names_under_a_utf8_cpg_are_refused_naming_the_field(tmp_path):
    path = _shapefile(tmp_path, "UTF-8")
    with pytest.raises(CadastreError) as caught:
        read_parcels(path)
    message = str(caught.value)
    assert "\n" not in message and str(path.with_suffix(".dbf")) in message
    assert "field 'ChủSD'" in message and "write 1258 in" in message

"""Condition algorithms in headless QGIS: PCI from the ASTM example distress table, IRI
classes of the LTPP-derived survey, and the NBI sample import (tests/data/condition)."""

import csv
from pathlib import Path

import pytest
from qgis.core import QgsFeature, QgsField, QgsProcessingException, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from tests.support.shared_data import SHARED_DATA

DATA = Path(__file__).resolve().parents[1] / "data" / "condition"
NBI = f"{SHARED_DATA}/bridges_us_nbi_sample/sample.csv"
# ASTM D6433 example sample unit (2500 ft2), grouped quantities (see tests/unit/test_pci.py)
ASTM_ROWS = [(1, "L", 13), (1, "H", 14), (7, "L", 130), (8, "M", 143), (11, "H", 22),
             (13, "L", 1), (15, "L", 21), (19, "L", 250)]


def table(fields, rows, uri="None"):
    layer = QgsVectorLayer(uri, "table", "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    feats = []
    for attrs in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes(list(attrs))
        feats.append(f)
    provider.addFeatures(feats)
    return layer


DISTRESS_FIELDS = [("sample_unit", QVariant.String), ("unit_area_m2", QVariant.Double),
                   ("distress_code", QVariant.Int), ("severity", QVariant.String),
                   ("quantity", QVariant.Double)]


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


def test_algorithms_are_registered(roadinfra_provider):
    names = {alg.name() for alg in roadinfra_provider.algorithms()}
    assert {"compute_pci", "classify_iri", "import_bridge_inventory"} <= names


def test_compute_pci_on_astm_example(roadinfra_provider):
    rows = [("A", 2500, c, s, q) for c, s, q in ASTM_ROWS] + [("B", 2500, 19, "L", 25)]
    result = run("compute_pci", {"INPUT": table(DISTRESS_FIELDS, rows), "UNITS": 1,
                                 "OUTPUT": "memory:"})
    out = {f["sample_unit"]: f for f in result["OUTPUT"].getFeatures()}
    assert out["A"]["pci"] == pytest.approx(49, abs=2)  # ASTM: PCI 49, Poor
    assert out["A"]["rating"] == "Poor" and out["A"]["rating_vi"] == "Kém"
    assert out["B"]["pci"] > 95
    assert result["SECTION_PCI"] == pytest.approx((out["A"]["pci"] + out["B"]["pci"]) / 2,
                                                  abs=0.1)


def test_compute_pci_reports_bad_rows(roadinfra_provider):
    rows = [("A", 230, 1, "L", 5), ("A", 230, 42, "L", 5), ("A", 230, 1, "M", -2)]
    with pytest.raises(QgsProcessingException) as info:
        run("compute_pci", {"INPUT": table(DISTRESS_FIELDS, rows), "OUTPUT": "memory:"})
    assert "unknown distress code" in str(info.value)
    assert "negative quantity" in str(info.value)


def test_classify_iri_on_ltpp_survey(roadinfra_provider):
    with open(DATA / "ltpp_tx_vehicle.csv", newline="", encoding="utf-8") as handle:
        values = [float(r["iri"]) for r in csv.DictReader(handle)]
    layer = table([("iri", QVariant.Double)], [(v,) for v in values])
    result = run("classify_iri", {"INPUT": layer, "IRI_FIELD": "iri", "OUTPUT": "memory:"})
    classes = [f["iri_class"] for f in result["OUTPUT"].getFeatures()]
    assert (classes.count("Good"), classes.count("Fair"), classes.count("Poor")) == (13, 30, 7)
    assert result["COUNTS"] == "Good: 13, Fair: 30, Poor: 7"


def test_import_bridge_inventory_nbi(roadinfra_provider):
    result = run("import_bridge_inventory", {"INPUT": NBI, "MAPPING": "nbi_2013",
                                             "OUTPUT": "memory:"})
    layer = result["OUTPUT"]
    assert (result["IMPORTED"], result["ERRORS"]) == (19, 0)
    assert layer.crs().authid() == "EPSG:9209"
    feats = list(layer.getFeatures())
    assert sum(1 for f in feats if f["kind"] == "culvert") == 1
    assert sum(1 for f in feats if f["structurally_deficient"]) == 4
    bad = run("import_bridge_inventory", {"INPUT": str(DATA / "nbi_bad_rows.csv"),
                                          "OUTPUT": "memory:"})
    assert (bad["IMPORTED"], bad["ERRORS"]) == (1, 4)


def test_classify_iri_reports_nan_and_implausible_values(roadinfra_provider):
    """NaN passed the 'negative' check and then stopped the algorithm with a Python error;
    an IRI of 120 (in/mi, not m/km) was classified Poor without a word."""
    layer = table([("iri", QVariant.Double)], [(1.2,), (float("nan"),), (120.0,), (None,)])
    with pytest.raises(QgsProcessingException) as info:
        run("classify_iri", {"INPUT": layer, "IRI_FIELD": "iri", "OUTPUT": "memory:"})
    message = str(info.value)
    assert "3 bad row(s)" in message
    assert "IRI nan" in message and "IRI 120.0" in message and "IRI None" in message

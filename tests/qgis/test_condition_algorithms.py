"""Condition algorithms in headless QGIS: PCI from the ASTM example distress table, IRI
classes of the LTPP-derived survey, and the NBI sample import (tests/data/condition)."""

from pathlib import Path

import pytest
import roadinfra
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
    """The CSV file and a layer of its rows give the CLI's classes (one core entry point)."""
    from roadinfra.core.condition.iri import classify_survey, read_vehicle_csv

    path = DATA / "ltpp_tx_vehicle.csv"
    summary = classify_survey(read_vehicle_csv(path))
    result = run("classify_iri", {"INPUT": str(path), "IRI_FIELD": "iri", "OUTPUT": "memory:"})
    classes = [f["iri_class"] for f in result["OUTPUT"].getFeatures()]
    assert (classes.count("Good"), classes.count("Fair"), classes.count("Poor")) == (13, 30, 7)
    assert classes == list(summary.labels)
    assert result["COUNTS"] == "Good: 13, Fair: 30, Poor: 7"
    assert result["MEAN_IRI"] == round(summary.mean_iri, 3)


def test_classify_iri_refuses_overlapping_intervals_as_the_cli_does(roadinfra_provider,
                                                                    tmp_path):
    """Overlapping intervals were refused by ``pavement iri`` and classified by Processing."""
    from roadinfra.core.cli import main

    path = tmp_path / "overlap.csv"
    path.write_text("route,from_m,to_m,iri\nDT454,0,100,2.0\nDT454,50,150,3.0\n"
                    "DT455,0,100,2.0\n", encoding="utf-8")
    assert main(["pavement", "iri", str(path)]) != 0
    layer = table([("route", QVariant.String), ("from_m", QVariant.Double),
                   ("to_m", QVariant.Double), ("iri", QVariant.Double)],
                  [("DT454", 0.0, 100.0, 2.0), ("DT454", 50.0, 150.0, 3.0),
                   ("DT455", 0.0, 100.0, 2.0)])
    for given in (str(path), layer):
        with pytest.raises(QgsProcessingException, match="overlaps"):
            run("classify_iri", {"INPUT": given, "OUTPUT": "memory:"})


def test_classify_iri_takes_the_road_class_bands(roadinfra_provider, tmp_path):
    from roadinfra.core.condition.iri import classify_survey, read_vehicle_csv
    from roadinfra.core.profile import load_profile

    profile_file = tmp_path / "with_classes.toml"
    base = (Path(roadinfra.__file__).parent / "core" / "profiles" / "thai_binh.toml")
    profile_file.write_text(base.read_text(encoding="utf-8") + (
        '\n[pavement.iri_bands_by_class.urban]\nlabels_en = ["Good", "Fair", "Poor"]\n'
        'labels_vi = ["Tốt", "Trung bình", "Kém"]\nupper_m_per_km = [2.5, 4.0]\n'),
        encoding="utf-8")
    path = DATA / "ltpp_tx_vehicle.csv"
    summary = classify_survey(read_vehicle_csv(path), load_profile(str(profile_file)), "urban")
    result = run("classify_iri", {"INPUT": str(path), "ROAD_CLASS": "urban",
                                  "PROFILE": str(profile_file), "OUTPUT": "memory:"})
    classes = [f["iri_class"] for f in result["OUTPUT"].getFeatures()]
    assert classes == list(summary.labels)
    assert result["COUNTS"] != "Good: 13, Fair: 30, Poor: 7"  # other bands, other classes


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
    layer = table([("route", QVariant.String), ("from_m", QVariant.Double),
                   ("to_m", QVariant.Double), ("iri", QVariant.Double)],
                  [("R", 0.0, 10.0, 1.2), ("R", 10.0, 20.0, float("nan")),
                   ("R", 20.0, 30.0, 120.0), ("R", 30.0, 40.0, None)])
    with pytest.raises(QgsProcessingException) as info:
        run("classify_iri", {"INPUT": layer, "IRI_FIELD": "iri", "OUTPUT": "memory:"})
    message = str(info.value)
    assert "3 bad row(s)" in message
    assert "120 is outside 0..30" in message and "empty" in message

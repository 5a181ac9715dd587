"""The Processing tools on what the user has open: the layers of the demo provincial database
loaded as "Open provincial database..." loads them, and that database as the default of every
database parameter (issue 15, item 2)."""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from qgis.core import QgsProcessingException, QgsProcessingParameterFile, QgsProject
from qgis.PyQt.QtCore import QVariant
from roadinfra.core.condition.pci_survey import pci_by_survey
from roadinfra.core.loads.check import check_file
from roadinfra.core.loads.stats import daily_station_stats
from roadinfra.core.sample_data import SAMPLE_DIR, WEIGHING_FILE

from tests.support.cadastre_db import demo_database
from tests.support.layers import memory_layer

#: file parameters that are neither a layer nor the database: what each reads instead
FILE_INPUTS: dict = {
    ("cadastre_pull", "FILE"): "a full export of the department, compared sheet by sheet "
                               "with the database (a layer has no sheets' editions to pull)",
    ("cadastre_print_overlay", "OVERLAY"): "the overlay GeoPackage and its four named layers",
    ("sync", "PACKAGE"): "an offline package: a whole GeoPackage file, not one layer",
}


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    return demo_database(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(qgis_app, demo_path, tmp_path):
    """A copy of the demo database opened in the project; its layers by table name."""
    from roadinfra.plugin.database.layers import load_database_layers

    path = tmp_path / demo_path.name
    shutil.copy(demo_path, path)
    project = QgsProject.instance()
    project.clear()
    loaded = load_database_layers(path, project, "en")
    yield path, loaded.layers
    project.clear()


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


def distress_rows(path):
    with sqlite3.connect(path) as con:
        return con.execute("SELECT fid, survey_id, sample_unit, unit_area_m2, distress_code, "
                           "severity, quantity FROM pavement_distress").fetchall()


def test_compute_pci_on_the_loaded_distress_layer_survey_by_survey(roadinfra_provider, demo):
    path, layers = demo
    with pytest.raises(QgsProcessingException, match="bad row"):  # all surveys mixed
        run("compute_pci", {"INPUT": layers["pavement_distress"], "OUTPUT": "memory:"})
    result = run("compute_pci", {"INPUT": layers["pavement_distress"], "BY_SURVEY": True,
                                 "OUTPUT": "memory:"})
    expected = dict(pci_by_survey(distress_rows(path), "pavement_distress").surveys)
    assert (result["SURVEYS"], result["SURVEYS_FAILED"], result["WRITTEN"]) == (250, 0, 0)
    seen, names = {}, {}
    for feature in result["OUTPUT"].getFeatures():
        seen[feature["survey"]] = (feature["survey_pci"], feature["survey_rating"])
        names[feature["survey"]] = feature["survey_name"]
    assert seen == {survey: (round(pci.section_pci, 1), pci.section_rating)
                    for survey, pci in expected.items()}
    with sqlite3.connect(path) as con:  # named as the forms name a survey, not by its UUID
        dates = dict(con.execute("SELECT id, survey_date FROM pavement_survey"))
    assert all(names[survey].startswith(dates[survey]) for survey in expected), names
    assert not any(survey in names[survey] for survey in expected)


def test_compute_pci_writes_back_to_the_surveys(roadinfra_provider, demo):
    from roadinfra.core.condition.pci import pci_rating
    from roadinfra.core.db import open_database

    path, layers = demo
    assert run("info", {})["LAYER_COUNT"] > 0  # the open database is info's default too
    result = run("compute_pci", {"INPUT": layers["pavement_distress"], "BY_SURVEY": True,
                                 "WRITE_BACK": True, "OUTPUT": "memory:"})
    assert result["WRITTEN"] == 250
    expected = dict(pci_by_survey(distress_rows(path), "pavement_distress").surveys)
    db = open_database(str(path))
    try:
        rows = {row["id"]: row for row in db.fetch("pavement_survey")}
        changed = [s for s in expected if rows[s]["revision"] > 1]
        assert changed, "the demo's stored PCI differs from the computed one for some surveys"
        for survey, pci in expected.items():  # the rating of the PCI stored, to one decimal
            assert rows[survey]["pci"] == round(pci.section_pci, 1)
            assert rows[survey]["pci_rating"] == pci_rating(round(pci.section_pci, 1),
                                                            db.profile, "en")
        last = db.history("pavement_survey", changed[0])[-1]
        assert last["operation"] == "UPDATE" and "pci" in last["new_values"]
    finally:
        db.close()


def test_compute_pci_errors_stay_with_their_survey(roadinfra_provider, qgis_app):
    fields = [("survey_id", QVariant.String), ("sample_unit", QVariant.String),
              ("unit_area_m2", QVariant.Double), ("distress_code", QVariant.Int),
              ("severity", QVariant.String), ("quantity", QVariant.Double)]
    rows = [(None, ["S1", "SU-1", 230.0, 1, "L", 5.0]), (None, ["S1", "SU-2", 230.0, 10, "M", 8.0]),
            (None, ["S2", "SU-1", 300.0, 1, "L", 5.0]), (None, ["S2", "SU-1", 300.0, 42, "L", 1.0])]
    result = run("compute_pci", {"INPUT": memory_layer("None", fields, rows), "BY_SURVEY": True,
                                 "OUTPUT": "memory:"})
    assert (result["SURVEYS"], result["SURVEYS_FAILED"]) == (1, 1)
    assert {f["survey"] for f in result["OUTPUT"].getFeatures()} == {"S1"}
    with pytest.raises(QgsProcessingException, match="needs 'Compute each survey apart'"):
        run("compute_pci", {"INPUT": memory_layer("None", fields, rows), "WRITE_BACK": True,
                            "OUTPUT": "memory:"})


def test_check_weighing_records_of_the_loaded_layer(roadinfra_provider, demo):
    path, layers = demo
    result = run("loads_check", {"INPUT": layers["weighing_record"],
                                 "STATIONS": layers["load_station"], "OUTPUT": "memory:"})
    with sqlite3.connect(path) as con:
        stored = con.execute("SELECT count(*), sum(overloaded) FROM weighing_record").fetchone()
    assert (result["CHECKED"], result["REJECTED"]) == (stored[0], 0)
    assert result["OVERLOADED"] == stored[1]  # the demo stored the core's check of its CSV
    csv = check_file(Path(SAMPLE_DIR) / WEIGHING_FILE)
    assert result["OVERLOADED"] == int(csv.result.overloaded.sum())
    codes = {f["station_code"] for f in result["OUTPUT"].getFeatures()}
    assert codes == set(csv.records.station_codes)


def test_daily_statistics_of_the_loaded_layer_equal_those_of_the_csv(roadinfra_provider, demo):
    """Same stations, local days and counts: the GeoPackage's UTC times are read as UTC."""
    _path, layers = demo
    result = run("loads_daily_stats", {"INPUT": layers["weighing_record"],
                                       "STATIONS": layers["load_station"], "OUTPUT": "memory:"})
    names = result["OUTPUT"].fields().names()
    got = pd.DataFrame([f.attributes() for f in result["OUTPUT"].getFeatures()], columns=names)
    csv = check_file(Path(SAMPLE_DIR) / WEIGHING_FILE)
    want = daily_station_stats(csv.records, csv.result, csv.esal)
    key = ["station_code", "date"]
    got = got.sort_values(key).reset_index(drop=True)
    want = want.sort_values(key).reset_index(drop=True)
    assert got[key].astype(str).values.tolist() == want[key].astype(str).values.tolist()
    assert got["vehicles"].tolist() == want["vehicles"].tolist()
    assert got["overloaded"].tolist() == want["overloaded"].tolist()


def test_weighing_layer_with_bad_features_names_them(roadinfra_provider, qgis_app):
    fields = [("station_code", QVariant.String), ("weighed_at", QVariant.String),
              ("vehicle_type", QVariant.String), ("axle_count", QVariant.Int),
              ("axle_loads_t", QVariant.String), ("axle_spacings_m", QVariant.String),
              ("gross_t", QVariant.Double)]
    rows = [(None, ["LS-1", "2025-03-14T08:00:00+07:00", "truck", 2, "6;12", "4.5", 18.0]),
            (None, ["LS-1", "2025-03-14T08:00:00+07:00", "truck", 3, "[6, 9]", "[4.5]", 15.0])]
    result = run("loads_check", {"INPUT": memory_layer("None", fields, rows, "scale"),
                                 "OUTPUT": "memory:"})
    assert (result["CHECKED"], result["REJECTED"], result["OVERLOADED"]) == (1, 1, 1)
    errors = [f["error"] for f in result["OUTPUT"].getFeatures() if f["error"]]
    assert errors == ["column axle_loads_t: 2 axle load(s) for axle_count 3"]


def test_every_algorithm_takes_open_layers_and_the_open_database(roadinfra_provider, demo):
    """Inputs are feature sources (a loaded layer, or a file); a file parameter is the
    database, filled with the open one, or listed in FILE_INPUTS with the reason."""
    path, _layers = demo
    for algorithm in roadinfra_provider.algorithms():
        created = algorithm.create()  # as the toolbox does when the user opens it
        for parameter in created.parameterDefinitions():
            if not isinstance(parameter, QgsProcessingParameterFile) or \
                    parameter.behavior() != QgsProcessingParameterFile.Behavior.File:
                continue
            if parameter.name() == "DATABASE":
                assert parameter.defaultValue() == str(path), created.id()
            else:
                assert (created.name(), parameter.name()) in FILE_INPUTS, \
                    f"{created.id()} {parameter.name()}: a file, not a layer the user has open"


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")
def test_print_algorithm_prints_the_open_database(roadinfra_provider, demo, tmp_path):
    """Filled with the open database, and left out it is that one; printed beside the
    user's project (which keeps its layers) in the colours of the latest surveys."""
    from qgis.PyQt.QtGui import QColor, QImage

    path, layers = demo
    algorithm = roadinfra_provider.algorithm("print_condition_map").create()
    assert algorithm.parameterDefinition("DATABASE").defaultValue() == str(path)
    before = sorted(QgsProject.instance().mapLayers())
    pdf = tmp_path / "map.pdf"
    result = run("print_condition_map", {"LANGUAGE": 1, "OUTPUT": str(pdf)})  # no DATABASE
    assert result["OUTPUT"] == str(pdf) and pdf.stat().st_size > 10000
    assert sorted(QgsProject.instance().mapLayers()) == before
    assert all(layer.isValid() for layer in layers.values())
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    image = QImage(str(tmp_path / "page.png"))
    inked = [image.pixelColor(x, y) for x in range(0, image.width(), 2)
             for y in range(0, image.height(), 2)]

    def near(colour, hex_code):
        ref = QColor(hex_code)
        return (abs(colour.red() - ref.red()) + abs(colour.green() - ref.green())
                + abs(colour.blue() - ref.blue())) < 40

    for hex_code in ("#006d2c", "#d7191c", "#fdae61"):  # good PCI, poor and fair structures
        assert any(near(c, hex_code) for c in inked), f"no {hex_code} on the map"


def test_print_algorithm_prints_beside_a_project_of_another_database(roadinfra_provider, demo,
                                                                     demo_path, tmp_path):
    """The map prints in a process of its own: the open project (another copy of the
    database) neither blocks it nor changes."""
    before = sorted(QgsProject.instance().mapLayers())
    result = run("print_condition_map", {"DATABASE": str(demo_path), "LANGUAGE": 1,
                                         "OUTPUT": str(tmp_path / "map.pdf")})
    assert (tmp_path / "map.pdf").stat().st_size > 10000 and result["OUTPUT"]
    assert sorted(QgsProject.instance().mapLayers()) == before


def test_bridge_inventory_from_a_loaded_layer_equals_the_file(roadinfra_provider, qgis_app):
    """The NBI sample opened as a layer (OGR reads CSV cells as text) imports as the file."""
    from qgis.core import QgsVectorLayer

    from tests.support.shared_data import SHARED_DATA

    nbi = f"{SHARED_DATA}/bridges_us_nbi_sample/sample.csv"
    layer = QgsVectorLayer(nbi, "nbi sample", "ogr")
    assert layer.isValid()
    from_layer = run("import_bridge_inventory", {"INPUT": layer, "OUTPUT": "memory:"})
    from_file = run("import_bridge_inventory", {"INPUT": nbi, "OUTPUT": "memory:"})
    assert (from_layer["IMPORTED"], from_layer["ERRORS"]) == (19, 0)

    def rows(result):
        """Attributes and point; the name with the NBI file's ' quotes (its mapping's quote
        character, which OGR does not know) and padding taken out."""
        out = []
        for f in result["OUTPUT"].getFeatures():
            values = f.attributes()
            if isinstance(values[3], str):
                values[3] = " / ".join(part.strip(" '") for part in values[3].split(" / "))
            out.append(tuple(values) + (f.geometry().asWkt(1),))
        return sorted(out)

    assert rows(from_layer) == rows(from_file)

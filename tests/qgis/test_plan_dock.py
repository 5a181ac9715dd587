"""The maintenance-plan dock and layer on the sample province (pytest-qt): totals per year and
district equal the core plan report, the progress follows results from the field, and the
plan's items draw as a layer coloured by work year (screenshots in test-artifacts/)."""

from pathlib import Path

import pytest
from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsProject
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QApplication
from roadinfra.core.planning import lifecycle
from roadinfra.core.planning.store import build_plan
from roadinfra.core.reports.build import plan_reports
from roadinfra.core.sample_data import SAMPLE_DIR, build_demo_database
from roadinfra.plugin.database.layers import load_database_layers
from roadinfra.plugin.planning.plan_dock import PlanDock

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    path = tmp_path_factory.mktemp("plandock") / "thai_binh.gpkg"
    build_demo_database(path, SAMPLE_DIR)
    build_plan(str(path), 30e9, 2027, 5, "greedy")
    return path


@pytest.fixture
def dock(qgis_app, qtbot, province):
    project = QgsProject.instance()
    project.clear()
    load_database_layers(province, project, "vi")
    widget = PlanDock(None, project, "vi")
    widget.resize(520, 760)
    widget.show()
    yield widget
    widget.close()
    widget.deleteLater()
    QApplication.processEvents()
    project.clear()


def test_totals_per_year_and_district_are_the_core_report(dock, qtbot, province):
    with qtbot.waitSignal(dock.plan_shown, timeout=20000) as shown:
        dock.set_database()
    tables = {t.key: t for t in shown.args[0]}
    assert dock.plan_combo.currentData() == "MP-2027-01"
    expected = {t.key: t for t in plan_reports(str(province), "MP-2027-01", "vi")}
    assert tables["plan_cost"].rows == expected["plan_cost"].rows
    text = dock.browser.toPlainText()
    total = expected["plan_cost"].rows[-1]
    assert "Tổng" in text and f"{total['total'] / 1e6:,.1f}" in text  # million VND
    for row in expected["plan_cost"].rows[:-1]:
        assert row["district"] in text
    assert "Năm 2027 (triệu đồng)" in text and "Dự thảo" in text
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    assert dock.grab().save(str(ARTIFACTS / "plan_dock.png"))


def test_progress_follows_the_results(dock, qtbot, province, tmp_path):
    lifecycle.set_plan_status(str(province), "MP-2027-01", "submitted")
    lifecycle.set_plan_status(str(province), "MP-2027-01", "approved")
    lifecycle.report_results(str(province), "MP-2027-01", records=[
        (2, {"item": "1", "status": "done", "done_date": "2026-06-30"}),
        (3, {"item": "2", "status": "dropped"})])
    with qtbot.waitSignal(dock.plan_shown, timeout=20000) as shown:
        dock.set_database()
    progress = {t.key: t for t in shown.args[0]}["plan_progress"]
    total = progress.rows[-1]
    assert (total["n_done"], total["n_dropped"]) == (1, 1)
    assert "Đã phê duyệt" in dock.browser.toPlainText()


def test_plan_layer_is_styled_by_work_year(dock, qtbot):
    with qtbot.waitSignal(dock.plan_shown, timeout=20000):
        dock.set_database()
    layer = dock.add_plan_layer()
    assert layer.isValid() and layer.featureCount() > 0
    years = {f["work_year"] for f in layer.getFeatures()}
    categories = layer.renderer().categories()
    assert {c.value() for c in categories} == years and len(years) > 1
    assert len({c.symbol().color().name() for c in categories}) == len(categories)
    assert layer.labelsEnabled() and layer.labeling().settings().fieldName == "treatment"
    assert layer.attributeAlias(layer.fields().indexOf("treatment")) == "Giải pháp"
    again = dock.add_plan_layer()  # replaces, never duplicates
    assert [lyr for lyr in QgsProject.instance().mapLayers().values()
            if lyr.customProperty("roadinfra/plan_code") == "MP-2027-01"] == [again]
    settings = QgsMapSettings()
    settings.setLayers([again])
    settings.setDestinationCrs(again.crs())
    settings.setExtent(again.extent().buffered(2000))
    settings.setOutputSize(QSize(800, 600))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    ARTIFACTS.mkdir(exist_ok=True)
    assert image.save(str(ARTIFACTS / "plan_layer.png"))
    coloured = sum(1 for x in range(0, 800, 8) for y in range(0, 600, 8)
                   if image.pixelColor(x, y).name() != "#ffffff")
    assert coloured > 20  # the items are drawn

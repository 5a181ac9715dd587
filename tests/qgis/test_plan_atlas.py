"""The printed plan atlas from a GeoPackage: roadinfra:print_plan_atlas and export_plan_atlas,
checked with poppler (pages, page size, embedded fonts, every page's sheet number, title and
table rows equal to the plan's items on that sheet), printed while the user's project holds a
layer (left as it was), pages rendered to test-artifacts/plan_atlas_*.png."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from roadinfra.core.planning.store import build_plan
from roadinfra.core.printing.plan_sheets import plan_atlas
from roadinfra.core.sample_data import build_demo_database

from tests.support.atlas_pdf import check_atlas_pdf, plan_items

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("RI_ARTIFACTS", ROOT / "test-artifacts"))

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm")),
    reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan_atlas") / "tb.gpkg"
    build_demo_database(path)
    _, info = build_plan(path, 30e9, 2027, 3, method="greedy")
    return path, info


def _pngs(pdf: Path, stem: str, pages: int = 2) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", str(pages), str(pdf),
                    str(ARTIFACTS / stem)], check=True, timeout=120)


def test_algorithm_prints_by_area_and_leaves_the_open_project_alone(
        planned, tmp_path, roadinfra_provider):
    import processing

    path, info = planned
    project = QgsProject.instance()
    mine = QgsVectorLayer("Point?crs=EPSG:4326", "my layer", "memory")
    project.addMapLayer(mine)
    project.setDirty(False)
    before = set(project.mapLayers())
    pdf = tmp_path / "atlas.pdf"
    try:
        result = processing.run("roadinfra:print_plan_atlas", {
            "DATABASE": str(path), "PLAN": info["code"], "BY": 0, "TEMPLATE": 0,
            "LANGUAGE": 0, "OUTPUT": str(pdf)})
        assert set(project.mapLayers()) == before and not project.isDirty()
        assert project.crs().authid() != "EPSG:9209" or project.crs().isValid()
    finally:
        project.removeMapLayer(mine.id())
    atlas = plan_atlas(path, info["code"], "area", "vi", rows_per_sheet=14, wrap_chars=25)
    assert result["PAGES"] == atlas.sheet_count
    check_atlas_pdf(pdf, atlas, "a3", plan_items(path, info["plan_id"]))
    _pngs(pdf, "plan_atlas_a3")


def test_a4_by_route_in_english(planned, tmp_path):
    from roadinfra.plugin.printing.plan_atlas import export_plan_atlas

    path, info = planned
    pdf = tmp_path / "routes.pdf"
    result = export_plan_atlas(path, pdf, plan="latest", by="route", template="a4", lang="en")
    assert result.pages == result.atlas.sheet_count and result.path == pdf
    assert {re.sub(r" \(part \d+/\d+\)$", "", s.title) for s in result.atlas.sheets} == {
        f"Route {r.route} - {name}" for r in result.atlas.items
        for code, name, _ in result.atlas.routes if code == r.route}
    check_atlas_pdf(pdf, result.atlas, "a4", plan_items(path, info["plan_id"]))
    _pngs(pdf, "plan_atlas_a4", pages=3)


def test_bad_plan_and_template_are_one_line_errors(planned, tmp_path):
    from roadinfra.core.errors import RoadInfraError
    from roadinfra.plugin.printing.plan_atlas import export_plan_atlas

    path, _ = planned
    with pytest.raises(RoadInfraError, match="no plan 'MP-1'"):
        export_plan_atlas(path, tmp_path / "x.pdf", plan="MP-1")
    with pytest.raises(RoadInfraError, match="--template a2"):
        export_plan_atlas(path, tmp_path / "x.pdf", template="a2")
    assert not (tmp_path / "x.pdf").exists()


def test_background_task_prints_in_its_own_process_and_cancels(planned, tmp_path):
    from roadinfra.plugin.printing.background import AtlasRequest, PrintAtlasTask

    path, info = planned
    pdf = tmp_path / "task.pdf"
    task = PrintAtlasTask(AtlasRequest(db=str(path), plan=info["code"], output=str(pdf),
                                       by="route", template="a4"))
    assert task.run(), task.error
    atlas = plan_atlas(path, info["code"], "route", "vi", rows_per_sheet=10, wrap_chars=44)
    assert task.pages == atlas.sheet_count and task.progress() == 100
    check_atlas_pdf(pdf, atlas, "a4")

    cancelled = PrintAtlasTask(AtlasRequest(db=str(path), plan="latest",
                                            output=str(tmp_path / "no.pdf")))
    cancelled.cancel()
    assert not cancelled.run() and cancelled.error
    assert not (tmp_path / "no.pdf").exists()
    bad = PrintAtlasTask(AtlasRequest(db=str(path), plan="MP-1", output=str(tmp_path / "x.pdf")))
    assert not bad.run() and "no plan 'MP-1'" in bad.error


def test_dialog_lists_the_plans_and_builds_the_request(planned, tmp_path, qgis_iface):
    from roadinfra.plugin.printing.atlas_dialog import PlanAtlasDialog

    path, info = planned
    dialog = PlanAtlasDialog()
    dialog.database.setText(str(path))
    dialog.read_plans()
    codes = [dialog.plans.itemData(n) for n in range(dialog.plans.count())]
    assert info["code"] in codes
    dialog.plans.setCurrentIndex(codes.index(info["code"]))
    dialog.by.setCurrentIndex(2)
    dialog.template.setCurrentIndex(1)
    dialog.output.setFilePath(str(tmp_path / "out.pdf"))
    request = dialog.request()
    assert (request.plan, request.by, request.template, request.output) == (
        info["code"], "item", "a4", str(tmp_path / "out.pdf"))


def test_geospatial_sheets_carry_the_provincial_grid(planned, tmp_path):
    from osgeo import gdal
    from roadinfra.plugin.printing.plan_atlas import export_plan_atlas, geospatial_available

    if not geospatial_available():
        pytest.skip("this GDAL cannot write Geospatial PDF")
    path, info = planned
    pdf = tmp_path / "geo.pdf"
    result = export_plan_atlas(path, pdf, plan=info["code"], by="route", template="a4",
                               geospatial=True)
    assert result.geospatial == tmp_path / "geo_geopdf"
    sheets = sorted(result.geospatial.iterdir())
    assert [s.name for s in sheets] == [f"sheet_{k:02d}.pdf"
                                        for k in range(1, result.pages + 1)]
    for sheet in (sheets[0], sheets[-1]):
        dataset = gdal.Open(str(sheet))
        assert "VN-2000 / TM-3 105-30" in dataset.GetProjection()
        assert dataset.GetGeoTransform()[1] > 0
    text = subprocess.run(["pdftotext", str(sheets[1]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert result.atlas.sheet_label(2) in text
    again = export_plan_atlas(path, pdf, plan=info["code"], by="route", template="a4",
                              geospatial=True)   # replaces the folder whole
    assert sorted(again.geospatial.iterdir()) == sheets
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

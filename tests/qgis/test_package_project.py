"""The QGIS project stored in an offline package, from every face: ``roadinfra package`` (QGIS
in the worker process) and ``roadinfra:package`` (Processing) store the same project
(one function, ``plugin.sync.project.embed_project``); moved to another folder (a tablet),
it opens from the GeoPackage with every layer valid, relative paths only, the provincial
styles, forms and relations, no Python in forms, photo paths relative, the basemap under
the assets; a sync (the Sync button's ``sync_package``) keeps it."""

import shutil
import sqlite3
from pathlib import Path

import pytest
from roadinfra.core.cli import main
from roadinfra.core.db import create_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.sync import open_package, sync_package

from tests.support.package_project import check_package_project, project_difference, project_xml
from tests.support.sync import live_ids, ogr_update, orthophoto, row

ROOT = Path(__file__).resolve().parents[2]


#: The stored project is checked against the styles generated with QGIS 3.22: QGIS 3.40 stores
#: more (a project style database under a random attachment name, its own style defaults).
ON_3_22 = pytest.mark.skipif(
    __import__("qgis.core", fromlist=["Qgis"]).Qgis.versionInt() >= 33400,
    reason="the package project is compared with styles generated on QGIS 3.22; this is 3.40")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    path = tmp_path_factory.mktemp("office") / "province.gpkg"
    with create_database(str(path)) as db:
        load_sample_data(db)
    return str(path)


def _move(package: Path, folder: Path) -> Path:
    """Copy-and-delete the package and its basemap into ``folder`` (as to a tablet)."""
    folder.mkdir(parents=True)
    for part in package.parent.glob(package.stem + "*"):
        shutil.move(str(part), folder / part.name)
    return folder / package.name


@ON_3_22
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_cli_and_processing_store_the_same_portable_project(roadinfra_provider, language,
                                                            empty_project, province,
                                                            tmp_path, lang):
    import processing

    language(lang)
    raster = orthophoto(tmp_path / "ortho.tif", 106.25, 20.65, size=1500, step=0.0002)
    cli = tmp_path / "cli" / "p.gpkg"
    cli.parent.mkdir()
    assert main(["package", "--db", province, "--area", "340", "--out", str(cli),
                 "--basemap", str(raster), "--lang", lang]) == 0
    made = tmp_path / "processing" / "p.gpkg"
    made.parent.mkdir()
    processing.run("roadinfra:package", {"DATABASE": province, "KIND": 0, "VALUE": "340",
                                         "OUTPUT": str(made), "BASEMAP": str(raster)})
    assert project_difference(cli, made) == ""

    tablet = _move(cli, tmp_path / "tablet" / "field work")
    project = check_package_project(tablet, province, [tmp_path, ROOT], lang, basemap=True)
    project.clear()

    # the Sync button syncs the moved package: the project stays and still opens
    bridge = live_ids(str(tablet), "bridge")[0]
    spans = row(str(tablet), "bridge", bridge)["spans"] or 0
    ogr_update(str(tablet), "bridge", bridge, spans=spans + 1)
    report = sync_package(str(tablet), province)
    assert sum(report["sent"].values()) == 1
    open_package(str(tablet)).close()
    assert project_xml(tablet)
    project = check_package_project(tablet, province, [tmp_path, ROOT], lang, basemap=True)
    project.clear()


@ON_3_22
def test_cli_package_without_basemap_or_project(empty_project, province, tmp_path, capsys):
    plain = tmp_path / "a" / "p.gpkg"
    plain.parent.mkdir()
    assert main(["package", "--db", province, "--route", "QL10", "--out", str(plain)]) == 0
    assert "QGIS project: geopackage:" in capsys.readouterr().out
    project = check_package_project(_move(plain, tmp_path / "b"), province, [tmp_path, ROOT])
    project.clear()
    bare = tmp_path / "c.gpkg"
    assert main(["package", "--db", province, "--area", "340", "--out", str(bare),
                 "--no-project"]) == 0
    assert "QGIS project: not embedded (--no-project)" in capsys.readouterr().out
    with sqlite3.connect(bare) as conn:
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'qgis_projects'"
                                ).fetchall()


def test_photo_and_relation_editors_work_from_the_moved_package(empty_project, province,
                                                                tmp_path, monkeypatch):
    """As a crew sees it: the package copied to a tablet folder with a photo beside it,
    QGIS started elsewhere; the bridge form at QGIS's default size lists its inspections and
    its photo, whose preview is found relative to the package (screenshots in
    test-artifacts/package_project/, looked at)."""
    from qgis.core import QgsExpression, QgsFeatureRequest
    from qgis.gui import QgsAttributeDialog, QgsAttributeEditorContext, QgsExternalResourceWidget
    from qgis.PyQt.QtGui import QColor, QImage
    from qgis.PyQt.QtWidgets import QApplication, QTabWidget
    from roadinfra.core.db import open_database
    from roadinfra.plugin.sync.project import project_uri

    from tests.support.package_project import by_table

    made = tmp_path / "office" / "p.gpkg"
    made.parent.mkdir()
    assert main(["package", "--db", province, "--area", "340", "--out", str(made)]) == 0
    tablet = _move(made, tmp_path / "tablet")
    (tablet.parent / "photos").mkdir()
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#4a7a9c"))
    assert image.save(str(tablet.parent / "photos" / "cau.jpg"))
    bridge = live_ids(str(tablet), "bridge")[0]
    with open_database(str(tablet)) as db:
        db.insert("attachment", [{"id": "5b0e7c1e-0c1a-4c55-9a43-2f8f5f0f6a01",
                                  "target_table": "bridge", "target_id": bridge,
                                  "kind": "photo", "file_path": "photos/cau.jpg",
                                  "caption": "Mặt cầu"}], user="tablet")
    monkeypatch.chdir(tmp_path)   # not the package's folder
    assert empty_project.read(project_uri(str(tablet)))
    layer = by_table(empty_project)["bridge"]
    feature = next(layer.getFeatures(QgsFeatureRequest(QgsExpression(f"\"id\" = '{bridge}'"))))
    dialog = QgsAttributeDialog(layer, feature, False, None, True, QgsAttributeEditorContext())
    dialog.resize(652, 508)
    dialog.show()
    tabs = dialog.findChild(QTabWidget)
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    folder = ROOT / "test-artifacts" / "package_project"
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        for _ in range(60):
            QApplication.processEvents()
        assert dialog.grab().save(str(folder / f"bridge_form_{index}.png"))
    photos = [w for w in dialog.findChildren(QgsExternalResourceWidget)]
    assert photos, titles
    assert {w.documentPath() for w in photos} == {"photos/cau.jpg"}
    assert {Path(w.defaultRoot()) for w in photos} == {tablet.parent}
    dialog.close()
    dialog.deleteLater()
    QApplication.processEvents()


def test_cancel_while_the_project_is_stored_says_the_package_exists(roadinfra_provider,
                                                                    province, tmp_path):
    """Cancel pressed once the package is made and registered (the project step): too late
    to undo; the algorithm says the package exists, registered, without its project."""
    import processing
    from qgis.core import QgsProcessingFeedback

    made = tmp_path / "p.gpkg"

    class CancelAfterPackaging(QgsProcessingFeedback):
        errors = []

        def isCanceled(self):  # noqa: N802 - Qt API
            return made.exists()

        def reportError(self, error, fatalError=False):  # noqa: N802, N803 - Qt API
            self.errors.append(error)

    feedback = CancelAfterPackaging()
    try:
        result = processing.run("roadinfra:package", {
            "DATABASE": province, "KIND": 0, "VALUE": "340", "OUTPUT": str(made)},
            feedback=feedback)
        assert result["PACKAGE"] == str(made)
    except Exception as exc:  # QGIS may end a cancelled algorithm with an exception
        assert "cancel" in str(exc).lower()
    with sqlite3.connect(str(made)) as conn:  # no project stored
        assert not conn.execute("SELECT count(*) FROM sqlite_master "
                                "WHERE name = 'qgis_projects'").fetchone()[0]
    assert any(f"the package {made} is made and registered on the server, without its "
               "QGIS project" in e for e in feedback.errors), feedback.errors

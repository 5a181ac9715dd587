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

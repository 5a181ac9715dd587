"""The printed condition map: an A3 PDF of the network's pavement and structure condition.

:func:`export_condition_map` opens a RoadInfra GeoPackage in a fresh ``QgsProject`` with the
plugin's layer loader (its committed QML styles: PCI colours, bridge and culvert condition,
route labels, boundaries), fills the layout template ``resources/layouts/condition_map_a3.qpt``
(built by ``scripts/build_layouts.py``) and exports it with ``QgsLayoutExporter``. The numbers
in the summary table are :func:`roadinfra.core.condition.summary.summary_rows`, the rows of
the condition panel and ``roadinfra condition summary``.

The map is printed in the language asked for (``vi`` or ``en``), whatever the language of
the QGIS session: the texts are marked for pylupdate5 and translated with RoadInfra's
compiled ``.qm`` of that language.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Callable, List, Tuple

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsBasicNumericFormat,
    QgsCoordinateReferenceSystem,
    QgsFeedback,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsMapLayerLegendUtils,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from ...core.condition.summary import ConditionSummary, condition_summary, summary_rows
from ...core.db import open_database
from ...core.errors import Cancelled, RoadInfraError
from ...core.labels import Label, language
from ...core.sample_data import USER as SAMPLE_USER
from ...core.version import __version__
from ..database.layers import load_database_layers
from ..i18n import translate_to
from .layout_io import export_pdf, load_template
from .summary_table import fill_summary_table

TEMPLATE = Path(__file__).resolve().parents[2] / "resources" / "layouts" / "condition_map_a3.qpt"
NORTH_ARROW_SVG = "arrows/NorthArrow_02.svg"
#: Layers drawn on the map, top first (calibration points would clutter a province map).
MAP_TABLES = ("load_station", "bridge", "culvert", "pavement_section", "route", "admin_unit")
#: Layers in the legend, in legend order.
LEGEND_TABLES = ("pavement_section", "bridge", "culvert", "route", "load_station")

# Texts of the map (English source, Vietnamese in resources/i18n/roadinfra_vi.ts).
TEXTS = {
    "title": QT_TR_NOOP("Pavement and structure condition map — {province} province"),
    "subtitle": QT_TR_NOOP("{agency} · {km} km of pavement sections, {bridges} bridges, "
                           "{culverts} culverts"),
    "legend": QT_TR_NOOP("Legend"),
    "pavement_layer": QT_TR_NOOP("Pavement condition (PCI)"),
    "bridge_layer": QT_TR_NOOP("Bridges (latest inspection)"),
    "culvert_layer": QT_TR_NOOP("Culverts (latest inspection)"),
    "route_layer": QT_TR_NOOP("Routes"),
    "station_layer": QT_TR_NOOP("Load-control stations"),
    "crs": QT_TR_NOOP("Coordinate system: {crs} (EPSG:{epsg})"),
    "date": QT_TR_NOOP("Printed on {date}"),
    "credits_sample": QT_TR_NOOP(
        "Province boundary: geoBoundaries.org (Runfola et al. 2020). QL10 centre-line: "
        "LegoCity, CC BY-SA 4.0. Bridges, culverts, pavement sections, surveys and weigh "
        "stations: synthetic assets (RoadInfra sample data), not facts about real roads."),
    "credits_database": QT_TR_NOOP("Data: {agency}, database {database}."),
    "made_with": QT_TR_NOOP("Made with RoadInfra {version} and QGIS {qgis}."),
}


class ConditionMapError(RoadInfraError):
    """The condition map could not be printed (the message names the file)."""


def text(key: str, lang: str, **fields: Any) -> str:
    """The map text ``key`` in ``lang`` (English when no translation is compiled)."""
    return translate_to(TEXTS[key], lang).format(**fields)


def _km(metres: float) -> str:
    return f"{metres / 1000.0:.2f}"


def is_sample_database(db) -> bool:
    """True when the assets were loaded from RoadInfra's synthetic sample (``roadinfra demo``)."""
    return any(row.get("created_by") == SAMPLE_USER
               for table in ("pavement_section", "bridge") for row in db.fetch(table))


#: The summary table of the map: PCI classes, structures, overloaded share.
MAP_SECTIONS = ("pci", "structures", "overloaded")


def table_rows(summary: ConditionSummary, lang: str) -> Tuple[List[List[str]], List[int]]:
    """The cells of the map's summary table and the numbers of its bold rows (headers and
    totals): :func:`summary_rows` of the map's sections."""
    rows = summary_rows(summary, lang, MAP_SECTIONS)
    return ([list(row.cells) for row in rows],
            [n for n, row in enumerate(rows) if row.kind in ("header", "total")])


def _item(layout: QgsPrintLayout, item_id: str, kind: type):
    item = layout.itemById(item_id)
    if not isinstance(item, kind):
        raise ConditionMapError(f"{TEMPLATE}: the layout template has no {kind.__name__} "
                                f"with id '{item_id}'")
    return item


def _map_extent(layers) -> QgsRectangle:
    extent = QgsRectangle(layers["admin_unit"].extent())
    if extent.isEmpty():
        extent = QgsRectangle()
        for name in ("route", "pavement_section", "bridge", "culvert"):
            if not layers[name].extent().isEmpty():
                extent.combineExtentWith(layers[name].extent())
    extent.scale(1.04)
    return extent


def _fit(extent: QgsRectangle, ratio: float) -> QgsRectangle:
    """``extent`` grown around its centre to the width/height ``ratio`` of the map item
    (``QgsLayoutItemMap.setExtent`` would resize the item instead)."""
    width, height = extent.width(), extent.height()
    if width / height < ratio:
        width = height * ratio
    else:
        height = width / ratio
    centre = extent.center()
    return QgsRectangle(centre.x() - width / 2, centre.y() - height / 2,
                        centre.x() + width / 2, centre.y() + height / 2)


def _fill_legend(legend: QgsLayoutItemLegend, layers, lang: str) -> None:
    names = {"pavement_section": "pavement_layer", "bridge": "bridge_layer",
             "culvert": "culvert_layer", "route": "route_layer", "load_station": "station_layer"}
    legend.setAutoUpdateModel(False)
    legend.setTitle(text("legend", lang))
    root = legend.model().rootGroup()
    root.removeAllChildren()
    model = legend.model()
    for table in LEGEND_TABLES:
        node = root.addLayer(layers[table])
        node.setUseLayerName(False)  # else setName renames the layer itself
        node.setName(text(names[table], lang))
        if len(model.layerLegendNodes(node)) == 1:
            # a single symbol is drawn beside its label, which is the layer's own name
            QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, 0, text(names[table], lang))
            model.refreshLayerLegend(node)
    legend.updateLegend()


#: A scale bar shorter than this on the ground (m) is drawn in metres, a longer one in km.
SCALE_BAR_KM_FROM_M = 2000.0


def _distance_unit(name: str):
    """``Meters``/``Kilometers`` of QGIS's distance units (``Qgis.DistanceUnit`` from QGIS
    3.30, ``QgsUnitTypes.DistanceUnit`` before)."""
    scoped = getattr(Qgis, "DistanceUnit", None)
    if scoped is not None:
        return getattr(scoped, name)
    return getattr(QgsUnitTypes.DistanceUnit, f"Distance{name}")


def scale_bar(bar: QgsLayoutItemScaleBar, map_item: QgsLayoutItemMap, lang: str) -> None:
    """Link ``bar`` to ``map_item`` (its extent set) in metres when the longest bar the
    template allows (its maximum bar width) spans less than :data:`SCALE_BAR_KM_FROM_M` on the
    ground, else in km, its numbers in the sheet's language (``lang``: vi ``1.000``/``0,5``,
    en ``1,000``/``0.5``)."""
    bar.setLinkedMap(map_item)
    width_mm = map_item.rect().width()
    ground = (map_item.extent().width() * bar.maximumBarWidth() / width_mm) if width_mm else 0.0
    metres = ground < SCALE_BAR_KM_FROM_M
    bar.setUnits(_distance_unit("Meters" if metres else "Kilometers"))
    bar.setMapUnitsPerScaleBarUnit(1.0)
    bar.setUnitLabel("m" if metres else "km")
    numbers = QgsBasicNumericFormat()
    numbers.setShowThousandsSeparator(True)
    numbers.setThousandsSeparator("." if lang == "vi" else ",")
    numbers.setDecimalSeparator("," if lang == "vi" else ".")
    bar.setNumericFormat(numbers)
    bar.update()


def fill_sheet_items(layout: QgsPrintLayout, map_item: QgsLayoutItemMap, rows, profile,
                     crs, lang: str, text: Callable[..., str], credits: str,
                     error: type) -> None:
    """The items every sheet of this A3 template shares, for any map printed on it: scale
    bar and north arrow linked to ``map_item``, the summary table (``rows``: cells and
    header rows), and the CRS, date and credits lines (``text``: the sheet's own texts with
    the keys ``crs``, ``date`` and ``made_with``); a template that lacks the table raises
    ``error``."""
    scale_bar(_item(layout, "scale_bar", QgsLayoutItemScaleBar), map_item, lang)
    north = _item(layout, "north_arrow", QgsLayoutItemPicture)
    north.setLinkedMap(map_item)
    svg = next((Path(folder) / NORTH_ARROW_SVG for folder in QgsApplication.svgPaths()
                if (Path(folder) / NORTH_ARROW_SVG).is_file()), None)
    if svg is not None:
        north.setPicturePath(str(svg))
    fill_summary_table(_item(layout, "summary_table", QgsLayoutFrame), *rows, TEMPLATE, error,
                       lang)
    crs_name = profile.section("crs").get("name") or crs.description()
    _item(layout, "crs", QgsLayoutItemLabel).setText(
        text("crs", lang, crs=crs_name, epsg=profile.crs_epsg))
    today = datetime.date.today()
    date = Label(today.strftime("%d/%m/%Y"), today.isoformat()).text(lang)
    _item(layout, "date", QgsLayoutItemLabel).setText(text("date", lang, date=date))
    _item(layout, "credits", QgsLayoutItemLabel).setText(
        credits + "\n" + text("made_with", lang, version=__version__, qgis=Qgis.QGIS_VERSION))


def _build_layout(project, loaded, summary, profile, database: Path, lang: str,
                  title: str | None, sample: bool) -> QgsPrintLayout:
    layout = load_template(project, TEMPLATE, ConditionMapError)
    layers = loaded.layers
    province = profile.section("province")
    agency = Label.of(province, "agency").text(lang)
    _item(layout, "title", QgsLayoutItemLabel).setText(
        title or text("title", lang, province=Label.of(province, "name").text(lang)))
    _item(layout, "subtitle", QgsLayoutItemLabel).setText(text(
        "subtitle", lang, agency=agency, km=_km(summary.pavement.length_m),
        bridges=summary.bridges.count, culverts=summary.culverts.count))

    crs = QgsCoordinateReferenceSystem(f"EPSG:{profile.crs_epsg}")
    project.setCrs(crs)
    map_item = _item(layout, "map", QgsLayoutItemMap)
    map_item.setCrs(crs)
    map_item.setLayers([layers[name] for name in MAP_TABLES])
    map_item.setKeepLayerSet(True)
    ratio = map_item.rect().width() / map_item.rect().height()
    map_item.setExtent(_fit(_map_extent(layers), ratio))

    _fill_legend(_item(layout, "legend", QgsLayoutItemLegend), layers, lang)
    _item(layout, "legend", QgsLayoutItemLegend).setLinkedMap(map_item)
    credits = (text("credits_sample", lang) if sample else text(
        "credits_database", lang, agency=agency, database=database.name))
    fill_sheet_items(layout, map_item, table_rows(summary, lang), profile, crs, lang, text,
                     credits, ConditionMapError)
    return layout


def _printing_project(pdf_path: Path, database: Path) -> QgsProject:
    """The project the map is built in: QGIS's current project when it is empty, else a
    project of its own when the current one has this database open.

    On QGIS 3.22 a ``QgsRelation`` resolves its layers in ``QgsProject.instance()`` and the
    styles' ``relation_aggregate()`` (PCI of the latest survey, condition of the latest
    inspection) looks relations up there too, so a separate ``QgsProject`` prints grey
    sections and structures, unless the current project holds the same relations on the
    same database: the one "Open provincial database..." opened. ``roadinfra:print_condition_map``
    calls this in the print worker, a QGIS process of its own whose project starts empty, so
    it prints beside any open project; the user's own project is never touched, and a direct
    caller whose project holds another database (or none) gets an error.
    """
    from ..database.connections import core_target
    from ..database.layers import project_database

    project = QgsProject.instance()
    if not project.mapLayers() and not project.fileName():
        return project
    opened = project_database(project)
    if opened and Path(core_target(opened)).resolve() == database.resolve():
        return QgsProject()
    raise ConditionMapError(
        f"{pdf_path}: the condition map is printed in an empty QGIS project or in the one "
        f"where this database is open (run it through roadinfra:print_condition_map, which "
        f"prints in a process of its own)")


def export_condition_map(database, pdf_path, lang: str = "vi", title: str | None = None,
                         feedback: QgsFeedback | None = None) -> Path:
    """Print the condition map of the GeoPackage ``database`` to ``pdf_path``; return its path.

    ``lang`` is ``vi`` or ``en``; ``title`` replaces the title built from the profile's
    province name. Progress and cancellation go through ``feedback``. Raises
    :class:`ConditionMapError` naming the file when the database cannot be read, the
    template is broken or the PDF cannot be written, ``Cancelled`` when the user cancelled.
    """
    feedback = feedback or QgsFeedback()
    lang = language(lang)
    database = Path(database)
    pdf_path = Path(pdf_path)
    if not database.is_file():
        raise ConditionMapError(f"{database}: database file not found")

    def check_cancelled():
        if feedback.isCanceled():
            raise Cancelled(f"{pdf_path}: printing cancelled")

    project = _printing_project(pdf_path, database)
    db = open_database(database)
    try:
        profile = db.profile
        summary = condition_summary(db, progress=lambda p: feedback.setProgress(0.2 * p),
                                    is_cancelled=feedback.isCanceled)
        sample = is_sample_database(db)
    except RoadInfraError:
        check_cancelled()
        raise
    finally:
        db.close()
    check_cancelled()
    layout = None
    try:
        loaded = load_database_layers(database, project=project, lang=lang, profile=profile,
                                      progress=lambda p: feedback.setProgress(20 + 0.4 * p))
        check_cancelled()
        layout = _build_layout(project, loaded, summary, profile, database, lang, title, sample)
        feedback.setProgress(65)
        check_cancelled()
        export_pdf(layout, pdf_path, ConditionMapError)
    finally:
        del layout
        project.clear()
    feedback.setProgress(100)
    return pdf_path

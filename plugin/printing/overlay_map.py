"""The printed corridor overlay: an A3 PDF of the parcels in the road-protection corridors, the
encroachments and the land to acquire for a widening.

:func:`export_overlay_map` reads the layers written by ``roadinfra cadastre overlay -o
FILE.gpkg`` (or the Processing algorithm): ``corridors``, ``corridor_parcels``,
``encroachment`` and ``land_acquisition``, styles them, and fills the same A3 layout template
as the condition map (``resources/layouts/condition_map_a3.qpt``: title, map, legend, scale
bar, north arrow, summary table, CRS, date, credits: the credits cite the profile and the
regulation of the corridor widths, with its caveat, that the ``corridors`` layer records: those
the widths were computed with, whichever profile gives the map its province). The map shows
the land to acquire when there is any, else the encroachments, else every parcel in the
corridors. The parcels to
acquire, the encroaching ones and those in the corridors carry their sheet/parcel number, the
road land its route and a widening its Km range (where legible: QGIS leaves out a label that
does not fit). The summary table lists, per route and zone, the parcels and the area inside,
and per widening the parcels and the area to acquire (each parcel counted once, whatever its
places); the subtitle counts the encroaching parcels and buildings, each once.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, List, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeedback,
    QgsFillSymbol,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsPalLayerSettings,
    QgsProject,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from ...core.errors import Cancelled, RoadInfraError
from ...core.labels import Label, language
from ...core.printing.plan_sheets import number_text
from ...core.profile import Profile, load_profile
from ..i18n import translate_to
from .condition_map import TEMPLATE, _fit, _item, fill_sheet_items
from .layout_io import export_pdf, load_template

#: Layers of the overlay GeoPackage, top of the map first, with their fill and outline.
LAYERS = (
    ("land_acquisition", "#e31a1c", "#99000d", "acquisition_layer"),
    ("encroachment", "#ff7f00", "#a63603", "encroachment_layer"),
    ("corridor_parcels", "#fdd49e", "#636363", "parcels_layer"),
    ("corridors", "#d9d9d9", "#969696", "corridor_layer"),
)
TEXTS = {
    "title": QT_TR_NOOP("Cadastral parcels in the road-protection corridors — {province} "
                        "province"),
    "subtitle": QT_TR_NOOP("{agency} · {pieces} parcel parts in corridors; encroaching: "
                           "{parcels} parcels, {buildings} buildings; {acquired} parcels to "
                           "acquire"),
    "legend": QT_TR_NOOP("Legend"),
    "acquisition_layer": QT_TR_NOOP("Land to acquire (widening)"),
    "encroachment_layer": QT_TR_NOOP("Encroachment"),
    "parcels_layer": QT_TR_NOOP("Parcels in corridors"),
    "corridor_layer": QT_TR_NOOP("Road land and safety corridor"),
    "head_zone": QT_TR_NOOP("Route / zone"),
    "head_parcels": QT_TR_NOOP("Parcels"),
    "head_area": QT_TR_NOOP("Area (m²)"),
    "road_land": QT_TR_NOOP("road land"),
    "safety_corridor": QT_TR_NOOP("safety corridor"),
    "widening": QT_TR_NOOP("Widening {name}"),
    "crs": QT_TR_NOOP("Coordinate system: {crs} (EPSG:{epsg})"),
    "date": QT_TR_NOOP("Printed on {date}"),
    "credits": QT_TR_NOOP("Cadastre: {source}. Corridor widths: profile {profile}, "
                          "{regulation}."),
    "credits_unrecorded": QT_TR_NOOP("Cadastre: {source}. Corridor widths: their profile and "
                                     "regulation are not recorded in this overlay file "
                                     "(written by an older RoadInfra): run the overlay "
                                     "again."),
    "made_with": QT_TR_NOOP("Made with RoadInfra {version} and QGIS {qgis}."),
}


#: The label of each layer's features (a QGIS expression): the parcel as ``sheet/number``
#: on its largest row of the layer (once, whatever its zones and places; sheets and parcels
#: are numbered per commune, so a parcel is its commune, sheet and number), as
#: ``commune: sheet/number`` when the map shows parcels of several communes; the road land
#: its route, a widening its Km range.
PARCEL = "coalesce(\"sheet_no\" || '/', '') || \"parcel_no\""
PARCEL_KEY = f"coalesce(\"commune_code\", '') || ':' || {PARCEL}"
PARCEL_LABEL = (f"CASE WHEN \"parcel_no\" IS NOT NULL AND \"area_in_m2\" = maximum("
                f"\"area_in_m2\", group_by:={PARCEL_KEY}) THEN {{text}} END")
COMMUNE_PARCEL = f"coalesce(\"commune_code\" || ': ', '') || {PARCEL}"
KM = "'Km' || floor({m} / 1000) || '+' || lpad(to_string(round({m}) % 1000), 3, '0')"
CORRIDOR_LABEL = ("CASE WHEN \"zone\" = 'widening' THEN \"route\" || ' ' || "
                  + KM.format(m='"from_m"') + " || ' - ' || " + KM.format(m='"to_m"')
                  + " WHEN \"zone\" = 'road_land' THEN \"route\" END")
LABELS = {"land_acquisition": 8.0, "encroachment": 8.0, "corridor_parcels": 7.0,
          "corridors": 8.0}


def label_expression(name: str, communes: int) -> str:
    """The label of layer ``name``'s features when the map shows parcels of ``communes``
    communes."""
    if name == "corridors":
        return CORRIDOR_LABEL
    return PARCEL_LABEL.format(text=COMMUNE_PARCEL if communes > 1 else PARCEL)


class OverlayMapError(RoadInfraError):
    """The overlay map could not be printed (the message names the file)."""


def text(key: str, lang: str, **fields: Any) -> str:
    """The map text ``key`` in ``lang`` (English when no translation is compiled)."""
    return translate_to(TEXTS[key], lang).format(**fields)


def _layers(overlay: Path, project: QgsProject, lang: str) -> dict:
    out = {}
    for name, fill, outline, label in LAYERS:
        layer = QgsVectorLayer(f"{overlay}|layername={name}", text(label, lang), "ogr")
        if not layer.isValid():
            raise OverlayMapError(f"{overlay}: no layer {name!r}; write it with roadinfra "
                                  "cadastre overlay -o FILE.gpkg")
        symbol = QgsFillSymbol.createSimple({"color": fill, "outline_color": outline,
                                             "outline_width": "0.15"})
        layer.setRenderer(QgsSingleSymbolRenderer(symbol))  # an empty layer may have none
        project.addMapLayer(layer, False)
        out[name] = layer
    communes = {f["commune_code"] for name in ("corridor_parcels", "encroachment",
                                               "land_acquisition")
                for f in out[name].getFeatures()
                if out[name].fields().indexOf("commune_code") >= 0
                and _given(f["commune_code"])}
    for name, layer in out.items():
        _label(layer, label_expression(name, len(communes)), LABELS[name])
    return out


def _label(layer: QgsVectorLayer, expression: str, size: float) -> None:
    """Labels of ``expression`` in ``size`` pt with a white halo, never overlapping (QGIS
    leaves out those that do not fit)."""
    settings = QgsPalLayerSettings()
    settings.isExpression = True
    settings.fieldName = expression
    text = QgsTextFormat()
    text.setSize(size)
    halo = QgsTextBufferSettings()
    halo.setEnabled(True)
    halo.setSize(0.6)
    text.setBuffer(halo)
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def counts(layers: dict) -> dict:
    """The subtitle's counts: parcel parts in corridors; the encroaching parcels and buildings
    and the parcels to acquire, each counted once."""
    def parcels(layer) -> int:
        return len({_parcel_key(f) for f in layer.getFeatures()
                    if "parcel_no" not in f.fields().names() or _given(f["parcel_no"])})

    encroachment = layers["encroachment"]
    named = encroachment.fields().indexOf("building") >= 0
    buildings = {f["building"] if named else f.id() for f in encroachment.getFeatures()
                 if f["part"] == "building"}
    return {"pieces": layers["corridor_parcels"].featureCount(),
            "parcels": parcels(encroachment), "buildings": len(buildings),
            "acquired": parcels(layers["land_acquisition"])}


def _given(value) -> bool:
    return value is not None and str(value) not in ("", "NULL")


def table_rows(layers: dict, lang: str) -> Tuple[List[List[str]], List[int]]:
    """Summary cells: per route and zone parcels and area inside; per widening the same for
    the land to acquire; the numbers of the header rows."""
    zones: dict = defaultdict(lambda: [set(), 0.0])  # (parcels, area): a parcel once
    for feature in layers["corridor_parcels"].getFeatures():
        key = (feature["route"], feature["zone"])
        zones[key][0].add(_parcel_key(feature))
        zones[key][1] += float(feature["area_in_m2"] or 0.0)
    takes: dict = defaultdict(lambda: [set(), 0.0])
    for feature in layers["land_acquisition"].getFeatures():
        takes[feature["widening"]][0].add(_parcel_key(feature))
        takes[feature["widening"]][1] += float(feature["area_in_m2"] or 0.0)
    rows = [[text("head_zone", lang), text("head_parcels", lang), text("head_area", lang)]]
    for (route, zone), (keys, area) in sorted(zones.items()):
        rows.append([f"{route} · {text(zone, lang) if zone in TEXTS else zone}",
                     str(len(keys)), number_text(area, 0, lang)])
    for name, (keys, area) in sorted(takes.items()):
        rows.append([text("widening", lang, name=name), str(len(keys)),
                     number_text(area, 0, lang)])
    return rows, [0]


PARCEL_KEY = ("commune_code", "sheet_no", "parcel_no")


def _parcel_key(feature) -> tuple:
    """The parcel a feature is a piece of (each feature its own without the fields)."""
    names = feature.fields().names()
    if all(name in names for name in PARCEL_KEY):
        return tuple(feature[name] for name in PARCEL_KEY)
    return ("feature", feature.id())


def recorded_credits(corridors: QgsVectorLayer, source: str, lang: str) -> str:
    """The credits line: the profile and the regulation the overlay's corridor widths were
    computed with, as its ``corridors`` layer records them (``profile``, ``regulation_en``,
    ``regulation_vi``: :data:`~roadinfra.core.cadastre.overlay.REGULATION_COLUMNS`), never
    the profile given at print time; said not recorded for an overlay written before."""
    names = corridors.fields().names()
    column = f"regulation_{lang}"
    if "profile" in names and column in names:
        for feature in corridors.getFeatures():
            if _given(feature["profile"]) and _given(feature[column]):
                return text("credits", lang, source=source, profile=feature["profile"],
                            regulation=feature[column])
    return text("credits_unrecorded", lang, source=source)


def _extent(layers: dict) -> QgsRectangle:
    for name in ("land_acquisition", "encroachment", "corridor_parcels", "corridors"):
        layer = layers[name]
        if layer.featureCount() and not layer.extent().isEmpty():
            extent = QgsRectangle(layer.extent())
            extent.grow(max(extent.width(), extent.height()) * 0.15 + 20.0)
            return extent
    raise OverlayMapError("the overlay has no parcels and no corridors to print")


def export_overlay_map(overlay, pdf_path, lang: str = "vi", profile: Profile | str | None = None,
                       title: str | None = None, feedback: QgsFeedback | None = None) -> Path:
    """Print the overlay GeoPackage ``overlay`` (see the module docstring) to ``pdf_path``;
    ``profile`` (a profile, its id or file) gives the province's name, agency and CRS."""
    feedback = feedback or QgsFeedback()
    lang = language(lang)
    overlay, pdf_path = Path(overlay), Path(pdf_path)
    if not overlay.is_file():
        raise OverlayMapError(f"{overlay}: overlay file not found")
    profile = profile if isinstance(profile, Profile) else load_profile(profile)
    project = QgsProject()
    layout = None
    try:
        layers = _layers(overlay, project, lang)
        if layers["land_acquisition"].featureCount() or layers["encroachment"].featureCount():
            layers["corridor_parcels"].setLabelsEnabled(False)  # the map is about those
        feedback.setProgress(20)
        layout = load_template(project, TEMPLATE, OverlayMapError)
        province = profile.section("province")
        agency = Label.of(province, "agency").text(lang)
        _item(layout, "title", QgsLayoutItemLabel).setText(
            title or text("title", lang, province=Label.of(province, "name").text(lang)))
        _item(layout, "subtitle", QgsLayoutItemLabel).setText(text(
            "subtitle", lang, agency=agency, **counts(layers)))
        crs = QgsCoordinateReferenceSystem(f"EPSG:{profile.crs_epsg}")
        project.setCrs(crs)
        map_item = _item(layout, "map", QgsLayoutItemMap)
        map_item.setCrs(crs)
        map_item.setLayers([layers[name] for name, *_ in LAYERS])
        map_item.setKeepLayerSet(True)
        ratio = map_item.rect().width() / map_item.rect().height()
        map_item.setExtent(_fit(_extent(layers), ratio))
        legend = _item(layout, "legend", QgsLayoutItemLegend)
        legend.setAutoUpdateModel(False)
        legend.setTitle(text("legend", lang))
        root = legend.model().rootGroup()
        root.removeAllChildren()
        for name, *_ in LAYERS:
            root.addLayer(layers[name])
        legend.updateLegend()
        legend.setLinkedMap(map_item)
        fill_sheet_items(layout, map_item, table_rows(layers, lang), profile, crs, lang, text,
                         recorded_credits(layers["corridors"], overlay.name, lang),
                         OverlayMapError)
        feedback.setProgress(60)
        if feedback.isCanceled():
            raise Cancelled(f"{pdf_path}: printing cancelled")
        export_pdf(layout, pdf_path, OverlayMapError)
    finally:
        del layout
        project.clear()
    feedback.setProgress(100)
    return pdf_path

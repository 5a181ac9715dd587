"""Generate the QML layer styles in resources/styles and their index from the schema and profile.

Run with the project venv (PyQGIS, headless):

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_styles.py

Condition classes (PCI and IRI bands) come from the jurisdiction profile, bridge and culvert
condition classes from the rating schemes, field names from the schema definition: change
those, rerun the script, commit the regenerated files. Each style is written once per language
(legend labels differ) and saved with symbology and labels only, so it never overrides the
field aliases, widgets and constraints the layer setup derives from the schema.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

# Qt randomises XML attribute order per process; a fixed seed makes the files reproducible.
os.environ.setdefault("QT_HASH_SEED", "0")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsField,
    QgsFields,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMapLayer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtGui import QColor, QFont
from roadinfra.core.condition.summary import (
    STRUCTURE_CLASS_LABELS,
    STRUCTURE_CLASSES,
    rating_scheme,
)
from roadinfra.core.profile import Profile, load_profile
from roadinfra.core.schema import CODELISTS, TABLES
from roadinfra.plugin.database.naming import relation_id

ROOT = Path(__file__).resolve().parents[1]
STYLE_DIR = ROOT / "resources" / "styles"
LANGS = ("vi", "en")

# ASTM D6433 colour scale of the seven PCI ratings, best to worst.
PCI_COLOURS = ("#006d2c", "#74c476", "#ffeb3b", "#fc9272", "#e31a1c", "#800026", "#636363")
# Roughness bands, best to worst (three bands by default; more take the later colours).
IRI_COLOURS = ("#1a9641", "#a6d96a", "#fdae61", "#d7191c", "#7f0000")
NO_DATA_COLOUR = "#9e9e9e"

STRUCTURE_COLOURS = {"good": "#1a9641", "fair": "#fdae61", "poor": "#d7191c",
                     "none": NO_DATA_COLOUR}
NOT_SURVEYED = ("Chưa khảo sát", "Not surveyed")

_QVARIANT = {
    "uuid": QVariant.String, "text": QVariant.String, "json": QVariant.String,
    "integer": QVariant.Int, "real": QVariant.Double, "boolean": QVariant.Bool,
    "date": QVariant.Date, "datetime": QVariant.DateTime,
}


def scheme_class_sql(scheme) -> str:
    """QGIS expression of an inspection's class under one rating scheme (its data file)."""
    if scheme.higher_is_better:
        op, good, fair = ">=", scheme.classes["good_from"], scheme.classes["fair_from"]
    else:
        op, good, fair = "<=", scheme.classes["good_to"], scheme.classes["fair_to"]
    return (f"CASE WHEN \"overall_rating\" {op} {good} THEN 'good' "
            f"WHEN \"overall_rating\" {op} {fair} THEN 'fair' ELSE 'poor' END")


def structure_class_expression(child_table: str, column: str) -> str:
    """Condition class of the latest inspection of a structure (evaluated on the structure).

    Same rules as ``roadinfra.core.condition.summary.structure_class``.
    """
    per_scheme = " ".join(
        f"WHEN \"scheme\" = '{name}' THEN {scheme_class_sql(rating_scheme(name))}"
        for name in CODELISTS["rating_scheme"].codes)
    child = (
        "CASE WHEN \"overall_rating\" IS NULL THEN NULL "
        "WHEN \"structurally_deficient\" THEN 'poor' "
        f"{per_scheme} ELSE NULL END"
    )
    latest = (
        f"array_last(array_filter(relation_aggregate('{relation_id(child_table, column)}', "
        f"'array_agg', {child}, order_by:=\"inspection_date\"), @element IS NOT NULL))"
    )
    return f"coalesce({latest}, 'none')"


def band_expression(value: str, bounds: Sequence[float], lower: bool) -> str:
    """Band index (0 = best) of ``value`` for lower bounds (PCI) or upper bounds (IRI).

    Lower bounds: band i when value >= bounds[i]. Upper bounds: band i when value < bounds[i],
    the last band open. NULL stays NULL (not surveyed).
    """
    op = ">=" if lower else "<"
    whens = " ".join(f"WHEN {value} {op} {b} THEN {i}" for i, b in enumerate(bounds))
    return f"CASE WHEN {value} IS NULL THEN NULL {whens} ELSE {len(bounds)} END"


def latest_survey_value(field: str) -> str:
    """Latest non-null survey value of a pavement section, by survey date."""
    return (
        "array_last(array_filter(relation_aggregate("
        f"'{relation_id('pavement_survey', 'section_id')}', 'array_agg', \"{field}\", "
        "order_by:=\"survey_date\"), @element IS NOT NULL))"
    )


def _memory_layer(table_name: str, epsg: int) -> QgsVectorLayer:
    table = TABLES[table_name]
    geom = {"POINT": "Point", "LINESTRING": "LineString", "MULTILINESTRING": "MultiLineString",
            "MULTIPOLYGON": "MultiPolygon"}[table.geometry]
    layer = QgsVectorLayer(f"{geom}?crs=epsg:{epsg}", table_name, "memory")
    fields = QgsFields()
    for col in table.columns:
        fields.append(QgsField(col.name, _QVARIANT[col.type]))
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    return layer


def _symbol(geometry: str, colour: str, width: float = 0.8, size: float = 3.0, shape="circle"):
    if geometry == "POINT":
        return QgsMarkerSymbol.createSimple(
            {"name": shape, "color": colour, "size": str(size), "outline_color": "#232323",
             "outline_width": "0.2"})
    return QgsLineSymbol.createSimple(
        {"line_color": colour, "line_width": str(width), "capstyle": "round"})


def _categorised(layer, expression: str, classes: Sequence[Tuple[object, str, str]],
                 geometry: str, **symbol_kw) -> None:
    """classes: (value, colour, legend label); value None is the 'no data' class."""
    cats = [QgsRendererCategory(value if value is not None else "",
                                _symbol(geometry, colour, **symbol_kw), label)
            for value, colour, label in classes]
    renderer = QgsCategorizedSymbolRenderer(expression, cats)
    layer.setRenderer(renderer)


# Label placement of co-located points (a culvert at a kilometre post): structures on the
# right of their symbol, posts on the left, a gap around each, structures win when crowded.
RIGHT_SIDE = [QgsPalLayerSettings.TopRight, QgsPalLayerSettings.MiddleRight,
              QgsPalLayerSettings.BottomRight, QgsPalLayerSettings.TopSlightlyRight,
              QgsPalLayerSettings.BottomSlightlyRight]
LEFT_SIDE = [QgsPalLayerSettings.MiddleLeft, QgsPalLayerSettings.TopLeft,
             QgsPalLayerSettings.BottomLeft, QgsPalLayerSettings.TopSlightlyLeft,
             QgsPalLayerSettings.BottomSlightlyLeft]


def _labels(layer, expression: str, size: float = 8.0, line: bool = False,
            max_scale_denominator: float = 0.0, bold: bool = False, positions=None,
            priority: int = 5, distance_mm: float = 0.0, colour: str = "#000000",
            italic: bool = False) -> None:
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    fmt = QgsTextFormat()
    font = QFont("DejaVu Sans")
    font.setBold(bold)
    font.setItalic(italic)
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setColor(QColor(colour))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("white"))
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    if line:
        settings.placement = QgsPalLayerSettings.Curved
        settings.repeatDistance = 60
        settings.repeatDistanceUnit = 0  # millimetres
    else:
        settings.placement = QgsPalLayerSettings.OrderedPositionsAroundPoint
        if positions:
            settings.predefinedPositionOrder = positions
        settings.dist = distance_mm
    settings.priority = priority
    obstacle = settings.obstacleSettings()
    obstacle.setIsObstacle(True)
    obstacle.setFactor(2.0)  # other labels keep well clear of the symbols
    settings.setObstacleSettings(obstacle)
    if max_scale_denominator:
        settings.scaleVisibility = True
        settings.maximumScale = 0.0
        settings.minimumScale = max_scale_denominator
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _band_classes(labels: Sequence[str], colours: Sequence[str], no_data: str):
    classes = [(i, colours[min(i, len(colours) - 1)], label) for i, label in enumerate(labels)]
    classes.append((None, NO_DATA_COLOUR, no_data))
    return classes


def build_styles(profile: Profile) -> List[Dict[str, object]]:
    """Build every style; return the index entries (one per table/style)."""
    pci = profile.section("pavement.pci_bands")
    iri = profile.section("pavement.iri_bands")
    entries: List[Dict[str, object]] = []

    def style(table: str, name: str, label_vi: str, label_en: str, default: bool, make) -> None:
        files = {}
        for lang in LANGS:
            layer = _memory_layer(table, profile.crs_epsg)
            make(layer, lang)
            path = STYLE_DIR / f"{table}__{name}.{lang}.qml"
            message, ok = layer.saveNamedStyle(
                str(path), QgsMapLayer.Symbology | QgsMapLayer.Labeling)
            if not ok:
                raise RuntimeError(f"{path}: {message}")
            files[lang] = path.name
        entries.append({"table": table, "name": name, "label_vi": label_vi,
                        "label_en": label_en, "default": default,
                        "qml_vi": files["vi"], "qml_en": files["en"]})

    def lbl(lang, vi, en):
        return vi if lang == "vi" else en

    def route(layer, lang):
        symbol = QgsLineSymbol.createSimple({"line_color": "#ffffff", "line_width": "1.6"})
        casing = QgsLineSymbol.createSimple({"line_color": "#c0392b", "line_width": "2.4"})
        symbol.insertSymbolLayer(0, casing.symbolLayer(0).clone())
        renderer = QgsSingleSymbolRenderer(symbol)
        layer.setRenderer(renderer)
        _labels(layer, "\"code\"", size=9, line=True, bold=True)

    def calibration(layer, lang):
        layer.setRenderer(QgsSingleSymbolRenderer(_symbol("POINT", "#2c3e50", size=1.8)))
        _labels(layer, "coalesce(\"label\", 'Km' || to_string(floor(\"measure_m\" / 1000)))",
                size=6.5, max_scale_denominator=100000, positions=LEFT_SIDE, priority=3,
                distance_mm=1.2, colour="#37474f", italic=True)

    def pci_renderer(expression):
        def make(layer, lang):
            labels = pci[f"labels_{lang}"]
            classes = _band_classes(labels, PCI_COLOURS, lbl(lang, *NOT_SURVEYED))
            _categorised(layer, band_expression(expression, pci["lower"], lower=True), classes,
                         "LINESTRING", width=1.4)
        return make

    def iri_renderer(expression):
        def make(layer, lang):
            labels = iri[f"labels_{lang}"]
            classes = _band_classes(labels, IRI_COLOURS, lbl(lang, *NOT_SURVEYED))
            _categorised(layer, band_expression(expression, iri["upper_m_per_km"], lower=False),
                         classes, "LINESTRING", width=1.4)
        return make

    def structure(child_column, shape, size, max_scale, priority):
        def make(layer, lang):
            classes = [(key, STRUCTURE_COLOURS[key], STRUCTURE_CLASS_LABELS[key].text(lang))
                       for key in STRUCTURE_CLASSES + ("none",)]
            _categorised(layer, structure_class_expression("inspection", child_column), classes,
                         "POINT", shape=shape, size=size)
            _labels(layer, "\"code\"", size=7, max_scale_denominator=max_scale,
                    positions=RIGHT_SIDE, priority=priority, distance_mm=1.5)
        return make

    def station(layer, lang):
        layer.setRenderer(QgsSingleSymbolRenderer(
            _symbol("POINT", "#6a1b9a", size=4.0, shape="square")))
        _labels(layer, "\"code\"", size=8)

    def attachment(layer, lang):
        layer.setRenderer(QgsSingleSymbolRenderer(
            _symbol("POINT", "#0277bd", size=2.2, shape="triangle")))

    def plan_items(layer, lang):
        layer.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
            {"line_color": "#ef6c00", "line_width": "1.2", "line_style": "dash",
             "capstyle": "round"})))

    def section_outline(layer, lang):
        layer.setRenderer(QgsSingleSymbolRenderer(_symbol("LINESTRING", "#455a64", width=0.6)))

    def admin_units(layer, lang):
        def outline(colour, width, style_name):
            return QgsFillSymbol.createSimple(
                {"color": "0,0,0,0", "outline_color": colour, "outline_width": str(width),
                 "outline_style": style_name})
        cats = [
            QgsRendererCategory("province", outline("#37474f", 0.9, "solid"),
                                lbl(lang, "Ranh giới tỉnh", "Province boundary")),
            QgsRendererCategory("district", outline("#78909c", 0.35, "dash"),
                                lbl(lang, "Ranh giới huyện", "District boundary")),
            QgsRendererCategory("commune", outline("#b0bec5", 0.2, "dot"),
                                lbl(lang, "Ranh giới xã", "Commune boundary")),
        ]
        layer.setRenderer(QgsCategorizedSymbolRenderer("level", cats))
        _labels(layer, "CASE WHEN \"level\" = 'district' THEN \"name\" END", size=7.5)

    def parcels(layer, lang):
        layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
            {"color": "255,248,225,90", "outline_color": "#8d6e63", "outline_width": "0.15"})))
        _labels(layer, "\"parcel_no\"", size=6, max_scale_denominator=5000)

    style("admin_unit", "default", "Ranh giới hành chính", "Administrative boundaries", True,
          admin_units)
    style("cadastral_parcel", "default", "Thửa đất", "Cadastral parcels", True, parcels)
    style("route", "default", "Tuyến, nhãn số hiệu", "Routes with number labels", True, route)
    style("calibration_point", "default", "Cọc Km", "Kilometre posts", True, calibration)
    style("pavement_section", "pci", "Theo PCI (khảo sát gần nhất)",
          "By PCI (latest survey)", True, pci_renderer(latest_survey_value("pci")))
    style("pavement_section", "iri", "Theo IRI (khảo sát gần nhất)",
          "By IRI (latest survey)", False, iri_renderer(latest_survey_value("iri")))
    style("pavement_survey", "pci", "Theo PCI", "By PCI", True, pci_renderer("\"pci\""))
    style("pavement_survey", "iri", "Theo IRI", "By IRI", False, iri_renderer("\"iri\""))
    style("bridge", "condition", "Theo tình trạng (kiểm tra gần nhất)",
          "By condition (latest inspection)", True,
          structure("bridge_id", "circle", 4.2, 50000, 8))
    style("culvert", "condition", "Theo tình trạng (kiểm tra gần nhất)",
          "By condition (latest inspection)", True,
          structure("culvert_id", "diamond", 3.4, 30000, 6))
    style("load_station", "default", "Trạm cân", "Weigh stations", True, station)
    style("attachment", "default", "Vị trí ảnh", "Photo locations", True, attachment)
    style("plan_item", "default", "Hạng mục kế hoạch", "Plan items", True, plan_items)
    style("traffic_loading", "default", "Đoạn tải trọng", "Loading segments", True,
          section_outline)
    return entries


def write_index(entries: List[Dict[str, object]], profile: Profile) -> Path:
    lines = [
        "# Layer styles: table -> QML files (one per language). GENERATED by",
        "# scripts/build_styles.py from the schema definition and the profile",
        f"# '{profile.id}' (PCI bands: {profile.section('pavement.pci_bands')['source']};",
        f"# IRI bands: {profile.section('pavement.iri_bands')['source']}). Do not edit by hand.",
        "",
    ]
    for entry in entries:
        lines.append("[[style]]")
        for key in ("table", "name", "label_vi", "label_en", "default", "qml_vi", "qml_en"):
            value = entry[key]
            text = str(value).lower() if isinstance(value, bool) else repr_toml(value)
            lines.append(f"{key} = {text}")
        lines.append("")
    path = STYLE_DIR / "index.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def repr_toml(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=None, help="profile id or TOML path")
    args = parser.parse_args(argv)
    app = QgsApplication([], False)
    app.initQgis()
    STYLE_DIR.mkdir(parents=True, exist_ok=True)
    profile = load_profile(args.profile)
    entries = build_styles(profile)
    index = write_index(entries, profile)
    print(f"wrote {len(entries)} styles x {len(LANGS)} languages and {index}")
    # no exitQgis(): it can crash at interpreter shutdown on 3.22 after saving styles
    return 0


if __name__ == "__main__":
    sys.exit(main())


"""Load a RoadInfra database into a QGIS project, set up entirely from the schema definition.

One vector layer per schema table (system tables are skipped except the read-only change
history), grouped by theme in the layer tree (tables without data in one collapsed group),
with aliases, value maps, ranges, constraints, read-only system columns, hidden UUIDs and
their defaults, reference drop-downs by code, a tombstone filter, relations, relation editors
in tabbed forms that fit QGIS's default 652 x 508 dialog, and the styles listed in
``resources/styles/index.toml``.

Sources: a GeoPackage path (``path|layername=table``), or a PostgreSQL connection given as a
``QgsDataSourceUri``/conninfo string with ``service=`` or ``authcfg=`` (no password: the
credentials stay in ``pg_service.conf`` or the QGIS authentication database).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Union

from qgis.core import (
    QgsAttributeEditorContainer,
    QgsAttributeEditorField,
    QgsAttributeEditorRelation,
    QgsDataSourceUri,
    QgsDefaultValue,
    QgsEditFormConfig,
    QgsEditorWidgetSetup,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsField,
    QgsFieldConstraints,
    QgsLayerTreeGroup,
    QgsPolymorphicRelation,
    QgsProject,
    QgsRelation,
    QgsRelationContext,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ...core.errors import RoadInfraError
from ...core.profile import Profile, load_profile
from ...core.schema import CODELISTS, GEOMETRY_COLUMN, TABLES, Column, Table
from .. import field_types
from .naming import (
    ATTACHMENT_RELATION_ID,
    TABLE_PROPERTY,
    TABLE_VARIABLE,
    THEMES,
    relation_id,
    theme_name,
)
from .styles import apply_styles, style_index

NOT_NULL = QgsFieldConstraints.Constraint.ConstraintNotNull
UNIQUE = QgsFieldConstraints.Constraint.ConstraintUnique
EXPRESSION = QgsFieldConstraints.Constraint.ConstraintExpression

HISTORY_TABLE = "change_log"
TOMBSTONE_FILTER = '"deleted_at" IS NULL'
# GeoPackage layers carry an explicit SQLite locking option. QGIS 3.22 with GDAL >= 3.4.2 opens
# read-only GeoPackage layers lock-free (it forces NOLOCK=ON on those opens) and switches the
# file to WAL journal mode when a layer enters edit mode; SQLite cannot read a WAL file
# without locks, so every other layer of the database fails with GDAL's "unable to open
# database file" (feature counts -1, unique-value checks fail). QGIS enables WAL only for
# sources without a locking option: with this one the file keeps its rollback journal, which
# the lock-free readers share, and editing still never blocks them.
GPKG_OPEN_OPTION = "|option:NOLOCK=NO"
DEFAULT_DISTRICT_KEY = "roadinfra/default_district"
DEFAULT_PG_SCHEMA = "public"
PROJECT_SCOPE = "roadinfra"
GROUP_PROPERTY = "roadinfra/database_group"
# Spin-box limit of columns without a schema maximum (a huge limit makes very wide widgets).
UNBOUNDED = 999_999_999
# QGIS's marker for "no value" in a ValueMap (QgsValueMapConfigDlg::VALUEMAP_NULL_TEXT).
VALUEMAP_NULL = "{2839923C-8B7D-419E-B84B-CA2FE9B80EC7}"
# Tables whose features can carry photos and documents (attachment.target_table).
ATTACHMENT_TARGETS = ("bridge", "culvert", "inspection", "pavement_section", "pavement_survey",
                      "load_station", "route")
_WKB = {"POINT": QgsWkbTypes.Type.Point, "LINESTRING": QgsWkbTypes.Type.LineString,
        "MULTILINESTRING": QgsWkbTypes.Type.MultiLineString,
        "MULTIPOLYGON": QgsWkbTypes.Type.MultiPolygon}
_GEOMETRY_RANK = {"POINT": 0, "LINESTRING": 1, "MULTILINESTRING": 1, "MULTIPOLYGON": 2}
# Layers drawn over others of the same place: loaded, but unchecked in the layer tree.
HIDDEN_BY_DEFAULT = ("pavement_survey", "traffic_loading", "plan_item")
_LABEL_COLUMNS = ("code", "label", "name", "parcel_no", "element_code", "component", "caption",
                  "file_path", "table_name")
# The values that tell one child record from another, shown after its date in relation
# editors, lists and drop-downs ("2023-03-28 · Overall rating 6"), and first in its form.
SUMMARY_COLUMNS = {
    "inspection": ("overall_rating", "structurally_deficient", "inspection_type"),
    "pavement_survey": ("pci", "iri", "method"),
    "component_rating": ("rating",),
    "pavement_distress": ("distress_code", "severity", "quantity"),
    "element_condition": ("element_id",),
    "weighing_record": ("vehicle_type", "gross_t", "overloaded"),
    "traffic_loading": ("year", "aadt"),
    "plan_item": ("treatment", "work_year"),
    "calibration_point": ("measure_m",),
}
# Child records whose form starts with other columns than their date and summary values.
FORM_FIRST = {"attachment": ("file_path", "kind", "caption")}
# Short labels of summary values in lists ("Rating 6", "PCI 68.5"); default: the column label.
SHORT_LABELS = {
    "overall_rating": ("Điểm", "Rating"), "rating": ("Điểm", "Rating"), "pci": ("PCI", "PCI"),
    "iri": ("IRI", "IRI"), "gross_t": ("Tổng (t)", "Gross (t)"), "measure_m": ("m", "m"),
    "distress_code": ("Mã", "Code"), "quantity": ("KL", "Qty"), "aadt": ("AADT", "AADT"),
    "year": ("Năm", "Year"), "work_year": ("Năm", "Year"), "structurally_deficient": ("⚠", "⚠"),
    "overloaded": ("⚠ Quá tải", "⚠ Overloaded"),
}
# The value a drop-down of a reference shows for the referenced row (default: its code).
REFERENCE_VALUE = {"load_station": "name"}
# UUID columns that are not references: never shown (the relations show what they point to).
_HIDDEN_UUIDS = ("id", "target_id", "row_id")
# Photos: file picker with preview; GeoPackage paths are stored relative to its folder.
PHOTO_FILTER = "Images (*.jpg *.jpeg *.png *.tif *.tiff);;PDF (*.pdf);;All files (*)"
PHOTO_PREVIEW_HEIGHT = 220
EMPTY_GROUP_NAMES = ("Chưa có dữ liệu", "No data yet")
# First tab of a child record's form: its numbers and flags (rating, PCI...). Embedded beside
# the list in a parent's relation editor the form has ~290 px; QGIS 3.22 sizes every field of
# a tab for its widest mode (search: value + two buttons), a date or code list ~360-530 px,
# a number or flag ~265 px: on a tab of their own the key values are never cut off.
KEY_VALUES_TAB = ("Giá trị chính", "Key values")
EMPTY_GROUP_PROPERTY = "roadinfra/empty_layers"


class LayerLoadError(RoadInfraError):
    """A table of the database could not be opened as a QGIS layer."""


@dataclass
class LoadedDatabase:
    """What :func:`load_database_layers` added to the project."""

    layers: Dict[str, QgsVectorLayer]
    group: QgsLayerTreeGroup
    source: str  # GeoPackage path or connection info (never a password)
    relations: Dict[str, QgsRelation] = field(default_factory=dict)


def _text(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def loaded_tables() -> List[Table]:
    """Schema tables that become layers, in layer-tree (= drawing) order.

    By theme, then points over lines over polygons over tables without geometry, then in
    schema order.
    """
    order = list(THEMES)
    tables = [t for t in TABLES.values() if t.kind != "system" or t.name == HISTORY_TABLE]
    return sorted(tables, key=lambda t: (order.index(t.theme) if t.theme in order else len(order),
                                         _GEOMETRY_RANK.get(t.geometry, 3)))


# ------------------------------------------------------------------ sources
def _is_gpkg(source: Union[str, Path, QgsDataSourceUri]) -> bool:
    return isinstance(source, Path) or (
        isinstance(source, str) and source.lower().split("|")[0].endswith(".gpkg"))


def postgis_uri(source: Union[str, QgsDataSourceUri]) -> QgsDataSourceUri:
    """Connection URI from ``service=...``/``authcfg=...`` conninfo; refuses stored passwords."""
    uri = QgsDataSourceUri(source.uri(False) if isinstance(source, QgsDataSourceUri) else source)
    if uri.password():
        raise LayerLoadError(
            "PostgreSQL connection: a password would be stored in the project; use a "
            "pg_service.conf entry (service=NAME) or a QGIS authentication config (authcfg=ID)")
    if not (uri.service() or uri.authConfigId() or uri.database()):
        raise LayerLoadError(f"not a GeoPackage path nor a PostgreSQL connection: {source!r}")
    return uri


def table_source(source, table: Table, schema: str, epsg: int):
    """(data source string, provider key) of ``table`` in ``source``.

    Versioned tables get the tombstone filter in the source itself: on QGIS 3.22 a subset set
    later with ``setSubsetString`` on several layers of one GeoPackage fails to reopen it.
    GeoPackage sources carry :data:`GPKG_OPEN_OPTION` (no WAL switch when editing).
    """
    subset = TOMBSTONE_FILTER if table.versioned else ""
    if _is_gpkg(source):
        path = str(source).split("|")[0]
        suffix = f"|subset={subset}" if subset else ""
        return f"{path}|layername={table.name}{GPKG_OPEN_OPTION}{suffix}", "ogr"
    uri = postgis_uri(source)
    uri.setDataSource(schema, table.name, GEOMETRY_COLUMN if table.geometry else None, subset,
                      "id")
    if table.geometry:
        uri.setSrid(str(epsg))
        uri.setWkbType(_WKB[table.geometry])
    return uri.uri(False), "postgres"


# ------------------------------------------------------------------ fields
def _value_map(items, nullable: bool) -> QgsEditorWidgetSetup:
    entries = [{label: code} for code, label in items]
    if nullable:
        entries.insert(0, {"": VALUEMAP_NULL})
    return QgsEditorWidgetSetup("ValueMap", {"map": entries})


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _field_rules(table: Table) -> Dict[str, List[str]]:
    """Constraint expressions per column: code lists, ranges and the table's CHECKs."""
    rules: Dict[str, List[str]] = {}
    for col in table.columns:
        ref = f'"{col.name}"'
        if col.codelist:
            codes = ", ".join(_quote(c) for c in CODELISTS[col.codelist].codes)
            rules.setdefault(col.name, []).append(f"{ref} IS NULL OR {ref} IN ({codes})")
        bounds = []
        if col.min is not None:
            bounds.append(f"{ref} >= {col.min:g}")
        if col.max is not None:
            bounds.append(f"{ref} <= {col.max:g}")
        if bounds:
            rules.setdefault(col.name, []).append(f"{ref} IS NULL OR ({' AND '.join(bounds)})")
    for _name, expression in table.checks:
        mentioned = [c for c in table.column_names if re.search(rf"\b{c}\b", expression)]
        if mentioned:
            rules.setdefault(mentioned[-1], []).append(expression)
    return rules


# Numbers of child records: a left-aligned text box (a spin box is right-aligned, and in a
# sub-form narrower than the field its value sits past the edge and the box looks empty).
NUMBER_TEXT = QgsEditorWidgetSetup("TextEdit", {"IsMultiline": False, "UseHtml": False})


def _range_widget(col: Column) -> QgsEditorWidgetSetup:
    real = col.type == "real"
    return QgsEditorWidgetSetup("Range", {
        "Min": col.min if col.min is not None else -UNBOUNDED,
        "Max": col.max if col.max is not None else UNBOUNDED,
        "Step": 0.1 if real else 1,
        "Precision": 2 if real else 0,
        "AllowNull": col.nullable,
        "Style": "SpinBox",
    })


def photo_widget(root: str = "") -> QgsEditorWidgetSetup:
    """File picker with an image preview; paths relative to ``root`` (else to the project)."""
    return QgsEditorWidgetSetup("ExternalResource", {
        "FileWidget": True,
        "FileWidgetButton": True,
        "FileWidgetFilter": PHOTO_FILTER,
        "StorageMode": 0,  # files, not folders
        "RelativeStorage": 2 if root else 1,  # relative to the default path / to the project
        "DefaultRoot": root,
        "UseLink": True,
        "FullUrl": False,
        "DocumentViewer": 1,  # image preview
        "DocumentViewerHeight": PHOTO_PREVIEW_HEIGHT,
        "DocumentViewerWidth": 0,
    })


def setup_fields(layer: QgsVectorLayer, table: Table, lang: str, profile: Profile,
                 default_district: str = "", source_folder: str = "") -> None:
    """Aliases, widgets, constraints, defaults and read-only state of every schema column.

    ``source_folder`` is the GeoPackage's folder: photo paths are stored relative to it.
    """
    fields = layer.fields()
    form = layer.editFormConfig()
    rules = _field_rules(table)
    districts = [(d["code"], f'{d["code"]} {d[f"name_{lang}"]}')
                 for d in profile.section("districts")]
    for col in table.columns:
        idx = fields.indexFromName(col.name)
        if idx < 0:
            raise LayerLoadError(f"{table.name}: column '{col.name}' missing in {layer.source()}")
        layer.setFieldAlias(idx, _text(lang, col.label_vi, col.label_en))
        hard = QgsFieldConstraints.ConstraintStrength.ConstraintStrengthHard
        if col.type == "uuid" and not col.references and col.name in _HIDDEN_UUIDS:
            layer.setEditorWidgetSetup(idx, QgsEditorWidgetSetup("Hidden", {}))
        elif col.codelist:
            items = [(code, _text(lang, vi, en)) for code, vi, en in CODELISTS[col.codelist].items]
            layer.setEditorWidgetSetup(idx, _value_map(items, col.nullable))
        elif col.name == "district_code":
            layer.setEditorWidgetSetup(idx, _value_map(districts, col.nullable))
        elif col.type in ("integer", "real") and not col.system and not col.references:
            layer.setEditorWidgetSetup(idx, _range_widget(col) if table.kind == "asset"
                                       else NUMBER_TEXT)
        elif table.name == "attachment" and col.name == "file_path":
            layer.setEditorWidgetSetup(idx, photo_widget(source_folder))
        if col.system:
            form.setReadOnly(idx, True)
        else:
            if not col.nullable:
                layer.setFieldConstraint(idx, NOT_NULL, hard)
            if col.unique:
                layer.setFieldConstraint(idx, UNIQUE, hard)
            if col.name in rules:
                expression = " AND ".join(f"({r})" for r in rules[col.name])
                layer.setConstraintExpression(
                    idx, expression, _text(lang, "Giá trị không hợp lệ", "Value not allowed"))
                layer.setFieldConstraint(idx, EXPRESSION, hard)
        if col.name == "id" and col.type == "uuid":
            layer.setDefaultValueDefinition(idx, QgsDefaultValue("uuid('WithoutBraces')"))
        elif col.name == "district_code" and default_district:
            layer.setDefaultValueDefinition(idx, QgsDefaultValue(_quote(default_district)))
        elif col.default is not None:
            layer.setDefaultValueDefinition(idx, QgsDefaultValue(col.default))
    layer.setEditFormConfig(form)
    layer.setDisplayExpression(display_expression(table, lang))
    hide_system_columns(layer, table)


def hide_system_columns(layer: QgsVectorLayer, table: Table) -> None:
    """Attribute tables (also inside relation editors) show the user's columns only."""
    system = {c.name for c in table.columns if c.system} | {"fid"} | set(_HIDDEN_UUIDS)
    config = layer.attributeTableConfig()
    if not config.columns():
        config.update(layer.fields())
    columns = config.columns()
    for column in columns:
        column.hidden = column.name in system
    config.setColumns(columns)
    layer.setAttributeTableConfig(config)


def _summary_part(col: Column, lang: str) -> str:
    """Expression text of one summary value (NULL when the value is missing)."""
    ref = f'"{col.name}"'
    label = _text(lang, *SHORT_LABELS.get(col.name, (col.label_vi, col.label_en)))
    if col.codelist or col.references:
        return f"represent_value({ref})"
    if col.type == "boolean":
        return f"if({ref}, {_quote(label)}, NULL)"
    if col.type in ("integer", "real"):
        return f"{_quote(label + ' ')} || to_string({ref})"
    return ref


def display_expression(table: Table, lang: str = "en") -> str:
    """How a row is named in relation editors, lists and drop-downs, never by its UUID.

    Its date (or time), code or label (and name), then the values that tell it apart
    (:data:`SUMMARY_COLUMNS`): "2023-03-28 · Overall rating 6", "QL10 · Quốc lộ 10".
    """
    names = table.column_names
    columns = {c.name: c for c in table.columns}
    parts = []
    when = next((c for c in table.columns
                 if c.type in ("date", "datetime") and not c.system), None)
    if when is not None and when.type == "date":
        parts.append(f'to_string("{when.name}")')
    elif when is not None:
        parts.append(f"format_date(\"{when.name}\", 'yyyy-MM-dd HH:mm')")
    label = next((c for c in _LABEL_COLUMNS if c in names), None)
    if label:
        parts.append(f'"{label}"')
    if label == "code" and "name" in names:
        parts.append('"name"')
    parts += [_summary_part(columns[name], lang) for name in SUMMARY_COLUMNS.get(table.name, ())]
    if not parts:
        return _quote(_text(lang, table.label_vi, table.label_en))
    if len(parts) == 1:
        return f"coalesce({parts[0]}, '')"
    return f"array_to_string(array_filter(array({', '.join(parts)}), @element IS NOT NULL), ' · ')"


def reference_value_field(table: Table) -> str:
    """The column a reference drop-down shows for a row of ``table`` (code, name or date)."""
    if table.name in REFERENCE_VALUE:
        return REFERENCE_VALUE[table.name]
    for name in ("code", "element_code"):
        if name in table.column_names:
            return name
    when = next((c.name for c in table.columns
                 if c.type in ("date", "datetime") and not c.system), None)
    return when or next(c for c in _LABEL_COLUMNS if c in table.column_names)


# ------------------------------------------------------------------ relations and forms
def add_relations(project: QgsProject, layers: Dict[str, QgsVectorLayer],
                  lang: str) -> Dict[str, QgsRelation]:
    """One relation per ``references=`` column, plus the polymorphic attachment relation."""
    manager = project.relationManager()
    relations: Dict[str, QgsRelation] = {}
    for table_name, layer in layers.items():
        table = TABLES[table_name]
        for col in table.columns:
            if not col.references or col.references not in layers:
                continue
            relation = QgsRelation(QgsRelationContext(project))
            relation.setId(relation_id(table_name, col.name))
            parent = TABLES[col.references]
            relation.setName(_text(lang, f"{parent.label_vi} – {table.label_vi}",
                                   f"{parent.label_en} – {table.label_en}"))
            relation.setReferencingLayer(layer.id())
            relation.setReferencedLayer(layers[col.references].id())
            relation.addFieldPair(col.name, "id")
            relation.setStrength(QgsRelation.RelationStrength.Association)
            if not relation.isValid():
                why = relation.validationError() if hasattr(relation, "validationError") else (
                    "the layers or fields it joins are not in the project")  # QGIS < 3.28
                raise LayerLoadError(f"relation {relation.id()}: {why}")
            manager.addRelation(relation)
            relations[relation.id()] = relation
            layer.setEditorWidgetSetup(layer.fields().indexFromName(col.name),
                                       reference_widget(layers[col.references], col))
    if "attachment" in layers:
        relations.update(_add_attachment_relation(manager, layers, lang))
    return relations


def reference_widget(parent: QgsVectorLayer, col: Column) -> QgsEditorWidgetSetup:
    """A drop-down of the referenced rows by code, name or date (never their UUID).

    A *Value Relation* rather than a *Relation Reference*: the latter's combo box is 400 px
    wide whatever it shows, which pushes every form wider than QGIS's default 652 px.
    """
    table = TABLES[parent.customProperty(TABLE_PROPERTY)]
    return QgsEditorWidgetSetup("ValueRelation", {
        "Layer": parent.id(),
        "LayerName": parent.name(),
        "LayerProviderName": parent.providerType(),
        "LayerSource": parent.source(),
        "Key": "id",
        "Value": reference_value_field(table),
        "AllowNull": col.nullable,
        "OrderByValue": True,
        "AllowMulti": False,
        "UseCompleter": False,
        "NofColumns": 1,
        "FilterExpression": "",
    })


def _add_attachment_relation(manager, layers, lang) -> Dict[str, QgsRelation]:
    """attachment.target_id -> <table>.id where attachment.target_table = <table>.

    A polymorphic relation (QGIS >= 3.18): QGIS generates one ordinary relation per target
    layer whose related-features filter adds ``"target_table" = @roadinfra_table``, so the
    bridge form lists only the bridge's photos and a photo added there gets both fields set.
    """
    targets = [layers[t].id() for t in ATTACHMENT_TARGETS if t in layers]
    attachments = layers["attachment"]
    poly = QgsPolymorphicRelation(manager.context())  # the target project's layers
    poly.setId(ATTACHMENT_RELATION_ID)
    poly.setName(_text(lang, "Ảnh, tài liệu", "Photos and documents"))
    poly.setReferencingLayer(attachments.id())
    poly.addFieldPair("target_id", "id")
    poly.setReferencedLayerField("target_table")
    poly.setReferencedLayerExpression(f"@{TABLE_VARIABLE}")
    poly.setReferencedLayerIds(targets)
    poly.setRelationStrength(QgsRelation.RelationStrength.Association)
    if not poly.isValid():
        raise LayerLoadError(f"relation {ATTACHMENT_RELATION_ID}: {poly.validationError()}")
    manager.addPolymorphicRelation(poly)
    generated = {r.id(): r for r in manager.relations().values()
                 if r.polymorphicRelationId() == ATTACHMENT_RELATION_ID}
    table_labels = [(TABLES[t].name, _text(lang, TABLES[t].label_vi, TABLES[t].label_en))
                    for t in ATTACHMENT_TARGETS if t in layers]
    attachments.setEditorWidgetSetup(attachments.fields().indexFromName("target_table"),
                                     _value_map(table_labels, False))
    return generated


def _child_order(relation: QgsRelation):
    """Dated child records (inspections, surveys) first, attachments last."""
    child = TABLES[relation.referencingLayer().customProperty(TABLE_PROPERTY)]
    dated = any(c.type == "date" for c in child.columns)
    return (bool(relation.polymorphicRelationId()), not dated, relation.id())


def form_order(table: Table) -> List[str]:
    """The user's columns in form order.

    Assets keep the schema's order (code, name, route, chainage come first). Child records
    put what tells them apart first (date, rating, PCI...), then their own columns, then the
    references to their parents, so a sub-form shows its key values without scrolling.
    """
    columns = [c for c in table.columns if not c.system]
    if table.kind == "asset":
        return [c.name for c in columns]
    key = list(FORM_FIRST.get(table.name, ()))
    key += [c.name for c in columns if c.type in ("date", "datetime") and c.name not in key]
    key += [n for n in SUMMARY_COLUMNS.get(table.name, ()) if n not in key]
    rest = [c.name for c in columns if c.name not in key and not c.references]
    references = [c.name for c in columns if c.references and c.name not in key]
    return key + rest + references


def key_value_columns(table: Table) -> List[str]:
    """The numbers and flags that tell a child record apart (its "Key values" tab)."""
    if table.kind == "asset":
        return []
    columns = {c.name: c for c in table.columns}
    return [n for n in SUMMARY_COLUMNS.get(table.name, ())
            if columns[n].type in ("integer", "real", "boolean") and not columns[n].codelist]


def summary_expression(relation: QgsRelation, lang: str) -> str:
    """Read-only summary of a bulk child table (a station's weighing records) for its parent.

    Thousands of rows in a relation editor help nobody; the form shows counts instead.
    """
    rid = relation.id()

    def aggregate(function: str, expression: str) -> str:
        return f"relation_aggregate('{rid}', '{function}', {expression})"

    count = aggregate("count", '"id"')
    overloaded = aggregate("sum", 'if("overloaded", 1, 0)')
    heaviest = aggregate("max", '"gross_t"')
    first, last = (aggregate(f, '"weighed_at"') for f in ("min", "max"))
    rows = [
        (_text(lang, "Số lượt cân", "Weighing records"), f"format_number({count}, 0)"),
        (_text(lang, "Quá tải", "Overloaded"),
         f"format_number({overloaded}, 0) || ' (' || "
         f"format_number(100.0 * {overloaded} / nullif({count}, 0), 1) || ' %)'"),
        (_text(lang, "Tổng trọng lượng lớn nhất (t)", "Heaviest gross weight (t)"),
         f"format_number({heaviest}, 1)"),
        (_text(lang, "Lần cân đầu tiên", "First weighed"),
         f"format_date({first}, 'yyyy-MM-dd HH:mm')"),
        (_text(lang, "Lần cân gần nhất", "Last weighed"),
         f"format_date({last}, 'yyyy-MM-dd HH:mm')"),
    ]
    lines = [f"{_quote(label + ': ')} || coalesce({expression}, '–')" for label, expression in rows]
    return " || '\n' || ".join(lines)


def add_summary_field(layer: QgsVectorLayer, relation: QgsRelation, child: Table,
                      lang: str) -> int:
    """A read-only virtual field on ``layer`` summarising its ``child`` rows; its index."""
    name = f"{child.name}_summary"
    index = layer.fields().indexFromName(name)
    if index < 0:
        layer.addExpressionField(summary_expression(relation, lang),
                                 QgsField(name, field_types.STRING))
        index = layer.fields().indexFromName(name)
    layer.setFieldAlias(index, _text(lang, child.label_vi, child.label_en))
    layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("TextEdit", {"IsMultiline": True,
                                                                         "UseHtml": False}))
    return index


def setup_form(layer: QgsVectorLayer, table: Table, relations: List[QgsRelation],
               lang: str) -> None:
    """Tabbed drag-and-drop form: General, one tab per child relation, then System.

    Child tables of kind ``bulk`` (weighing records) get a summary tab, not a list.
    """
    form = layer.editFormConfig()
    form.setLayout(QgsEditFormConfig.EditorLayout.TabLayout)
    form.clearTabs()
    root = form.invisibleRootContainer()
    fields = layer.fields()

    def tab(title: str, columns: int = 1) -> QgsAttributeEditorContainer:
        container = QgsAttributeEditorContainer(title, root)
        container.setIsGroupBox(False)
        container.setColumnCount(columns)
        return container

    key_values = tab(_text(lang, *KEY_VALUES_TAB))
    general = tab(_text(lang, "Chung", "General"))
    system = tab(_text(lang, "Hệ thống", "System"))
    narrow = key_value_columns(table)
    for parent, names in ((key_values, narrow),
                          (general, [n for n in form_order(table) if n not in narrow]),
                          (system, [c.name for c in table.columns if c.system])):
        for name in names:
            if name in _HIDDEN_UUIDS:
                continue
            # QGIS 3.22 sizes each field for its widest mode (search: operator + value),
            # ~530 px for a code list: beside its label that is past the 652 px dialog
            form.setLabelOnTop(fields.indexFromName(name), True)
            parent.addChildElement(QgsAttributeEditorField(name, fields.indexFromName(name),
                                                           parent))
    if key_values.children():
        form.addTab(key_values)
    form.addTab(general)
    nested = table.kind != "asset"  # a child record: its own children below its fields
    for relation in sorted(relations, key=_child_order):
        child = TABLES[relation.referencingLayer().customProperty(TABLE_PROPERTY)]
        title = _text(lang, child.label_vi, child.label_en)
        container = QgsAttributeEditorContainer(title, general) if nested else tab(title)
        if nested:
            container.setIsGroupBox(True)
        if child.kind == "bulk":
            index = add_summary_field(layer, relation, child, lang)
            fields = layer.fields()
            element = QgsAttributeEditorField(fields.at(index).name(), index, container)
        else:
            element = QgsAttributeEditorRelation(relation, container)
            element.setRelationWidgetTypeId("relation_editor")
        element.setShowLabel(False)
        container.addChildElement(element)
        if nested:
            general.addChildElement(container)
        else:
            form.addTab(container)
    if system.children():
        form.addTab(system)
    layer.setEditFormConfig(form)
    order_table_columns(layer, table)


def order_table_columns(layer: QgsVectorLayer, table: Table) -> None:
    """Attribute tables (also in relation editors) list columns in form order."""
    config = layer.attributeTableConfig()
    rank = {name: i for i, name in enumerate(form_order(table))}
    columns = sorted(config.columns(), key=lambda c: rank.get(c.name, len(rank)))
    config.setColumns(columns)
    layer.setAttributeTableConfig(config)


def database_profile(source) -> Profile:
    """The jurisdiction profile stored in the database, else the plugin's profile setting."""
    from ...core.db import open_database
    from ..log import log
    from ..settings import PluginSettings
    from .connections import core_target

    text = str(source) if _is_gpkg(source) else postgis_uri(source).connectionInfo(False)
    try:
        db = open_database(core_target(text))
        try:
            return db.profile
        finally:
            db.close()
    except (RoadInfraError, ValueError, OSError) as exc:
        log(f"profile of {text} not readable ({exc}); using the plugin's profile", "warning")
    return load_profile(PluginSettings.load().profile or None)


# ------------------------------------------------------------------ entry point
def load_database_layers(
    uri_or_path: Union[str, Path, QgsDataSourceUri],
    project: QgsProject | None = None,
    lang: str | None = None,
    *,
    profile: Profile | None = None,
    default_district: str | None = None,
    pg_schema: str = DEFAULT_PG_SCHEMA,
    progress: Callable[[float], None] | None = None,
) -> LoadedDatabase:
    """Add the database's layers to ``project`` (default: the current project).

    ``lang`` is ``vi`` or ``en`` (default: the plugin language); ``default_district`` is the
    district code new features get (default: the ``roadinfra/default_district`` setting).
    Raises :class:`LayerLoadError` naming the table when a layer cannot be opened.
    """
    project = project or QgsProject.instance()
    if lang is None:
        from ..i18n import current_language

        lang = current_language()
    lang = "vi" if lang == "vi" else "en"
    if _is_gpkg(uri_or_path) and not Path(str(uri_or_path).split("|")[0]).is_file():
        raise LayerLoadError(f"{uri_or_path}: GeoPackage file not found")
    if profile is None:
        profile = database_profile(uri_or_path)
    if default_district is None:
        default_district = QgsSettings().value(DEFAULT_DISTRICT_KEY, "", type=str)

    unload_database_layers(project)
    styles = style_index()
    tables = loaded_tables()
    title = Path(str(uri_or_path).split("|")[0]).stem if _is_gpkg(uri_or_path) else (
        postgis_uri(uri_or_path).service() or postgis_uri(uri_or_path).database())
    root = project.layerTreeRoot()
    group = root.insertGroup(0, f"RoadInfra – {title}")
    group.setCustomProperty(GROUP_PROPERTY, True)
    theme_groups: Dict[str, QgsLayerTreeGroup] = {}
    layers: Dict[str, QgsVectorLayer] = {}
    folder = str(Path(str(uri_or_path).split("|")[0]).parent) if _is_gpkg(uri_or_path) else ""
    empty: List[QgsVectorLayer] = []
    for number, table in enumerate(tables):
        source, provider = table_source(uri_or_path, table, pg_schema, profile.crs_epsg)
        layer = QgsVectorLayer(source, _text(lang, table.label_vi, table.label_en), provider)
        if not layer.isValid():
            provider_error = layer.dataProvider().error().summary() if layer.dataProvider() else ""
            raise LayerLoadError(
                f"table '{table.name}' cannot be opened from {uri_or_path}: {provider_error}")
        layer.setCustomProperty(TABLE_PROPERTY, table.name)
        QgsExpressionContextUtils.setLayerVariable(layer, TABLE_VARIABLE, table.name)
        apply_styles(layer, styles.get(table.name, []), lang)
        setup_fields(layer, table, lang, profile, default_district, folder)
        if table.name == HISTORY_TABLE:
            layer.setReadOnly(True)
        project.addMapLayer(layer, False)
        layers[table.name] = layer
        if is_empty(layer):
            empty.append(layer)
            continue
        if table.theme not in theme_groups:
            theme_groups[table.theme] = group.addGroup(theme_name(table.theme, lang))
        theme_groups[table.theme].addLayer(layer)
        if progress:
            progress(80.0 * (number + 1) / len(tables))
    relations = add_relations(project, layers, lang)
    for table_name, layer in layers.items():
        children = [r for r in relations.values() if r.referencedLayerId() == layer.id()]
        setup_form(layer, TABLES[table_name], children, lang)
    if empty:
        empty_group = group.addGroup(f"{_text(lang, *EMPTY_GROUP_NAMES)} ({len(empty)})")
        empty_group.setCustomProperty(EMPTY_GROUP_PROPERTY, True)
        empty_group.setExpanded(False)
        for layer in empty:
            empty_group.addLayer(layer)
    for name in ("system", "cadastre", "admin"):
        if name in theme_groups:
            theme_groups[name].setExpanded(False)
    for name in HIDDEN_BY_DEFAULT:
        if name in layers:
            group.findLayer(layers[name]).setItemVisibilityChecked(False)
    if progress:
        progress(100.0)
    source_text = (str(uri_or_path).split("|")[0] if _is_gpkg(uri_or_path)
                   else postgis_uri(uri_or_path).connectionInfo(False))
    project.writeEntry(PROJECT_SCOPE, "database", source_text)
    return LoadedDatabase(layers=layers, group=group, source=source_text, relations=relations)


def is_empty(layer: QgsVectorLayer) -> bool:
    """True when the layer has no feature (one feature read, no count on a big table)."""
    request = QgsFeatureRequest().setLimit(1).setNoAttributes().setFlags(
        QgsFeatureRequest.Flag.NoGeometry)
    return next(layer.getFeatures(request), None) is None


def unload_database_layers(project: QgsProject) -> int:
    """Remove the RoadInfra layers, groups and relations of ``project``; return layers removed.

    Relation ids are fixed (the styles use them), so a project holds one RoadInfra database:
    opening another replaces the previous one.
    """
    ours = [layer.id() for layer in project.mapLayers().values()
            if layer.customProperty(TABLE_PROPERTY)]
    manager = project.relationManager()
    for poly_id in list(manager.polymorphicRelations()):
        if poly_id == ATTACHMENT_RELATION_ID:
            manager.removePolymorphicRelation(poly_id)
    project.removeMapLayers(ours)
    root = project.layerTreeRoot()
    for group in [g for g in root.children() if g.customProperty(GROUP_PROPERTY)]:
        root.removeChildNode(group)
    return len(ours)


def project_database(project: QgsProject | None = None) -> str:
    """The database source recorded by the last :func:`load_database_layers` ('' if none);
    a path relative to the project (``./NAME.gpkg``, a package's own project) is resolved
    against the project's folder."""
    project = project or QgsProject.instance()
    value, _ok = project.readEntry(PROJECT_SCOPE, "database", "")
    if value.startswith(("./", "../")):
        return project.pathResolver().readPath(value)
    return value

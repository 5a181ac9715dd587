"""load_database_layers on a real GeoPackage built with the database API."""

import re
import sys
from pathlib import Path

import pytest
from qgis.core import (
    QgsExpression,
    QgsFeatureRequest,
    QgsFieldConstraints,
    QgsLayerTreeLayer,
    QgsProject,
    QgsSettings,
    QgsVectorLayerUtils,
)
from roadinfra.core.db import open_database
from roadinfra.core.errors import RoadInfraError
from roadinfra.core.profile import load_profile
from roadinfra.core.schema import TABLES
from roadinfra.plugin.database.layers import (
    DEFAULT_DISTRICT_KEY,
    LayerLoadError,
    load_database_layers,
    loaded_tables,
    project_database,
)
from roadinfra.plugin.database.naming import relation_id

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "qgisui"))
from small_network import build_small_network  # noqa: E402

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture
def gpkg(tmp_path):
    path = tmp_path / "thai_binh.gpkg"
    build_small_network(path).close()
    return path


@pytest.fixture
def project(qgis_app):
    # relation_aggregate() in the styles resolves relations in QgsProject.instance()
    instance = QgsProject.instance()
    instance.clear()
    yield instance
    instance.clear()


@pytest.fixture
def loaded(gpkg, project):
    return load_database_layers(gpkg, project, "vi", default_district="340")


def _feature(layer, expression):
    return next(layer.getFeatures(QgsFeatureRequest(QgsExpression(expression))))


def test_one_layer_per_table_grouped_by_theme(loaded, project):
    names = set(loaded.layers)
    assert names == {t.name for t in loaded_tables()}
    assert "change_log" in names and "db_meta" not in names and "codelist" not in names
    groups = {g.name(): [c.layer().name() for c in g.children() if isinstance(c, QgsLayerTreeLayer)]
              for g in loaded.group.children()}
    assert groups["Công trình cầu, cống"][:2] == ["Cầu", "Cống"]
    assert groups["Mạng lưới đường"] == ["Tuyến đường"]  # no km posts in this small network
    survey = loaded.group.findLayer(loaded.layers["pavement_survey"])
    assert not survey.itemVisibilityChecked()
    assert groups["Hệ thống"] == ["Lịch sử thay đổi"]
    assert loaded.layers["change_log"].readOnly()
    assert loaded.layers["bridge"].featureCount() == 4


def test_aliases_follow_language(gpkg, project):
    vi = load_database_layers(gpkg, project, "vi")
    bridge = vi.layers["bridge"]
    assert bridge.name() == "Cầu"
    assert bridge.attributeAlias(bridge.fields().indexFromName("year_built")) == "Năm xây dựng"
    project.clear()
    en = load_database_layers(gpkg, project, "en")
    bridge = en.layers["bridge"]
    assert bridge.name() == "Bridge"
    assert bridge.attributeAlias(bridge.fields().indexFromName("year_built")) == "Year built"
    assert [g.name() for g in en.group.children()][:4] == [
        "Bridges and culverts", "Vehicle loads", "Pavement", "Road network"]


def test_value_maps_ranges_and_read_only_columns(loaded):
    bridge = loaded.layers["bridge"]
    fields = bridge.fields()
    setup = bridge.editorWidgetSetup(fields.indexFromName("structure_type"))
    assert setup.type() == "ValueMap"
    mapping = {k: v for item in setup.config()["map"] for k, v in item.items()}
    assert mapping["Dầm I BTCT dự ứng lực"] == "PSC_I"
    year = bridge.editorWidgetSetup(fields.indexFromName("year_built"))
    assert year.type() == "Range"
    assert (year.config()["Min"], year.config()["Max"]) == (1850, 2100)
    district = bridge.editorWidgetSetup(fields.indexFromName("district_code"))
    assert {"340 Huyện Đông Hưng": "340"} in district.config()["map"]
    route = bridge.editorWidgetSetup(fields.indexFromName("route_id"))
    assert route.type() == "ValueRelation"  # narrow: the Relation Reference is 400 px wide
    assert (route.config()["Key"], route.config()["Value"]) == ("id", "code")
    form = bridge.editFormConfig()
    for name in ("id", "revision", "created_at", "updated_by", "deleted_at"):
        assert form.readOnly(fields.indexFromName(name)), name
    assert not form.readOnly(fields.indexFromName("name"))
    code = fields.field("code").constraints()
    assert code.constraintStrength(QgsFieldConstraints.ConstraintUnique) == \
        QgsFieldConstraints.ConstraintStrengthHard


def test_relations_are_valid_and_filter_attachments(loaded, project):
    manager = project.relationManager()
    for child, column in (("inspection", "bridge_id"), ("component_rating", "inspection_id"),
                          ("pavement_survey", "section_id"), ("pavement_distress", "survey_id"),
                          ("weighing_record", "station_id")):
        relation = manager.relation(relation_id(child, column))
        assert relation.isValid(), (child, column)
    bridge = loaded.layers["bridge"]
    tan_de = _feature(bridge, "\"name\" = 'Cầu Tân Đệ'")
    inspections = manager.relation(relation_id("inspection", "bridge_id"))
    assert sorted(str(f["inspection_date"].toString("yyyy-MM-dd"))
                  for f in inspections.getRelatedFeatures(tan_de)) == ["2021-04-08", "2024-04-12"]
    photos = [r for r in manager.referencedRelations(bridge) if r.polymorphicRelationId()]
    assert len(photos) == 1
    # the value a photo added from the bridge form gets in attachment.target_table
    assert photos[0].polymorphicRelation().layerRepresentation(bridge) == "bridge"
    captions = [f["caption"] for f in photos[0].getRelatedFeatures(tan_de)]
    assert captions == ["Nứt dọc thân trụ T7"]
    # the culvert's photo has another target_table: not listed for any bridge
    for feature in bridge.getFeatures():
        for photo in photos[0].getRelatedFeatures(feature):
            assert photo["target_table"] == "bridge"


def test_form_has_tabs_with_relation_editors(loaded):
    tabs = loaded.layers["bridge"].editFormConfig().tabs()
    assert [t.name() for t in tabs] == ["Chung", "Kiểm tra công trình", "Cấu kiện cầu",
                                        "Ảnh, tài liệu", "Hệ thống"]
    relation_element = tabs[1].children()[0]
    assert relation_element.relation().id() == relation_id("inspection", "bridge_id")


def test_new_bridge_gets_uuid_and_district_and_is_saved_with_history(loaded, gpkg):
    bridge = loaded.layers["bridge"]
    feature = QgsVectorLayerUtils.createFeature(bridge, context=bridge.createExpressionContext())
    assert UUID.match(feature["id"])
    assert feature["district_code"] == "340"
    second = QgsVectorLayerUtils.createFeature(bridge, context=bridge.createExpressionContext())
    assert second["id"] != feature["id"]
    feature["code"] = "BR-340-099"
    feature["name"] = "Cầu Thống Nhất"
    feature["route_id"] = _feature(loaded.layers["route"], "\"code\" = 'QL10'")["id"]
    feature["structure_type"] = "RC_SLAB"
    feature.setGeometry(_feature(bridge, "\"code\" = 'BR-340-003'").geometry())
    for index in range(bridge.fields().count()):
        ok, errors = QgsVectorLayerUtils.validateAttribute(
            bridge, feature, index, QgsFieldConstraints.ConstraintStrengthHard)
        assert ok, (bridge.fields().at(index).name(), errors)
    assert bridge.startEditing()
    assert bridge.addFeature(feature)
    assert bridge.commitChanges(), bridge.commitErrors()
    db = open_database(gpkg)
    try:
        saved = db.fetch("bridge", where={"code": "BR-340-099"})
        assert len(saved) == 1 and saved[0]["id"] == feature["id"]
        assert saved[0]["revision"] == 1
        assert db.history("bridge", feature["id"]), "QGIS edit not in the change history"
    finally:
        db.close()


def test_bad_code_is_refused(loaded, gpkg):
    bridge = loaded.layers["bridge"]
    feature = QgsVectorLayerUtils.createFeature(bridge, context=bridge.createExpressionContext())
    feature["code"] = "BR-340-100"
    feature["name"] = "Cầu Gỗ"
    feature["route_id"] = _feature(loaded.layers["route"], "\"code\" = 'QL10'")["id"]
    feature["structure_type"] = "WOOD"
    feature["year_built"] = 1700
    index = bridge.fields().indexFromName("structure_type")
    ok, errors = QgsVectorLayerUtils.validateAttribute(
        bridge, feature, index, QgsFieldConstraints.ConstraintStrengthHard)
    assert not ok and errors
    ok, _ = QgsVectorLayerUtils.validateAttribute(
        bridge, feature, bridge.fields().indexFromName("year_built"),
        QgsFieldConstraints.ConstraintStrengthHard)
    assert not ok
    # the database's own CHECK is the second line: committing anyway is refused
    bridge.startEditing()
    bridge.addFeature(feature)
    assert not bridge.commitChanges()
    assert "CHECK constraint failed" in " ".join(bridge.commitErrors())
    bridge.rollBack()
    db = open_database(gpkg)
    try:
        assert db.fetch("bridge", where={"code": "BR-340-100"}) == []
    finally:
        db.close()


def test_missing_name_fails_not_null(loaded):
    bridge = loaded.layers["bridge"]
    feature = QgsVectorLayerUtils.createFeature(bridge, context=bridge.createExpressionContext())
    ok, _ = QgsVectorLayerUtils.validateAttribute(
        bridge, feature, bridge.fields().indexFromName("name"),
        QgsFieldConstraints.ConstraintStrengthHard)
    assert not ok


def test_tombstoned_rows_are_hidden(gpkg, project):
    db = open_database(gpkg)
    try:
        bo = db.fetch("bridge", where={"code": "BR-336-002"})[0]
        db.tombstone("bridge", bo["id"], user="test")
    finally:
        db.close()
    loaded = load_database_layers(gpkg, project, "vi")
    bridge = loaded.layers["bridge"]
    assert bridge.featureCount() == 3
    assert not list(bridge.getFeatures(QgsFeatureRequest(QgsExpression("\"code\" = 'BR-336-002'"))))
    assert loaded.layers["change_log"].featureCount() > 0


def test_styles_classify_condition(loaded, project):
    bridge = loaded.layers["bridge"]
    renderer = bridge.renderer()
    assert renderer.type() == "categorizedSymbol"
    expression = QgsExpression(renderer.classAttribute())
    context = bridge.createExpressionContext()
    classes = {}
    for feature in bridge.getFeatures():
        context.setFeature(feature)
        classes[feature["code"]] = expression.evaluate(context)
        assert not expression.hasEvalError(), expression.evalErrorString()
    assert classes == {"BR-344-001": "fair", "BR-336-002": "good", "BR-340-003": "poor",
                       "BR-343-004": "none"}
    sections = loaded.layers["pavement_section"]
    assert len(sections.styleManager().styles()) == 2
    expression = QgsExpression(sections.renderer().classAttribute())
    context = sections.createExpressionContext()
    bands = {}
    for feature in sections.getFeatures():
        context.setFeature(feature)
        bands[feature["code"]] = expression.evaluate(context)
    # latest PCI 68.5 Fair(2), 88 Good(0), 47 Poor(3), 31 Very poor(4), 72 Satisfactory(1)
    assert bands == {"PS-344-001": 2, "PS-336-002": 0, "PS-340-003": 3, "PS-340-004": 4,
                     "PS-336-005": 1, "PS-343-006": None}
    labels = [c.label() for c in sections.renderer().categories()]
    assert labels[0] == "Tốt" and labels[-1] == "Chưa khảo sát"


def test_refuses_missing_file_and_passwords(project, tmp_path):
    with pytest.raises(LayerLoadError, match="not found"):
        load_database_layers(tmp_path / "none.gpkg", project, "vi")
    with pytest.raises(LayerLoadError, match="password"):
        load_database_layers("dbname='tb' host=localhost user='u' password='secret'", project,
                             "vi")


def test_schema_tables_cover_every_form_field(loaded):
    for name, layer in loaded.layers.items():
        configured = {f.name() for f in layer.fields()}
        assert set(TABLES[name].column_names) <= configured
        for column in TABLES[name].columns:
            alias = layer.attributeAlias(layer.fields().indexFromName(column.name))
            assert alias == column.label_vi, (name, column.name)


def test_open_dialog_loads_a_geopackage(gpkg, project):
    from roadinfra.plugin.database.open_dialog import OpenDatabaseDialog

    dialog = OpenDatabaseDialog(None, project, "vi")
    districts = [dialog.districtCombo.itemData(i) for i in range(dialog.districtCombo.count())]
    assert districts[1:] == load_profile().district_codes
    dialog.gpkgFile.setFilePath(str(gpkg))
    dialog.districtCombo.setCurrentIndex(dialog.districtCombo.findData("343"))
    dialog.accept()
    assert dialog.loaded is not None and dialog.result() == dialog.Accepted
    bridge = dialog.loaded.layers["bridge"]
    feature = QgsVectorLayerUtils.createFeature(bridge, context=bridge.createExpressionContext())
    assert feature["district_code"] == "343"
    assert project_database(project) == str(gpkg)
    QgsSettings().remove(DEFAULT_DISTRICT_KEY)


def test_open_dialog_postgis_source_has_no_password(project):
    from roadinfra.plugin.database.open_dialog import OpenDatabaseDialog

    dialog = OpenDatabaseDialog(None, project, "en")
    dialog.postgisRadio.setChecked(True)
    dialog.serviceRadio.setChecked(True)
    dialog.serviceCombo.setEditText("tb_province")
    source = dialog.source()
    assert source.service() == "tb_province" and not source.password()
    dialog.gpkgRadio.setChecked(True)
    dialog.gpkgFile.setFilePath("")
    with pytest.raises(RoadInfraError):
        dialog.source()


def test_styled_map_renders(loaded, project):
    """Render routes, sections by PCI and bridges by condition (looked at by a person)."""
    from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    layers = [loaded.layers[n] for n in ("bridge", "culvert", "calibration_point",
                                         "pavement_section", "route")]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(loaded.layers["route"].crs())
    extent = loaded.layers["route"].extent()
    extent.scale(1.1)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(900, 700))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    out = Path(__file__).resolve().parents[2] / "test-artifacts" / "condition_map.png"
    out.parent.mkdir(exist_ok=True)
    assert image.save(str(out))
    colours = {image.pixelColor(x, y).name() for x in range(0, 900, 3) for y in range(0, 700, 3)}
    assert "#d7191c" in colours  # the poor bridge (Cầu Nguyễn)
    assert "#006d2c" in colours  # the good pavement section (PCI 88)


def test_style_classes_agree_with_core_summary_on_demo_data(tmp_path, project):
    """On the sample province the map colours and the condition panel's numbers agree."""
    from collections import Counter

    from roadinfra.core.condition.summary import condition_summary
    from roadinfra.core.sample_data import build_demo_database

    path = tmp_path / "demo.gpkg"
    build_demo_database(path)
    db = open_database(path)
    try:
        summary = condition_summary(db).as_dict()
    finally:
        db.close()
    loaded = load_database_layers(path, project, "en")

    def classes(layer):
        expression = QgsExpression(layer.renderer().classAttribute())
        context = layer.createExpressionContext()
        counts = Counter()
        for feature in layer.getFeatures():
            context.setFeature(feature)
            counts[expression.evaluate(context)] += 1
        return counts

    bridges = classes(loaded.layers["bridge"])
    assert {k: bridges.get(k, 0) for k in summary["bridges"]["by_condition"]} == \
        summary["bridges"]["by_condition"]
    culverts = classes(loaded.layers["culvert"])
    assert {k: culverts.get(k, 0) for k in summary["culverts"]["by_condition"]} == \
        summary["culverts"]["by_condition"]
    sections = classes(loaded.layers["pavement_section"])
    expected = [c["count"] for c in summary["pavement"]["pci_classes"]]
    assert [sections.get(i, 0) for i in range(len(expected))] == expected
    assert sections.get(None, 0) == summary["pavement"]["not_surveyed"]["pci"]["count"]
    iri_style = loaded.layers["pavement_section"].styleManager()
    iri_style.setCurrentStyle("By IRI (latest survey)")
    iri = classes(loaded.layers["pavement_section"])
    expected = [c["count"] for c in summary["pavement"]["iri_bands"]]
    assert [iri.get(i, 0) for i in range(len(expected))] == expected


def test_opening_again_replaces_the_previous_database(gpkg, project):
    first = load_database_layers(gpkg, project, "vi")
    second = load_database_layers(gpkg, project, "en")
    roadinfra_layers = [layer for layer in project.mapLayers().values()
                        if layer.customProperty("roadinfra/table")]
    assert len(roadinfra_layers) == len(second.layers) == len(first.layers)
    assert len(project.layerTreeRoot().children()) == 1
    assert project.layerTreeRoot().children()[0].name() == second.group.name()
    relation = project.relationManager().relation(relation_id("inspection", "bridge_id"))
    assert relation.isValid() and relation.referencedLayer() is second.layers["bridge"]
    photos = [r for r in project.relationManager().relations().values()
              if r.polymorphicRelationId()]
    assert len(photos) == 7 and all(r.isValid() for r in photos)


def test_editing_one_layer_leaves_the_others_readable(loaded, capfd):
    """Entering and leaving edit mode logs nothing and breaks no other layer of the database.

    Without the locking option in the GeoPackage sources, QGIS 3.22 switches the file to WAL
    when a layer enters edit mode and the lock-free readers of the other layers fail with
    GDAL's "unable to open database file" (their feature count becomes -1).
    """
    from qgis.core import QgsApplication

    logged = []

    def keep(message, tag, _level):
        logged.append(f"{tag}: {message}")

    QgsApplication.messageLog().messageReceived.connect(keep)
    names = ("bridge", "inspection", "culvert", "route", "weighing_record")

    def ids(name):  # a fresh query (SELECT DISTINCT) on the layer's own connection
        layer = loaded.layers[name]
        return len(layer.uniqueValues(layer.fields().indexFromName("id")))

    counts = {name: ids(name) for name in names}
    try:
        for name in names:
            layer = loaded.layers[name]
            assert layer.startEditing(), name
            feature = next(layer.getFeatures())
            index = layer.fields().indexFromName("district_code")
            if index >= 0:
                assert layer.changeAttributeValue(feature.id(), index, feature[index])
            assert layer.commitChanges(), (name, layer.commitErrors())
            assert layer.startEditing(), name
            assert layer.rollBack(), name
            seen = {other: ids(other) for other in names}
            assert seen == counts, f"after editing {name}"
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(keep)
    err = capfd.readouterr().err
    assert "unable to open database file" not in err
    assert not [m for m in logged if "Unbalanced" in m or "Cannot reopen" in m], logged


def test_empty_layers_wait_in_one_collapsed_group(loaded):
    """Theme groups hold layers with data; empty tables sit in "Chưa có dữ liệu (N)"."""
    from roadinfra.plugin.database.layers import EMPTY_GROUP_PROPERTY

    empty_groups = [g for g in loaded.group.children() if g.customProperty(EMPTY_GROUP_PROPERTY)]
    assert len(empty_groups) == 1 and not empty_groups[0].isExpanded()
    waiting = {node.layer().customProperty("roadinfra/table")
               for node in empty_groups[0].children()}
    assert empty_groups[0].name() == f"Chưa có dữ liệu ({len(waiting)})"
    assert {"bridge_element", "calibration_point", "cadastral_parcel"} <= waiting
    for group in loaded.group.children():
        if group in empty_groups:
            continue
        for node in group.findLayers():
            assert node.layer().featureCount() > 0, node.layer().name()
    # the empty layers are still in the project: their relations and form tabs work
    assert set(loaded.layers) == {t.name for t in loaded_tables()}


def test_lists_name_records_by_date_and_values_never_by_uuid(loaded):
    from qgis.core import QgsExpressionContext, QgsExpressionContextUtils

    for table, expected in (("inspection", r"^\d{4}-\d{2}-\d{2} · Điểm \d"),
                            ("pavement_survey", r"^\d{4}-\d{2}-\d{2} · (PCI|IRI) [\d.]+"),
                            ("weighing_record", r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} · "),
                            ("route", r"^QL10 · Quốc lộ 10$|^DT\d+ · ")):
        layer = loaded.layers[table]
        expression = QgsExpression(layer.displayExpression())
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        for feature in layer.getFeatures():
            context.setFeature(feature)
            text = expression.evaluate(context)
            assert not expression.hasEvalError(), expression.evalErrorString()
            assert re.search(expected, text), (table, text)
            assert not UUID.search(text.split(" · ")[-1]), (table, text)


def test_labels_do_not_collide_at_1_to_25000(tmp_path, project):
    """Culvert CU-336-003 sits at Km100 of QL10: both labels must stay apart (not
    "CU-336-003Km100"); the map is saved to test-artifacts/map_25000.png."""
    from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsRectangle
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
    from roadinfra.core.sample_data import build_demo_database

    path = tmp_path / "demo.gpkg"
    build_demo_database(path)
    loaded = load_database_layers(path, project, "en")
    culvert = _feature(loaded.layers["culvert"], "\"code\" = 'CU-336-003'").geometry().asPoint()
    settings = QgsMapSettings()
    settings.setLayers([loaded.layers[n] for n in ("load_station", "bridge", "culvert",
                                                   "calibration_point", "pavement_section",
                                                   "route")])
    settings.setDestinationCrs(loaded.layers["route"].crs())
    settings.setOutputSize(QSize(900, 600))
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor("white"))
    width = 900 / 96 * 0.0254 * 25000  # metres on the ground at 1:25,000
    height = width * 600 / 900
    settings.setExtent(QgsRectangle(culvert.x() - width / 2, culvert.y() - height / 2,
                                    culvert.x() + width / 2, culvert.y() + height / 2))
    assert abs(settings.scale() - 25000) < 1
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    out = Path(__file__).resolve().parents[2] / "test-artifacts" / "map_25000.png"
    out.parent.mkdir(exist_ok=True)
    assert job.renderedImage().save(str(out))
    points = {loaded.layers[n].id() for n in ("load_station", "bridge", "culvert",
                                               "calibration_point")}
    labels = [p for p in job.takeLabelingResults().allLabels()
              if not p.isUnplaced and p.layerID in points]
    texts = {p.labelText for p in labels}
    assert "CU-336-003" in texts and "BR-336-001" in texts
    assert {t for t in texts if t.startswith("Km")}, "no kilometre post labelled"
    gap = 0.5 / 1000 * 25000  # 0.5 mm on paper
    for i, first in enumerate(labels):
        for second in labels[i + 1:]:
            grown = QgsRectangle(first.labelRect)
            grown.grow(gap)
            assert not grown.intersects(second.labelRect), (first.labelText, second.labelText)

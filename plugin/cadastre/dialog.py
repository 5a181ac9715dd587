"""The *Cadastre* dialog: the road engineer's walk through the cadastral maps, one tab per
step: the source (a file or an open layer, its field mapping and, when it declares none, its
CRS), *Check* (quality report as a table and a layer), *Import* into the open provincial
database, *Overlay* on the road corridors with planned widenings, *Print* the overlay map.

Every step runs in the background (:mod:`.tasks`: the same core entry points as
``roadinfra cadastre`` and the Processing algorithms), with progress and a Cancel button; a
refusal or a bad row is shown as one message naming the file, row and field.
"""

from __future__ import annotations

import html
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsFillSymbol,
    QgsMapLayerProxyModel,
    QgsProcessingUtils,
    QgsProject,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox, QgsProjectionSelectionWidget
from qgis.PyQt.QtCore import QT_TR_NOOP, Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.cadastre.check import sheet_keys
from ...core.cadastre.mapping import shipped_mappings
from ...core.cadastre.quality import KINDS
from ...core.crs import crs_label
from ...core.db import open_database
from ...core.errors import RoadInfraError
from ...core.io.output import check_output
from ...core.printing.plan_sheets import number_text
from ...core.profile import load_profile
from ..database.naming import TABLE_PROPERTY
from ..i18n import current_language, tr
from ..processing.base import open_database_default
from ..settings import PluginSettings
from ..tasks import WorkTask, start_task
from .inputs import (
    OVERLAY_TABLES,
    buildings_layers,
    buildings_reader,
    drawing_cad_layers,
    memory_layer,
    parcel_reader,
    sheet_edition,
    widening_from_cells,
)
from .messages import leaving_lines, overlay_notes, pull_lines
from .tasks import (
    IN_MAIN_THREAD,
    check_work,
    import_work,
    overlay_work,
    print_work,
    pull_work,
)

#: Vector files GDAL reads that a land-resource department delivers.
FILE_FILTER = "*.shp *.gpkg *.gml *.xml *.dxf *.dgn *.geojson *.json *.sqlite"
KIND_LABELS = {
    "invalid_repaired": QT_TR_NOOP("Invalid geometry, repaired"),
    "invalid": QT_TR_NOOP("Invalid geometry, not imported"),
    "overlap": QT_TR_NOOP("Overlap between parcels"),
    "gap": QT_TR_NOOP("Gap between parcels"),
    "area_mismatch": QT_TR_NOOP("Official and computed area differ"),
    "duplicate": QT_TR_NOOP("Duplicate parcel number on a sheet"),
}
ACTION_LABELS = {"new": QT_TR_NOOP("new"),
                 "replaced": QT_TR_NOOP("replaced (old edition kept in the history)"),
                 "unchanged": QT_TR_NOOP("unchanged (same edition)"),
                 "older": QT_TR_NOOP("not imported (older edition)")}
#: kinds of the department's source: (label, address placeholder, name placeholder), as the
#: keywords of core make_source (address, name)
PULL_KINDS = ("postgis", "features", "wfs", "file")
PULL_LABELS = {
    "postgis": (QT_TR_NOOP("The department's PostGIS database"),
                QT_TR_NOOP("postgresql://… or service=NAME"),
                QT_TR_NOOP("its parcel table: schema.table")),
    "features": (QT_TR_NOOP("OGC API - Features"), QT_TR_NOOP("endpoint URL"),
                 QT_TR_NOOP("its parcel collection id")),
    "wfs": (QT_TR_NOOP("WFS 2.0 service"), QT_TR_NOOP("service URL"),
            QT_TR_NOOP("its parcel feature type, e.g. dc:thua_dat")),
    "file": (QT_TR_NOOP("An exported parcels file"), "", ""),
}
PULL_NAMES = {"postgis": "table", "features": "collection", "wfs": "typename"}
PULL_NAME_LABELS = {"postgis": QT_TR_NOOP("Table"), "features": QT_TR_NOOP("Collection"),
                    "wfs": QT_TR_NOOP("Feature type")}
SHEET_UP_TO_DATE = QT_TR_NOOP("up to date (not fetched)")
#: a sheet fetched but refused (the same land under another key): its stored sheet is kept
SHEET_REFUSED = QT_TR_NOOP("refused (not imported)")
#: the encroachments found; the cause is a building or the parcel's built-up land use (code);
#: the area inside the zone and the Km range headed by their units (room for Vietnamese)
ENCROACHMENT_COLUMNS = (QT_TR_NOOP("Route"), QT_TR_NOOP("Zone"), QT_TR_NOOP("Parcel"),
                        QT_TR_NOOP("Cause"), QT_TR_NOOP("m²"), QT_TR_NOOP("Km"))
ZONE_LABELS = {"road_land": QT_TR_NOOP("road land"),
               "safety_corridor": QT_TR_NOOP("safety corridor")}
#: the dialog's framing of an error of each step (the core's message follows it)
STEP_ERRORS = {
    "check": QT_TR_NOOP("Cannot check the source:"),
    "import": QT_TR_NOOP("Import refused:"),
    "pull": QT_TR_NOOP("Pull refused:"),
    "overlay": QT_TR_NOOP("Cannot overlay:"),
    "print": QT_TR_NOOP("Cannot print:"),
    "routes": QT_TR_NOOP("Cannot read the routes:"),
}
WIDENING_COLUMNS = (QT_TR_NOOP("Route"), QT_TR_NOOP("Km from"), QT_TR_NOOP("Km to"),
                    QT_TR_NOOP("New width (m)"))
#: fill and outline of the overlay layers (as on the printed map) and their names
OVERLAY_STYLE = {
    "land_acquisition": ("#e31a1c", "#99000d", QT_TR_NOOP("Land to acquire (widening)")),
    "encroachment": ("#ff7f00", "#a63603", QT_TR_NOOP("Encroachment")),
    "corridor_parcels": ("#fdd49e", "#636363", QT_TR_NOOP("Parcels in corridors")),
    "corridors": ("#d9d9d9", "#969696", QT_TR_NOOP("Road land and safety corridor")),
}
OVERLAY_GROUP = QT_TR_NOOP("Cadastre overlay")
FINDINGS_STYLE = ("255,0,0,60", "#b30000")

DIALOG_OBJECT_NAME = "RoadInfraCadastreDialog"


def _table(headers, parent, stretch: int = 0) -> QTableWidget:
    """A read-only looking table: column ``stretch`` takes the room left, the others their
    contents' width."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    return table


def _save_file(parent, file_filter: str, placeholder: str = "") -> QgsFileWidget:
    """A file widget choosing a file to write."""
    widget = QgsFileWidget(parent)
    widget.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
    widget.setFilter(file_filter)
    if placeholder:
        widget.lineEdit().setPlaceholderText(placeholder)
    return widget


def _fill(table: QTableWidget, rows) -> None:
    """``rows`` in ``table``, read only; a float to one decimal in the UI language's number
    format (vi ``1.234,5``)."""
    table.setRowCount(0)
    lang = current_language()
    for values in rows:
        row = table.rowCount()
        table.insertRow(row)
        for column, value in enumerate(values):
            item = QTableWidgetItem(number_text(value, 1, lang) if isinstance(value, float)
                                    else str(value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if isinstance(value, (int, float)):
                item.setTextAlignment(int(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter))
            table.setItem(row, column, item)


def _short(message: str, path: str) -> str:
    """A core message with the source's folder left out (the dialog names the source)."""
    return message.replace(str(path), Path(str(path)).name) if path else message


def _km_range(km_from, km_to) -> str:
    """``Km1+481.2``, ``Km1+491.2`` as ``1+481.2–1+491.2`` (the column says Km)."""
    if not (isinstance(km_from, str) and isinstance(km_to, str)):
        return "-"
    return f"{km_from.removeprefix('Km')}–{km_to.removeprefix('Km')}"


def _whole_sheet_box(parent) -> QCheckBox:
    """*Whole sheets*: lets a new edition with fewer parcels replace the stored sheet."""
    box = QCheckBox(tr("Whole sheets (a new edition may hold fewer parcels)"), parent)
    box.setToolTip(tr(
        "A new edition with fewer parcels than the stored sheet is refused by default: a "
        "selection or part of a sheet would remove the rest. Tick when the source holds "
        "the whole sheet (e.g. parcels were merged)."))
    return box


def _label(parent) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CadastreDialog(QDialog):
    """The dialog; the ``*_button`` attributes are what a user clicks, ``task`` the step
    running, ``last_*`` the results of the last steps (core objects), ``message`` the last
    error box."""

    def __init__(self, parent=None, project: QgsProject | None = None, iface=None):
        super().__init__(parent)
        self.setObjectName(DIALOG_OBJECT_NAME)
        self.setWindowTitle(tr("Cadastre"))
        self.project = project or QgsProject.instance()
        self.iface = iface
        self.lang = current_language()
        self.task: WorkTask | None = None
        self.message: QMessageBox | None = None
        self.last_check = self.last_import = self.last_pull = self.last_overlay = None
        self.findings_layer: QgsVectorLayer | None = None
        self.pull_findings_layer: QgsVectorLayer | None = None
        self.overlay_layers: dict = {}
        self.overlay_file = self.pending_overlay = ""
        self.printed = ""
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        # the steps in order, named without numbers: six numbered titles do not fit the
        # default width in Vietnamese
        self.tabs.addTab(self._source_tab(), tr("Source"))
        self.tabs.addTab(self._check_tab(), tr("Check"))
        self.tabs.addTab(self._import_tab(), tr("Import"))
        self.tabs.addTab(self._pull_tab(), tr("Pull"))
        self.overlay_page = self._overlay_tab()
        self.tabs.addTab(self.overlay_page, tr("Overlay"))
        self.tabs.addTab(self._print_tab(), tr("Print"))
        bottom = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = _label(self)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons = QDialogButtonBox(self)
        close = self.buttons.addButton(tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("closeButton")
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.buttons)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.database.editingFinished.connect(self.read_routes)
        self.read_routes()

    # ------------------------------------------------------------------ tabs
    def _source_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.from_file = QRadioButton(tr("A file"), page)
        self.from_layer = QRadioButton(tr("A layer open in QGIS"), page)
        group = QButtonGroup(page)
        group.addButton(self.from_file)
        group.addButton(self.from_layer)
        self.file = QgsFileWidget(page)
        self.file.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.file.setFilter(tr("Cadastral files") + f" ({FILE_FILTER});;" + tr("All files")
                            + " (*)")
        self.layer = QgsMapLayerComboBox(page)
        self.layer.setFilters(QgsMapLayerProxyModel.Filter.VectorLayer)
        self.layer.setAllowEmptyLayer(True)
        self.layer.setLayer(None)
        self.file.fileChanged.connect(lambda _path: self.from_file.setChecked(True))
        self.layer.layerChanged.connect(
            lambda layer: layer is not None and self.from_layer.setChecked(True))
        self.from_file.setChecked(True)
        self.mapping = QComboBox(page)
        self.mapping.setEditable(True)
        self.mapping.addItems(shipped_mappings())
        self.mapping.setCurrentText("vn_cadastre")
        self.mapping.setToolTip(tr("vn_cadastre: Vietnamese exports; fr_edigeo: French "
                                   "EDIGEO; nl_inspire: INSPIRE CadastralParcels; or a "
                                   "mapping file (.toml)"))
        browse = QToolButton(page)
        browse.setText("…")
        browse.setToolTip(tr("Choose a field mapping file (.toml)"))
        browse.clicked.connect(self._choose_mapping)
        mapping_row = QHBoxLayout()
        mapping_row.addWidget(self.mapping, 1)
        mapping_row.addWidget(browse)
        self.crs = QgsProjectionSelectionWidget(page)
        self.crs.setOptionVisible(QgsProjectionSelectionWidget.CrsOption.CrsNotSet, True)
        self.crs.setNotSetText(tr("Read from the source"))
        self.crs.setCrs(QgsCoordinateReferenceSystem())
        self.sheet = QLineEdit(page)
        self.sheet.setPlaceholderText(tr("only for a drawing of one sheet"))
        self.database = QLineEdit(open_database_default(), page)
        self.database.setPlaceholderText(tr("GeoPackage file or service=NAME"))
        hint = _label(page)
        hint.setText(tr("The CRS is read from the source; choose one only for a source that "
                        "declares none (a DXF drawing). A source whose own CRS differs from "
                        "the one chosen is refused."))
        hint.setStyleSheet("color: #555")
        form.addRow(self.from_file, self.file)
        form.addRow(self.from_layer, self.layer)
        form.addRow(tr("Field mapping"), mapping_row)
        form.addRow(tr("CRS"), self.crs)
        form.addRow(tr("Map sheet"), self.sheet)
        form.addRow(tr("Provincial database"), self.database)
        form.addRow(hint)
        return page

    def _page(self, intro: str = "", button: QPushButton | None = None):
        """A tab's page: its vertical layout and, when given, the text saying what the step
        does (with the step's button beside it: room for the results below)."""
        page = QWidget(self)
        box = QVBoxLayout(page)
        if intro or button is not None:
            head = QHBoxLayout()
            if intro:
                label = _label(page)
                label.setText(intro)
                head.addWidget(label, 1)
            if button is not None:
                button.setParent(page)
                head.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            box.addLayout(head)
        return page, box

    def _check_tab(self) -> QWidget:
        self.check_button = QPushButton(tr("Check"), self)
        self.check_button.clicked.connect(self.run_check)
        page, box = self._page(tr("Reads the source and reports on it; nothing is written. "
                                  "The findings are added to the map as a layer."),
                               self.check_button)
        self.check_summary = _label(page)
        self.findings_table = _table((QT_TR_NOOP("Finding"), QT_TR_NOOP("Count")), page)
        box.addWidget(self.check_summary)
        box.addWidget(self.findings_table, 1)
        return page

    def _import_tab(self) -> QWidget:
        page, box = self._page(tr(
            "Imports the parcels into the provincial database, sheet by sheet. Parcels "
            "outside the province are refused before anything is written; a newer edition "
            "of a sheet replaces it and the old one stays in the history."))
        form = QFormLayout()
        self.edition = QLineEdit(page)
        self.edition.setPlaceholderText(
            tr("dd/mm/yyyy or YYYY-MM-DD; empty: from the file, else undated"))
        self.import_button = QPushButton(tr("Import"), page)
        self.import_button.clicked.connect(self.run_import)
        edition_row = QHBoxLayout()
        edition_row.addWidget(self.edition, 1)
        edition_row.addWidget(self.import_button)
        form.addRow(tr("Edition of the sheets"), edition_row)
        self.whole_sheet = _whole_sheet_box(page)
        form.addRow(self.whole_sheet)
        self.import_summary = _label(page)
        self.sheets_table = _table((QT_TR_NOOP("Sheet"), QT_TR_NOOP("Edition"),
                                    QT_TR_NOOP("Result"), QT_TR_NOOP("Parcels")), page,
                                   stretch=2)
        box.addLayout(form)
        box.addWidget(self.import_summary)
        box.addWidget(self.sheets_table, 1)
        return page

    def _pull_tab(self) -> QWidget:
        self.pull_button = QPushButton(tr("Pull"), self)
        self.pull_button.clicked.connect(self.run_pull)
        page, box = self._page(tr(
            "Keeps the database in step with the land-resource department: only the sheets "
            "that are new or have a newer edition are fetched and imported (with the field "
            "mapping of the Source tab)."), self.pull_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.pull_kind = QComboBox(page)
        for kind in PULL_KINDS:
            self.pull_kind.addItem(tr(PULL_LABELS[kind][0]), kind)
        self.pull_address = QLineEdit(page)
        self.pull_file = QgsFileWidget(page)
        self.pull_file.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.pull_file.setFilter(tr("Cadastral files") + f" ({FILE_FILTER});;"
                                 + tr("All files") + " (*)")
        self.pull_where = QStackedWidget(page)  # an address, or a file
        self.pull_where.addWidget(self.pull_address)
        self.pull_where.addWidget(self.pull_file)
        self.pull_where.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.pull_name = QLineEdit(page)
        self.trust_crs = QCheckBox(tr("Trust the declared VN-2000 CRS of another zone"), page)
        self.trust_crs.setToolTip(tr("Refused by default as probably mislabelled when it "
                                     "also fits the provincial grid"))
        self.pull_where_label = QLabel(page)
        self.pull_name_label = QLabel(page)
        form.addRow(tr("Source"), self.pull_kind)
        form.addRow(self.pull_where_label, self.pull_where)
        form.addRow(self.pull_name_label, self.pull_name)
        form.addRow(self.trust_crs)
        # a file, or a server that does not count its features, cannot show a sheet is whole
        self.pull_whole_sheet = _whole_sheet_box(page)
        form.addRow(self.pull_whole_sheet)
        self.pull_kind.currentIndexChanged.connect(self._pull_kind_changed)
        self._pull_kind_changed()
        self.pull_summary = _label(page)
        # the sheets of the source, and the quality findings of those fetched
        self.pull_views = QTabWidget(page)
        self.pull_views.setDocumentMode(True)
        self.pull_table = _table((QT_TR_NOOP("Sheet"), QT_TR_NOOP("Edition"),
                                  QT_TR_NOOP("Result"), QT_TR_NOOP("Parcels")), page,
                                 stretch=2)
        self.pull_findings_table = _table((QT_TR_NOOP("Finding"), QT_TR_NOOP("Count")), page)
        self.pull_views.addTab(self.pull_table, tr("Sheets"))
        self.pull_views.addTab(self.pull_findings_table, tr("Findings"))
        self.pull_summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # the counts, then the sheets no longer in the source, undated, uncounted, the
        # parcels leaving the live map: may be long, scrolled beside the table
        self.pull_scroll = QScrollArea(page)
        self.pull_scroll.setWidget(self.pull_summary)
        self.pull_scroll.setWidgetResizable(True)
        self.pull_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.pull_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pull_scroll.setMinimumHeight(3 * self.pull_summary.fontMetrics().lineSpacing())
        box.addLayout(form)
        box.addWidget(self.pull_scroll, 1)
        box.addWidget(self.pull_views, 2)
        return page

    def _pull_kind_changed(self, *_args) -> None:
        """Show the fields of the kind of source chosen."""
        kind = self.pull_kind.currentData()
        _, address, name = PULL_LABELS[kind]
        self.pull_where.setCurrentWidget(self.pull_file if kind == "file"
                                         else self.pull_address)
        self.pull_where_label.setText(tr("File") if kind == "file" else tr("Address"))
        self.pull_address.setPlaceholderText(tr(address) if address else "")
        self.pull_name.setPlaceholderText(tr(name) if name else "")
        if kind != "file":
            self.pull_name_label.setText(tr(PULL_NAME_LABELS[kind]))
        self.pull_name.setVisible(kind != "file")
        self.pull_name_label.setVisible(kind != "file")

    def _overlay_tab(self) -> QWidget:
        page, box = self._page()
        # what to overlay, and the encroachments found, share the room above the outputs
        self.overlay_views = QTabWidget(page)
        self.overlay_views.setDocumentMode(True)
        inputs = QWidget(page)
        top = QHBoxLayout(inputs)
        top.setContentsMargins(0, 4, 0, 0)
        routes_box = QVBoxLayout()
        routes_label = _label(page)
        routes_label.setText(tr("Routes (none ticked: all)"))
        routes_box.addWidget(routes_label)
        self.routes = QListWidget(page)
        routes_box.addWidget(self.routes, 1)
        widen_box = QVBoxLayout()
        widen_box.addWidget(QLabel(tr("Planned widenings"), page))
        self.widenings = _table(WIDENING_COLUMNS, page)
        self.widenings.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.widenings.horizontalHeader().setStretchLastSection(True)
        self.widenings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        widen_box.addWidget(self.widenings, 1)
        row_buttons = QHBoxLayout()
        self.add_widening_button = QPushButton(tr("Add row"), page)
        self.add_widening_button.clicked.connect(lambda: self.add_widening())
        self.remove_widening_button = QPushButton(tr("Remove row"), page)
        self.remove_widening_button.clicked.connect(self.remove_widening)
        row_buttons.addWidget(self.add_widening_button)
        row_buttons.addWidget(self.remove_widening_button)
        row_buttons.addStretch(1)
        widen_box.addLayout(row_buttons)
        top.addLayout(routes_box, 2)
        top.addLayout(widen_box, 5)
        self.encroachment_table = _table(ENCROACHMENT_COLUMNS, page, stretch=3)
        self.overlay_views.addTab(inputs, tr("Routes and widenings"))
        self.overlay_views.addTab(self.encroachment_table, tr("Encroachments"))
        box.addWidget(self.overlay_views, 1)
        form = QFormLayout()
        self.buildings = QgsMapLayerComboBox(page)
        self.buildings.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.buildings.setAllowEmptyLayer(True)
        self.buildings.setLayer(None)
        self.buildings.setToolTip(tr("Building footprints: every building part inside a "
                                     "corridor is an encroachment, whatever the land use"))
        browse = QToolButton(page)
        browse.setText("…")
        browse.setToolTip(tr("Choose a file of building footprints"))
        browse.clicked.connect(self._choose_buildings)
        buildings_row = QHBoxLayout()
        buildings_row.addWidget(self.buildings, 1)
        buildings_row.addWidget(browse)
        self.overlay_output = _save_file(page, tr("GeoPackage (*.gpkg)"),
                                         tr("[temporary file]"))
        self.xlsx_output = _save_file(page, tr("Excel workbook (*.xlsx)"), tr("[optional]"))
        form.addRow(tr("Buildings (optional)"), buildings_row)
        form.addRow(tr("Result layers (GeoPackage)"), self.overlay_output)
        form.addRow(tr("Workbook (XLSX)"), self.xlsx_output)
        box.addLayout(form)
        self.overlay_button = QPushButton(tr("Overlay"), page)
        self.overlay_button.clicked.connect(self.run_overlay)
        self.overlay_summary = _label(page)
        self.overlay_summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # the notes (gaps, buildings beyond the map) may be long: up to 7 lines, then scrolled
        self.overlay_scroll = QScrollArea(page)
        self.overlay_scroll.setWidget(self.overlay_summary)
        self.overlay_scroll.setWidgetResizable(True)
        self.overlay_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.overlay_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overlay_scroll.setMinimumHeight(2 * self.overlay_summary.fontMetrics().lineSpacing())
        result_row = QHBoxLayout()
        result_row.addWidget(self.overlay_button, 0, Qt.AlignmentFlag.AlignTop)
        result_row.addWidget(self.overlay_scroll, 1)
        box.addLayout(result_row)
        return page

    def _print_tab(self) -> QWidget:
        page, box = self._page(tr(
            "Prints the last overlay as an A3 map (PDF): land to acquire, encroachments, "
            "parcels in the corridors and the corridors, with a table of parcels and areas "
            "per route, zone and widening."))
        form = QFormLayout()
        self.print_language = QComboBox(page)
        self.print_language.addItem(tr("Vietnamese"), "vi")
        self.print_language.addItem(tr("English"), "en")
        self.print_language.setCurrentIndex(0 if self.lang == "vi" else 1)
        self.pdf_output = _save_file(page, tr("PDF files (*.pdf)"))
        form.addRow(tr("Map language"), self.print_language)
        form.addRow(tr("Output PDF"), self.pdf_output)
        self.print_button = QPushButton(tr("Print overlay map"), page)
        self.print_button.clicked.connect(self.run_print)
        self.print_summary = _label(page)
        box.addLayout(form)
        box.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.print_summary)
        box.addStretch(1)
        return page

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.overlay_page and not self.routes.count():
            self.read_routes()

    def _choose_buildings(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Buildings"), "",
                                              tr("Vector files") + f" ({FILE_FILTER});;"
                                              + tr("All files") + " (*)")
        if path:
            self.set_buildings_file(path)

    def set_buildings_file(self, path: str) -> None:
        """Choose a file of building footprints (listed in the buildings box). A file with
        several layers is listed once per layer (``path|layername=NAME``), a drawing with
        entities on several CAD layers once per CAD layer (``path|cadlayer=NAME``), besides
        itself, to choose one from (the file alone is refused, naming them)."""
        layers = buildings_layers(path) if "|" not in path else []
        cad = drawing_cad_layers(path) if "|" not in path else []
        wanted = [path] + ([f"{path}|layername={name}" for name in layers]
                           if len(layers) > 1 else []) + (
            [f"{path}|cadlayer={name}" for name in cad] if len(cad) > 1 else [])
        items = self.buildings.additionalItems()
        self.buildings.setAdditionalItems(items + [p for p in wanted if p not in items])
        self.buildings.setCurrentText(path)

    def _choose_mapping(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Field mapping"), "",
                                              tr("Field mapping (*.toml)"))
        if path:
            self.mapping.setCurrentText(path)

    # ------------------------------------------------------------------ inputs
    def target(self) -> str:
        target = self.database.text().strip()
        if not target:
            raise RoadInfraError(tr("Choose a provincial database (open one with Open "
                                    "provincial database...)"))
        return target

    def profile(self):
        """The database's profile, else the plugin's."""
        target = self.database.text().strip()
        if target:
            db = open_database(target)
            try:
                return db.profile
            finally:
                db.close()
        return load_profile(PluginSettings.load().profile)

    def source(self):
        """The file path or the layer chosen."""
        if self.from_layer.isChecked():
            layer = self.layer.currentLayer()
            if layer is None:
                raise RoadInfraError(tr("Choose the layer of the cadastral parcels"))
            return layer
        path = self.file.filePath().strip()
        if not path:
            raise RoadInfraError(tr("Choose the cadastral file"))
        return path

    def pull_source(self) -> dict:
        """The department's source chosen on the Pull tab, as keywords of core ``make_source``."""
        kind = self.pull_kind.currentData()
        if kind == "file":
            path = self.pull_file.filePath().strip()
            if not path:
                raise RoadInfraError(tr("Choose the department's exported parcels file"))
            return {"file": path}
        address, name = self.pull_address.text().strip(), self.pull_name.text().strip()
        label, address_hint, name_hint = PULL_LABELS[kind]
        if not address:
            raise RoadInfraError(tr("{source}: give its address ({hint})").format(
                source=tr(label), hint=tr(address_hint)))
        if not name:
            raise RoadInfraError(tr("{source}: give {hint}").format(
                source=tr(label), hint=tr(name_hint)))
        return {kind: address, PULL_NAMES[kind]: name}

    def buildings_source(self):
        """The building footprints chosen for the overlay: a layer, a file path or None."""
        layer = self.buildings.currentLayer()
        if layer is not None:
            return layer
        text = self.buildings.currentText().strip()
        return text if text and text in self.buildings.additionalItems() else None

    def source_name(self) -> str:
        source = self.source()
        return source.name() if isinstance(source, QgsVectorLayer) else Path(source).name

    def reader(self):
        """The reader of the chosen source (a layer's features are read now)."""
        crs = self.crs.crs()
        given = (crs.authid() or crs.toWkt()) if crs.isValid() else None
        source = self.source()
        refusal = (tr("{{source}}: the CRS chosen in '{crs}' ({{given}}) is wrong: the layer "
                      "declares none, and its coordinates fit {{grid}}: "
                      "choose {{code}} in '{crs}'; nothing was imported")
                   if isinstance(source, QgsVectorLayer) else
                   tr("{{source}}: the CRS chosen in '{crs}' ({{given}}) is wrong: the file "
                      "declares none, and its coordinates fit {{grid}}: "
                      "choose {{code}} in '{crs}'; nothing was imported")).format(crs=tr("CRS"))
        ambiguous = (tr("{{source}}: the CRS chosen in '{crs}' ({{given}}) is wrong: the layer "
                        "declares none, and its coordinates fit each of {{fits}}, which place "
                        "them up to {{apart}} m apart: the coordinates cannot tell VN-2000 from "
                        "WGS 84 (or one grid from another) apart there, so choose in '{crs}' "
                        "the CRS the data was really made in (VN-2000 for a cadastral survey, "
                        "WGS 84 for GPS or web-map data); nothing was imported")
                     if isinstance(source, QgsVectorLayer) else
                     tr("{{source}}: the CRS chosen in '{crs}' ({{given}}) is wrong: the file "
                        "declares none, and its coordinates fit each of {{fits}}, which place "
                        "them up to {{apart}} m apart: the coordinates cannot tell VN-2000 from "
                        "WGS 84 (or one grid from another) apart there, so choose in '{crs}' "
                        "the CRS the data was really made in (VN-2000 for a cadastral survey, "
                        "WGS 84 for GPS or web-map data); nothing was imported")
                     ).format(crs=tr("CRS"))
        return parcel_reader(source, self.mapping.currentText().strip() or None,
                             crs=given, sheet=self.sheet.text().strip() or None,
                             given_refusal=refusal, given_ambiguous=ambiguous)

    def read_routes(self) -> None:
        """Fill the route list from the database (codes, names, grades)."""
        self.routes.clear()
        target = self.database.text().strip()
        if not target:
            return
        try:
            db = open_database(target)
            try:
                routes = sorted(db.fetch("route"), key=lambda r: str(r.get("code")))
            finally:
                db.close()
        except RoadInfraError as exc:
            self.show_error(exc, "routes")
            return
        for route in routes:
            grade = route.get("road_grade") or "-"
            item = QListWidgetItem(f"{route['code']} · {grade}")
            item.setToolTip(f"{route['code']} – {route.get('name') or ''} ({grade})")
            item.setData(Qt.ItemDataRole.UserRole, route["code"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.routes.addItem(item)

    def chosen_routes(self) -> list:
        return [self.routes.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.routes.count())
                if self.routes.item(i).checkState() == Qt.CheckState.Checked]

    def add_widening(self, route: str = "", km_from: str = "", km_to: str = "",
                     width: str = "") -> int:
        """Add a row to the widenings table (route: the first ticked one by default)."""
        if not route:
            chosen = self.chosen_routes()
            route = chosen[0] if chosen else ""
        row = self.widenings.rowCount()
        self.widenings.insertRow(row)
        for column, value in enumerate((route, km_from, km_to, width)):
            self.widenings.setItem(row, column, QTableWidgetItem(str(value)))
        return row

    def remove_widening(self) -> None:
        rows = sorted({index.row() for index in self.widenings.selectedIndexes()},
                      reverse=True) or ([self.widenings.rowCount() - 1]
                                        if self.widenings.rowCount() else [])
        for row in rows:
            self.widenings.removeRow(row)

    def planned_widenings(self) -> list:
        """The widenings table as core widenings (empty rows skipped)."""
        out = []
        for row in range(self.widenings.rowCount()):
            cells = [(self.widenings.item(row, c).text() if self.widenings.item(row, c)
                      else "") for c in range(len(WIDENING_COLUMNS))]
            if any(cell.strip() for cell in cells):
                out.append(widening_from_cells(row + 1, *cells))
        return out

    # ------------------------------------------------------------------ steps
    def run_check(self) -> WorkTask | None:
        """Check the source (no database written); the previous check's result is cleared
        first (it is not this source's when the new check fails)."""
        if self.task is None:
            self.last_check = None
            self.check_summary.setText("")
            self.findings_table.setRowCount(0)
            self.status.setText("")
            self.progress.setValue(0)
        return self._start("check", tr("Checking cadastral parcels"),
                           lambda: check_work(self.reader(), self.profile()),
                           self._checked)

    def run_import(self) -> WorkTask | None:
        """Import the source into the database."""
        def work():
            target = self.target()
            return import_work(self.reader(), target, sheet_edition(self.edition.text()),
                               PluginSettings.load().editor_name or None,
                               self.whole_sheet.isChecked())
        return self._start("import", tr("Importing cadastral parcels"), work, self._imported)

    def run_pull(self) -> WorkTask | None:
        """Fetch and import the department's new or newer sheets."""
        def work():
            target = self.target()
            return pull_work(target, self.pull_source(),
                             self.mapping.currentText().strip() or None,
                             self.trust_crs.isChecked(),
                             PluginSettings.load().editor_name or None,
                             self.pull_whole_sheet.isChecked())
        return self._start("pull", tr("Pulling new cadastral sheets"), work, self._pulled)

    def run_overlay(self) -> WorkTask | None:
        """Overlay the database's parcels on the corridors of the chosen routes."""
        def work():
            target = self.target()
            widenings = self.planned_widenings()
            buildings = self.buildings_source()
            read_buildings = buildings_reader(buildings) if buildings is not None else None
            out = self.overlay_output.filePath().strip() or \
                QgsProcessingUtils.generateTempFilename("cadastre_overlay.gpkg")
            if Path(out).suffix.lower() != ".gpkg":
                raise RoadInfraError(tr("{path}: the result layers are a GeoPackage "
                                        "(.gpkg)").format(path=out))
            inputs = [target.split("|", 1)[0]]
            check_output(out, inputs, tr("Result layers"))
            outputs = [out]
            xlsx = self.xlsx_output.filePath().strip()
            if xlsx:
                if Path(xlsx).suffix.lower() != ".xlsx":
                    xlsx += ".xlsx"
                check_output(xlsx, inputs, tr("Workbook"))
                outputs.append(xlsx)
            self.pending_overlay = out
            return overlay_work(target, self.chosen_routes(), widenings, outputs,
                                read_buildings, self.lang)
        return self._start("overlay", tr("Overlaying parcels on road corridors"), work,
                           self._overlaid)

    def run_print(self) -> WorkTask | None:
        """Print the last overlay to the PDF chosen."""
        def work():
            if not self.overlay_file or not Path(self.overlay_file).is_file():
                raise RoadInfraError(tr("Run the overlay first"))
            pdf = self.pdf_output.filePath().strip()
            if not pdf:
                raise RoadInfraError(tr("Choose an output PDF"))
            if Path(pdf).suffix.lower() != ".pdf":
                pdf += ".pdf"
            check_output(pdf, [self.overlay_file, self.database.text().strip()],
                         tr("Output PDF"))
            return print_work(self.overlay_file, pdf, self.print_language.currentData(),
                              self.database.text().strip() or None)
        return self._start("print", tr("Printing the overlay map"), work, self._printed)

    def _start(self, step: str, description: str, prepare, done) -> WorkTask | None:
        """Prepare the step's work in the main thread (reading the inputs; an error is shown
        at once) and run it as a background task."""
        if self.task is not None:
            return None
        try:
            work = prepare()
        except RoadInfraError as exc:
            self.show_error(exc, step)
            return None
        self.task = WorkTask(description, work, lambda task: self._finished(task, step, done))
        self.task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        self._busy(True, description)
        return start_task(self.task, IN_MAIN_THREAD)  # see tasks.IN_MAIN_THREAD

    def _busy(self, busy: bool, text: str = "") -> None:
        for button in (self.check_button, self.import_button, self.pull_button,
                       self.overlay_button, self.print_button):
            button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.status.setText(html.escape(text + "…") if busy else text)
        if busy:
            self.progress.setValue(0)

    def _finished(self, task: WorkTask, step: str, done) -> None:
        self.task = None
        self._busy(False)
        if task.error is None and (task.cancelled or not task.ok):  # cancelled before run
            self.status.setText(tr("Cancelled: nothing was written"))
            self.progress.setValue(0)
            if step == "pull":
                self._pull_cleared(tr("Pull cancelled: nothing was imported."))
        elif task.error is not None:
            self.status.setText("")
            self.progress.setValue(0)
            if step == "pull":  # not the previous pull's result as if it were this one
                self._pull_cleared(tr("Pull refused: nothing was imported (see the message)."))
            self.show_error(task.error, step)
        else:
            self.progress.setValue(100)
            done(task.result)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def show_error(self, exc: Exception, step: str = "") -> None:
        """One clear message: what the step could not do (``step``: a key of
        :data:`STEP_ERRORS`), then the first line of the error (file, row, field); the rows it
        lists in the details."""
        text = str(exc).strip() or type(exc).__name__
        if not isinstance(exc, RoadInfraError):  # a bug: its kind helps the report
            text = f"{type(exc).__name__}: {text}"
        first, _, rest = text.partition("\n")
        errors = getattr(exc, "errors", None)
        if errors:
            first = tr("{count} row(s) of the source cannot be read; the first: "
                       "{first}").format(count=len(errors), first=errors[0])
            rest = "\n".join(str(e) for e in errors)
        if step:
            first = tr(STEP_ERRORS[step]) + " " + first
        box = QMessageBox(QMessageBox.Icon.Critical, tr("Cadastre"), first,
                          QMessageBox.StandardButton.Ok, self)
        if rest.strip():
            box.setDetailedText(rest)
        self.message = box
        box.open()

    # ------------------------------------------------------------------ results
    def _checked(self, checked) -> None:
        self.last_check = checked
        report = checked.quality
        parcels = checked.parcels
        crs = crs_label(parcels.crs) if parcels.crs is not None else tr("not declared")
        verdict = {True: tr("would be accepted"), False: tr("would be refused"),
                   None: tr("not checked")}[checked.fits_province]
        sheets = len(sheet_keys(parcels.frame))
        lines = [tr("{parcels} parcel(s) on {sheets} sheet(s), {left} row(s) left out; "
                    "CRS: {crs}").format(parcels=len(parcels.frame), sheets=sheets,
                                         left=len(parcels.errors), crs=crs),
                 tr("Import into the province: {verdict}.").format(verdict=verdict),
                 _short(checked.province, parcels.source)]
        colour = "#1a7f37" if checked.fits_province else "#b00020"
        shown = [html.escape(lines[0]), f"<b style='color:{colour}'>{html.escape(lines[1])}</b>"]
        if not checked.fits_province:  # why not (an accepted CRS is on the first line)
            shown.append(html.escape(lines[2]))
        self.check_summary.setText("<br>".join(shown))
        counts = report.summary()["findings"]
        _fill(self.findings_table, [(tr(KIND_LABELS[k]), counts[k]) for k in KINDS])
        self._replace(self.findings_layer)
        self.findings_layer = self._findings_layer(report, parcels.source)
        self.status.setText(tr("Checked: {count} finding(s)").format(count=len(report.issues)))

    def _findings_layer(self, report, source: str) -> QgsVectorLayer:
        """The findings of ``report`` added to the map as a layer named after ``source``."""
        name = tr("Quality findings – {source}").format(
            source=Path(source).name if Path(source).is_file() else source)
        layer = memory_layer(report.issues, report.crs, name)
        fill, outline = FINDINGS_STYLE
        layer.renderer().setSymbol(QgsFillSymbol.createSimple(
            {"color": fill, "outline_color": outline, "outline_width": "0.4"}))
        self.project.addMapLayer(layer)
        return layer

    def _imported(self, result) -> None:
        self.last_import = result
        lines = [tr("{inserted} parcel(s) imported, {replaced} replaced (kept in the history), "
                    "{invalid} left out (invalid geometry).").format(
                        inserted=result.inserted, replaced=result.tombstoned,
                        invalid=result.skipped_invalid)]
        lines += leaving_lines(result.sheets, self.lang)  # stored parcels left uncovered
        self.import_summary.setText("<br>".join(html.escape(line) for line in lines))
        _fill(self.sheets_table, [
            (f"{s.commune_code or '-'}/{s.sheet_no}", s.edition or "-",
             tr(ACTION_LABELS.get(s.action, s.action)), s.parcels) for s in result.sheets])
        self._parcels_changed()
        self.status.setText(tr("Imported into {target}").format(
            target=Path(result.target).name))

    def _parcels_changed(self) -> None:
        """Refresh the layers of ``cadastral_parcel`` open in the project, and the routes."""
        for layer in self.project.mapLayers().values():
            if layer.customProperty(TABLE_PROPERTY) == "cadastral_parcel":
                layer.dataProvider().reloadData()
                layer.triggerRepaint()
        self.read_routes()

    def _pull_cleared(self, text: str) -> None:
        """The Pull tab after a pull refused, failed or cancelled: ``text`` in the summary,
        the previous pull's sheets, findings and findings layer gone."""
        self.last_pull = None
        self.pull_summary.setText(html.escape(text))
        self.pull_summary.setToolTip("")
        _fill(self.pull_table, [])
        _fill(self.pull_findings_table, [])
        self.pull_views.setTabText(1, tr("Findings"))
        self._replace(self.pull_findings_layer)
        self.pull_findings_layer = None

    def _pulled(self, result) -> None:
        """Each sheet of the source: fetched (new, replaced), refused or up to date."""
        self.last_pull = result
        imported = {(s.commune_code, str(s.sheet_no)): s
                    for s in (result.imported.sheets if result.imported else [])}
        refused = {key for sheet in result.refused for key in sheet.keys}
        rows = []
        for key in sorted(result.checked, key=lambda k: (k[0] or "", k[1])):
            sheet = imported.get(key)
            action = (tr(ACTION_LABELS.get(sheet.action, sheet.action)) if sheet is not None
                      else tr(SHEET_REFUSED) if key in refused else tr(SHEET_UP_TO_DATE))
            rows.append((f"{key[0] or '-'}/{key[1]}", result.checked[key] or "-", action,
                         sheet.parcels if sheet is not None else "-"))
        _fill(self.pull_table, rows)
        inserted = result.imported.inserted if result.imported else 0
        replaced = result.imported.tombstoned if result.imported else 0
        lines = [tr(
            "{sheets} sheet(s) in the source: {fetched} fetched, {current} up to date; "
            "{inserted} parcel(s) imported, {replaced} replaced (kept in the history).").format(
                sheets=len(result.checked), fetched=len(result.fetched),
                current=len(result.up_to_date), inserted=inserted, replaced=replaced)]
        lines += [line for _, line in pull_lines(result)]
        lines += leaving_lines(result.imported.sheets if result.imported else [], self.lang)
        self.pull_summary.setText("<br>".join(html.escape(line) for line in lines))
        self.pull_summary.setToolTip(result.source)
        # the quality findings of the sheets fetched: a table and a layer (none: nothing new)
        self._replace(self.pull_findings_layer)
        self.pull_findings_layer = None
        counts = dict.fromkeys(KINDS, 0)
        if result.imported:
            report = result.imported.quality
            counts = report.summary()["findings"]
            self.pull_findings_layer = self._findings_layer(report, result.source)
            self._parcels_changed()
        found = sorted(KINDS, key=lambda k: counts[k] == 0)  # the kinds found on top
        _fill(self.pull_findings_table, [(tr(KIND_LABELS[k]), counts[k]) for k in found])
        self.pull_views.setTabText(1, tr("Findings ({count})").format(
            count=sum(counts.values())))
        source = Path(result.source).name if Path(result.source).is_file() else result.source
        self.status.setText(tr("Pulled from {source}; {count} sheet(s) refused, not "
                               "imported: {sheets}").format(
            source=source, count=len(refused), sheets=", ".join(
                n for r in result.refused for n in r.sheets)) if refused else
            tr("Pulled from {source}").format(source=source))

    def _overlaid(self, result) -> None:
        self.last_overlay = result
        self.overlay_file = self.pending_overlay  # printed by the Print tab
        self.add_overlay_layers(self.overlay_file)  # before the summary says so
        info = result.summary()
        taken = sum(v["parcels"] for v in info["acquisition"].values())
        area = sum(v["area_m2"] for v in info["acquisition"].values())
        text = tr(
            "{pieces} parcel part(s) in the corridors; encroaching: {parcels} parcel(s), "
            "{buildings} building(s) ({rows} row(s), one per zone and place); {taken} "
            "parcel(s) to acquire ({area} m²). Layers added to the map; written to "
            "{path}.").format(pieces=info["pieces"], parcels=info["encroaching_parcels"],
                              buildings=info["encroaching_buildings"],
                              rows=info["encroachments"], taken=taken,
                              area=number_text(area, 1, self.lang),
                              path=Path(self.overlay_file).name)
        lines = [text]
        lines += overlay_notes(result, self.lang)
        if result.regulation is not None:  # the profile's citation of the widths, last
            lines.append(result.regulation.line(self.lang))
        self.overlay_summary.setText("<br>".join(html.escape(line) for line in lines))
        self.overlay_scroll.setMinimumHeight(min(
            self.overlay_summary.heightForWidth(self.overlay_scroll.viewport().width()),
            7 * self.overlay_summary.fontMetrics().lineSpacing()))
        self.overlay_summary.setToolTip(self.overlay_file)
        _fill(self.encroachment_table, [
            (row.route, tr(ZONE_LABELS.get(row.zone, row.zone)),
             f"{row.sheet_no}/{row.parcel_no}" if isinstance(row.parcel_no, str)
             else tr("no parcel"),
             tr("building") if row.part == "building" else row.land_use,
             round(float(row.area_in_m2), 1), _km_range(row.km_from, row.km_to))
            for row in result.encroachments.itertuples()])
        self.overlay_views.setTabText(1, tr("Encroachments ({count})").format(
            count=len(result.encroachments)))
        self.overlay_views.setCurrentIndex(1)
        self.status.setText(tr("Overlay done"))

    def add_overlay_layers(self, path: str) -> dict:
        """The overlay GeoPackage's layers, styled as on the printed map, in a group of their
        own (replacing those of an earlier overlay)."""
        root = self.project.layerTreeRoot()
        for layer in self.overlay_layers.values():
            self._replace(layer)
        group_name = tr(OVERLAY_GROUP)
        group = root.findGroup(group_name) or root.insertGroup(0, group_name)
        self.overlay_layers = {}
        for table in OVERLAY_TABLES:
            fill, outline, label = OVERLAY_STYLE[table]
            layer = QgsVectorLayer(f"{path}|layername={table}", tr(label), "ogr")
            layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
                {"color": fill, "outline_color": outline, "outline_width": "0.2"})))
            self.project.addMapLayer(layer, False)
            group.addLayer(layer)
            self.overlay_layers[table] = layer
        return self.overlay_layers

    def _printed(self, pdf) -> None:
        self.printed = pdf
        self.print_summary.setText(html.escape(tr("Overlay map written to {path}").format(
            path=Path(pdf).name)))
        self.print_summary.setToolTip(pdf)
        self.status.setText(tr("Printed"))
        if self.iface is not None:
            self.iface.messageBar().pushMessage(
                tr("RoadInfra"), tr("Overlay map written to {path}").format(path=pdf),
                Qgis.MessageLevel.Success)

    def _replace(self, layer) -> None:
        """Remove a layer this dialog added earlier (if the user has not already)."""
        if layer is None:
            return
        try:
            layer_id = layer.id()
        except RuntimeError:  # deleted with the project
            return
        if self.project.mapLayer(layer_id) is not None:
            self.project.removeMapLayer(layer_id)

    def reject(self) -> None:
        self.cancel()
        super().reject()


def open_cadastre_dialog(iface) -> CadastreDialog:
    """Show the dialog (one per main window, kept with its results when closed; not modal:
    the map stays usable while a step runs)."""
    window = iface.mainWindow()
    dialog = window.findChild(CadastreDialog, DIALOG_OBJECT_NAME)
    if dialog is None:
        dialog = CadastreDialog(window, iface=iface)
    elif not dialog.database.text().strip():
        dialog.database.setText(open_database_default())
        dialog.read_routes()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def remove_cadastre_dialog(iface) -> None:
    """Close and delete the dialog (plugin unload)."""
    dialog = iface.mainWindow().findChild(CadastreDialog, DIALOG_OBJECT_NAME)
    if dialog is not None:
        dialog.reject()
        dialog.deleteLater()

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
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFillSymbol,
    QgsMapLayerProxyModel,
    QgsProcessingUtils,
    QgsProject,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox, QgsProjectionSelectionWidget
from qgis.PyQt.QtCore import QT_TR_NOOP, Qt, QTimer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
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
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.cadastre.mapping import shipped_mappings
from ...core.cadastre.quality import KINDS
from ...core.db import open_database
from ...core.errors import RoadInfraError
from ...core.io.output import check_output
from ...core.profile import load_profile
from ..database.naming import TABLE_PROPERTY
from ..i18n import current_language, tr
from ..processing.base import open_database_default
from ..settings import PluginSettings
from .inputs import (
    OVERLAY_TABLES,
    memory_layer,
    parcel_reader,
    sheet_edition,
    widening_from_cells,
)
from .tasks import IN_MAIN_THREAD, CadastreTask, check_work, import_work, overlay_work, print_work

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


def _table(headers, parent) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows) -> None:
    table.setRowCount(0)
    for values in rows:
        row = table.rowCount()
        table.insertRow(row)
        for column, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if isinstance(value, (int, float)):
                item.setTextAlignment(int(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter))
            table.setItem(row, column, item)


def _short(message: str, path: str) -> str:
    """A core message with the source's folder left out (the dialog names the source)."""
    return message.replace(str(path), Path(str(path)).name) if path else message


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
        self.task: CadastreTask | None = None
        self.message: QMessageBox | None = None
        self.last_check = self.last_import = self.last_overlay = None
        self.findings_layer: QgsVectorLayer | None = None
        self.overlay_layers: dict = {}
        self.overlay_file = self.pending_overlay = ""
        self.printed = ""
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._source_tab(), tr("1. Source"))
        self.tabs.addTab(self._check_tab(), tr("2. Check"))
        self.tabs.addTab(self._import_tab(), tr("3. Import"))
        self.tabs.addTab(self._overlay_tab(), tr("4. Overlay"))
        self.tabs.addTab(self._print_tab(), tr("5. Print"))
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

    def _check_tab(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        intro = _label(page)
        intro.setText(tr("Reads the source and reports on it; nothing is written. The "
                         "findings are added to the map as a layer."))
        self.check_button = QPushButton(tr("Check"), page)
        self.check_button.clicked.connect(self.run_check)
        self.check_summary = _label(page)
        self.findings_table = _table((QT_TR_NOOP("Finding"), QT_TR_NOOP("Count")), page)
        head = QHBoxLayout()  # the button beside its text: room for every finding's row
        head.addWidget(intro, 1)
        head.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(head)
        box.addWidget(self.check_summary)
        box.addWidget(self.findings_table, 1)
        return page

    def _import_tab(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        intro = _label(page)
        intro.setText(tr("Imports the parcels into the provincial database, sheet by sheet. "
                         "Parcels outside the province are refused before anything is "
                         "written; a newer edition of a sheet replaces it and the old one "
                         "stays in the history."))
        form = QFormLayout()
        self.edition = QLineEdit(page)
        self.edition.setPlaceholderText(
            tr("dd/mm/yyyy or YYYY-MM-DD; empty: from the file, else today"))
        self.import_button = QPushButton(tr("Import"), page)
        self.import_button.clicked.connect(self.run_import)
        edition_row = QHBoxLayout()
        edition_row.addWidget(self.edition, 1)
        edition_row.addWidget(self.import_button)
        form.addRow(tr("Edition of the sheets"), edition_row)
        self.import_summary = _label(page)
        self.sheets_table = _table((QT_TR_NOOP("Sheet"), QT_TR_NOOP("Edition"),
                                    QT_TR_NOOP("Result"), QT_TR_NOOP("Parcels")), page)
        self.sheets_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        self.sheets_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.import_summary)
        box.addWidget(self.sheets_table, 1)
        return page

    def _overlay_tab(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        top = QHBoxLayout()
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
        box.addLayout(top, 1)
        form = QFormLayout()
        self.overlay_output = QgsFileWidget(page)
        self.overlay_output.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.overlay_output.setFilter(tr("GeoPackage (*.gpkg)"))
        self.overlay_output.lineEdit().setPlaceholderText(tr("[temporary file]"))
        self.xlsx_output = QgsFileWidget(page)
        self.xlsx_output.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.xlsx_output.setFilter(tr("Excel workbook (*.xlsx)"))
        self.xlsx_output.lineEdit().setPlaceholderText(tr("[optional]"))
        form.addRow(tr("Result layers (GeoPackage)"), self.overlay_output)
        form.addRow(tr("Workbook (XLSX)"), self.xlsx_output)
        box.addLayout(form)
        self.overlay_button = QPushButton(tr("Overlay"), page)
        self.overlay_button.clicked.connect(self.run_overlay)
        box.addWidget(self.overlay_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.overlay_summary = _label(page)
        box.addWidget(self.overlay_summary)
        return page

    def _print_tab(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        intro = _label(page)
        intro.setText(tr("Prints the last overlay as an A3 map (PDF): land to acquire, "
                         "encroachments, parcels in the corridors and the corridors, with a "
                         "table of parcels and areas per route, zone and widening."))
        form = QFormLayout()
        self.print_language = QComboBox(page)
        self.print_language.addItem(tr("Vietnamese"), "vi")
        self.print_language.addItem(tr("English"), "en")
        self.print_language.setCurrentIndex(0 if self.lang == "vi" else 1)
        self.pdf_output = QgsFileWidget(page)
        self.pdf_output.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.pdf_output.setFilter(tr("PDF files (*.pdf)"))
        form.addRow(tr("Map language"), self.print_language)
        form.addRow(tr("Output PDF"), self.pdf_output)
        self.print_button = QPushButton(tr("Print overlay map"), page)
        self.print_button.clicked.connect(self.run_print)
        self.print_summary = _label(page)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.print_summary)
        box.addStretch(1)
        return page

    def _tab_shown(self, index: int) -> None:
        if index == 3 and not self.routes.count():
            self.read_routes()

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

    def source_name(self) -> str:
        source = self.source()
        return source.name() if isinstance(source, QgsVectorLayer) else Path(source).name

    def reader(self):
        """The reader of the chosen source (a layer's features are read now)."""
        crs = self.crs.crs()
        given = (crs.authid() or crs.toWkt()) if crs.isValid() else None
        return parcel_reader(self.source(), self.mapping.currentText().strip() or None,
                             crs=given, sheet=self.sheet.text().strip() or None)

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
            self.show_error(exc)
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
    def run_check(self) -> CadastreTask | None:
        """Check the source (no database written)."""
        return self._start(tr("Checking cadastral parcels"),
                           lambda: check_work(self.reader(), self.profile()),
                           self._checked)

    def run_import(self) -> CadastreTask | None:
        """Import the source into the database."""
        def work():
            target = self.target()
            return import_work(self.reader(), target, sheet_edition(self.edition.text()),
                               PluginSettings.load().editor_name or None)
        return self._start(tr("Importing cadastral parcels"), work, self._imported)

    def run_overlay(self) -> CadastreTask | None:
        """Overlay the database's parcels on the corridors of the chosen routes."""
        def work():
            target = self.target()
            widenings = self.planned_widenings()
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
            return overlay_work(target, self.chosen_routes(), widenings, outputs)
        return self._start(tr("Overlaying parcels on road corridors"), work, self._overlaid)

    def run_print(self) -> CadastreTask | None:
        """Print the last overlay to the PDF chosen."""
        def work():
            if not self.overlay_file or not Path(self.overlay_file).is_file():
                raise RoadInfraError(tr("Run the overlay first (tab 4)"))
            pdf = self.pdf_output.filePath().strip()
            if not pdf:
                raise RoadInfraError(tr("Choose an output PDF"))
            if Path(pdf).suffix.lower() != ".pdf":
                pdf += ".pdf"
            check_output(pdf, [self.overlay_file, self.database.text().strip()],
                         tr("Output PDF"))
            return print_work(self.overlay_file, pdf, self.print_language.currentData(),
                              self.profile().id)
        return self._start(tr("Printing the overlay map"), work, self._printed)

    def _start(self, description: str, prepare, done) -> CadastreTask | None:
        """Prepare the step's work in the main thread (reading the inputs; an error is shown
        at once) and run it as a background task."""
        if self.task is not None:
            return None
        try:
            work = prepare()
        except RoadInfraError as exc:
            self.show_error(exc)
            return None
        self.task = CadastreTask(description, work, lambda task: self._finished(task, done))
        self.task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        self._busy(True, description)
        if IN_MAIN_THREAD:  # see tasks.IN_MAIN_THREAD
            task = self.task
            QTimer.singleShot(0, lambda: task.finished(task.run()))
        else:
            QgsApplication.taskManager().addTask(self.task)
        return self.task

    def _busy(self, busy: bool, text: str = "") -> None:
        for button in (self.check_button, self.import_button, self.overlay_button,
                       self.print_button):
            button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.status.setText(html.escape(text + "…") if busy else text)
        if busy:
            self.progress.setValue(0)

    def _finished(self, task: CadastreTask, done) -> None:
        self.task = None
        self._busy(False)
        if task.error is None and (task.cancelled or not task.ok):  # cancelled before run
            self.status.setText(tr("Cancelled: nothing was written"))
            self.progress.setValue(0)
        elif task.error is not None:
            self.status.setText("")
            self.progress.setValue(0)
            self.show_error(task.error)
        else:
            self.progress.setValue(100)
            done(task.result)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def show_error(self, exc: Exception) -> None:
        """One clear message: the first line of the error (file, row, field); the rows it
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
        crs = parcels.crs.name if parcels.crs is not None else tr("not declared")
        verdict = {True: tr("would be accepted"), False: tr("would be refused"),
                   None: tr("not checked")}[checked.fits_province]
        sheets = len({str(s) for s in parcels.frame["sheet_no"]})
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
        name = tr("Quality findings – {source}").format(source=Path(parcels.source).name)
        self._replace(self.findings_layer)
        layer = memory_layer(report.issues, report.crs, name)
        fill, outline = FINDINGS_STYLE
        layer.renderer().setSymbol(QgsFillSymbol.createSimple(
            {"color": fill, "outline_color": outline, "outline_width": "0.4"}))
        self.project.addMapLayer(layer)
        self.findings_layer = layer
        self.status.setText(tr("Checked: {count} finding(s)").format(count=len(report.issues)))

    def _imported(self, result) -> None:
        self.last_import = result
        self.import_summary.setText(html.escape(tr(
            "{inserted} parcel(s) imported, {replaced} replaced (kept in the history), "
            "{invalid} left out (invalid geometry).").format(
                inserted=result.inserted, replaced=result.tombstoned,
                invalid=result.skipped_invalid)))
        _fill(self.sheets_table, [
            (f"{s.commune_code or '-'}/{s.sheet_no}", s.edition,
             tr(ACTION_LABELS.get(s.action, s.action)), s.parcels) for s in result.sheets])
        for layer in self.project.mapLayers().values():
            if layer.customProperty(TABLE_PROPERTY) == "cadastral_parcel":
                layer.dataProvider().reloadData()
                layer.triggerRepaint()
        self.read_routes()
        self.status.setText(tr("Imported into {target}").format(
            target=Path(result.target).name))

    def _overlaid(self, result) -> None:
        self.last_overlay = result
        self.overlay_file = self.pending_overlay  # printed by tab 5
        self.add_overlay_layers(self.overlay_file)  # before the summary says so
        info = result.summary()
        taken = sum(v["parcels"] for v in info["acquisition"].values())
        area = sum(v["area_m2"] for v in info["acquisition"].values())
        self.overlay_summary.setText(html.escape(tr(
            "{pieces} parcel part(s) in the corridors, {encroachments} encroachment(s), "
            "{taken} parcel(s) to acquire ({area:,.1f} m²). Layers added to the map; "
            "written to {path}.").format(pieces=info["pieces"],
                                         encroachments=info["encroachments"], taken=taken,
                                         area=area, path=Path(self.overlay_file).name)))
        self.overlay_summary.setToolTip(self.overlay_file)
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

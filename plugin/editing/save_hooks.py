"""The QGIS edit path: derived values, readable errors and dependent rows around each save.

Attached to every RoadInfra layer of the project (:class:`EditingHooks`):

* **before a commit** each added or changed feature goes through
  :func:`roadinfra.core.derive.derive_row` (the same core code as the DB API, the sync and
  ``roadinfra db check``); derived values enter the edit buffer, so they are saved in the
  same transaction as the edit; then core validation checks the rows and says what is
  wrong in the user's language (feature, field, why) before the database would refuse the
  save with its own constraint message;
* **after a commit** the rows whose derived values depend on what was saved (a survey's
  PCI after its distresses, a section's condition after its surveys, an inspection's
  rating after its component ratings) are derived again through the DB API, and their
  layers reloaded;
* **when editing starts** on a GeoPackage, the author of the edits is recorded (the plugin
  setting or the operating-system user), never a fixed word.

Deleting needs no hook: the database turns a DELETE into a tombstone (schema version 6).
Messages go to the message bar (when there is an interface) and the RoadInfra log; the
last ones per layer are kept in :attr:`EditingHooks.messages`.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

from qgis.core import QgsFeatureRequest, QgsFieldConstraints, QgsProject, QgsVectorLayer

from ...core.db import Database, DatabaseError, ValidationError, open_database
from ...core.derive import derive_row
from ...core.derive.rows import dependents_of
from ...core.errors import RoadInfraError
from ...core.schema import GEOMETRY_COLUMN, Table
from ..database.naming import TABLE_PROPERTY
from ..i18n import tr
from ..log import log
from .chainage_widget import use_chainage_widget
from .messages import error_text, warning_text
from .source import author_name, feature_row, layer_table, layer_target, qgis_value

#: Fields derived on save when left empty: not required in the form.
DERIVABLE = ("code", "district_code", "route_id")


class EditingHooks:
    """Save hooks of the RoadInfra layers of one project."""

    def __init__(self, iface=None, project: QgsProject | None = None):
        self.iface = iface
        self.project = project or QgsProject.instance()
        self.databases: Dict[str, Database] = {}
        #: layer id -> (errors, warnings) of its last commit, as shown to the user
        self.messages: Dict[str, Tuple[List[str], List[str]]] = {}
        self._pending: Dict[str, List[Tuple[str, str]]] = {}
        self._attached: Dict[str, QgsVectorLayer] = {}
        self.project.layersAdded.connect(self._layers_added)
        self._layers_added(list(self.project.mapLayers().values()))

    # ------------------------------------------------------------ life cycle
    def _layers_added(self, layers) -> None:
        for layer in layers:
            table = layer_table(layer)
            if table is not None and table.versioned and layer.id() not in self._attached:
                self.attach(layer, table)

    def attach(self, layer: QgsVectorLayer, table: Table) -> None:
        """Hook one layer; derivable fields stop being required in its form."""
        self._attached[layer.id()] = layer
        fields = layer.fields()
        for name in DERIVABLE:
            idx = fields.indexFromName(name)
            if idx >= 0:
                layer.removeFieldConstraint(idx, QgsFieldConstraints.Constraint.ConstraintNotNull)
        form = layer.editFormConfig()
        for col in table.columns:
            if col.derived and fields.indexFromName(col.name) >= 0:
                form.setReadOnly(fields.indexFromName(col.name), True)
        layer.setEditFormConfig(form)
        use_chainage_widget(layer)
        if table.name == "attachment":
            from .photos import show_photos_in_forms

            show_photos_in_forms(self, layer)
        layer.beforeCommitChanges.connect(lambda *_a, lyr=layer: self.before_commit(lyr))
        layer.afterCommitChanges.connect(lambda lyr=layer: self.after_commit(lyr))
        layer.editingStarted.connect(lambda lyr=layer: self.editing_started(lyr))
        layer_id = layer.id()
        layer.willBeDeleted.connect(lambda: self._attached.pop(layer_id, None))

    def unload(self) -> None:
        try:
            self.project.layersAdded.disconnect(self._layers_added)
        except TypeError:
            pass
        for db in self.databases.values():
            db.close()
        self.databases = {}

    def database(self, layer: QgsVectorLayer) -> Database:
        """The layer's database through core (opened once per database)."""
        target = layer_target(layer)
        if target not in self.databases:
            self.databases[target] = open_database(target)
        return self.databases[target]

    # ------------------------------------------------------------ hooks
    def editing_started(self, layer: QgsVectorLayer) -> None:
        if layer.providerType() != "ogr":
            return  # PostGIS: the login is the author
        try:
            self.database(layer).set_default_author(author_name())
        except RoadInfraError as exc:
            self._say(layer, [], [str(exc)])

    def before_commit(self, layer: QgsVectorLayer) -> None:
        """Derive and check every added and changed feature of the edit buffer."""
        table = layer_table(layer)
        buffer = layer.editBuffer()
        if table is None or buffer is None:
            return
        try:
            db = self.database(layer)
        except RoadInfraError as exc:
            self._say(layer, [str(exc)], [])
            return
        ctx = db.derive_context()
        errors: List[str] = []
        warnings: List[str] = []
        pending: List[Tuple[str, str]] = []
        fields = layer.fields()
        validator = db.validator(table)
        added = dict(buffer.addedFeatures())
        changed = set(buffer.changedAttributeValues()) | set(buffer.changedGeometries())
        for fid in list(added) + sorted(changed - set(added)):
            feature = layer.getFeature(fid)
            row = feature_row(layer, feature, table)
            if fid in added:
                typed = [k for k, v in row.items() if v is not None and k != GEOMETRY_COLUMN]
            else:
                typed = [fields.at(i).name() for i in buffer.changedAttributeValues().get(fid, {})]
            try:
                result = derive_row(ctx, table.name, row, typed_fields=typed)
            except RoadInfraError as exc:
                errors.append(str(exc))
                continue
            warnings += [warning_text(w) for w in result.warnings]
            for name, value in result.changes.items():
                idx = fields.indexFromName(name)
                if idx >= 0:
                    layer.changeAttributeValue(fid, idx, qgis_value(value))
            pending += result.dependents
            try:
                if fid in added:
                    validator.clean(result.row)
                else:
                    names = set(typed) | set(result.changes)
                    validator.clean({k: result.row[k] for k in names
                                     if not table.column(k).system}, partial=True,
                                    label=str(row.get("code") or row.get("id")))
                self._check_code(db, table, result.row)
            except ValidationError as exc:
                errors.append(error_text(exc))
        for fid in buffer.deletedFeatureIds():  # a tombstone changes what depends on it
            for feature in layer.dataProvider().getFeatures(QgsFeatureRequest(fid)):
                pending += dependents_of(table.name, feature_row(layer, feature, table))
        self._pending[layer.id()] = pending
        self._say(layer, errors, warnings)

    def _check_code(self, db: Database, table: Table, row) -> None:
        """A code used by another live row is refused before the database says it."""
        code = row.get("code")
        if not code or "code" not in table.column_names:
            return
        others = [r for r in db.fetch(table.name, where={"code": code})
                  if str(r["id"]) != str(row.get("id"))]
        if others:
            raise ValidationError(table.name, code, "code", "duplicate code", "duplicate")

    def after_commit(self, layer: QgsVectorLayer) -> None:
        """Derive again the rows depending on what was saved; reload their layers."""
        table = layer_table(layer)
        pending = self._pending.pop(layer.id(), [])
        try:
            db = self.database(layer)
            db.derive_context().forget(table.name if table else None)
            if pending:
                db.warnings = []
                db.derive_dependents(pending, user=author_name())
                warnings = [warning_text(w) for w in db.warnings]
                if warnings:
                    self._say(layer, [], warnings, keep=True)
        except (RoadInfraError, DatabaseError) as exc:
            self._say(layer, [str(exc)], [], keep=True)
            return
        touched = {name for name, _ in pending}
        for other in self.project.mapLayers().values():
            if other.customProperty(TABLE_PROPERTY) in touched:
                other.reload()

    # ------------------------------------------------------------ messages
    def _say(self, layer, errors: List[str], warnings: List[str], keep: bool = False) -> None:
        if keep and layer.id() in self.messages:
            old_errors, old_warnings = self.messages[layer.id()]
            errors, warnings = old_errors + errors, old_warnings + warnings
        self.messages[layer.id()] = (errors, warnings)
        for text in errors:
            log(text, "critical")
        for text in warnings:
            log(text, "warning")
        if self.iface is None or not (errors or warnings):
            return
        bar = self.iface.messageBar()
        if errors:
            bar.pushCritical(tr("Not saved"), "\n".join(errors))
        elif warnings:
            bar.pushWarning(tr("Saved with remarks"), "\n".join(warnings))

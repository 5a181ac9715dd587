"""``RoadInfraAlgorithm``: the base of every RoadInfra Processing algorithm.

A subclass sets the class attributes ``NAME`` (id, lower case), ``DISPLAY_NAME`` and
``SHORT_HELP`` (wrap the English texts in ``QT_TR_NOOP`` so pylupdate5 collects them); its
group is ``GROUP`` / ``GROUP_ID`` of the group package it lives in (``algorithms/<group>/``)
unless it sets them. It implements ``initAlgorithm`` and
``process(parameters, context, feedback)``:
read the parameters into plain records (:mod:`.features`), call one core entry point through
:meth:`RoadInfraAlgorithm.run_core` (progress and cancel bound to the feedback), write the
result. The template :meth:`RoadInfraAlgorithm.processAlgorithm` around it first refuses an
output that is one of the input files (same file, any spelling or link), reads a delimited-text
input by core's encoding policy (:meth:`RoadInfraAlgorithm.decode_text_inputs`), then reports
every bad row of a :class:`~roadinfra.core.errors.RoadInfraError` to the feedback and raises it as a
``QgsProcessingException``; a :class:`~roadinfra.core.errors.Cancelled` ends the run as a
cancel: nothing is loaded into the project.

Shared parameters: :meth:`add_profile_parameter` (the jurisdiction profile, default from the
plugin settings) and :meth:`add_database_parameter` (default: the database open in the
plugin).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsProject,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ...core.errors import Cancelled, RoadInfraError
from ...core.io.output import check_output
from ...core.profile import Profile, load_profile
from ..i18n import CONTEXT
from ..icons import provider_icon
from ..settings import PluginSettings

#: files an algorithm's input may be that QGIS reads as delimited text
DELIMITED_TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


def open_database_default(gpkg_only: bool = False) -> str:
    """The database open in the plugin (recorded in the current project), '' if none."""
    from ..database.connections import core_target
    from ..database.layers import project_database

    source = project_database(QgsProject.instance())
    if not source:
        return ""
    target = core_target(source)
    return target if not gpkg_only or target.lower().endswith(".gpkg") else ""


class RoadInfraAlgorithm(QgsProcessingAlgorithm):
    """Shared naming, translation, parameters, instancing and error handling."""

    NAME = ""
    DISPLAY_NAME = ""
    GROUP = ""
    GROUP_ID = ""
    SHORT_HELP = ""
    PROFILE = "PROFILE"
    DATABASE = "DATABASE"

    def tr(self, text: str) -> str:
        """Translate ``text``: in the context pylupdate5 gives ``self.tr()`` calls in each
        class from the algorithm up to this base (its class name), else in the shared one."""
        for klass in type(self).__mro__:
            translated = QCoreApplication.translate(klass.__name__, text)
            if translated != text:
                return translated
            if klass is RoadInfraAlgorithm:
                break
        return QCoreApplication.translate(CONTEXT, text)

    def name(self) -> str:
        return self.NAME

    def displayName(self) -> str:
        return self.tr(self.DISPLAY_NAME)

    def _package(self):
        """The group package of the algorithm's module (``algorithms/<group>/``)."""
        return sys.modules[type(self).__module__.rpartition(".")[0]]

    def group(self) -> str:
        group = self.GROUP or getattr(self._package(), "GROUP", "")
        return self.tr(group) if group else ""

    def groupId(self) -> str:
        return self.GROUP_ID or getattr(self._package(), "GROUP_ID", "")

    def shortHelpString(self) -> str:
        return self.tr(self.SHORT_HELP) if self.SHORT_HELP else ""

    def icon(self) -> QIcon:
        return provider_icon()

    def createInstance(self) -> RoadInfraAlgorithm:
        return type(self)()

    # ------------------------------------------------------------------ parameters
    def add_profile_parameter(self) -> None:
        self.addParameter(QgsProcessingParameterString(
            self.PROFILE, self.tr("Jurisdiction profile (id or .toml file)"),
            defaultValue=PluginSettings.load().profile))

    def profile(self, parameters, context: QgsProcessingContext) -> Profile:
        """The profile chosen (a RoadInfraError naming it when it cannot be loaded)."""
        name = self.parameterAsString(parameters, self.PROFILE, context).strip()
        return load_profile(name or None)

    def add_database_parameter(self, gpkg_only: bool = False, optional: bool = False) -> None:
        """The provincial database, filled with the one open in the plugin."""
        label = (self.tr("Provincial database (GeoPackage)") if gpkg_only else
                 self.tr("Provincial database (GeoPackage, or service=NAME for PostGIS)"))
        self.addParameter(QgsProcessingParameterFile(
            self.DATABASE, label, extension="gpkg" if gpkg_only else "",
            defaultValue=open_database_default(gpkg_only) or None, optional=optional))

    def database(self, parameters, context: QgsProcessingContext) -> str:
        target = self.parameterAsFile(parameters, self.DATABASE, context).strip()
        if not target:
            raise RoadInfraError(self.tr("Choose a provincial database"))
        return target

    def sink(self, parameters, name: str, context: QgsProcessingContext, fields,
             geometry=QgsWkbTypes.Type.NoGeometry, crs=None):
        """(sink, destination id) of the output ``name`` (the template has checked that it
        is none of the input files)."""
        sink, dest = self.parameterAsSink(parameters, name, context, fields, geometry,
                                          crs or QgsCoordinateReferenceSystem())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, name))
        return sink, dest

    def input_paths(self, parameters, context: QgsProcessingContext) -> list:
        """The files the input parameters name (a path, a layer's source, a feature-source
        definition), without any ``|layername=...`` part."""
        paths = []
        for definition in self.parameterDefinitions():
            if definition.isDestination():
                continue
            value = parameters.get(definition.name())
            if isinstance(value, QgsProcessingFeatureSourceDefinition):
                value = value.source.staticValue()
            if isinstance(value, str) and value:
                layer = QgsProcessingUtils.mapLayerFromString(value, context, False)
                value = layer if layer is not None else value
            if isinstance(value, QgsMapLayer):
                value = value.source()
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, (str, Path)) and str(item):
                    paths.append(str(item).split("|", 1)[0])
        return paths

    def check_outputs_not_inputs(self, parameters, context: QgsProcessingContext) -> None:
        """A FileError when an output of the algorithm is an existing file that is one of its
        input files (the same file by device and inode, as core's :func:`check_output`)."""
        inputs = None
        for definition in self.parameterDefinitions():
            if not definition.isDestination():
                continue
            name = definition.name()
            if definition.type() == "fileDestination":
                destination = self.parameterAsFileOutput(parameters, name, context)
            elif definition.type() in ("sink", "vectorDestination", "rasterDestination"):
                destination = self.parameterAsOutputLayer(parameters, name, context)
            else:
                continue
            path = (destination or "").split("|", 1)[0]
            if not path or path.lower().startswith(("ogr:", "memory:", "postgres:")) \
                    or not Path(path).exists():
                continue  # a new file or a table in a database: no input replaced
            if inputs is None:
                inputs = self.input_paths(parameters, context)
            check_output(path, inputs, option=name)

    def decode_text_inputs(self, parameters, context: QgsProcessingContext) -> None:
        """Read every input that is a delimited-text file (CSV, TXT, TSV) by core's one
        encoding policy (:mod:`roadinfra.core.io.text`): a file mixing encodings, or not
        text, is refused naming the file and the line; a cp1258 file (which QGIS would read
        as UTF-8, turning "Đông-Thái" into U+FFFD) is read by core and given to
        :meth:`parameterAsSource` as a layer; a UTF-8 one is left to QGIS."""
        from ...core.io.tabular import parse_csv
        from ...core.io.text import read_text
        from .features import table_layer

        self._decoded_inputs = {}
        for definition in self.parameterDefinitions():
            if definition.isDestination() or definition.type() not in ("source", "vector"):
                continue
            path = self.input_file(parameters, definition.name(), DELIMITED_TEXT_SUFFIXES)
            if not path:
                continue
            decoded = read_text(path, "table")
            if decoded.encoding.startswith("utf-8"):
                continue
            table = parse_csv(decoded.text, path, encoding=decoded.encoding)
            self._decoded_inputs[definition.name()] = table_layer(table)

    def parameterAsSource(self, parameters, name, context):  # noqa: N802 - QGIS API
        """The input ``name``; a delimited-text file as core decoded it."""
        layer = getattr(self, "_decoded_inputs", {}).get(name)
        if layer is not None:
            return QgsProcessingFeatureSource(layer, context)
        return super().parameterAsSource(parameters, name, context)

    def parameterAsVectorLayer(self, parameters, name, context):  # noqa: N802 - QGIS API
        layer = getattr(self, "_decoded_inputs", {}).get(name)
        return layer if layer is not None else \
            super().parameterAsVectorLayer(parameters, name, context)

    def add_input_layer(self, label: str, name: str = "INPUT",
                        types=(QgsProcessing.SourceType.TypeVector,),
                        optional: bool = False) -> None:
        """An input layer (any layer the user has open, or a file)."""
        self.addParameter(QgsProcessingParameterFeatureSource(name, label, list(types),
                                                              optional=optional))

    def add_field_parameter(self, name: str, label: str, layer: str = "INPUT",
                            optional: bool = False, default: str | None = None) -> None:
        """A field of the input layer ``layer``."""
        self.addParameter(QgsProcessingParameterField(
            name, label, defaultValue=default, parentLayerParameterName=layer,
            optional=optional))

    def input_source(self, parameters, name: str, context: QgsProcessingContext):
        """The feature source of the input layer ``name`` (an error naming it if unreadable)."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            raise RoadInfraError(self.tr("The input layer {0} cannot be read").format(name))
        return source

    @staticmethod
    def input_file(parameters, name: str, suffixes) -> str:
        """The file a source parameter names when it is one with a suffix in ``suffixes``
        (read by core's own reader: line numbers, encoding policy); '' for a layer."""
        value = parameters.get(name)
        if isinstance(value, str) and Path(value).suffix.lower() in suffixes \
                and Path(value).is_file():
            return value
        return ""

    def add_table_output(self, name: str, label: str,
                         kind: int = QgsProcessing.SourceType.TypeVector) -> None:
        """An output table (of ``kind``: by default any, a sink without geometry too) for
        :meth:`write_table`."""
        self.addParameter(QgsProcessingParameterFeatureSink(name, label, kind))

    def write_table(self, parameters, name: str, context: QgsProcessingContext, feedback,
                    frame, fields=None, geometry=QgsWkbTypes.Type.NoGeometry, crs=None,
                    geometries=None) -> str:
        """Write the rows of a DataFrame to the output ``name`` (``fields``: default from the
        column types; ``geometries``: one per row); its destination id."""
        from .features import frame_fields, write_frame

        fields = fields or frame_fields(frame)
        sink, dest = self.sink(parameters, name, context, fields, geometry, crs)
        write_frame(sink, fields, frame, feedback, geometries)
        return dest

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API
        """A parameter left out takes its default (the open database, the profile): QGIS
        3.22 refuses a required one left out even when it has a default (later QGIS use it,
        and ``parameterAs...`` does too), e.g. ``DATABASE`` in a script or ``qgis_process``."""
        filled = dict(parameters)
        for definition in self.parameterDefinitions():
            if filled.get(definition.name()) is None and definition.defaultValue() is not None:
                filled[definition.name()] = definition.defaultValue()
        return super().checkParameterValues(filled, context)

    # ------------------------------------------------------------------ running
    def process(self, parameters, context: QgsProcessingContext,
                feedback: QgsProcessingFeedback) -> dict:
        """Read, call core, write; return the outputs (implemented by each algorithm)."""
        raise NotImplementedError(f"{type(self).__name__}.process")

    def processAlgorithm(self, parameters, context: QgsProcessingContext,
                         feedback: QgsProcessingFeedback) -> dict:
        """Refuse an output that is an input file, run :meth:`process`; bad rows to the
        feedback, errors and cancel mapped."""
        try:
            self.check_outputs_not_inputs(parameters, context)
            self.decode_text_inputs(parameters, context)
            return self.process(parameters, context, feedback)
        except Cancelled as exc:
            context.setLayersToLoadOnCompletion({})
            feedback.pushInfo(self.tr("Cancelled: {0}").format(exc))
            return {}
        except RoadInfraError as exc:
            self._report_rows(exc, feedback)
            raise QgsProcessingException(str(exc)) from exc
        except QgsProcessingException as exc:  # from run_core
            if isinstance(exc.__cause__, RoadInfraError):
                self._report_rows(exc.__cause__, feedback)
            raise

    @staticmethod
    def _report_rows(exc: RoadInfraError, feedback: QgsProcessingFeedback) -> None:
        """Each bad row of an error that lists them (``errors``) as its own log line."""
        for error in getattr(exc, "errors", ()):
            feedback.reportError(str(error))

    def run_core(
        self, feedback: QgsProcessingFeedback, func: Callable[..., Any], *args: Any,
        **kwargs: Any
    ) -> Any:
        """Method form of :func:`run_core`."""
        return run_core(feedback, func, *args, **kwargs)


def run_core(
    feedback: QgsProcessingFeedback, func: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """Call a core function with ``progress`` and ``is_cancelled`` bound to ``feedback``.

    A :class:`RoadInfraError` becomes a ``QgsProcessingException`` with the same message and
    the error as ``__cause__`` (the template reports its bad rows); ``Cancelled`` passes.
    """
    if feedback is None:
        feedback = QgsProcessingFeedback()
    kwargs.setdefault("progress", feedback.setProgress)
    kwargs.setdefault("is_cancelled", feedback.isCanceled)
    try:
        return func(*args, **kwargs)
    except Cancelled:
        raise
    except RoadInfraError as exc:
        raise QgsProcessingException(str(exc)) from exc

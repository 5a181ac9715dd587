"""``RoadInfraAlgorithm``: the base of every RoadInfra Processing algorithm.

A subclass sets the class attributes ``NAME`` (id, lower case), ``DISPLAY_NAME``, ``GROUP``,
``GROUP_ID`` and ``SHORT_HELP`` (wrap the English texts in ``QT_TR_NOOP`` so pylupdate5
collects them) and implements ``initAlgorithm`` and ``processAlgorithm``. Core functions are
called through :meth:`RoadInfraAlgorithm.run_core`, which wires progress and cancellation to
the feedback and turns :class:`~roadinfra.core.errors.RoadInfraError` into a
``QgsProcessingException`` the toolbox shows to the user.
"""

from __future__ import annotations

from typing import Any, Callable

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingFeedback
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ...core.errors import RoadInfraError
from ..i18n import CONTEXT
from ..icons import provider_icon


class RoadInfraAlgorithm(QgsProcessingAlgorithm):
    """Shared naming, translation, instancing and error handling for RoadInfra algorithms."""

    NAME = ""
    DISPLAY_NAME = ""
    GROUP = ""
    GROUP_ID = ""
    SHORT_HELP = ""

    def tr(self, text: str) -> str:
        """Translate ``text``: in the context pylupdate5 gives ``self.tr()`` calls in the
        subclass (its class name), else in RoadInfra's shared context."""
        for klass in type(self).__mro__:
            if klass is RoadInfraAlgorithm:
                break
            translated = QCoreApplication.translate(klass.__name__, text)
            if translated != text:
                return translated
        return QCoreApplication.translate(CONTEXT, text)

    def name(self) -> str:
        return self.NAME

    def displayName(self) -> str:
        return self.tr(self.DISPLAY_NAME)

    def group(self) -> str:
        return self.tr(self.GROUP) if self.GROUP else ""

    def groupId(self) -> str:
        return self.GROUP_ID

    def shortHelpString(self) -> str:
        return self.tr(self.SHORT_HELP) if self.SHORT_HELP else ""

    def icon(self) -> QIcon:
        return provider_icon()

    def createInstance(self) -> RoadInfraAlgorithm:
        return type(self)()

    def run_core(
        self, feedback: QgsProcessingFeedback, func: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        """Method form of :func:`run_core`."""
        return run_core(feedback, func, *args, **kwargs)


def run_core(
    feedback: QgsProcessingFeedback, func: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """Call a core function with ``progress`` and ``is_cancelled`` bound to ``feedback``.

    A :class:`RoadInfraError` becomes a ``QgsProcessingException`` with the same message.
    """
    if feedback is None:
        feedback = QgsProcessingFeedback()
    kwargs.setdefault("progress", feedback.setProgress)
    kwargs.setdefault("is_cancelled", feedback.isCanceled)
    try:
        return func(*args, **kwargs)
    except RoadInfraError as exc:
        raise QgsProcessingException(str(exc)) from exc

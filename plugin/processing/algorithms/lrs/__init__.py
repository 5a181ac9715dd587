"""Linear referencing algorithms, one per module: calibrate routes, locate points, create
events, segment overlay. Each reads its layers into frames (``features.source_frame``), calls
the same ``core.lrs`` entry point as the ``roadinfra lrs`` command and writes the result in
the provincial grid. Offsets: left of the route positive, right negative, looking towards
increasing chainage."""

from qgis.PyQt.QtCore import QT_TR_NOOP

GROUP = QT_TR_NOOP("Linear referencing")
GROUP_ID = "lrs"

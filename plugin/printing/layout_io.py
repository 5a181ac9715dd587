"""Layout templates in, vector PDFs out: the one way every printed RoadInfra sheet (condition
map, corridor overlay map, plan atlas) loads its ``.qpt`` template and sets up its PDF export.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Type

from qgis.core import (
    Qgis,
    QgsLayoutExporter,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRenderContext,
)
from qgis.PyQt.QtXml import QDomDocument

# Text as text in the PDF (searchable, embedded fonts); the enum moved in QGIS 3.28.
ALWAYS_TEXT = getattr(getattr(Qgis, "TextRenderFormat", None), "AlwaysText", None)
if ALWAYS_TEXT is None:
    ALWAYS_TEXT = QgsRenderContext.TextRenderFormat.TextFormatAlwaysText


def load_template(project: QgsProject, path: Path, error: Type[Exception]) -> QgsPrintLayout:
    """A print layout of ``project`` made from the template file ``path``; a template that
    cannot be read, parsed or loaded raises ``error`` naming the file."""
    document = QDomDocument()
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise error(f"{path}: layout template not readable: {reason}") from None
    if not document.setContent(content)[0]:
        raise error(f"{path}: layout template is not valid XML")
    layout = QgsPrintLayout(project)
    _items, ok = layout.loadFromTemplate(document, QgsReadWriteContext())
    if not ok:
        raise error(f"{path}: layout template cannot be loaded")
    return layout


def pdf_settings(geospatial: Optional[bool] = None) -> QgsLayoutExporter.PdfExportSettings:
    """Vector PDF at 300 dpi with text as text; ``geospatial`` (atlas sheets) also asks for
    the georeference and, when true, a Geospatial PDF."""
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = 300
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = True
    settings.textRenderFormat = ALWAYS_TEXT
    if geospatial is not None:
        settings.appendGeoreference = True
        settings.writeGeoPdf = geospatial
        settings.simplifyGeometries = True
    return settings


def export_pdf(layout: QgsPrintLayout, pdf_path: Path, error: Type[Exception]) -> None:
    """Write ``layout`` to ``pdf_path`` (its folder made when missing); a failure raises
    ``error`` naming the file and QGIS's reason."""
    try:
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(f"{pdf_path}: cannot create the folder: {exc.strerror}") from None
    exporter = QgsLayoutExporter(layout)
    result = exporter.exportToPdf(str(pdf_path), pdf_settings())
    if result != QgsLayoutExporter.ExportResult.Success:
        raise error(f"{pdf_path}: the PDF cannot be written "
                    f"({exporter.errorMessage() or f'error {result}'})")

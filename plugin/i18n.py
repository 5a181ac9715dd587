"""Translations: the ``tr()`` helper and the QTranslator for ``resources/i18n/roadinfra_<lang>.qm``.

``pylupdate5`` files bare ``tr("...")`` calls and ``QT_TR_NOOP("...")`` under its
``@default`` context, so :func:`tr` translates in that context
(``scripts/update_translations.sh`` regenerates the ``.ts`` file).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from .settings import PluginSettings

CONTEXT = "@default"
I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"


def tr(text: str) -> str:
    """Translate a user-visible text (the shared ``@default`` context of RoadInfra's .ts)."""
    return QCoreApplication.translate(CONTEXT, text)


def current_language() -> str:
    """Two-letter language: the plugin override, else QGIS ``locale/userLocale``, else the
    locale QGIS runs in."""
    override = PluginSettings.load().language
    locale = override or QgsSettings().value("locale/userLocale", "", type=str)
    return (locale or QLocale().name() or "en")[:2].lower()


def qm_path(language: str) -> Path:
    return I18N_DIR / f"roadinfra_{language}.qm"


@cache
def _translator(language: str) -> QTranslator | None:
    translator = QTranslator()
    return translator if translator.load(str(qm_path(language))) else None


def translate_to(text: str, language: str) -> str:
    """``text`` in ``language`` whatever language QGIS runs in (printed sheets choose their
    own); the English source when no translation is compiled."""
    if language == "en":
        return text
    translator = _translator(language)
    translated = translator.translate(CONTEXT.encode(), text.encode("utf-8")) if translator else ""
    return translated or text


def install_translator(language: str | None = None) -> QTranslator | None:
    """Load and install the translator for ``language`` (default: :func:`current_language`).

    Returns the installed translator (keep it and pass it to :func:`remove_translator` on
    unload) or None when English is wanted or no compiled ``.qm`` file exists.
    """
    language = language or current_language()
    path = qm_path(language)
    if language == "en" or not path.exists():
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)

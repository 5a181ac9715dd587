"""Vietnamese / English labels: the one place where a text is chosen by language.

Core results carry both languages (profile bands, code lists, structure classes); a face
asks for one with :func:`language` (any locale name to ``vi`` or ``en``) and
:meth:`Label.text`, instead of its own ``if lang == "vi"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

LANGUAGES = ("vi", "en")


def language(lang: str | None) -> str:
    """``vi`` for a Vietnamese locale name (``vi``, ``vi_VN``), else ``en``."""
    return "vi" if (lang or "").lower().startswith("vi") else "en"


@dataclass(frozen=True)
class Label:
    """One text in both languages."""

    vi: str
    en: str

    def text(self, lang: str | None) -> str:
        return self.vi if language(lang) == "vi" else self.en

    @classmethod
    def of(cls, mapping: Mapping[str, Any], stem: str) -> Label:
        """The label held as ``<stem>_vi`` / ``<stem>_en`` in a row or profile section."""
        return cls(str(mapping.get(f"{stem}_vi") or ""), str(mapping.get(f"{stem}_en") or ""))

"""resources/i18n/roadinfra_vi.ts covers every user-visible text and keeps its placeholders.

The sync check runs pylupdate5 (scripts/update_translations.sh) on a copy of the .ts, so a
text added to plugin/ or forms/ without a Vietnamese translation fails here.
"""

import os
import shutil
import string
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "roadinfra_vi.ts"


def messages(path):
    """(context, source, translation element) of every message in a .ts file."""
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            yield name, message.findtext("source"), message.find("translation")


def fields(text):
    return sorted(
        (name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name is not None
    )


def test_translations_keep_placeholders_and_markup():
    for context, source, translation in messages(TS):
        text = translation.text or ""
        assert fields(text) == fields(source), (context, source, text)
        assert text.count("<") == source.count("<"), (context, source, text)
        assert ("&" in text) == ("&" in source), (context, source, text)


@pytest.mark.skipif(shutil.which("pylupdate5") is None, reason="pylupdate5 not installed")
def test_every_text_in_plugin_and_forms_is_translated(tmp_path):
    work = tmp_path / "checkout"
    for part in ("plugin", "forms", "scripts"):
        if (ROOT / part).exists():
            shutil.copytree(ROOT / part, work / part, ignore=shutil.ignore_patterns("__pycache__"))
    (work / "resources" / "i18n").mkdir(parents=True)
    shutil.copy(TS, work / "resources" / "i18n" / TS.name)
    subprocess.run(
        ["bash", str(work / "scripts" / "update_translations.sh")],
        env={**os.environ, "LANGUAGES": "vi"},
        check=True,
        capture_output=True,
        timeout=120,
    )
    missing = [
        f"{context}: {source!r}"
        for context, source, translation in messages(work / "resources" / "i18n" / TS.name)
        if translation.get("type") == "unfinished" or not (translation.text or "").strip()
    ]
    assert not missing, (
        "untranslated texts; run scripts/update_translations.sh and translate them in "
        "resources/i18n/roadinfra_vi.ts:\n" + "\n".join(missing)
    )


def test_no_tr_call_inside_an_f_string():
    """pylupdate5 skips ``tr("...")`` inside an f-string's braces: such a text stays English."""
    import re

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"""\bf(["']).*\{[^}]*\b(tr|translate)\(""")
    found = [f"{path.relative_to(root)}:{number}"
             for path in sorted((root / "plugin").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert not found, "take tr() out of the f-string: " + ", ".join(found)

"""The user guides' sections are numbered 1..n once each, and every cross-reference ("section
N", "mục N") names a section that exists and is about what it points to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
WORD = {"en": "section", "vi": "mục"}
#: what a reference next to these words must point to (a word of the section's heading)
TOPICS = {"en": {"`cadastre`": "Cadastral", "*Cadastre...*": "Cadastral",
                 "*History of the selected feature*": "editing"},
          "vi": {"`cadastre`": "địa chính", "*Địa chính...*": "địa chính",
                 "*Lịch sử của đối tượng đang chọn*": "Chỉnh sửa"}}


def _sections(text: str) -> dict[int, str]:
    found = re.findall(r"^## (\d+)\. (.+)$", text, flags=re.M)
    numbers = [int(n) for n, _ in found]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    return {int(n): title for n, title in found}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_sections_and_cross_references(lang):
    text = (DOCS / f"user-guide.{lang}.md").read_text(encoding="utf-8")
    sections = _sections(text)
    for number in re.findall(WORD[lang] + r" (\d+)", text):
        assert int(number) in sections, f"{WORD[lang]} {number} does not exist"
    for line in text.splitlines():
        for name, topic in TOPICS[lang].items():
            for ref in re.findall(re.escape(name) + r"[^|]*?\(" + WORD[lang] + r" (\d+)\)",
                                  line):
                assert topic.lower() in sections[int(ref)].lower(), (name, ref)

"""The packaged zip passes what plugins.qgis.org checks at upload: its validator's rules and its
scanners (Bandit, detect-secrets, flake8) with the site's rule set, run from ``.venv-tools``.

A failure lists every blocking finding as ``path:line: tool code: message``. The last two
tests show that the checks do refuse bad packages (so a green run means something)."""

import zipfile
from pathlib import Path

import pytest

from tests.support.package import build_plugin_zip
from tests.support.plugins_site import format_findings, scan_package, validate_package


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory):
    return build_plugin_zip(tmp_path_factory.mktemp("dist"))


def test_zip_passes_the_upload_validator(plugin_zip):
    problems = validate_package(plugin_zip)
    assert not problems, "plugins.qgis.org would refuse the zip:\n" + format_findings(problems)


def test_zip_has_no_blocking_scanner_finding(plugin_zip):
    findings, outputs = scan_package(plugin_zip)
    print("\n".join(outputs.values()))  # shown with -rP and in the JUnit XML
    assert not findings, (
        f"{len(findings)} blocking finding(s) of the site's scanners (fix the code; a "
        "'# nosec B608' needs the identifier-quoting helper and a reason on that line):\n"
        + format_findings(findings)
    )


def rezip(source: Path, target: Path, edit) -> Path:
    """Copy ``source`` to ``target``, passing each (name, bytes) through ``edit`` (which may
    return None to drop the entry, or a list of entries)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            result = edit(info.filename, old.read(info))
            for name, data in result if isinstance(result, list) else [result] if result else []:
                new.writestr(name, data)
    return target


def test_validator_refuses_what_the_site_refuses(plugin_zip, tmp_path):
    def spoil(name, data):
        if name == "roadinfra/LICENSE":
            return None
        if name == "roadinfra/metadata.txt":
            text = data.decode("utf-8").replace("version=", "version=v1.0-", 1)
            text = text.replace("icon=", "icon=missing/", 1).replace("author=", "author=a/b ", 1)
            return (name, text.replace("\nemail=", "\nmail=", 1).encode("utf-8"))
        if name == "roadinfra/__init__.py":
            return [(name, data), ("roadinfra/__pycache__/x.cpython-311.pyc", b"\0"),
                    ("roadinfra/tools/run.sh", b"#!/bin/sh\n"), ("other/readme.txt", b"")]
        return (name, data)

    bad = rezip(plugin_zip, tmp_path / "bad.zip", spoil)
    report = format_findings(validate_package(bad))
    for expected in (
        "validator layout: roadinfra/LICENSE is missing",
        "metadata.txt:", "metadata.version: 'v1.0-",
        "metadata.email: required field missing",
        "metadata.icon: 'missing/",
        "metadata.author: must not contain a slash",
        "x.cpython-311.pyc: validator pyc",
        "x.cpython-311.pyc: validator folder: '__pycache__'",
        "roadinfra/tools/run.sh: file_analysis FILE_SUSPICIOUS",
        "validator layout: one top folder expected",
    ):  # fmt: skip
        assert expected in report, f"{expected!r} not in:\n{report}"


def test_scanners_report_findings_with_file_and_line(tmp_path):
    source = (
        "import sqlite3\n"
        "\n"
        "\n"
        "def rows(connection: sqlite3.Connection, table: str, key: str):\n"
        "    sql = f\"SELECT * FROM {table} WHERE id = '{key}'\"\n"
        "    return connection.execute(sql).fetchall() + undefined_name\n"
        "\n"
        "\n"
        "AWS_KEY = 'AKIAIOSFODNN7EXAMPLE'\n"
        "assert rows\n"
    )
    bad = tmp_path / "scan.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("demo/__init__.py", source)
    findings, _ = scan_package(bad)
    report = format_findings(findings)
    for expected in (
        "demo/__init__.py:5: bandit B608",
        "demo/__init__.py:10: bandit B101",
        "demo/__init__.py:9: detect-secrets AWS Access Key",
        "demo/__init__.py:6: flake8 F821",
    ):
        assert expected in report, f"{expected!r} not in:\n{report}"

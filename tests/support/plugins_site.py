"""The checks plugins.qgis.org makes on an uploaded plugin ZIP, written from its documented rules.

Two parts, as on the site:
- :func:`validate_package`: the upload validator (size, archive layout, forbidden files,
  metadata fields and formats, icon, LICENSE) plus the site's file analysis (suspicious file
  types, executable Python files). Reachability of the URLs is not checked (no network here).
- :func:`scan_package`: Bandit, detect-secrets and flake8 run on the unzipped plugin with the
  site's rule set (:mod:`tests.support.plugins_site_rules`), from the tools venv that
  ``scripts/setup.sh`` makes (``.venv-tools``).

Each returns :class:`Finding` objects; a finding is blocking when its rule is enabled on the
site (a developer may skip some rules at upload, we skip none). Run
``python -m tests.support.plugins_site dist/roadinfra-X.zip`` for a report.
"""

from __future__ import annotations

import configparser
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from tests.support import plugins_site_rules as rules

REPO = Path(__file__).resolve().parents[2]
TOOLS_BIN = REPO / ".venv-tools" / "bin"

MAX_UPLOAD_BYTES = 25_000_000
REQUIRED_METADATA = (
    "name", "description", "version", "qgisMinimumVersion", "author", "email", "about",
    "tracker", "repository",
)  # fmt: skip
BOOLEAN_METADATA = ("experimental", "deprecated", "server")
URL_METADATA = ("tracker", "repository", "homepage")
SITE_FORBIDDEN_URLS = {"http://bugs", "http://repo", "http://homepage"}
FORBIDDEN_FOLDERS = ("__MACOSX", ".git", "__pycache__")
SUSPICIOUS_EXTENSIONS = (".exe", ".dll", ".so", ".dylib", ".bat", ".sh", ".ps1", ".cmd")
PACKAGE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]+$")
PLUGIN_VERSION = re.compile(r"^\d{1,3}(\.\d{1,3}){0,3}$")
QGIS_VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")


@dataclass(frozen=True)
class Finding:
    tool: str  # validator, file_analysis, bandit, detect-secrets, flake8
    code: str
    path: str  # inside the zip, e.g. roadinfra/core/db/base.py
    line: int  # 0 when the finding is about the whole file or archive
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.tool} {self.code}: {self.message}"


def format_findings(findings: list[Finding]) -> str:
    return "\n".join(str(finding) for finding in sorted(findings, key=_order))


def _order(finding: Finding):
    return (finding.tool, finding.path, finding.line, finding.code)


# --- the upload validator ------------------------------------------------------------------


def validate_package(zip_path: Path) -> list[Finding]:
    """Everything the site's validator and file analysis would refuse or flag in ``zip_path``."""
    out: list[Finding] = []
    name = zip_path.name

    def refuse(code: str, message: str, path: str = name) -> None:
        out.append(Finding("validator", code, path, 0, message))

    size = zip_path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        refuse("size", f"{size} bytes, the site takes at most {MAX_UPLOAD_BYTES}")
    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as error:
        refuse("zip", f"not a readable zip: {error}")
        return out
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        bad = archive.testzip()
        if bad:
            refuse("zip", f"CRC error on {bad}")
        for entry in names:
            parts = entry.split("/")
            if ".." in parts or entry.startswith("/"):
                refuse("path", "path information in a zip entry", entry)
            if "\\" in entry or re.match(r"^[A-Za-z]:", entry):
                refuse("path", "backslash or drive letter in a zip entry", entry)
            if ".pyc" in entry:
                refuse("pyc", ".pyc files are refused", entry)
            for folder in FORBIDDEN_FOLDERS:
                if folder in parts:
                    refuse("folder", f"'{folder}' folders are refused", entry)
        out.extend(_file_analysis(infos))

        tops = sorted({entry.split("/")[0] for entry in names})
        if len(tops) != 1:
            refuse("layout", f"one top folder expected, found {tops}")
        if not names or "/" not in names[0]:
            refuse("layout", "no folder inside the zip: not a plugin")
            return out
        top = names[0].split("/")[0]  # the site takes the first entry's folder
        if not PACKAGE_NAME.match(top) or not top.isidentifier():
            refuse("layout", f"top folder '{top}' must be a Python identifier of ASCII letters")
        for required in ("__init__.py", "metadata.txt", "LICENSE"):
            if f"{top}/{required}" not in names:
                refuse("layout", f"{top}/{required} is missing")
        if f"{top}/metadata.txt" not in names:
            return out
        text = archive.read(f"{top}/metadata.txt").decode("utf-8")
        out.extend(_check_metadata(text, f"{top}/metadata.txt", top, set(names)))
    return out


def _file_analysis(infos: list[zipfile.ZipInfo]) -> list[Finding]:
    out = []
    for info in infos:
        if info.is_dir():
            continue
        mode = info.external_attr >> 16
        if info.filename.endswith(".py") and mode & 0o111:
            out.append(
                Finding("file_analysis", "FILE_EXECUTABLE", info.filename, 0,
                        "Python file with an executable permission")
            )  # fmt: skip
        if info.filename.lower().endswith(SUSPICIOUS_EXTENSIONS):
            out.append(
                Finding("file_analysis", "FILE_SUSPICIOUS", info.filename, 0,
                        "executable or binary file type")
            )  # fmt: skip
    return out


def _check_metadata(text: str, path: str, top: str, names: set[str]) -> list[Finding]:
    out: list[Finding] = []
    lines = text.splitlines()

    def line_of(key: str) -> int:
        for number, line in enumerate(lines, 1):
            if re.match(rf"^\s*{re.escape(key)}\s*[=:]", line):
                return number
        return 0

    def refuse(key: str, message: str) -> None:
        out.append(Finding("validator", f"metadata.{key}", path, line_of(key), message))

    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive (qgisMinimumVersion)
    try:
        parser.read_string(text)
    except configparser.Error as error:
        return [Finding("validator", "metadata", path, 0, f"cannot be parsed: {error}")]
    if not parser.has_section("general"):
        return [Finding("validator", "metadata", path, 0, "no [general] section")]
    meta = {key: value.strip() for key, value in parser.items("general")}

    for key in REQUIRED_METADATA:
        if not meta.get(key):
            refuse(key, "required field missing or empty")
    version = meta.get("version", "")
    if version and not PLUGIN_VERSION.match(version):
        refuse("version", f"'{version}' is not a dotted number version such as 1.2.0")
    for key in ("qgisMinimumVersion", "qgisMaximumVersion"):
        if meta.get(key) and not QGIS_VERSION.match(meta[key]):
            refuse(key, f"'{meta[key]}' is not a QGIS version such as 3.22")
    low, high = meta.get("qgisMinimumVersion", ""), meta.get("qgisMaximumVersion", "")
    if QGIS_VERSION.match(low) and QGIS_VERSION.match(high) and _vt(low) > _vt(high):
        refuse("qgisMaximumVersion", f"{high} is below qgisMinimumVersion {low}")
    if "/" in meta.get("author", ""):
        refuse("author", "must not contain a slash")
    email = meta.get("email", "")
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        refuse("email", f"'{email}' is not an e-mail address")
    for key in URL_METADATA:
        url = meta.get(key)
        if not url:
            continue
        parsed = urlparse(url)
        if url in SITE_FORBIDDEN_URLS or not (parsed.scheme and parsed.netloc):
            refuse(key, f"'{url}' is not a valid link")
    for key in BOOLEAN_METADATA:
        value = meta.get(key)
        if value is not None and value.lower() not in {"true", "false", "yes", "no", "1", "0"}:
            refuse(key, f"'{value}' is not a boolean")
    if "supportsQt6" in meta:
        refuse("supportsQt6", "deprecated: declare Qt 6 support with qgisMaximumVersion")
    icon = meta.get("icon", "")
    if not icon:
        refuse("icon", "no icon given")
    elif f"{top}/{icon.removeprefix('./')}" not in names:
        refuse("icon", f"'{icon}' is not in the package")
    return out


def _vt(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# --- the security and quality scanners -----------------------------------------------------


def missing_tools() -> list[str]:
    tools = ("bandit", "detect-secrets", "flake8")
    return [tool for tool in tools if not (TOOLS_BIN / tool).exists()]


def scan_package(zip_path: Path) -> tuple[list[Finding], dict[str, str]]:
    """Run the three scanners on the unzipped package with the site's enabled rules.

    Returns the findings and each tool's raw output (for reports)."""
    missing = missing_tools()
    if missing:
        raise RuntimeError(
            f"scanner(s) {', '.join(missing)} missing in {TOOLS_BIN}: run scripts/setup.sh"
        )
    with tempfile.TemporaryDirectory(prefix="ri-scan-") as folder:
        root = Path(folder)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(root)
        findings: list[Finding] = []
        raw: dict[str, str] = {}
        for tool, runner in (
            ("bandit", _bandit), ("detect-secrets", _detect_secrets), ("flake8", _flake8),
        ):  # fmt: skip
            found, raw[tool] = runner(root)
            findings.extend(found)
    return findings, raw


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def _relative(root: Path, path: str) -> str:
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = root / candidate
    return candidate.resolve().relative_to(root.resolve()).as_posix()


def _bandit(root: Path) -> tuple[list[Finding], str]:
    command = [
        str(TOOLS_BIN / "bandit"), "-r", ".", "-f", "json", "--quiet",
        "-t", ",".join(sorted(rules.BANDIT)),
    ]  # fmt: skip
    result = _run(command, root)
    report = _json_or_fail("bandit", result)
    findings = [
        Finding(
            "bandit",
            issue["test_id"],
            _relative(root, issue["filename"]),
            issue["line_number"],
            f"{issue['issue_text']} (severity {issue['issue_severity']}, site: "
            f"{rules.BANDIT[issue['test_id']]})",
        )
        for issue in report.get("results", [])
    ]
    for error in report.get("errors", []):
        findings.append(
            Finding("bandit", "error", _relative(root, error["filename"]), 0, error["reason"])
        )
    return findings, _bandit_summary(report)


def _bandit_summary(report: dict) -> str:
    totals = report.get("metrics", {}).get("_totals", {})
    lines = [
        f"bandit: {len(report.get('results', []))} issue(s) of the site's enabled tests, "
        f"{totals.get('loc', '?')} lines scanned, {totals.get('nosec', 0)} line(s) marked nosec, "
        f"{totals.get('skipped_tests', 0)} finding(s) skipped by '# nosec'"
    ]
    for issue in report.get("results", []):
        lines.append(f"  {issue['filename']}:{issue['line_number']} {issue['test_id']}")
    return "\n".join(lines)


def _detect_secrets(root: Path) -> tuple[list[Finding], str]:
    command = [
        str(TOOLS_BIN / "detect-secrets"), "scan", "--all-files",
        "--exclude-files", r"metadata\.txt", "--exclude-files", r"\.secrets\.baseline",
    ]  # fmt: skip
    for plugin in sorted(rules.SECRETS_DISABLED):
        command += ["--disable-plugin", plugin]
    result = _run([*command, "."], root)
    report = _json_or_fail("detect-secrets", result)
    findings = []
    for path, secrets in report.get("results", {}).items():
        for secret in secrets:
            findings.append(
                Finding("detect-secrets", secret["type"], _relative(root, path),
                        secret.get("line_number", 0), "potential secret")
            )  # fmt: skip
    plugins = [entry["name"] for entry in report.get("plugins_used", [])]
    summary = (
        f"detect-secrets: {len(findings)} potential secret(s); detectors: {', '.join(plugins)}"
    )
    return findings, summary


def _flake8(root: Path) -> tuple[list[Finding], str]:
    files = sorted(str(path) for path in root.rglob("*.py"))
    command = [
        str(TOOLS_BIN / "flake8"), "--format=json", "--max-line-length=120",
        "--select", ",".join(sorted(rules.FLAKE8)), *files,
    ]  # fmt: skip
    result = _run(command, root)
    report = _json_or_fail("flake8", result)
    findings = [
        Finding("flake8", issue["code"], _relative(root, path), issue["line_number"],
                issue["text"])
        for path, issues in report.items()
        for issue in issues
    ]  # fmt: skip
    summary = f"flake8: {len(findings)} issue(s) of the site's enabled codes in {len(files)} files"
    return findings, summary


def _json_or_fail(tool: str, result: subprocess.CompletedProcess):
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(
            f"{tool} gave no JSON (exit {result.returncode}): {result.stderr[-2000:]}"
        ) from error


def main(argv: list[str]) -> int:
    zip_path = Path(argv[0])
    problems = validate_package(zip_path)
    print(f"validator: {len(problems)} problem(s)")
    findings, raw = scan_package(zip_path)
    for text in raw.values():
        print(text)
    every = problems + findings
    if every:
        print(format_findings(every))
    print(f"{len(every)} blocking finding(s)")
    return 1 if every else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

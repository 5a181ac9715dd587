"""Fill the contact metadata of a plugin build: email, homepage, tracker, repository.

    python3 scripts/release_metadata.py SOURCE_METADATA OUTPUT_METADATA [--release]

The values come from the environment (ROADINFRA_EMAIL, ROADINFRA_HOMEPAGE, ROADINFRA_TRACKER,
ROADINFRA_REPOSITORY), else from the ``[release]`` section of a small INI file named by
ROADINFRA_RELEASE_CONFIG (default: ``release.conf`` at the repository root, when it exists).
A development build fills what is unset with clearly marked ``.invalid`` values and says so;
``--release`` refuses unset values, hosts that are not dotted public names (``https://todo``)
and placeholders (example.org, .invalid, .test, localhost, todo, ...) and lists each problem
with how to fix it; every build refuses a value with a newline or another control character
(it would inject a line into metadata.txt). Stdlib only (called by scripts/package.sh).
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("email", "homepage", "tracker", "repository")
DEV_HOST = "dev-build.roadinfra.invalid"
DEV_VALUES = {
    "email": f"not-for-upload@{DEV_HOST}",
    "homepage": f"https://{DEV_HOST}/",
    "tracker": f"https://{DEV_HOST}/issues",
    "repository": f"https://{DEV_HOST}/repository",
}
#: a host with one of these labels anywhere is a placeholder (example.org, todo, x.test, ...)
PLACEHOLDER_LABELS = frozenset({"example", "localhost", "localdomain", "test", "invalid",
                                "local", "todo", "tbd", "fixme", "changeme", "placeholder"})
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SITE_FORBIDDEN_URLS = {"http://bugs", "http://repo", "http://homepage"}
EMAIL = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")


def env_name(field: str) -> str:
    return f"ROADINFRA_{field.upper()}"


def read_settings(environ: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """The configured values (environment over config file) and the config file used."""
    values: dict[str, str] = {}
    config = environ.get("ROADINFRA_RELEASE_CONFIG")
    path = Path(config) if config else ROOT / "release.conf"
    used = None
    if config or path.exists():
        if not path.is_file():
            raise SystemExit(f"package: release config not found: {path}")
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(path, encoding="utf-8")
        if parser.has_section("release"):
            for field in FIELDS:
                value = parser.get("release", field, fallback="").strip()
                if value:
                    values[field] = value
        used = str(path)
    for field in FIELDS:
        value = environ.get(env_name(field), "").strip()
        if value:
            values[field] = value
    return values, used


def control_problem(value: str) -> str | None:
    """Why ``value`` cannot be written into metadata.txt at all (any build): a newline or
    another control character would add or change a metadata line."""
    if CONTROL.search(value):
        return f"{value!r} holds a newline or another control character"
    return None


def host_problem(host: str) -> str | None:
    """Why ``host`` is not a dotted public host name, or None when it is."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or not all(HOST_LABEL.match(label) for label in labels) \
            or not labels[-1].isalpha() or len(labels[-1]) < 2:
        return "not a dotted public host name"
    if PLACEHOLDER_LABELS.intersection(labels) or any(
            label.startswith("example") for label in labels):
        return "a placeholder address"  # example-province.gov.vn: docs/releasing.md's sample
    return None


def release_problem(field: str, value: str | None) -> str | None:
    """Why ``value`` cannot go into a release, or None when it can."""
    if not value:
        return "not set"
    if control_problem(value):
        return control_problem(value)
    if field == "email":
        match = EMAIL.match(value)
        if not match:
            return f"'{value}' is not an e-mail address"
        why = host_problem(match.group(1))
        if why:
            return f"'{value}' is {why}" + (" nobody reads" if "placeholder" in why else "")
        return None
    parsed = urlparse(value)
    if value in SITE_FORBIDDEN_URLS or not parsed.netloc:
        return f"'{value}' is not a full link"
    why = host_problem(parsed.hostname or "")
    if why:
        return f"'{value}' is {why}"
    if parsed.scheme != "https":
        return f"'{value}' must be an https:// link"
    return None


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` (metadata.txt) with each field's line set to its value (added when missing)."""
    lines = text.splitlines()
    for field, value in values.items():
        pattern = re.compile(rf"^{field}\s*=")
        for index, line in enumerate(lines):
            if pattern.match(line):
                lines[index] = f"{field}={value}"
                break
        else:
            lines.append(f"{field}={value}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    args = [arg for arg in argv if arg != "--release"]
    release = len(args) != len(argv)
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    source, output = Path(args[0]), Path(args[1])
    values, config = read_settings(dict(os.environ))
    injected = {field: control_problem(value) for field, value in values.items()}
    injected = {field: why for field, why in injected.items() if why}
    if injected:
        print("package: refused: a metadata value would break metadata.txt:", file=sys.stderr)
        for field, why in injected.items():
            print(f"  {field}: {why} (set {env_name(field)} to one line)", file=sys.stderr)
        return 3
    if release:
        problems = {field: release_problem(field, values.get(field)) for field in FIELDS}
        problems = {field: why for field, why in problems.items() if why}
        if problems:
            print("package: --release refused: the plugin's contact metadata is not real:",
                  file=sys.stderr)  # fmt: skip
            for field, why in problems.items():
                print(f"  {field}: {why} (set {env_name(field)}, or '{field} = ...' under "
                      "[release] in the release config)", file=sys.stderr)  # fmt: skip
            print(f"  release config: {config or 'none (ROADINFRA_RELEASE_CONFIG or release.conf)'}"
                  "; see docs/releasing.md", file=sys.stderr)  # fmt: skip
            return 3
    else:
        unset = [field for field in FIELDS if field not in values]
        if unset:
            print(f"package: development build: {', '.join(unset)} set to marked placeholders "
                  f"(*.{DEV_HOST.split('.', 1)[1]}); not for upload", file=sys.stderr)  # fmt: skip
        values = {**DEV_VALUES, **values}
    text = source.read_text(encoding="utf-8")
    output.write_text(fill(text, {field: values[field] for field in FIELDS}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

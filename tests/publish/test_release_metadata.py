"""scripts/package.sh takes the contact metadata (email, homepage, tracker, repository) as build
settings: a development build gets marked placeholders, ``--release`` refuses placeholders."""

import configparser
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ("email", "homepage", "tracker", "repository")
REAL = {
    "ROADINFRA_EMAIL": "roadinfra@sgtvt.thaibinh.gov.vn",
    "ROADINFRA_HOMEPAGE": "https://roadinfra.sgtvt.thaibinh.gov.vn/",
    "ROADINFRA_TRACKER": "https://git.sgtvt.thaibinh.gov.vn/roadinfra/issues",
    "ROADINFRA_REPOSITORY": "https://git.sgtvt.thaibinh.gov.vn/roadinfra",
}


def package(dist: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ROADINFRA_")}
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "package.sh"), *args],
        env={**clean, "DIST_DIR": str(dist), **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def zipped_metadata(dist: Path) -> dict:
    (path,) = dist.glob("roadinfra-*.zip")
    with zipfile.ZipFile(path) as archive:
        text = archive.read("roadinfra/metadata.txt").decode("utf-8")
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    return dict(parser["general"])


def test_development_build_has_marked_placeholders(tmp_path):
    result = package(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "development build" in result.stderr
    meta = zipped_metadata(tmp_path)
    for field in FIELDS:
        assert "dev-build.roadinfra.invalid" in meta[field], (field, meta[field])


@pytest.mark.parametrize("config_file", [False, True])
def test_release_build_takes_settings_from_env_or_config(tmp_path, config_file):
    if config_file:
        config = tmp_path / "release.conf"
        lines = [f"{k.removeprefix('ROADINFRA_').lower()} = {v}" for k, v in REAL.items()]
        config.write_text("[release]\n" + "\n".join(lines) + "\n", encoding="utf-8")
        env = {"ROADINFRA_RELEASE_CONFIG": str(config)}
    else:
        env = REAL
    dist = tmp_path / "dist"
    result = package(dist, "--release", **env)
    assert result.returncode == 0, result.stderr
    assert "development build" not in result.stderr
    meta = zipped_metadata(dist)
    for key, value in REAL.items():
        assert meta[key.removeprefix("ROADINFRA_").lower()] == value


def test_release_refuses_placeholders_and_says_which(tmp_path):
    env = {
        **REAL,
        "ROADINFRA_EMAIL": "roadinfra@example.org",
        "ROADINFRA_TRACKER": "https://dev-build.roadinfra.invalid/issues",
    }
    env.pop("ROADINFRA_REPOSITORY")
    result = package(tmp_path, "--release", **env)
    assert result.returncode != 0
    assert not list(tmp_path.glob("*.zip")), "a refused release must not leave a zip"
    message = result.stderr
    assert "--release refused" in message
    assert "email: 'roadinfra@example.org' is a placeholder" in message
    assert "tracker: 'https://dev-build.roadinfra.invalid/issues' is a placeholder" in message
    assert "repository: not set (set ROADINFRA_REPOSITORY" in message
    assert "homepage" not in message.split("refused", 1)[1].split("release config:")[0]
    assert "docs/releasing.md" in message


@pytest.mark.parametrize("field, value, why", [
    ("ROADINFRA_HOMEPAGE", "https://todo", "not a dotted public host name"),
    ("ROADINFRA_HOMEPAGE", "https://todo.gov.vn/", "placeholder"),
    ("ROADINFRA_TRACKER", "https://localhost:8080/issues", "not a dotted public host name"),
    ("ROADINFRA_TRACKER", "https://10.0.0.1/issues", "not a dotted public host name"),
    ("ROADINFRA_REPOSITORY", "https://git.test/roadinfra", "placeholder"),
    ("ROADINFRA_HOMEPAGE", "https://roadinfra.example-province.gov.vn/", "placeholder"),
    ("ROADINFRA_EMAIL", "me@mail.invalid", "placeholder"),
])
def test_release_refuses_hosts_that_are_not_public_names(tmp_path, field, value, why):
    result = package(tmp_path, "--release", **{**REAL, field: value})
    assert result.returncode != 0
    assert not list(tmp_path.glob("*.zip"))
    name = field.removeprefix("ROADINFRA_").lower()
    assert f"{name}: '{value}' is" in result.stderr and why in result.stderr, result.stderr


@pytest.mark.parametrize("release", [True, False])
@pytest.mark.parametrize("value", [
    "https://git.sgtvt.thaibinh.gov.vn/roadinfra\nqgisMaximumVersion=9.99",
    "https://git.sgtvt.thaibinh.gov.vn/roadinfra\rqgisMaximumVersion=9.99",
    "https://git.sgtvt.thaibinh.gov.vn/road\x1binfra",
])
def test_no_build_injects_a_line_into_metadata(tmp_path, value, release):
    args = ("--release",) if release else ()
    result = package(tmp_path, *args, **{**REAL, "ROADINFRA_REPOSITORY": value})
    assert result.returncode != 0
    assert not list(tmp_path.glob("*.zip"))
    assert "repository: " in result.stderr and "control character" in result.stderr


def test_release_config_continuation_line_cannot_inject(tmp_path):
    config = tmp_path / "release.conf"
    lines = [f"{k.removeprefix('ROADINFRA_').lower()} = {v}" for k, v in REAL.items()]
    lines.append("    qgisMaximumVersion=9.99")  # continues the repository value
    config.write_text("[release]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    dist = tmp_path / "dist"
    result = package(dist, "--release", ROADINFRA_RELEASE_CONFIG=str(config))
    assert result.returncode != 0 and "control character" in result.stderr
    assert not dist.exists() or not list(dist.glob("*.zip"))

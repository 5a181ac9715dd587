"""Build the plugin zip with scripts/package.sh, as a user or the e2e tests install it."""

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def build_plugin_zip(dist: Path) -> Path:
    """Run scripts/package.sh into ``dist``; return the zip it reports."""
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "package.sh")],
        env={**os.environ, "DIST_DIR": str(dist)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1])

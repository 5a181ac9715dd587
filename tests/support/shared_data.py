"""Where the real third-party data sets are: ``../shared/data`` beside the clone (CI lays a
copy there) or the folder named by ``RI_SHARED_DATA``."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("RI_SHARED_DATA") or REPO.parent / "shared" / "data")

if not SHARED_DATA.is_dir():
    raise RuntimeError(
        f"the real test data sets are missing: {SHARED_DATA} does not exist "
        "(put shared/ beside the clone or set RI_SHARED_DATA)"
    )

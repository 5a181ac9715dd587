"""The photo store: photos attached to features, kept under their sha256 beside the database.

>>> row = attach_photo(db, "bridge", bridge_id, "IMG_0042.jpg")      # doctest: +SKIP
"""

from .exif import PhotoInfo, read_photo_info
from .store import (
    PhotoError,
    attach_photo,
    file_sha256,
    photo_location,
    photo_path,
    photo_root,
    photo_store,
    store_file,
    stored_suffix,
)

__all__ = ["PhotoError", "PhotoInfo", "attach_photo", "file_sha256", "photo_location",
           "photo_path", "photo_root", "photo_store", "read_photo_info", "store_file",
           "stored_suffix"]

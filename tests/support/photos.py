"""Real JPEG files for photo tests (Pillow): EXIF GPS position and time as a phone writes
them."""

from __future__ import annotations

from pathlib import Path


def jpeg(path, gps=True, when="2025:05:27 09:30:00", colour=(200, 30, 30), size=(64, 48)):
    """A JPEG at ``path`` (folders made) with EXIF GPS near the Tân Đệ bridge (Thái Bình)
    and ``when`` as DateTimeOriginal; ``colour`` makes distinct contents."""
    from PIL import Image

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (20.0, 26.0, 30.0), 3: "E", 4: (106.0, 18.0, 36.0)}
    if when:
        exif[0x8769] = {0x9003: when}
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def truncated(path, source) -> Path:
    """A copy of image ``source`` cut in the middle, as an interrupted transfer leaves it."""
    data = Path(source).read_bytes()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(data[: len(data) // 2])
    return Path(path)

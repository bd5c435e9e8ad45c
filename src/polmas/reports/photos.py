"""Moved to polmas.core.photos (activities take photos too); kept so older imports work."""

from polmas.core.photos import (
    DECODE_PIXELS,
    FORMATS,
    MAX_BYTES,
    PhotoError,
    Probe,
    max_pixels,
    photo_clean,
    photo_probe,
)

__all__ = ["DECODE_PIXELS", "FORMATS", "MAX_BYTES", "PhotoError", "Probe", "max_pixels", "photo_clean",
           "photo_probe"]

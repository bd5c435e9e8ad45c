"""Photos from residents: checked by content (not by name), re-encoded without metadata.

A compressed image can unpack to far more memory than it weighs: 150 KB of PNG zeros is a
40-megapixel picture, 160 MB once decoded (issue 14). So the size is read from the header
(Pillow opens lazily) and checked before a single pixel is decoded, and what is decoded is
bounded: a JPEG larger than DECODE_PIXELS is decoded at 1/2, 1/4 or 1/8 of its size by the
JPEG decoder itself (`Image.draft`), and a PNG or WebP, which cannot be decoded smaller, may
not be larger than DECODE_PIXELS. A progressive JPEG is decoded whole into a buffer of DCT
coefficients (2 bytes a sample, up to 6 a pixel) before any scaling: it may have half as
many; a WebP, which Pillow decodes through two RGBA buffers and a copy (about 15 bytes a
pixel), a quarter. The cleaned photo is encoded from the decoded pixels alone,
without a second copy of them. bench/photo_memory.py measures the peak.
"""

import io
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
# The most pixels ever decoded at once: a 16-megapixel phone photo keeps its size; at 4
# bytes a pixel (RGBA, CMYK) that is 64 MB.
DECODE_PIXELS = 16_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_READ_ERRORS = (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError)


class PhotoError(ValueError):
    pass


@dataclass
class Probe:
    data: bytes
    format: str
    size: tuple[int, int]


def max_pixels(fmt: str, *, progressive: bool = False) -> int:
    """The largest photo taken in `fmt`: POLMAS_PHOTO_MAX_PIXELS, and for formats that
    cannot be decoded at a reduced size, no more than is ever decoded (see above)."""
    limit = settings.POLMAS_PHOTO_MAX_PIXELS
    if fmt == "JPEG" and not progressive:
        return limit
    share = 4 if fmt == "WEBP" else 2 if fmt == "JPEG" else 1
    return min(limit, DECODE_PIXELS // share)


def _read(upload: UploadedFile) -> bytes:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise PhotoError(_("The photo is larger than 5 MB."))
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoError(_("The photo is larger than 5 MB."))
    return data


def photo_probe(upload: UploadedFile) -> Probe:
    """The photo's format and size read from its header, nothing decoded; PhotoError with
    a reason if it is no JPEG, PNG or WebP, unreadable, or has too many pixels."""
    data = _read(upload)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt, size = probe.format or "", probe.size
            # A phone's multi-picture JPEG (MPO: the photo, then previews or a depth map) is a
            # JPEG whose first picture is the photo; only that one is kept.
            fmt = "JPEG" if fmt == "MPO" else fmt
            if fmt not in FORMATS:
                raise PhotoError(_("The photo must be a JPEG, PNG or WebP image."))
            limit = max_pixels(fmt, progressive=bool(probe.info.get("progressive")))
            if size[0] * size[1] > limit:
                raise PhotoError(_("The photo has too many pixels (%(width)d × %(height)d); send one "
                                   "of at most %(max)s megapixels.")
                                 % {"width": size[0], "height": size[1], "max": f"{limit / 1e6:g}"})
            probe.verify()  # chunk checksums and structure; decodes no pixel
    except PhotoError:
        raise
    except _READ_ERRORS:
        raise PhotoError(_("The file is not a readable image.")) from None
    return Probe(data=data, format=fmt, size=size)


def _reduction(size: tuple[int, int]) -> int:
    """The smallest JPEG scale (1, 2, 4, 8) that brings `size` within DECODE_PIXELS."""
    for scale in (1, 2, 4, 8):
        if math.ceil(size[0] / scale) * math.ceil(size[1] / scale) <= DECODE_PIXELS:
            return scale
    return 8


def photo_clean(upload: UploadedFile) -> tuple[bytes, str]:
    """(bytes, extension) of the image re-encoded without EXIF/GPS; PhotoError with a reason.
    Decodes at most DECODE_PIXELS pixels (see the module's docstring)."""
    probe = photo_probe(upload)
    try:
        with Image.open(io.BytesIO(probe.data)) as image:
            if probe.format == "JPEG":
                scale = _reduction(probe.size)
                if scale > 1:
                    image.draft(image.mode, (math.ceil(probe.size[0] / scale),
                                             math.ceil(probe.size[1] / scale)))
            if image.size[0] * image.size[1] > DECODE_PIXELS:
                raise PhotoError(_("The file is not a readable image."))
            image.load()
            # Pixels only: without its info (comments, ICC profile, text chunks,
            # transparency) and with no exif passed, the image is saved with no metadata
            # (tests/portal/test_report_photo.py reads every format back).
            image.info = {}
            out = io.BytesIO()
            image.save(out, format=probe.format)
    except PhotoError:
        raise
    except _READ_ERRORS:
        raise PhotoError(_("The file is not a readable image.")) from None
    return out.getvalue(), FORMATS[probe.format]

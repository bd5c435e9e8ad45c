"""Photos from residents: checked by content (not by name), re-encoded without metadata."""

import io

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class PhotoError(ValueError):
    pass


def photo_clean(upload: UploadedFile) -> tuple[bytes, str]:
    """(bytes, extension) of the image re-encoded without EXIF/GPS; PhotoError with a reason."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise PhotoError(_("The photo is larger than 5 MB."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoError(_("The photo is larger than 5 MB."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in FORMATS:
                raise PhotoError(_("The photo must be a JPEG, PNG or WebP image."))
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(_("The photo has too many pixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Pixels only: a new image carries no EXIF, GPS, comments or other chunks.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P" and image.getpalette():
                clean.putpalette(image.getpalette())
            out = io.BytesIO()
            clean.save(out, format=fmt)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise PhotoError(_("The file is not a readable image.")) from None
    return out.getvalue(), FORMATS[fmt]

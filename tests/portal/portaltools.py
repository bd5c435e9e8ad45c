"""Helpers for the public report pages: a valid form, photos, reading the code back."""

import io
import re
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

LES = "51.08.09.2007"  # Desa Les, Tejakula, Buleleng, Bali (WITA)
CODE_RE = re.compile(r'id="tracking-code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<')


def form(**changes: object) -> dict:
    """A report the form accepts: a theft in Desa Les, anonymous; `changes` override fields."""
    data: dict[str, object] = {
        "category": "theft",
        "description": "Sepeda motor hilang dari depan warung semalam.",
        "place": "Les",
        "anonymous": "1",
        "client_uuid": str(uuid.uuid4()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def send(client: Client, **changes: object):
    return client.post("/lapor/", form(**changes))


def tracking_code(client: Client) -> str:
    """Open the confirmation page and read the code it shows."""
    page = client.get("/lapor/terkirim/").content.decode()
    match = CODE_RE.search(page)
    assert match, page
    return match.group(1)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraUji"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({
        ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (8.0, 8.0, 50.0),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (115.0, 22.0, 0.0),
    })
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)

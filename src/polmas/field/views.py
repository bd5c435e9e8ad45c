"""The field app's pages: the app shell, its manifest, icons, text catalogue and service
worker. All are the same for every user (nothing personal is in them), so they are cached on
the phone and work offline; the records come and go through /api/v1/sync."""

import hashlib
import io
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from polmas.field.strings import STRINGS

SCRIPTS = ["field/app.js"]
STYLES = ["field/app.css"]
ICON_SIZES = (192, 512)
LANGUAGES = ("id", "en", "tet")


@cache
def _source(name: str) -> bytes:
    path = finders.find(name)
    return Path(path).read_bytes() if path else name.encode()


def version() -> str:
    """Changes whenever the app's code, its texts or POLMAS_FIELD_RELEASE change: a new
    service worker is then installed (the queue lives in IndexedDB and is never touched)."""
    digest = hashlib.sha256(getattr(settings, "POLMAS_FIELD_RELEASE", "").encode())
    for name in SCRIPTS + STYLES:
        digest.update(_source(name) if not settings.DEBUG else Path(finders.find(name)).read_bytes())
    digest.update(json.dumps(sorted(str(k) for k in STRINGS)).encode())
    return digest.hexdigest()[:16]


def _assets() -> list[str]:
    return ([reverse("field:app"), reverse("field:manifest")]
            + [static(n) for n in SCRIPTS + STYLES]
            + [reverse("field:icon", args=[s]) for s in ICON_SIZES]
            + [reverse("field:strings", args=[lang]) for lang in LANGUAGES])


@require_safe
def app(request: HttpRequest) -> HttpResponse:
    return render(request, "field/app.html", {"scripts": SCRIPTS, "styles": STYLES, "version": version()})


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": str(STRINGS["app_name"]), "short_name": "Polmas",
        "start_url": reverse("field:app"), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1d3f72", "lang": translation.get_language(),
        "icons": [{"src": reverse("field:icon", args=[s]), "sizes": f"{s}x{s}", "type": "image/png",
                   "purpose": "any maskable"} for s in ICON_SIZES],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


@cache
def _icon(size: int) -> bytes:
    """Our own icon, drawn here: a shield on the app's blue."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), (29, 63, 114))
    d = ImageDraw.Draw(img)
    s = size / 16
    d.polygon([(8 * s, 2.5 * s), (13 * s, 4.5 * s), (12.5 * s, 9.5 * s), (8 * s, 13.5 * s),
               (3.5 * s, 9.5 * s), (3 * s, 4.5 * s)], fill=(255, 255, 255))
    d.polygon([(8 * s, 4.2 * s), (11.3 * s, 5.6 * s), (11 * s, 9 * s), (8 * s, 11.7 * s)],
              fill=(240, 180, 40))
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


@require_safe
def icon(request: HttpRequest, size: int) -> HttpResponse:
    if size not in ICON_SIZES:
        raise Http404
    response = HttpResponse(_icon(size), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def strings(request: HttpRequest, lang: str) -> HttpResponse:
    if lang not in LANGUAGES:
        raise Http404
    with translation.override(lang):
        return JsonResponse({k: str(v) for k, v in STRINGS.items()})


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    body = _source("field/sw.js").decode() if not settings.DEBUG else Path(
        finders.find("field/sw.js")).read_text()
    head = f"const VERSION = {json.dumps(version())};\nconst ASSETS = {json.dumps(_assets())};\n"
    response = HttpResponse(head + body, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response

"""Response headers that keep what a signed-in user reads out of caches and lock away the
browser features the app does not use."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

# Everything off but geolocation, which the report form offers (portal/report.js: "use my
# location"), from our own origin only. Photos are chosen through a file input, which needs
# no camera permission.
PERMISSIONS_POLICY = ", ".join([
    "accelerometer=()", "autoplay=()", "browsing-topics=()", "camera=()", "display-capture=()",
    "encrypted-media=()", "geolocation=(self)", "gyroscope=()", "hid=()", "magnetometer=()",
    "microphone=()", "midi=()", "payment=()", "publickey-credentials-get=()", "serial=()",
    "usb=()", "xr-spatial-tracking=()",
])


def _signed_in(request: HttpRequest) -> bool:
    """A bearer token or a signed-in session. Without a session cookie the session is not
    even looked at, so anonymous requests (report intake) cost nothing more; with one, the
    session says whether someone signed in, without loading the user."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session


class SecurityHeadersMiddleware:
    """`Cache-Control: no-store` on every answer of the API and every answer to a signed-in
    caller (unless the view made it public itself, as shared assets do), so that no browser,
    proxy or shared computer keeps a sealed case; `Permissions-Policy` on every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path_info.startswith("/api/") or _signed_in(request):
            given = response.headers.get("Cache-Control", "").lower()
            if "public" not in given and "no-store" not in given:
                response.headers["Cache-Control"] = "no-store"
        return response

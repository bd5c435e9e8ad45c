"""From the web form to polmas.reports.intake: the village resolved from its name, the time
read in the village's zone, and the errors of every field gathered in one round trip."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from polmas.core.http import client_address
from polmas.core.photos import MAX_BYTES, PhotoError, photo_probe
from polmas.portal.forms import ReportForm
from polmas.regions.places import Place, place_resolve
from polmas.regions.selectors import in_indonesia, nearest_village
from polmas.regions.zones import zone_of
from polmas.reports.intake import IntakeError, ReportInput, Submitted, report_check, report_store
from polmas.reports.models import Report

# Where intake's error keys show on the form; None is the top of the form.
FIELD_OF = {"village": "place", "latitude": "place", "longitude": "place", "occurred_at": "date",
            "__all__": None}


class PhotoSizeLimit(FileUploadHandler):
    """Drops an upload as soon as it passes the photo limit, so that a huge file never fills
    memory or disk; the view tells the resident why."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.content_length is not None and self.content_length > MAX_BYTES:
            self._too_large()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > MAX_BYTES:
            self._too_large()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _too_large(self) -> None:
        self.request.portal_photo_too_large = True
        raise SkipFile


@dataclass
class Outcome:
    submitted: Submitted | None = None
    place: Place = field(default_factory=Place)
    status: int = 200
    photo_dropped: bool = False  # a good photo came with a form sent back: choose it again


def _occurred_at(data: dict, place: Place, lat: float | None, lon: float | None) -> dt.datetime | None:
    day, clock = data.get("date"), data.get("time")
    if day is None:
        return None
    village = place.village
    if village is None and lat is not None and lon is not None and in_indonesia(lat, lon):
        village = nearest_village(lat=lat, lon=lon)
    # Village not known yet (a choice pending): read the time in the easternmost zone, the
    # earliest instant it can mean, so that "now" in Papua is not taken for the future.
    zone = zone_of(village) if village is not None else dt.timezone(dt.timedelta(hours=9))
    return dt.datetime.combine(day, clock or dt.time(0, 0), tzinfo=zone)


def _where(form: ReportForm) -> tuple[Place, float | None, float | None]:
    """The place typed (it wins) or the coordinates from "use my location"."""
    data = form.cleaned_data
    lat, lon = data.get("latitude"), data.get("longitude")
    typed = data.get("place") or ""
    if "place" in form.errors:
        return Place(), None, None
    if typed.strip() or lat is None or lon is None:
        place = place_resolve(text=typed, choice=data.get("village_choice") or "")
        if place.error:
            form.add_error("place", place.error)
        return place, None, None
    return Place(), lat, lon


def _input(form: ReportForm, request: HttpRequest, place: Place, lat: float | None,
           lon: float | None, photo: UploadedFile | None) -> ReportInput:
    data = form.cleaned_data
    anonymous = data.get("anonymous", True)
    contact = {} if anonymous else {
        "name": data.get("name") or "", "phone": data.get("phone") or "",
        "email": data.get("email") or "", "reply_channel": data.get("reply_channel") or "",
    }
    user = request.user if request.user.is_authenticated and not anonymous else None
    return ReportInput(
        category=data.get("category") or "", description=data.get("description") or "",
        channel=Report.Channel.WEB, village=place.village.code if place.village else "",
        latitude=lat, longitude=lon, occurred_at=_occurred_at(data, place, lat, lon),
        anonymous=anonymous, photo=photo, client_key=client_address(request),
        client_uuid=data.get("client_uuid"), user=user, **contact,
    )


def _merge(form: ReportForm, errors: dict[str, str]) -> None:
    """Intake's reasons onto the form, where the form has not already said something."""
    for key, reason in errors.items():
        name = FIELD_OF.get(key, key if key in form.fields else None)
        if name is None or name not in form.errors:
            form.add_error(name, reason)


def _probe(form: ReportForm, data: ReportInput, photo: UploadedFile | None) -> None:
    """Intake's checks of every other field, when the form cannot be sent as it stands.

    report_check writes nothing, and without a place it always refuses. Coordinates go
    along only when they lie outside Indonesia (refused as such). The photo's header is read
    here (format, size), but not a pixel decoded: intake decodes it only once the sender
    may report.
    """
    lat, lon = data.latitude, data.longitude
    outside = lat is not None and lon is not None and not in_indonesia(lat, lon)
    data.village, data.client_uuid, data.photo = "", None, None
    data.latitude, data.longitude = (lat, lon) if outside else (None, None)
    try:
        report_check(data)
    except IntakeError as exc:
        _merge(form, {k: v for k, v in exc.errors.items() if k not in ("village", "__all__")
                      and not (k in ("latitude", "longitude") and not outside)})
    if photo is not None and "photo" not in form.errors:
        try:
            photo_probe(photo)
        except PhotoError as exc:
            form.add_error("photo", str(exc))


def report_from_form(*, form: ReportForm, request: HttpRequest) -> Outcome:
    """Send the form's report to intake, or say what is missing or wrong, field by field.
    Stores nothing unless every field is right and the village is known."""
    form.is_valid()
    photo = form.cleaned_data.get("photo")
    if getattr(request, "portal_photo_too_large", False):
        form.add_error("photo", _("The photo is larger than 5 MB."))
    place, lat, lon = _where(form)
    data = _input(form, request, place, lat, lon, photo)
    if form.errors or (place.village is None and lat is None):
        _probe(form, data, photo)
        return Outcome(place=place, status=400 if form.errors else 200,
                       photo_dropped=photo is not None and "photo" not in form.errors)
    try:
        return Outcome(submitted=report_store(report_check(data)), place=place)
    except IntakeError as exc:
        _merge(form, exc.errors)
        return Outcome(place=place, status=exc.status,
                       photo_dropped=photo is not None and "photo" not in form.errors)

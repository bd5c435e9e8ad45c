"""/api/v1/sync: the field app's batch of records, its chunked photo uploads, and what a phone
keeps to work offline. Thin: the rules live in sync, uploads and selectors."""

import uuid
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from polmas.core.api import DETAIL_ERRORS, READ_ERRORS, ApiError, ErrorOut, not_found, service_errors
from polmas.field import selectors, uploads
from polmas.field.models import CHUNK, MAX_UPLOAD, Upload
from polmas.field.sync import MAX_BATCH, sync_batch

router = Router(tags=["field"])


class SyncIn(Schema):
    records: list[Any] = Field(max_length=MAX_BATCH, description=(
        f"at most {MAX_BATCH} records {{uuid, kind, hash, body, attachments?}}; kind is activity, "
        "report, meeting, checkin, case_note, interview or partner_activity; body is what that kind's "
        "endpoint takes, with client_uuid equal to uuid"))


class RecordErrorOut(Schema):
    field: str
    reason: str


class ResultOut(Schema):
    uuid: str
    status: str = Field(description="created, exists (same uuid and hash), conflict (same uuid, "
                        "other hash: nothing changed) or rejected (see reason)")
    id: int | None = None
    reason: str = ""
    errors: list[RecordErrorOut] = []
    retry: bool = Field(False, description="rejected for now only (a photo not fully uploaded): "
                        "send again later")


class SyncOut(Schema):
    results: list[ResultOut]


@router.post("/sync", response={200: SyncOut, 400: ErrorOut, **READ_ERRORS},
             summary="Send records recorded offline (the field app)",
             description="Each record is answered on its own, in the order sent, and stored in its "
             "own savepoint: one bad record never blocks the rest. Refused per record (`rejected`, "
             "with the reason in your language): a malformed record, a village outside your posts, "
             "a date in the future or older than the accepted window, and whatever the kind's own "
             "endpoint refuses. A record naming photos (`attachments`, uploaded first through "
             "/sync/uploads) is stored with them or not at all.")
def sync(request: HttpRequest, payload: SyncIn):
    results = sync_batch(actor=request.auth, records=payload.records)
    return {"results": [r.__dict__ for r in results]}


class UploadIn(Schema):
    uuid: uuid.UUID
    size: int = Field(ge=1, le=MAX_UPLOAD)
    sha256: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")
    content_type: Literal[uploads.TYPES] = "image/jpeg"  # a tuple subscript is Literal's list of values


class UploadOut(Schema):
    uuid: uuid.UUID
    size: int
    received: int = Field(description="bytes stored so far: send the next chunk from here")
    complete: bool


def _out(upload: Upload) -> dict:
    return {"uuid": upload.uuid, "size": upload.size, "received": upload.received,
            "complete": upload.complete}


@router.post("/sync/uploads", response={200: UploadOut, 201: UploadOut, 400: ErrorOut, 409: ErrorOut,
                                        **READ_ERRORS},
             summary="Start (or resume) a photo upload",
             description=f"Declare the photo's size (at most {MAX_UPLOAD} bytes) and SHA-256; the "
             "answer says how many bytes are already stored, so an interrupted upload resumes.")
def upload_start(request: HttpRequest, payload: UploadIn):
    with service_errors(conflict_field="uuid"):
        upload = uploads.upload_start(actor=request.auth, key=payload.uuid, size=payload.size,
                                      sha256=payload.sha256, content_type=payload.content_type)
    return Status(200 if upload.received else 201, _out(upload))


@router.put("/sync/uploads/{key}", response={200: UploadOut, 400: ErrorOut, **DETAIL_ERRORS},
            summary="Send one chunk of a photo",
            description=f"The raw bytes (application/octet-stream, at most {CHUNK} bytes) starting at "
            "`offset`, with their SHA-256 in the header X-Chunk-SHA256. A chunk whose hash does not "
            "match is refused (400); a whole photo whose hash does not match is discarded (400).")
def upload_chunk(request: HttpRequest, key: uuid.UUID, offset: int):
    if not Upload.objects.filter(pk=key, user=request.auth).exists():
        raise not_found()
    if request.content_type != "application/octet-stream":
        raise ApiError.for_field(415, "body", _("must be sent as application/octet-stream"))
    with service_errors():
        try:
            upload = uploads.upload_chunk(actor=request.auth, key=key, offset=offset, data=request.body,
                                          sha256=request.headers.get("X-Chunk-SHA256", ""))
        except Upload.DoesNotExist:
            raise not_found() from None
    return _out(upload)


@router.get("/sync/uploads/{key}", response={200: UploadOut, **DETAIL_ERRORS},
            summary="How much of a photo is stored")
def upload_state(request: HttpRequest, key: uuid.UUID):
    upload = Upload.objects.filter(pk=key, user=request.auth).defer("data").first()
    if upload is None:
        raise not_found()
    return _out(upload)


@router.get("/sync/snapshot", response={200: dict, **READ_ERRORS},
            summary="What the field app keeps to work offline",
            description="My villages, my forums (members, for attendance), tonight's roster places, "
            "my open cases (never a sealed one) with their actions due in the next 14 days, and "
            "the report categories; for a survey enumerator, their assigned villages in each wave with "
            "the wave's questionnaire (nobody else gets any); for a partner's staff, their organisation's "
            "running programmes with their villages and the kinds of partner activity (a user who is "
            "only a partner gets nothing else).")
def snapshot(request: HttpRequest):
    return selectors.snapshot(user=request.auth)

"""The body of the login endpoints, in whichever encoding a client sends it.

Password clients are many (scripts, curl, the field app, form posts) and each picks its own
encoding: JSON, a URL-encoded form or a multipart form are all read the same way. Anything
else answers a clear 4xx naming the problem before a password is looked at, so a malformed
body can never reach authenticate() half-read: axes reads the form data of a failed login,
and a multipart type without a boundary made that a 500 that went uncounted.
"""

import json

import pydantic
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import ValidationError

from polmas.core.api import ApiError

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
UTF8 = {"utf-8", "utf8"}

def request_body(schema: type[Schema]) -> dict:
    """openapi_extra for an operation reading `schema` with body_read: each media type."""
    ref = schema.model_json_schema()
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": ref},
        "application/x-www-form-urlencoded": {"schema": ref},
        "multipart/form-data": {"schema": ref},
    }}}


def _is_json(content_type: str) -> bool:
    return content_type in ("", "application/json") or (
        content_type.startswith("application/") and content_type.endswith("+json"))


def _unsupported(content_type: str) -> ApiError:
    reason = _("%(type)s is not accepted: send application/json, "
               "application/x-www-form-urlencoded or multipart/form-data") % {"type": content_type}
    return ApiError(415, f"Content-Type: {reason}", errors=[{"field": "Content-Type", "reason": reason}])


def _json(request: HttpRequest) -> dict:
    charset = request.content_params.get("charset", "utf-8").strip().lower()
    if charset not in UTF8:
        reason = _("charset %(charset)s is not accepted: JSON is sent as UTF-8") % {"charset": charset}
        raise ApiError(415, f"Content-Type: {reason}",
                       errors=[{"field": "Content-Type", "reason": reason}])
    try:
        data = json.loads(request.body)
    except ValueError:  # UnicodeDecodeError among them
        raise ApiError.for_field(400, "body", _("is not valid JSON")) from None
    if not isinstance(data, dict):
        raise ApiError.for_field(400, "body", _("must be a JSON object"))
    return data


def _form(request: HttpRequest) -> dict:
    try:
        form = request.POST
    except MultiPartParserError:
        raise ApiError.for_field(400, "body", _("is not a valid %(type)s body")
                                 % {"type": request.content_type}) from None
    # One value per field: the last, as QueryDict.get gives it.
    return {key: form.get(key) for key in form}


def body_read[S: Schema](request: HttpRequest, schema: type[S]) -> S:
    """The body as `schema`, or ApiError / ValidationError naming what is wrong with it."""
    content_type = (request.content_type or "").lower()
    if not request.body:
        raise ApiError.for_field(400, "body", _("is empty"))
    if _is_json(content_type):
        data = _json(request)
    elif content_type in FORM_TYPES:
        data = _form(request)
    else:
        raise _unsupported(content_type)
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError([{**e, "loc": ("body", "payload", *e["loc"])}
                               for e in exc.errors(include_url=False)]) from None

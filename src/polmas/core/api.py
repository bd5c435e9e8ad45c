"""Building blocks shared by every API router: the one error shape, pagination, input types.

Routers raise `ApiError`; `polmas.api` renders it (and every other failure) as
`{"detail": "...", "errors": [{"field": "...", "reason": "..."}]}` in the caller's language.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Choices, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict

from polmas.core.errors import Conflict

# The largest id a database (bigint) can hold: larger path ids are refused, not passed on.
MAX_ID = 2**63 - 1
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MAX_OFFSET = 1_000_000
# No control characters (NUL among them, which PostgreSQL refuses in text).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
# Patterns the document states for text that a service checks itself, answering 400 in its own
# words: no NUL (PostgreSQL refuses it); something besides spaces (the services strip text).
NO_NUL = r"^[^\x00]*$"
FILLED = r"^[^\x00]*[^\s\x00][^\x00]*$"
PRINTABLE_FILLED = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
# Text of several lines: no control characters but tab and line breaks.
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
TEXT_FILLED = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class FieldErrorOut(Schema):
    field: str = Field(description="the parameter or body field at fault")
    reason: str = Field(description="why, in the caller's language")


class ErrorOut(Schema):
    detail: str = Field(description="what went wrong, in the caller's language")
    errors: list[FieldErrorOut] = Field(default_factory=list)


class ApiError(Exception):
    """An answer other than success: status, message and the fields at fault."""

    def __init__(self, status: int, detail: str, *, errors: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}

    @classmethod
    def for_field(cls, status: int, field: str, reason: str) -> "ApiError":
        return cls(status, f"{field}: {reason}", errors=[{"field": field, "reason": reason}])


@contextmanager
def service_errors(*, conflict_field: str = "version") -> Iterator[None]:
    """Turn the services' refusals into the API's error shape: a ValidationError into 400 with
    its fields, a Conflict into 409 (on `conflict_field`, "" for none), PermissionDenied into 403."""
    try:
        yield
    except ValidationError as exc:
        errors = ([{"field": f, "reason": " ".join(m)} for f, m in exc.message_dict.items()]
                  if hasattr(exc, "error_dict") else [{"field": "", "reason": " ".join(exc.messages)}])
        raise ApiError(400, "; ".join(f"{e['field']}: {e['reason']}" for e in errors),
                       errors=errors) from None
    except Conflict as exc:
        if conflict_field:
            raise ApiError.for_field(409, conflict_field, str(exc)) from None
        raise ApiError(409, str(exc), errors=[{"field": "", "reason": str(exc)}]) from None
    except PermissionDenied as exc:
        raise ApiError(403, str(exc) or _("You may not do this.")) from None


def not_found() -> ApiError:
    # The same answer whether the record is missing or outside the caller's scope.
    return ApiError(404, _("Not found."))


def error_body(exc: ApiError) -> dict[str, Any]:
    return {"detail": exc.detail, "errors": exc.errors}


# Error answers every authenticated read can give, for the OpenAPI document.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
DETAIL_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 404: ErrorOut}

def required_in_document(*fields: str) -> ConfigDict:
    """A schema's config stating `fields` as required in the OpenAPI document, for fields the
    service requires itself (answering 400 naming each, in its own words) though their type
    lets them be left out."""

    def extra(schema: dict[str, Any]) -> None:
        schema["required"] = list(dict.fromkeys([*schema.get("required", []), *fields]))

    return ConfigDict(json_schema_extra=extra)


def stated(**keywords: Any) -> Callable[[dict[str, Any]], None]:
    """json_schema_extra publishing a field as the service takes it: not null, with no default
    it would refuse, and with `keywords` (minLength, pattern, enum...) it checks itself."""

    def extra(schema: dict[str, Any]) -> None:
        options = [o for o in schema.pop("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            schema.update(options[0])
        elif options:
            schema["anyOf"] = options
        schema.pop("default", None)
        schema.update(keywords)

    return extra


def one_of(choices: type[Choices], *extra: str) -> Any:
    """The values of a model's `choices` (and `extra` ones, e.g. "" for none) as the type of an
    API field, published inline; a refusal names the field alone.

    Not the enum itself: ninja names a schema component after the class, so Forum.Status,
    Meeting.Status and Report.Status would all be published as one `Status`, the last
    overwriting the others (tests/api/test_openapi_names.py guards this).
    """
    return Literal[(*choices.values, *extra)]  # a tuple subscript is Literal's list of values


RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="the record's id")]


class Page(LimitOffsetPagination):
    """limit/offset pagination with bounds, so a huge or negative value is refused, not run."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT,
                           description=f"how many items (at most {MAX_LIMIT})")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="how many items to skip")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def stable(qs: QuerySet, *ordering: str) -> QuerySet:
    """Order by `ordering` then pk, so pages never repeat or skip rows with equal keys."""
    return qs.order_by(*ordering, "pk")


# Reasons for pydantic's error types, in words a translator can reach. Keys of `ctx` fill
# the placeholders; an error type missing here falls back to a generic reason.
REASONS = {
    "missing": gettext_lazy("is required"),
    "int_parsing": gettext_lazy("must be a whole number"),
    "int_type": gettext_lazy("must be a whole number"),
    "int_from_float": gettext_lazy("must be a whole number"),
    "float_parsing": gettext_lazy("must be a number"),
    "float_type": gettext_lazy("must be a number"),
    "finite_number": gettext_lazy("must be a finite number"),
    "bool_parsing": gettext_lazy("must be true or false"),
    "bool_type": gettext_lazy("must be true or false"),
    "string_type": gettext_lazy("must be text"),
    "string_too_short": gettext_lazy("must be at least %(min_length)s characters long"),
    "string_too_long": gettext_lazy("must be at most %(max_length)s characters long"),
    "string_pattern_mismatch": gettext_lazy("contains characters that are not allowed"),
    "greater_than_equal": gettext_lazy("must be at least %(ge)s"),
    "greater_than": gettext_lazy("must be greater than %(gt)s"),
    "less_than_equal": gettext_lazy("must be at most %(le)s"),
    "less_than": gettext_lazy("must be less than %(lt)s"),
    "enum": gettext_lazy("must be one of %(expected)s"),
    "literal_error": gettext_lazy("must be one of %(expected)s"),
    "model_attributes_type": gettext_lazy("must be a JSON object"),
    "model_type": gettext_lazy("must be a JSON object"),
    "dict_type": gettext_lazy("must be a JSON object"),
}


def _field_name(loc: tuple | list) -> str:
    # loc is (source, [body parameter,] field...): ("query", "limit"), ("body", "payload", "username").
    parts = [str(p) for p in loc]
    skip = 2 if parts[:1] == ["body"] else 1
    return ".".join(parts[skip:]) or (parts[0] if parts else "")


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """pydantic/ninja validation errors as [{"field", "reason"}] in the active language."""
    out = []
    for e in errors:
        template = REASONS.get(e.get("type", ""))
        try:
            reason = str(template) % e.get("ctx", {}) if template else None
        except (KeyError, TypeError, ValueError):
            reason = None
        out.append({"field": _field_name(e.get("loc", ())),
                    "reason": reason or _("is not valid")})
    return out

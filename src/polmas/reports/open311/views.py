"""Open311 GeoReport v2 endpoints: thin views over the public selectors and report intake."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from polmas.access.audit import audit_record
from polmas.core.http import client_address
from polmas.core.validators import surrogates_replaced, text_problem
from polmas.reports.intake import IntakeError, report_check, report_store
from polmas.reports.models import Category, Report
from polmas.reports.open311 import params
from polmas.reports.open311.keys import ApiKeyError, api_key_check
from polmas.reports.open311.public import (
    public_requests,
    requests_out,
    sealed_note,
    service_definition,
    service_out,
)
from polmas.reports.open311.serializers import Open311Error, error_response, respond

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-28T00:00:00Z"  # when this endpoint's behaviour last changed
View = Callable[..., HttpResponse]


def _format(request: HttpRequest, kwargs: dict) -> str:
    return kwargs.pop("fmt", None) or ("xml" if request.path.endswith(".xml") else "json")


def open311_view(*methods: str) -> Callable[[View], View]:
    """Answer Open311Error in the standard's shape, and other methods with 405."""

    def wrap(view: View) -> View:
        @wraps(view)
        def inner(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            fmt = _format(request, kwargs)
            if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
                error = Open311Error([(405, _("Method %(method)s is not allowed here.")
                                       % {"method": (request.method or "")[:10]})])
                response = error_response(error, fmt)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                jurisdiction_check(request.GET.get("jurisdiction_id", ""))
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return error_response(error, fmt)

        return inner

    return wrap


def jurisdiction_check(given: str) -> None:
    """The one jurisdiction served here, or none named: anything else is the spec's 404."""
    ours = settings.POLMAS_OPEN311_JURISDICTION
    given = given.strip()
    if given and given != ours:
        shown = "".join(c if c.isprintable() else "?" for c in given[:60])
        raise Open311Error([(404, _("jurisdiction_id: %(given)s is not served here; this endpoint "
                                    "serves %(ours)s only.") % {"given": shown, "ours": ours})])


TOKEN_SALT = "polmas.open311.token"  # noqa: S105  (a signing namespace, no secret)


def request_token(report: Report) -> str:
    """The POST's token: a signed reference to the request, never the tracking code (which
    must stay out of URLs: GET tokens/{token} puts the token in one)."""
    return signing.dumps(report.pk, salt=TOKEN_SALT)


def privacy_note() -> str:
    return _("Published requests carry no reporter identity and are placed at the centre of their "
             "village; phone numbers and e-mail addresses in their text are masked, and text hidden "
             "by moderation is empty. Requests in sensitive categories (domestic violence, sexual "
             "violence, children, trafficking) are never published: they are missing from every "
             "listing and unknown by id. Spam is not listed; a merged request names the request "
             "it was merged into (duplicate_of). media_url is not accepted.")


@open311_view("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    data = {
        "changeset": CHANGESET,
        "jurisdiction_id": settings.POLMAS_OPEN311_JURISDICTION,
        "contact": _("Polmas, the community policing partnership platform. In an emergency "
                     "call 110."),
        "key_service": _("Keys for Open311 clients are issued by the platform's administrators."),
        "privacy": privacy_note(),
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": request.build_absolute_uri("/open311/v2"),
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
            "jurisdiction_id": settings.POLMAS_OPEN311_JURISDICTION,
        }],
    }
    return respond(data, fmt, root="discovery")


@open311_view("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    data = [service_out(c) for c in Category.objects.filter(active=True)]
    return respond(data, fmt, root="services")


def _service(code: str) -> Category:
    category = Category.objects.filter(code=code[:40], active=True).first()
    if category is None:
        raise Open311Error([(404, _("service_code: no service has code %(code)s.")
                             % {"code": code[:40]})])
    return category


@open311_view("GET")
def service(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    return respond(service_definition(_service(code)), fmt, root="service_definition")


@csrf_exempt
@open311_view("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    query = params.request_query(request.GET)
    found = list(public_requests().filter(**params.report_filter(query))[: params.MAX_RESULTS])
    return respond(requests_out(found), fmt, root="service_requests")


@open311_view("GET")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    report = None
    if request_id.isdecimal() and len(request_id) <= 18:
        report = public_requests().filter(pk=int(request_id)).first()
    if report is None:
        raise Open311Error([(404, _("service_request_id: no public request %(id)s.")
                             % {"id": request_id[:20]})])
    return respond(requests_out([report]), fmt, root="service_requests")


@open311_view("GET")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """tokens/{token}: the service_request_id a POST's token stands for. Our requests exist as
    soon as the POST answers, so a good token always finds its request (until it is erased)."""
    try:
        request_id = signing.loads(token[:200], salt=TOKEN_SALT)
    except signing.BadSignature:
        request_id = None
    if not isinstance(request_id, int) or not Report.objects.filter(pk=request_id).exists():
        raise Open311Error([(404, _("token: no request was made with this token."))])
    return respond([{"service_request_id": request_id, "token": token}], fmt, root="service_requests")


def _form(request: HttpRequest) -> dict:
    try:
        form = request.POST
    except RequestDataTooBig:
        raise Open311Error([(413, _("The request is too large."))]) from None
    except TooManyFieldsSent:
        raise Open311Error([(400, _("The request has too many fields."))]) from None
    # What no database stores (a body in UTF-7 decodes to unpaired surrogates) is refused
    # before anything reads it, or echoes it into an answer that could not be encoded.
    for name, values in form.lists():
        problem = text_problem(name + "".join(values))
        if problem:
            shown = "".join(c if c.isprintable() else "?" for c in surrogates_replaced(name)[:60])
            raise Open311Error([(400, f"{shown}: {problem}")])
    return form


def _intake_problems(error: IntakeError, fields: dict[str, str]) -> Open311Error:
    problems = []
    status = error.status
    for field, reason in error.errors.items():
        param = fields.get(field, field)
        code = error.status
        if field == "category":
            code = status = 404  # an unknown service, as for services/{code}
        problems.append((code, reason if field == "__all__" else f"{param}: {reason}"))
    return Open311Error(problems, status)


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    try:
        key = api_key_check(form.get("api_key", ""))
    except ApiKeyError as exc:
        raise Open311Error([(403, str(exc))]) from None
    jurisdiction_check(form.get("jurisdiction_id", ""))
    client = f"open311:{key.pk}:{client_address(request)}"
    data, fields = params.submission(form, client_key=client)
    try:
        checked = report_check(data)
        with transaction.atomic():
            submitted = report_store(checked)
            audit_record(actor=None, action="open311.post", obj=submitted.report,
                         region_code=submitted.report.village_id,
                         detail={"key": key.pk, "client": key.name})
    except IntakeError as error:
        raise _intake_problems(error, fields) from None
    report = submitted.report
    notices = [_("Received. Your tracking code is %(code)s: keep it private, and follow the "
                 "report with it at %(url)s.") % {"code": submitted.tracking_code,
                                                  "url": request.build_absolute_uri("/lapor/status/")}]
    if fields.get("village") == "address_string":
        notices.append(_("address_string was read as the village %(village)s (%(code)s).")
                       % {"village": report.village.name, "code": report.village_id})
    if report.sensitive:
        notices.append(sealed_note())
    elif submitted.duplicate:
        notices.append(_("A similar report from nearby arrived recently; an officer will check "
                         "whether they are the same."))
    if form.get("media_url"):
        notices.append(_("media_url was ignored: photos by link are not accepted."))
    answer = {"service_request_id": report.pk, "service_notice": " ".join(notices),
              "account_id": None, "token": request_token(report)}
    return respond([answer], fmt, root="service_requests")


@csrf_exempt
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    error = Open311Error([(404, _("No such Open311 resource; see /open311/discovery.json."))])
    return error_response(error, _format(request, {}))

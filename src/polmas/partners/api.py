"""Partners, agreements, programmes and the service directory: scoped, paginated lists, and
a partner's staff recording their activities. Thin: the rules live in services and selectors."""

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from polmas.core.api import (
    DETAIL_ERRORS,
    PRINTABLE,
    READ_ERRORS,
    TEXT_FILLED,
    ErrorOut,
    Page,
    not_found,
    one_of,
    service_errors,
    stable,
)
from polmas.partners import selectors, services
from polmas.partners.models import Agreement, Organisation, PartnerActivity, Service

router = Router(tags=["partners"])
SCOPE_NOTE = " Only records in your scope; a partner's staff see their own organisation's."
WRITE_ERRORS: dict[int, type[Schema]] = {**DETAIL_ERRORS, 400: ErrorOut, 403: ErrorOut}


class OrganisationOut(Schema):
    id: int
    name: str
    kind: one_of(Organisation.Kind)
    description: str
    website: str
    places: list[str]

    @staticmethod
    def resolve_places(obj: Organisation) -> list[str]:
        return [r.code for r in obj.places.all()]


class AgreementOut(Schema):
    id: int
    organisation_id: int
    kind: one_of(Agreement.Kind)
    title: str
    number: str
    police_party: str
    other_parties: str
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    status: one_of(Agreement.Status)
    renews_id: int | None
    places: list[str]
    has_document: bool

    @staticmethod
    def resolve_places(obj: Agreement) -> list[str]:
        return [r.code for r in obj.places.all()]

    @staticmethod
    def resolve_has_document(obj: Agreement) -> bool:
        return bool(obj.document)


class ProgrammeOut(Schema):
    id: int
    organisation_id: int
    agreement_id: int | None
    name: str
    objectives: str
    starts_on: dt.date
    ends_on: dt.date
    places: list[str]
    comparison: list[str]

    @staticmethod
    def resolve_places(obj) -> list[str]:
        return [r.code for r in obj.places.all()]

    @staticmethod
    def resolve_comparison(obj) -> list[str]:
        return [r.code for r in obj.comparison.all()]


class ServiceOut(Schema):
    id: int
    name: str
    kind: one_of(Service.Kind)
    region_code: str = Field(alias="region_id")
    address: str
    hours: str
    phone: str
    whatsapp: str
    public: bool
    organisation_id: int | None


class ServiceFilter(Schema):
    kind: one_of(Service.Kind, "") = Field("", description="only services of this type")


class PartnerActivityIn(Schema):
    client_uuid: uuid.UUID = Field(description="generated once per activity; resending it is safe")
    programme_id: int = Field(ge=1, le=2**63 - 1)
    village: str = Field(max_length=13, pattern=PRINTABLE, description="a village of the programme")
    kind: one_of(PartnerActivity.Kind)
    occurred_on: dt.date
    participants: int = Field(0, ge=0, le=100_000)
    summary: str = Field(max_length=2000, pattern=TEXT_FILLED)


class PartnerActivityOut(Schema):
    id: int
    client_uuid: uuid.UUID
    programme_id: int
    region_code: str = Field(alias="village_id")
    kind: str
    occurred_on: dt.date
    participants: int
    summary: str


@router.get("/partners", response={200: list[OrganisationOut], **READ_ERRORS},
            summary="Partner organisations in my scope", description=SCOPE_NOTE.strip())
@paginate(Page)
def partner_list(request: HttpRequest):
    return stable(selectors.organisation_list(user=request.auth).prefetch_related("places"), "name")


@router.get("/agreements", response={200: list[AgreementOut], **READ_ERRORS},
            summary="Agreements (MoU/PKS) touching my scope", description=SCOPE_NOTE.strip())
@paginate(Page)
def agreement_list(request: HttpRequest):
    return stable(selectors.agreement_list(user=request.auth).prefetch_related("places"), "-starts_on")


@router.get("/programmes", response={200: list[ProgrammeOut], **READ_ERRORS},
            summary="Joint programmes touching my scope", description=SCOPE_NOTE.strip())
@paginate(Page)
def programme_list(request: HttpRequest):
    return stable(selectors.programme_list(user=request.auth).prefetch_related("places", "comparison"),
                  "-starts_on")


@router.get("/services", response={200: list[ServiceOut], **READ_ERRORS},
            summary="The service directory for referrals, serving my scope",
            description="UPTD PPA, shelters, health centres, legal aid and social services that "
            "serve a place in your scope (a partner: its places).")
@paginate(Page)
def service_list(request: HttpRequest, filters: Query[ServiceFilter]):
    qs = selectors.service_list(user=request.auth)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return stable(qs, "region_id", "kind", "name")


@router.post("/partner-activities",
             response={201: PartnerActivityOut, 200: PartnerActivityOut, **WRITE_ERRORS},
             summary="Record a partner activity (a partner's staff)",
             description="In a village of one of your organisation's programmes, within its period. "
             "A programme or village outside your organisation's places answers 404. Resending the "
             "same `client_uuid` answers 200 with the stored activity.")
def partner_activity_create(request: HttpRequest, payload: PartnerActivityIn):
    with service_errors(conflict_field=""):
        try:
            activity, created = services.partner_activity_record(
                actor=request.auth, programme_id=payload.programme_id, village=payload.village,
                kind=payload.kind, occurred_on=payload.occurred_on, participants=payload.participants,
                summary=payload.summary, client_uuid=payload.client_uuid)
        except services.NotFound:
            raise not_found() from None
    return Status(201 if created else 200, activity)

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
    TEXT,
    TEXT_FILLED,
    ErrorOut,
    Page,
    not_found,
    one_of,
    service_errors,
    stable,
)
from polmas.partners import selectors, services
from polmas.partners.models import Agreement, Organisation, PartnerActivity, ProgrammeLink, Service

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


# Writes of organisations, programmes and services (supervisors and admins in their scope; a
# service also by PPA officers). Text is checked by the services, which answer 400 naming the
# field; a record outside the caller's scope answers 404.
CODES = Field(max_length=200, description="region codes (Kemendagri), each inside your scope")
CODE = r"^[0-9.]{1,13}$"


class ContactIn(Schema):
    name: str = Field(max_length=150, pattern=TEXT_FILLED)
    position: str = Field("", max_length=150, pattern=PRINTABLE)
    phone: str = Field("", max_length=150, pattern=PRINTABLE)
    email: str = Field("", max_length=150, pattern=PRINTABLE)


class OrganisationIn(Schema):
    name: str = Field(max_length=150, pattern=TEXT_FILLED)
    kind: one_of(Organisation.Kind)
    places: list[str] = CODES
    description: str = Field("", max_length=2000, pattern=TEXT)
    website: str = Field("", max_length=200, pattern=PRINTABLE)
    contacts: list[ContactIn] = Field([], max_length=20)


class OrganisationPatch(Schema):
    name: str | None = Field(None, max_length=150, pattern=TEXT_FILLED)
    kind: one_of(Organisation.Kind) | None = None
    places: list[str] | None = Field(None, max_length=200,
                                     description="replace the places inside your scope; others stay")
    description: str | None = Field(None, max_length=2000, pattern=TEXT)
    website: str | None = Field(None, max_length=200, pattern=PRINTABLE)
    active: bool | None = None


class ProgrammeIn(Schema):
    organisation_id: int = Field(ge=1, le=2**63 - 1)
    agreement_id: int | None = Field(None, ge=1, le=2**63 - 1)
    name: str = Field(max_length=200, pattern=TEXT_FILLED)
    objectives: str = Field(max_length=5000, pattern=TEXT_FILLED)
    places: list[str] = CODES
    comparison: list[str] = Field([], max_length=200)
    starts_on: dt.date
    ends_on: dt.date


class ProgrammePatch(Schema):
    agreement_id: int | None = Field(None, ge=0, le=2**63 - 1, description="0 unties the agreement")
    name: str | None = Field(None, max_length=200, pattern=TEXT_FILLED)
    objectives: str | None = Field(None, max_length=5000, pattern=TEXT_FILLED)
    places: list[str] | None = Field(None, max_length=200)
    comparison: list[str] | None = Field(None, max_length=200)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class ServiceIn(Schema):
    name: str = Field(max_length=200, pattern=TEXT_FILLED)
    kind: one_of(Service.Kind)
    region: str = Field(max_length=13, pattern=PRINTABLE, description="the region it serves")
    address: str = Field("", max_length=300, pattern=PRINTABLE)
    hours: str = Field("", max_length=200, pattern=PRINTABLE)
    phone: str = Field("", max_length=30, pattern=PRINTABLE)
    whatsapp: str = Field("", max_length=30, pattern=PRINTABLE)
    public: bool = True
    organisation_id: int | None = Field(None, ge=1, le=2**63 - 1)


class ServicePatch(Schema):
    name: str | None = Field(None, max_length=200, pattern=TEXT_FILLED)
    kind: one_of(Service.Kind) | None = None
    region: str | None = Field(None, max_length=13, pattern=PRINTABLE)
    address: str | None = Field(None, max_length=300, pattern=PRINTABLE)
    hours: str | None = Field(None, max_length=200, pattern=PRINTABLE)
    phone: str | None = Field(None, max_length=30, pattern=PRINTABLE)
    whatsapp: str | None = Field(None, max_length=30, pattern=PRINTABLE)
    public: bool | None = None
    active: bool | None = None
    organisation_id: int | None = Field(None, ge=0, le=2**63 - 1, description="0: run by no partner")


class LinkIn(Schema):
    kind: one_of(ProgrammeLink.Kind)
    object_id: int = Field(ge=1, le=2**63 - 1,
                           description="the record's id; it must lie in the programme's places")


class LinkOut(Schema):
    id: int
    programme_id: int
    kind: str
    object_id: int


def _given(payload: Schema) -> dict:
    return payload.model_dump(exclude_unset=True)


@router.post("/partners", response={201: OrganisationOut, **WRITE_ERRORS},
             summary="Register a partner organisation (supervisors, admins)",
             description="Its places must lie inside your scope.")
def partner_create(request: HttpRequest, payload: OrganisationIn):
    with service_errors(conflict_field=""):
        org = services.organisation_create(
            actor=request.auth, name=payload.name, kind=payload.kind, places=payload.places,
            description=payload.description, website=payload.website,
            contacts=[c.model_dump() for c in payload.contacts])
    return Status(201, org)


@router.patch("/partners/{organisation_id}", response={200: OrganisationOut, **WRITE_ERRORS},
              summary="Change a partner organisation (supervisors, admins)",
              description="Fields left out stay. `places` replaces the places inside your scope; "
              "its places elsewhere stay. Outside your scope: 404.")
def partner_update(request: HttpRequest, organisation_id: int, payload: OrganisationPatch):
    with service_errors(conflict_field=""):
        try:
            org = services.organisation_update(actor=request.auth, organisation_id=organisation_id,
                                               **_given(payload))
        except services.NotFound:
            raise not_found() from None
    return org


class ContactOut(Schema):
    id: int
    name: str
    position: str
    phone: str
    email: str


class ContactPatch(Schema):
    name: str | None = Field(None, max_length=150, pattern=TEXT_FILLED)
    position: str | None = Field(None, max_length=150, pattern=PRINTABLE)
    phone: str | None = Field(None, max_length=150, pattern=PRINTABLE)
    email: str | None = Field(None, max_length=150, pattern=PRINTABLE)


CONTACTS_NOTE = ("Contact people are stored encrypted and never on the public profile. Supervisors "
                 "and admins, the organisation in their scope (else 404).")


@router.get("/partners/{organisation_id}/contacts", response={200: list[ContactOut], **WRITE_ERRORS},
            summary="An organisation's contact people (supervisors, admins)", description=CONTACTS_NOTE)
def partner_contacts(request: HttpRequest, organisation_id: int):
    with service_errors(conflict_field=""):
        try:
            return services.contacts_of(actor=request.auth, organisation_id=organisation_id)
        except services.NotFound:
            raise not_found() from None


@router.post("/partners/{organisation_id}/contacts", response={201: ContactOut, **WRITE_ERRORS},
             summary="Add a contact person (supervisors, admins)",
             description=CONTACTS_NOTE + " A phone is digits (with +, spaces, dashes); an e-mail "
             "a valid address; each refusal names its field.")
def partner_contact_add(request: HttpRequest, organisation_id: int, payload: ContactIn):
    with service_errors(conflict_field=""):
        try:
            contact = services.contact_add(actor=request.auth, organisation_id=organisation_id,
                                           **payload.model_dump())
        except services.NotFound:
            raise not_found() from None
    return Status(201, contact)


@router.patch("/partners/{organisation_id}/contacts/{contact_id}",
              response={200: ContactOut, **WRITE_ERRORS},
              summary="Change a contact person (supervisors, admins)",
              description="Fields left out stay. " + CONTACTS_NOTE)
def partner_contact_update(request: HttpRequest, organisation_id: int, contact_id: int,
                           payload: ContactPatch):
    with service_errors(conflict_field=""):
        try:
            return services.contact_update(actor=request.auth, organisation_id=organisation_id,
                                           contact_id=contact_id, **_given(payload))
        except services.NotFound:
            raise not_found() from None


@router.delete("/partners/{organisation_id}/contacts/{contact_id}", response={204: None, **WRITE_ERRORS},
               summary="Remove a contact person (supervisors, admins)", description=CONTACTS_NOTE)
def partner_contact_remove(request: HttpRequest, organisation_id: int, contact_id: int):
    with service_errors(conflict_field=""):
        try:
            services.contact_remove(actor=request.auth, organisation_id=organisation_id,
                                    contact_id=contact_id)
        except services.NotFound:
            raise not_found() from None
    return Status(204, None)


@router.post("/programmes", response={201: ProgrammeOut, **WRITE_ERRORS},
             summary="Start a joint programme (supervisors, admins)",
             description="Of a partner in your scope; places and comparison villages inside your scope.")
def programme_create(request: HttpRequest, payload: ProgrammeIn):
    with service_errors(conflict_field=""):
        try:
            programme = services.programme_create(actor=request.auth, **payload.model_dump())
        except services.NotFound:
            raise not_found() from None
    return Status(201, programme)


@router.patch("/programmes/{programme_id}", response={200: ProgrammeOut, **WRITE_ERRORS},
              summary="Change a joint programme (supervisors, admins)",
              description="Fields left out stay; `agreement_id` 0 unties the agreement. Outside "
              "your scope: 404.")
def programme_update(request: HttpRequest, programme_id: int, payload: ProgrammePatch):
    given = _given(payload)
    if given.get("agreement_id") == 0:
        given.pop("agreement_id")
        given["clear_agreement"] = True
    with service_errors(conflict_field=""):
        try:
            return services.programme_update(actor=request.auth, programme_id=programme_id, **given)
        except services.NotFound:
            raise not_found() from None


@router.get("/programmes/{programme_id}/links", response={200: list[LinkOut], **DETAIL_ERRORS},
            summary="The records a programme counts", description=SCOPE_NOTE.strip())
@paginate(Page)
def programme_links(request: HttpRequest, programme_id: int):
    programme = selectors.programme_get(user=request.auth, programme_id=programme_id)
    if programme is None:
        raise not_found()
    return stable(programme.links.all(), "kind", "object_id")


@router.post("/programmes/{programme_id}/links", response={201: LinkOut, **WRITE_ERRORS},
             summary="Count an activity, meeting, case or referral in a programme (supervisors, admins)",
             description="The record must be one you read, in one of the programme's places (else 400 "
             "naming `object_id`). Linking it again changes nothing.")
def programme_link(request: HttpRequest, programme_id: int, payload: LinkIn):
    with service_errors(conflict_field=""):
        try:
            link = services.programme_link(actor=request.auth, programme_id=programme_id,
                                           kind=payload.kind, object_id=payload.object_id)
        except services.NotFound:
            raise not_found() from None
    return Status(201, link)


@router.delete("/programmes/{programme_id}/links/{link_id}", response={204: None, **WRITE_ERRORS},
               summary="Stop counting a record in a programme (supervisors, admins)")
def programme_unlink(request: HttpRequest, programme_id: int, link_id: int):
    with service_errors(conflict_field=""):
        try:
            services.programme_unlink(actor=request.auth, programme_id=programme_id, link_id=link_id)
        except services.NotFound:
            raise not_found() from None
    return Status(204, None)


@router.post("/services", response={201: ServiceOut, **WRITE_ERRORS},
             summary="List a service in the directory (supervisors, PPA officers, admins)",
             description="The region it serves must lie inside your scope.")
def service_create(request: HttpRequest, payload: ServiceIn):
    with service_errors(conflict_field=""):
        service = services.service_create(actor=request.auth, **payload.model_dump())
    return Status(201, service)


@router.patch("/services/{service_id}", response={200: ServiceOut, **WRITE_ERRORS},
              summary="Change a listed service (supervisors, PPA officers, admins)",
              description="Fields left out stay; `organisation_id` 0: run by no partner. A service "
              "whose region is not inside your scope: 404.")
def service_update(request: HttpRequest, service_id: int, payload: ServicePatch):
    given = _given(payload)
    if given.get("organisation_id") == 0:
        given.pop("organisation_id")
        given["clear_organisation"] = True
    with service_errors(conflict_field=""):
        try:
            return services.service_update(actor=request.auth, service_id=service_id, **given)
        except services.NotFound:
            raise not_found() from None

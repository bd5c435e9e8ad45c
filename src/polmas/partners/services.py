"""Writes of the partners room, each in a transaction, checking permission and writing the
audit log. Refusals: ValidationError naming the field (400), PermissionDenied (403) and
NotFound for a record or place outside the caller's reach (404, as if it did not exist)."""

import datetime as dt
import re
import uuid

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.core.scope import covers
from polmas.core.validators import text_problem
from polmas.partners import links, selectors
from polmas.partners.models import (
    MAX_DOCUMENT,
    MAX_TEXT,
    Agreement,
    Contact,
    Organisation,
    PartnerActivity,
    Programme,
    ProgrammeLink,
    Service,
)
from polmas.regions import codes as region_codes
from polmas.regions.models import Region

MAX_PLACES = 200
PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"


class NotFound(Exception):
    """The record or place is outside the caller's reach: answered 404."""


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _text(errors: dict[str, str], name: str, value: object, *, limit: int, required: bool = True) -> str:
    if not isinstance(value, str):
        errors[name] = _("Must be text.")
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = _("This field is required.")
    elif len(value) > limit:
        errors[name] = _("At most %(n)s characters.") % {"n": limit}
    else:
        problem = text_problem(value)
        if problem:
            errors[name] = problem
    return value


def _choice(errors: dict[str, str], name: str, value: object, choices) -> str:
    if value not in choices.values:
        errors[name] = _("Must be one of %(values)s.") % {"values": ", ".join(choices.values)}
    return str(value)


def _places(errors: dict[str, str], name: str, codes: object, prefixes: tuple[str, ...],
            *, required: bool = True) -> list[Region]:
    """Existing regions, each inside `prefixes` (the caller's scope)."""
    if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
        errors[name] = _("Must be a list of region codes.")
        return []
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if required and not codes:
        errors[name] = _("Name at least one region.")
        return []
    if len(codes) > MAX_PLACES:
        errors[name] = _("At most %(n)s regions.") % {"n": MAX_PLACES}
        return []
    wellformed = [c for c in codes if region_codes.is_valid(c)]  # nothing else reaches the query
    found = {r.code: r for r in Region.objects.filter(code__in=wellformed)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors[name] = _("No such region: %(codes)s.") % {"codes": ", ".join(unknown)[:200]}
        return []
    outside = [c for c in codes if not any(covers(p, c) for p in prefixes)]
    if outside:
        errors[name] = _("Outside your area: %(codes)s.") % {"codes": ", ".join(outside)[:200]}
        return []
    return [found[c] for c in codes]


def _period(errors: dict[str, str], starts_on: object, ends_on: object) -> None:
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = _("Enter a valid date.")
    if not isinstance(ends_on, dt.date):
        errors["ends_on"] = _("Enter a valid date.")
    if isinstance(starts_on, dt.date) and isinstance(ends_on, dt.date) and ends_on < starts_on:
        errors["ends_on"] = _("The end (%(end)s) is before the start (%(start)s).") % {
            "end": ends_on.isoformat(), "start": starts_on.isoformat()}


def _manager(actor: User, roles: tuple[str, ...] = selectors.MANAGERS):
    scope = scope_for(actor)
    if not scope.has(*roles):
        raise PermissionDenied(_("Only supervisors and administrators manage partners."))
    return scope


@transaction.atomic
def organisation_create(*, actor: User, name: str, kind: str, places: list[str], description: str = "",
                        website: str = "", contacts: list[dict] | None = None) -> Organisation:
    """Register a partner organisation working in `places`. Requires: supervisor or admin,
    places inside their scope."""
    scope = _manager(actor)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, limit=150)
    kind = _choice(errors, "kind", kind, Organisation.Kind)
    description = _text(errors, "description", description, limit=2000, required=False)
    website = _text(errors, "website", website, limit=200, required=False)
    if website and not website.startswith(("https://", "http://")):
        errors["website"] = _("Enter a web address starting with https://.")
    regions = _places(errors, "places", places, scope.prefixes)
    if "name" not in errors and Organisation.objects.filter(name__iexact=name).exists():
        errors["name"] = _("An organisation of this name is registered already.")
    people = [_contact(errors, f"contacts.{i}.", c) for i, c in enumerate(contacts or [])]
    _raise(errors)
    org = Organisation.objects.create(name=name, kind=kind, description=description, website=website)
    org.places.set(regions)
    Contact.objects.bulk_create([Contact(organisation=org, **p) for p in people])
    audit_record(actor=actor, action="partner.create", obj=org, detail={"places": [r.code for r in regions]})
    return org


def document_check(document: UploadedFile) -> None:
    """A signed agreement: a PDF (by its first bytes, not its name) of at most 10 MB."""
    if document.size is not None and document.size > MAX_DOCUMENT:
        raise ValidationError({"document": _("The file is larger than 10 MB.")})
    document.seek(0)
    head = document.read(1024)
    # A PDF ends with its end-of-file marker (within its last kilobyte): a file that only
    # starts like one (a header glued onto a page of HTML) is not one.
    size = document.size if document.size is not None else len(head)
    document.seek(max(0, size - 1024))
    tail = document.read(1024)
    document.seek(0)
    if PDF_MAGIC not in head[:1024] or not head.lstrip()[:5] == PDF_MAGIC or PDF_END not in tail:
        raise ValidationError({"document": _("The file is not a PDF document.")})


@transaction.atomic
def agreement_create(*, actor: User, organisation_id: int, kind: str, title: str, police_party: str,
                     signed_on: dt.date, starts_on: dt.date, ends_on: dt.date, places: list[str],
                     police_commitments: str, partner_commitments: str, number: str = "",
                     other_parties: str = "", document: UploadedFile | None = None,
                     renews_id: int | None = None) -> Agreement:
    """Record an MoU or PKS (a renewal when `renews_id` names the one it follows, which stays
    as it was, marked renewed). Requires: supervisor or admin; places inside their scope."""
    scope = _manager(actor)
    org = selectors.organisation_get(user=actor, organisation_id=organisation_id)
    if org is None:
        raise NotFound
    errors: dict[str, str] = {}
    kind = _choice(errors, "kind", kind, Agreement.Kind)
    title = _text(errors, "title", title, limit=200)
    number = _text(errors, "number", number, limit=100, required=False)
    police_party = _text(errors, "police_party", police_party, limit=150)
    other_parties = _text(errors, "other_parties", other_parties, limit=500, required=False)
    police_commitments = _text(errors, "police_commitments", police_commitments, limit=MAX_TEXT)
    partner_commitments = _text(errors, "partner_commitments", partner_commitments, limit=MAX_TEXT)
    if not isinstance(signed_on, dt.date):
        errors["signed_on"] = _("Enter a valid date.")
    _period(errors, starts_on, ends_on)
    regions = _places(errors, "places", places, scope.prefixes)
    previous = None
    if renews_id is not None:
        visible = selectors.agreement_list(user=actor).filter(pk=renews_id).values("pk")
        # Locked alone: FOR UPDATE cannot reach the nullable side of the list's outer join.
        previous = Agreement.objects.select_for_update().filter(pk__in=visible).first()
        if previous is None or previous.organisation_id != org.pk:
            errors["renews"] = _("No agreement %(id)s of this partner.") % {"id": renews_id}
        elif previous.status != Agreement.Status.ACTIVE:
            errors["renews"] = _("Only an agreement in force can be renewed.")
        elif isinstance(starts_on, dt.date) and starts_on <= previous.starts_on:
            errors["starts_on"] = _("A renewal starts after the agreement it renews.")
    if document is not None:
        try:
            document_check(document)
        except ValidationError as exc:
            errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    _raise(errors)
    if previous is not None:
        previous.status = Agreement.Status.RENEWED
        previous.save(update_fields=["status"])
    agreement = Agreement(organisation=org, kind=kind, title=title, number=number, police_party=police_party,
                          other_parties=other_parties, signed_on=signed_on, starts_on=starts_on,
                          ends_on=ends_on, police_commitments=police_commitments,
                          partner_commitments=partner_commitments, renews=previous, owner=actor)
    if document is not None:
        agreement.document.save(f"{uuid.uuid4().hex}.pdf", document, save=False)
    agreement.save()
    agreement.places.set(regions)
    audit_record(actor=actor, action="agreement.renew" if previous else "agreement.create", obj=agreement,
                 detail={"organisation": org.pk, "renews": previous.pk if previous else None})
    return agreement


@transaction.atomic
def programme_create(*, actor: User, organisation_id: int, name: str, objectives: str, places: list[str],
                     starts_on: dt.date, ends_on: dt.date, comparison: list[str] | None = None,
                     agreement_id: int | None = None) -> Programme:
    """Start a joint programme in `places` (with comparison villages for its indicator).
    Requires: supervisor or admin; places inside their scope."""
    scope = _manager(actor)
    org = selectors.organisation_get(user=actor, organisation_id=organisation_id)
    if org is None:
        raise NotFound
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, limit=200)
    objectives = _text(errors, "objectives", objectives, limit=MAX_TEXT)
    _period(errors, starts_on, ends_on)
    regions = _places(errors, "places", places, scope.prefixes)
    others = _places(errors, "comparison", comparison or [], scope.prefixes, required=False)
    if regions and others and {r.code for r in regions} & {r.code for r in others}:
        errors["comparison"] = _("A comparison village cannot be one of the programme's places.")
    agreement = None
    if agreement_id is not None:
        agreement = selectors.agreement_list(user=actor).filter(pk=agreement_id, organisation=org).first()
        if agreement is None:
            errors["agreement"] = _("No agreement %(id)s of this partner.") % {"id": agreement_id}
    _raise(errors)
    programme = Programme.objects.create(organisation=org, agreement=agreement, name=name,
                                         objectives=objectives, starts_on=starts_on, ends_on=ends_on)
    programme.places.set(regions)
    programme.comparison.set(others)
    audit_record(actor=actor, action="programme.create", obj=programme, detail={"organisation": org.pk})
    return programme


def _keep_outside(current: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """The codes of `current` the caller's scope does not cover: an edit keeps them."""
    return [c for c in current if not any(covers(p, c) for p in prefixes)]


def _places_edit(errors: dict[str, str], name: str, codes: object, current: list[str],
                 prefixes: tuple[str, ...], *, required: bool = True) -> list[Region] | None:
    """The new places of a record: `codes` (each inside the caller's scope) replace the places
    the caller covers; places outside their scope stay as they are. None: not changed."""
    if codes is None:
        return None
    kept = _keep_outside(current, prefixes)
    regions = _places(errors, name, codes, prefixes, required=required and not kept)
    return [*regions, *Region.objects.filter(code__in=kept)]


def _organisation_for_edit(actor: User, organisation_id: int) -> Organisation:
    org = selectors.organisation_list(user=actor).filter(pk=organisation_id).first()
    if org is None:
        raise NotFound
    return Organisation.objects.select_for_update().get(pk=org.pk)


def _changed(obj, values: dict) -> dict:
    """Set the given values on `obj`; the names of those that differ, with old and new."""
    diff = {}
    for k, v in values.items():
        if getattr(obj, k) != v:
            diff[k] = [str(getattr(obj, k)), str(v)]
            setattr(obj, k, v)
    return diff


CONTACT_FIELDS = ("name", "position", "phone", "email")
MAX_CONTACTS = 20
PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{2,28}[0-9]$")


def _contact(errors: dict[str, str], prefix: str, values: object) -> dict[str, str]:
    """A contact person's fields, checked: a name; a phone of digits (+, spaces, dashes,
    brackets); an e-mail address. Each refusal names its field (`prefix` + name)."""
    if not isinstance(values, dict):
        errors[prefix.rstrip(".") or "contact"] = _("Must be an object with name, position, phone and email.")
        return {}
    person = {k: _text(errors, prefix + k, values.get(k, ""), limit=150, required=k == "name")
              for k in CONTACT_FIELDS}
    if person["phone"] and prefix + "phone" not in errors and not PHONE.match(person["phone"]):
        errors[prefix + "phone"] = _("Enter a phone number: digits, with + and spaces or dashes only.")
    if person["email"] and prefix + "email" not in errors:
        try:
            validate_email(person["email"])
        except ValidationError:
            errors[prefix + "email"] = _("Enter a valid e-mail address.")
    return person


def _contact_for_edit(actor: User, organisation_id: int, contact_id: int) -> tuple[Organisation, Contact]:
    _manager(actor)
    org = _organisation_for_edit(actor, organisation_id)
    contact = Contact.objects.filter(pk=contact_id, organisation=org).first()
    if contact is None:
        raise NotFound
    return org, contact


def contacts_of(*, actor: User, organisation_id: int) -> list[Contact]:
    """An organisation's contact people, decrypted. Requires: supervisor or admin, the
    organisation in their scope (else NotFound): the public profile never shows them."""
    _manager(actor)
    org = selectors.organisation_get(user=actor, organisation_id=organisation_id)
    if org is None:
        raise NotFound
    return list(org.contacts.order_by("pk"))


@transaction.atomic
def contact_add(*, actor: User, organisation_id: int, name: str, position: str = "", phone: str = "",
                email: str = "") -> Contact:
    """Add a contact person (stored encrypted). Requires: supervisor or admin, the
    organisation in their scope (else NotFound); at most MAX_CONTACTS each."""
    _manager(actor)
    org = _organisation_for_edit(actor, organisation_id)
    errors: dict[str, str] = {}
    person = _contact(errors, "", {"name": name, "position": position, "phone": phone, "email": email})
    if org.contacts.count() >= MAX_CONTACTS:
        errors["name"] = _("An organisation keeps at most %(n)s contact people.") % {"n": MAX_CONTACTS}
    _raise(errors)
    contact = Contact.objects.create(organisation=org, **person)
    # The audit names the fields, never their values: they are personal data.
    audit_record(actor=actor, action="partner.contact_add", obj=org, detail={"contact": contact.pk})
    return contact


@transaction.atomic
def contact_update(*, actor: User, organisation_id: int, contact_id: int, name: str | None = None,
                   position: str | None = None, phone: str | None = None,
                   email: str | None = None) -> Contact:
    """Change a contact person's fields (None: unchanged). Requires: supervisor or admin, the
    organisation in their scope; a contact of another organisation is NotFound."""
    org, contact = _contact_for_edit(actor, organisation_id, contact_id)
    given = {k: v for k, v in {"name": name, "position": position, "phone": phone, "email": email}.items()
             if v is not None}
    errors: dict[str, str] = {}
    person = _contact(errors, "", {k: given.get(k, getattr(contact, k)) for k in CONTACT_FIELDS})
    _raise(errors)
    changed = sorted(k for k in given if person[k] != getattr(contact, k))
    if changed:
        for k in changed:
            setattr(contact, k, person[k])
        contact.save(update_fields=changed)
        audit_record(actor=actor, action="partner.contact_update", obj=org,
                     detail={"contact": contact.pk, "changed": changed})
    return contact


@transaction.atomic
def contact_remove(*, actor: User, organisation_id: int, contact_id: int) -> None:
    """Remove a contact person. Requires: supervisor or admin, the organisation in their scope;
    a contact of another organisation is NotFound."""
    org, contact = _contact_for_edit(actor, organisation_id, contact_id)
    pk = contact.pk
    contact.delete()
    audit_record(actor=actor, action="partner.contact_remove", obj=org, detail={"contact": pk})


@transaction.atomic
def organisation_update(*, actor: User, organisation_id: int, name: str | None = None,
                        kind: str | None = None, places: list[str] | None = None,
                        description: str | None = None, website: str | None = None,
                        active: bool | None = None) -> Organisation:
    """Change an organisation's fields (None: unchanged). The places given replace those in
    the actor's scope; its places elsewhere stay. Requires: supervisor or admin; the
    organisation in their scope (else NotFound)."""
    scope = _manager(actor)
    org = _organisation_for_edit(actor, organisation_id)
    errors: dict[str, str] = {}
    values: dict = {}
    if name is not None:
        values["name"] = _text(errors, "name", name, limit=150)
        if ("name" not in errors and Organisation.objects.filter(name__iexact=values["name"])
                .exclude(pk=org.pk).exists()):
            errors["name"] = _("An organisation of this name is registered already.")
    if kind is not None:
        values["kind"] = _choice(errors, "kind", kind, Organisation.Kind)
    if description is not None:
        values["description"] = _text(errors, "description", description, limit=2000, required=False)
    if website is not None:
        values["website"] = _text(errors, "website", website, limit=200, required=False)
        if values["website"] and not values["website"].startswith(("https://", "http://")):
            errors["website"] = _("Enter a web address starting with https://.")
    if active is not None:
        if not isinstance(active, bool):
            errors["active"] = _("Must be true or false.")
        values["active"] = active
    current = list(org.places.values_list("code", flat=True))
    regions = _places_edit(errors, "places", places, current, scope.prefixes)
    _raise(errors)
    diff = _changed(org, values)
    if diff:
        org.save(update_fields=list(diff))
    if regions is not None and {r.code for r in regions} != set(current):
        org.places.set(regions)
        diff["places"] = [sorted(current), sorted(r.code for r in regions)]
    if diff:
        audit_record(actor=actor, action="partner.update", obj=org, detail={"changed": sorted(diff)})
    return org


@transaction.atomic
def programme_update(*, actor: User, programme_id: int, name: str | None = None,
                     objectives: str | None = None, places: list[str] | None = None,
                     comparison: list[str] | None = None, starts_on: dt.date | None = None,
                     ends_on: dt.date | None = None, agreement_id: int | None = None,
                     clear_agreement: bool = False) -> Programme:
    """Change a programme's fields (None: unchanged; `clear_agreement` unties it from its
    agreement). Places outside the actor's scope stay. Requires: supervisor or admin; the
    programme in their scope (else NotFound)."""
    scope = _manager(actor)
    found = selectors.programme_list(user=actor).filter(pk=programme_id).values("pk")
    programme = Programme.objects.select_for_update().filter(pk__in=found).first()
    if programme is None:
        raise NotFound
    errors: dict[str, str] = {}
    values: dict = {}
    if name is not None:
        values["name"] = _text(errors, "name", name, limit=200)
    if objectives is not None:
        values["objectives"] = _text(errors, "objectives", objectives, limit=MAX_TEXT)
    if starts_on is not None or ends_on is not None:
        start = programme.starts_on if starts_on is None else starts_on
        end = programme.ends_on if ends_on is None else ends_on
        _period(errors, start, end)
        values["starts_on"], values["ends_on"] = start, end
    current = list(programme.places.values_list("code", flat=True))
    current_cmp = list(programme.comparison.values_list("code", flat=True))
    regions = _places_edit(errors, "places", places, current, scope.prefixes)
    others = _places_edit(errors, "comparison", comparison, current_cmp, scope.prefixes, required=False)
    mine = {r.code for r in regions} if regions is not None else set(current)
    theirs = {r.code for r in others} if others is not None else set(current_cmp)
    if "places" not in errors and "comparison" not in errors and mine & theirs:
        errors["comparison"] = _("A comparison village cannot be one of the programme's places.")
    if clear_agreement:
        values["agreement"] = None
    elif agreement_id is not None:
        agreement = (selectors.agreement_list(user=actor)
                     .filter(pk=agreement_id, organisation_id=programme.organisation_id).first())
        if agreement is None:
            errors["agreement"] = _("No agreement %(id)s of this partner.") % {"id": agreement_id}
        values["agreement"] = agreement
    _raise(errors)
    diff = _changed(programme, values)
    if diff:
        programme.save(update_fields=list(diff))
    if regions is not None and mine != set(current):
        programme.places.set(regions)
        diff["places"] = 1
    if others is not None and theirs != set(current_cmp):
        programme.comparison.set(others)
        diff["comparison"] = 1
    if diff:
        audit_record(actor=actor, action="programme.update", obj=programme, detail={"changed": sorted(diff)})
    return programme


@transaction.atomic
def service_update(*, actor: User, service_id: int, name: str | None = None, kind: str | None = None,
                   region: str | None = None, address: str | None = None, hours: str | None = None,
                   phone: str | None = None, whatsapp: str | None = None, public: bool | None = None,
                   active: bool | None = None, organisation_id: int | None = None,
                   clear_organisation: bool = False) -> Service:
    """Change a listed service (None: unchanged). Requires: supervisor, PPA officer or admin;
    the region it serves inside their scope (a service above it, e.g. the province's, is
    edited at that level: NotFound here), and a new region inside it too."""
    scope = _manager(actor, selectors.SERVICE_MANAGERS)
    service = Service.objects.select_for_update().filter(pk=service_id).first()
    if service is None or not any(covers(p, service.region_id) for p in scope.prefixes):
        raise NotFound
    errors: dict[str, str] = {}
    values: dict = {}
    if name is not None:
        values["name"] = _text(errors, "name", name, limit=200)
    if kind is not None:
        values["kind"] = _choice(errors, "kind", kind, Service.Kind)
    for k, v, lim in (("address", address, 300), ("hours", hours, 200), ("phone", phone, 30),
                      ("whatsapp", whatsapp, 30)):
        if v is not None:
            values[k] = _text(errors, k, v, limit=lim, required=False)
    for k, v in (("public", public), ("active", active)):
        if v is not None:
            if not isinstance(v, bool):
                errors[k] = _("Must be true or false.")
            values[k] = v
    if region is not None:
        found = _places(errors, "region", [region] if isinstance(region, str) else region, scope.prefixes)
        if found:
            values["region"] = found[0]
    if clear_organisation:
        values["organisation"] = None
    elif organisation_id is not None:
        org = selectors.organisation_get(user=actor, organisation_id=organisation_id)
        if org is None:
            errors["organisation"] = _("No partner %(id)s in your area.") % {"id": organisation_id}
        values["organisation"] = org
    _raise(errors)
    diff = _changed(service, values)
    if diff:
        service.save(update_fields=list(diff))
        audit_record(actor=actor, action="service.update", obj=service, region_code=service.region_id,
                     detail={"changed": sorted(diff)})
    return service


def service_for_edit(*, actor: User, service_id: int) -> Service | None:
    """The service if the actor may edit it (a read: for the edit page's form)."""
    scope = scope_for(actor)
    if not scope.has(*selectors.SERVICE_MANAGERS):
        return None
    service = Service.objects.filter(pk=service_id).select_related("region").first()
    if service is None or not any(covers(p, service.region_id) for p in scope.prefixes):
        return None
    return service


LINKERS = selectors.MANAGERS


@transaction.atomic
def programme_link(*, actor: User | None, programme_id: int, kind: str, object_id: int) -> ProgrammeLink:
    """Count a record of another room in a programme (again: no change). With an actor, the
    record must be one they read (else 400 naming `object_id`) and lie in one of the
    programme's places (else 400 naming `object_id` and the place). Requires: supervisor or
    admin, the programme in their scope (None: the system, for the rooms that call it)."""
    if actor is not None:
        _manager(actor, LINKERS)
    qs = selectors.programme_list(user=actor) if actor is not None else Programme.objects.all()
    programme = qs.filter(pk=programme_id).first()
    if programme is None:
        raise NotFound
    errors: dict[str, str] = {}
    kind = _choice(errors, "kind", kind, ProgrammeLink.Kind)
    if not isinstance(object_id, int) or isinstance(object_id, bool) or not 1 <= object_id < 2**63:
        errors["object_id"] = _("Must be a whole number from 1.")
    _raise(errors)
    if actor is not None:
        found = links.locate(kind, user=actor, object_id=object_id)
        if found is None:
            errors["object_id"] = _("No %(kind)s %(id)s in your area.") % {
                "kind": ProgrammeLink.Kind(kind).label, "id": object_id}
        elif not selectors.programme_covers(programme, found.village):
            errors["object_id"] = _("The record lies in %(place)s, outside the programme's places.") % {
                "place": found.village}
        elif not found.within(programme.starts_on, programme.ends_on):
            errors["object_id"] = _("The record is dated %(date)s, outside the programme's period "
                                    "(%(start)s to %(end)s).") % {
                "date": found.dates(), "start": programme.starts_on.isoformat(),
                "end": programme.ends_on.isoformat()}
        _raise(errors)
    link, created = ProgrammeLink.objects.get_or_create(programme=programme, kind=kind, object_id=object_id)
    if created:
        audit_record(actor=actor, action="programme.link", obj=programme,
                     detail={"kind": kind, "id": object_id})
    return link


@transaction.atomic
def partner_activity_record(*, actor: User, programme_id: int, village: str, kind: str,
                            occurred_on: dt.date, summary: str, participants: int = 0,
                            client_uuid: uuid.UUID | None = None) -> tuple[PartnerActivity, bool]:
    """A partner's staff record what they did in one of the programme's villages; a resent
    client UUID returns the first record. Requires: staff of the programme's organisation;
    a programme or village outside its places is NotFound."""
    org = selectors.organisation_of(actor)
    if org is None:
        raise PermissionDenied(_("Only a partner's staff record partner activities."))
    if client_uuid is not None:
        earlier = PartnerActivity.objects.filter(client_uuid=client_uuid).first()
        if earlier is not None:
            if earlier.recorded_by_id != actor.pk:
                raise NotFound
            return earlier, False
    programme = Programme.objects.filter(pk=programme_id, organisation=org).first()
    if (programme is None or not isinstance(village, str)
            or not selectors.programme_covers(programme, village)):
        raise NotFound
    place = Region.objects.filter(code=village, level=Region.Level.VILLAGE).first()
    if place is None:
        raise NotFound
    errors: dict[str, str] = {}
    kind = _choice(errors, "kind", kind, PartnerActivity.Kind)
    summary = _text(errors, "summary", summary, limit=2000)
    if (not isinstance(participants, int) or isinstance(participants, bool)
            or not 0 <= participants <= 100_000):
        errors["participants"] = _("Must be a whole number from 0 to 100000.")
    if not isinstance(occurred_on, dt.date):
        errors["occurred_on"] = _("Enter a valid date.")
    elif not programme.starts_on <= occurred_on <= min(programme.ends_on, timezone.localdate()):
        errors["occurred_on"] = _("The date must lie within the programme's period, and not in the future.")
    _raise(errors)
    activity = PartnerActivity.objects.create(
        programme=programme, village=place, kind=kind, occurred_on=occurred_on, participants=participants,
        summary=summary, recorded_by=actor, client_uuid=client_uuid or uuid.uuid4())
    audit_record(actor=actor, action="partner_activity.record", obj=activity, region_code=place.code)
    return activity, True


@transaction.atomic
def service_create(*, actor: User, name: str, kind: str, region: str, address: str = "", hours: str = "",
                   phone: str = "", whatsapp: str = "", public: bool = True,
                   organisation_id: int | None = None) -> Service:
    """List a service in the directory for the region it serves. Requires: supervisor, PPA
    officer or admin; the region inside their scope."""
    scope = _manager(actor, selectors.SERVICE_MANAGERS)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, limit=200)
    kind = _choice(errors, "kind", kind, Service.Kind)
    fields = {k: _text(errors, k, v, limit=lim, required=False) for k, v, lim in (
        ("address", address, 300), ("hours", hours, 200), ("phone", phone, 30), ("whatsapp", whatsapp, 30))}
    regions = _places(errors, "region", [region] if isinstance(region, str) else region, scope.prefixes)
    org = None
    if organisation_id is not None:
        org = selectors.organisation_get(user=actor, organisation_id=organisation_id)
        if org is None:
            errors["organisation"] = _("No partner %(id)s in your area.") % {"id": organisation_id}
    _raise(errors)
    service = Service.objects.create(name=name, kind=kind, region=regions[0], public=bool(public),
                                     organisation=org, **fields)
    audit_record(actor=actor, action="service.create", obj=service, region_code=regions[0].code)
    return service


@transaction.atomic
def programme_unlink(*, actor: User, programme_id: int, link_id: int) -> None:
    """Stop counting a record in a programme. Requires: supervisor or admin, the programme in
    their scope; a link of another programme is NotFound."""
    _manager(actor, LINKERS)
    programme = selectors.programme_list(user=actor).filter(pk=programme_id).first()
    link = programme.links.filter(pk=link_id).first() if programme is not None else None
    if link is None:
        raise NotFound
    link.delete()
    audit_record(actor=actor, action="programme.unlink", obj=programme,
                 detail={"kind": link.kind, "id": link.object_id})

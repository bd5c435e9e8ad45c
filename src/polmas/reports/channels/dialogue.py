"""The intake dialogue over SMS and WhatsApp: one message in, one reply out.

A first message such as "LAPOR curi motor di Les" usually carries all that is needed; what is
missing (what happened, the category, the village) is asked for, one question at a time. The
state lives in a Conversation per channel and sender, forgotten after CONVERSATION_TTL.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polmas.core.validators import validate_phone
from polmas.regions.models import Region
from polmas.regions.selectors import in_indonesia
from polmas.reports.channels import parsing
from polmas.reports.channels import texts as say
from polmas.reports.intake import IntakeError, ReportInput, report_check, report_store, village_at
from polmas.reports.models import CODE_SLOT, MAX_TEXT, Block, Category, Conversation, Report
from polmas.reports.selectors import categories_active, public_status
from polmas.reports.tracking import value_hash

CONVERSATION_TTL = dt.timedelta(hours=24)
# Control characters other than tab and line breaks: no phone sends them, PostgreSQL refuses NUL.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
START = {"lapor", "laporan"}
CANCEL = {"batal", "batalkan", "stop"}
STATUS = {"status", "cek"}
HELP = {"bantuan", "help", "info", "menu", "tolong"}
ANONYMOUS = "anonim"


@dataclass
class Incoming:
    """One message from a sender: text, a location, or something else (unsupported)."""

    channel: str  # "sms" or "whatsapp"
    sender: str  # +62...
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    kind: str = "text"  # "text", "location" or "unsupported"


@dataclass
class Links:
    """Public pages named in replies: the status page and the web form."""

    status: str
    form: str


@dataclass
class Outcome:
    reply: str
    report: Report | None = None  # left None for anonymous reports: nothing links them
    secret: str = ""  # the tracking code that CODE_SLOT in `reply` stands for


def client_key(sender: str) -> str:
    """The rate-limit and block key of a phone, shared by SMS and WhatsApp."""
    return f"phone:{sender}"


def _blocked(sender: str) -> bool:
    hashes = [("phone", value_hash("phone", sender)), ("client", value_hash("client", client_key(sender)))]
    query = Block.objects.none()
    for kind, digest in hashes:
        query |= Block.objects.filter(kind=kind, value_hash=digest)
    return query.exclude(until__lt=timezone.now()).exists()


def _conversation(message: Incoming) -> Conversation | None:
    sender_hash = value_hash("phone", message.sender)
    found = Conversation.objects.filter(channel=message.channel, sender_hash=sender_hash).first()
    if found is not None and found.updated_at < timezone.now() - CONVERSATION_TTL:
        found.delete()
        return None
    return found


def _save(message: Incoming, conversation: Conversation | None, state: dict) -> None:
    if conversation is None:
        Conversation.objects.filter(updated_at__lt=timezone.now() - CONVERSATION_TTL).delete()
        conversation = Conversation(channel=message.channel, sender=message.sender,
                                    sender_hash=value_hash("phone", message.sender))
    conversation.state = state
    conversation.save()


def _status(rest: str) -> Outcome:
    words = rest.split()
    if not words:
        return Outcome(say.status_ask())
    code = words[0]
    # The code as one word, or typed in three groups: "ABCD EFGH JKMN".
    found = public_status(code=code) or public_status(code="".join(words[:3]))
    if found is None:
        return Outcome(say.status_unknown(code))
    category = found["category"]
    return Outcome(say.status_line(
        number=found["number"], category=category.name if category else None,
        village=found["village"].name, status=str(found["status_label"]), summary=found["summary"]))


def _read_text(state: dict, text: str) -> None:
    """Fill the category and village from free text, where they are not known yet."""
    if not state.get("category"):
        found = parsing.category_matches(text)
        if len(found) == 1:
            state["category"] = found[0].code
    if not state.get("village"):
        villages = parsing.villages_in_text(text)
        if villages is not None:
            _offer_villages(state, villages, name=_shared_name(villages) or villages.found[0].name)


def _shared_name(villages: parsing.Villages) -> str:
    names = {v.name for v in villages.found}
    return names.pop() if len(names) == 1 else ""


def _offer_villages(state: dict, villages: parsing.Villages, name: str) -> None:
    if villages.total == 1:
        state["village"], state["village_options"] = villages.found[0].code, []
    else:
        state["village_options"] = [v.code for v in villages.found]
        state["village_total"], state["village_name"] = villages.total, name[:40]


def _answer(state: dict, text: str) -> str | None:
    """Apply an answer to the question last asked; a reply when it cannot be used."""
    text, asking = text.strip(), state.get("asking")
    number = parsing.number_of(text)
    if asking == "text":
        state["text"] = text
        _read_text(state, text)
    elif asking == "category":
        options = state.get("category_options", [])
        if number is not None and 1 <= number <= len(options):
            state["category"] = options[number - 1]
        else:
            found = parsing.category_matches(text)
            if len(found) != 1:
                return say.ask_category(_category_names(options), again=True)
            state["category"] = found[0].code
    elif asking in ("village", "choice"):
        options = state.get("village_options", [])
        if asking == "choice" and number is not None and 1 <= number <= len(options):
            state["village"] = options[number - 1]
        else:
            villages = parsing.villages_named(text)
            if villages.total == 0:
                state["village_options"] = []
                state["asking"] = "village"
                return say.village_unknown(text)
            _offer_villages(state, villages, name=_shared_name(villages) or text)
    return None


def _category_names(codes: list[str]) -> list[str]:
    by_code = Category.objects.in_bulk(codes, field_name="code")
    return [by_code[c].name if c in by_code else c for c in codes]


def _place(state: dict, message: Incoming, notes: list[str]) -> str | None:
    """Take a shared location: the nearest village, and the coordinates themselves."""
    lat, lon = message.latitude, message.longitude
    if lat is None or lon is None or not in_indonesia(lat, lon):
        return say.location_outside()
    village = village_at(lat=lat, lon=lon)  # None beyond Indonesia's waters (ADR 15)
    if village is None:
        return say.location_nowhere()
    village = Region.objects.select_related("parent__parent").get(pk=village.pk)
    state.update(village=village.code, latitude=lat, longitude=lon, village_options=[])
    notes.append(say.location_ok(parsing.village_label(village)))
    return None


def _next(state: dict, message: Incoming, links: Links, notes: list[str]) -> tuple[Outcome, bool]:
    """Ask for what is missing, or submit: (outcome, whether the dialogue goes on)."""
    category = Category.objects.filter(code=state.get("category") or "").first()
    if category is not None and category.sensitive:
        notes.append(say.sensitive_help())
    if not state.get("text"):
        state["asking"] = "text"
        return Outcome(_join([*notes, say.ask_text()])), True
    if category is None:
        options = list(categories_active().values_list("code", flat=True))
        state.update(asking="category", category_options=options)
        return Outcome(_join([*notes, say.ask_category(_category_names(options))])), True
    if not state.get("village"):
        options = state.get("village_options") or []
        if options:
            state["asking"] = "choice"
            found = Region.objects.select_related("parent__parent").in_bulk(options)
            villages = [found[c] for c in options if c in found]
            example = f"{villages[0].name}, {villages[0].parent.name}" if villages else ""
            question = say.choose_village(state.get("village_name", ""),
                                          [parsing.village_label(v) for v in villages],
                                          state.get("village_total", 0), example)
        else:
            state["asking"], question = "village", say.ask_village()
        return Outcome(_join([*notes, question])), True
    return _submit(state, message, links, category, notes), False


def _submit(state: dict, message: Incoming, links: Links, category: Category, notes: list[str]) -> Outcome:
    anonymous = bool(state.get("anonymous"))
    data = ReportInput(
        category=category.code, description=state["text"], channel=message.channel,
        village=state["village"], latitude=state.get("latitude"), longitude=state.get("longitude"),
        anonymous=anonymous, phone="" if anonymous else message.sender,
        reply_channel="" if anonymous else message.channel, client_key=client_key(message.sender),
    )
    try:
        submitted = report_store(report_check(data))
    except IntakeError as exc:
        reasons = " ".join(str(v) for v in exc.errors.values())
        return Outcome(reasons if exc.status in (403, 429) else say.not_stored(reasons))
    # The reply is stored and queued: the code goes in only when it is sent (models.CODE_SLOT).
    lines = [say.received(CODE_SLOT, links.status)]
    if anonymous:
        lines.append(say.anonymous_note())
    return Outcome(_join([*notes, *lines]), report=None if anonymous else submitted.report,
                   secret=submitted.tracking_code or "")


def _join(lines: list[str]) -> str:
    return "\n".join(dict.fromkeys(line for line in lines if line))


def _indonesian(sender: str) -> bool:
    try:
        return bool(validate_phone(sender))
    except ValidationError:
        return False


@transaction.atomic
def converse(message: Incoming, *, links: Links) -> Outcome:
    """Answer one message; store a report when the dialogue is complete. Requires: nothing
    (public intake); blocked senders and floods are refused by report_submit's rules."""
    if message.kind == "unsupported":
        return Outcome(say.unsupported())
    if len(message.text) > MAX_TEXT:
        return Outcome(say.too_long())
    if CONTROLS.search(message.text):
        return Outcome(say.controls())
    command, rest = parsing.split_command(message.text)
    if command in HELP:
        return Outcome(say.help_text())
    if command in STATUS:
        return _status(rest)
    conversation = _conversation(message)
    if command in CANCEL:
        if conversation is None:
            return Outcome(say.nothing_to_cancel())
        conversation.delete()
        return Outcome(say.cancelled())
    if not _indonesian(message.sender):
        return Outcome(say.not_indonesian(links.form))
    if _blocked(message.sender):
        if conversation is not None:
            conversation.delete()
        return Outcome(say.refused())
    return _dialogue(message, conversation, command, rest, links)


def _dialogue(message: Incoming, conversation: Conversation | None, command: str, rest: str,
              links: Links) -> Outcome:
    notes: list[str] = []
    anonymous = command == ANONYMOUS
    if command in START and parsing.split_command(rest)[0] == ANONYMOUS:
        anonymous, rest = True, parsing.split_command(rest)[1]
    starting = command in START or (anonymous and conversation is None)
    if starting or conversation is None:
        text = rest if starting else message.text.strip()
        state: dict = {"text": text, "anonymous": anonymous}
        if message.kind == "text":
            _read_text(state, text)
            if not starting and not state.get("category") and not state.get("village"):
                return Outcome(say.help_text())  # a stray "halo" starts nothing
    else:
        state = dict(conversation.state)
        state["anonymous"] = state.get("anonymous") or anonymous
        answer = rest if anonymous else message.text
        if message.kind == "text" and answer.strip():
            problem = _answer(state, answer)
            if problem is not None:
                _save(message, conversation, state)
                return Outcome(problem)
    if message.kind == "location":
        problem = _place(state, message, notes)
        if problem is not None:
            return Outcome(problem)
    outcome, goes_on = _next(state, message, links, notes)
    if goes_on:
        _save(message, conversation, state)
    elif conversation is not None:
        conversation.delete()
    return outcome

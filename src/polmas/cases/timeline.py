"""A case's history as sentences in the reader's language: who (their full name), what, with
dates in the village's zone. Entries carry their facts as codes (TimelineEntry.facts); older
entries without them are told from the case itself, never from their stored note (written in
the language of whoever acted, "planned -> done")."""

import datetime as dt
import re

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polmas.cases.models import Action, Case, Referral, RiskAssessment, TimelineEntry

_LEGACY_UPDATE = re.compile(r"^(?P<action>.*): (?P<from>[a-z_]+) -> (?P<to>[a-z_]+)$", re.S)


def _label(choices: type, value: object) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def _day(iso: object) -> str:
    try:
        return date_format(dt.date.fromisoformat(str(iso)), "j F Y")
    except ValueError:
        return str(iso or "")


def who(entry: TimelineEntry) -> str:
    """The person's full name (not their username); "the system" for automatic steps."""
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.get_username()
    if entry.actor_name and entry.actor_name != "system":
        return entry.actor_name
    return _("The system")


def _facts(entry: TimelineEntry, case: Case) -> dict:
    facts = dict(entry.facts or {})
    if facts:
        return facts
    # Entries written before facts were kept.
    if entry.kind == "opened":
        return {"source": case.source}
    if entry.kind in ("assessment", "closed"):
        return {"outcome": case.outcome}
    if entry.kind == "action_updated":
        m = _LEGACY_UPDATE.match(entry.note or "")
        return m.groupdict() if m else {}
    if entry.kind == "escalated":
        return {"unit": entry.note}
    return {}


def sentence(entry: TimelineEntry, case: Case) -> str:
    """One entry as a sentence."""
    f = _facts(entry, case)
    name = who(entry)
    k = entry.kind
    if k == "opened":
        return _("%(who)s opened the case (%(source)s).") % {
            "who": name, "source": _label(Case.Source, f.get("source"))}
    if k == "analysis":
        return _("%(who)s recorded the analysis.") % {"who": name}
    if k == "response":
        return _("%(who)s recorded the response plan.") % {"who": name}
    if k == "action_added" and f:
        return _("%(who)s added the action “%(action)s” for %(owner)s, due %(due)s.") % {
            "who": name, "action": f.get("action", ""), "owner": f.get("owner", ""),
            "due": _day(f.get("due"))}
    if k == "action_updated" and f:
        return _("%(who)s moved the action “%(action)s” from “%(from)s” to “%(to)s”.") % {
            "who": name, "action": f.get("action", ""), "from": _label(Action.Status, f.get("from")),
            "to": _label(Action.Status, f.get("to"))}
    if k == "assessment":
        return _("%(who)s recorded the assessment: %(outcome)s.") % {
            "who": name, "outcome": _label(Case.Outcome, f.get("outcome"))}
    if k == "closed":
        return _("%(who)s closed the case: %(outcome)s.") % {
            "who": name, "outcome": _label(Case.Outcome, f.get("outcome"))}
    if k == "escalated":
        return (_("The case was escalated to %(unit)s after 7 days without activity.") % {"unit": f["unit"]}
                if f.get("unit") else _("The case was escalated after 7 days without activity."))
    if k == "mediation":
        return _("%(who)s recorded a mediation held on %(day)s.") % {
            "who": name, "day": _day(f.get("held_on"))}
    if k == "referral":
        return _("%(who)s referred the case to %(to)s.") % {
            "who": name, "to": _label(Referral.To, f.get("to"))}
    if k == "referral_answered":
        return _("%(who)s recorded the answer of %(to)s: %(status)s.") % {
            "who": name, "to": _label(Referral.To, f.get("to")),
            "status": _label(Referral.Status, f.get("status"))}
    if k == "safety_plan":
        return _("%(who)s wrote the safety plan.") % {"who": name}
    if k == "risk_assessed":
        return _("%(who)s filled in the risk checklist: %(level)s risk.") % {
            "who": name, "level": _label(RiskAssessment.Level, f.get("level"))}
    if k == "reassigned":
        text = (_("%(who)s handed the case from %(from)s to %(to)s.") if f.get("from")
                else _("%(who)s handed the case to %(to)s.")) % {
            "who": name, "from": f.get("from", ""), "to": f.get("to", "")}
        return f"{text} {entry.note}".strip() if f else text
    if k == "instruction":
        return _("%(who)s gave the officer an instruction: “%(text)s”") % {"who": name, "text": entry.note}
    if k == "acknowledged":
        text = _("%(who)s acknowledged the escalation and watches the case for another week.") % {"who": name}
        return f"{text} {entry.note}".strip()
    return _("%(who)s changed the case.") % {"who": name}

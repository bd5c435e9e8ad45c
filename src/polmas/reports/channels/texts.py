"""What the dialogue says. Short: a reply should fit in one or two SMS on a cheap phone.
Called with Indonesian active; English msgids like the rest of the code."""

from django.utils.translation import gettext as _

from polmas.reports.models import MAX_TEXT


def help_text() -> str:
    return _("Polmas: report a security problem. Send LAPOR what happened di village, e.g. "
             "LAPOR curi motor di Les. STATUS code: check a report. BATAL: cancel. "
             "LAPOR ANONIM ...: your number is not kept. Emergency: 110.")


def ask_text() -> str:
    return _("What happened, and in which village? E.g.: curi motor di Les")


def ask_category(names: list[str], again: bool = False) -> str:
    head = (_("Reply with a number from 1 to %(n)d:") % {"n": len(names)} if again
            else _("What kind of problem? Reply with a number:"))
    return head + "\n" + "\n".join(f"{i}. {name}" for i, name in enumerate(names, 1))


def ask_village() -> str:
    return _("In which village or kelurahan? Reply with its name, e.g. Les, Tejakula")


def village_unknown(name: str) -> str:
    return _("No village is called %(name)s. Write the village name again with its kecamatan, "
             "e.g. Les, Tejakula") % {"name": name[:40]}


def choose_village(name: str, labels: list[str], total: int, example: str) -> str:
    lines = [_("Which %(name)s? Reply with a number:") % {"name": name[:40]}]
    lines += [f"{i}. {label}" for i, label in enumerate(labels, 1)]
    if total > len(labels):
        lines.append(_("%(n)d villages have this name: or write the village with its kecamatan, "
                       "e.g. %(example)s") % {"n": total, "example": example})
    return "\n".join(lines)


def location_ok(label: str) -> str:
    return _("Location: %(village)s.") % {"village": label}


def location_outside() -> str:
    return _("That location lies outside Indonesia. Reply with the village name.")


def location_nowhere() -> str:
    return _("No village lies near that location. Reply with the village name.")


def received(code: str, url: str) -> str:
    return _("Report received. Your code: %(code)s. Check it with STATUS %(code)s or at %(url)s") % {
        "code": code, "url": url}


def anonymous_note() -> str:
    return _("Your number is not kept, so no updates will follow: check with the code.")


def sensitive_help() -> str:
    return _("Need help now? Police 110; SAPA 129 (UPTD PPA) for women and children.")


def cancelled() -> str:
    return _("Cancelled: nothing was stored.")


def nothing_to_cancel() -> str:
    return _("No report is being written. Send LAPOR to start one.")


def status_line(*, number: int, category: str | None, village: str, status: str, summary: str) -> str:
    if category is None:
        text = _("Report #%(number)s, %(village)s: %(status)s.") % {
            "number": number, "village": village, "status": status}
    else:
        text = _("Report #%(number)s, %(category)s, %(village)s: %(status)s.") % {
            "number": number, "category": category, "village": village, "status": status}
    return f"{text} {summary}".strip()


def status_unknown(code: str) -> str:
    return _("No report has the code %(code)s. Check the code and try again.") % {"code": code[:20]}


def status_ask() -> str:
    return _("Send STATUS and your code, e.g. STATUS ABCD-EFGH-JKMN.")


def too_long() -> str:
    return _("Your message is longer than %(max)d characters; please send a shorter one.") % {
        "max": MAX_TEXT}


def controls() -> str:
    # The words report_submit uses for the same fault.
    return _("The text contains control characters.")


def unsupported() -> str:
    return _("Sorry, we can read only text messages (and locations on WhatsApp).")


def not_indonesian(url: str) -> str:
    return _("Sorry, reports by SMS or WhatsApp are taken from Indonesian numbers only. "
             "Please use %(url)s") % {"url": url}


def not_stored(reason: str) -> str:
    return _("Your report could not be stored: %(reason)s Please send it again.") % {"reason": reason}


def refused() -> str:
    # The words report_submit uses for a blocked sender.
    return _("Reports from this sender are not accepted.")

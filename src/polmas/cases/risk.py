"""The domestic-violence risk checklist: fixed yes/no questions and the level they give.

Modelled on the common danger-assessment screens used by protection services: a few answers
(threats to kill, strangulation, a weapon) mean high risk on their own; otherwise the level
follows how many risk factors are present.
"""

from django.utils.translation import gettext_lazy as _

QUESTIONS = {
    "threats_to_kill": _("Has the abuser threatened to kill the victim or the children?"),
    "strangulation": _("Has the abuser ever choked or strangled the victim?"),
    "weapon": _("Has the abuser used or threatened with a weapon, or does he have one?"),
    "escalation": _("Has the violence become more frequent or more severe lately?"),
    "children_at_risk": _("Are children in the household hurt or threatened?"),
    "pregnancy": _("Is the victim pregnant, or was she abused while pregnant?"),
    "separation": _("Has the victim recently left, or tried to leave, the abuser?"),
    "jealousy_control": _("Is the abuser violently jealous or controlling of daily activities?"),
    "substance_abuse": _("Does the abuser drink heavily or use drugs?"),
    "forced_sex": _("Has the abuser forced the victim to have sex?"),
    "suicide_threats": _("Has the abuser threatened or tried to kill himself?"),
    "isolation": _("Is the victim cut off from family, friends or money?"),
}
CRITICAL = ("threats_to_kill", "strangulation", "weapon")
HIGH_FROM = 5
MEDIUM_FROM = 2


def risk_level(answers: dict[str, bool]) -> tuple[int, str]:
    """(number of risk factors present, "low" | "medium" | "high")."""
    score = sum(1 for key in QUESTIONS if answers.get(key))
    if any(answers.get(k) for k in CRITICAL) or score >= HIGH_FROM:
        return score, "high"
    return score, "medium" if score >= MEDIUM_FROM else "low"

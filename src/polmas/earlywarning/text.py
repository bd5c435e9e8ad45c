"""The plain sentence of an alarm, in the reader's language."""

from django.utils.translation import gettext as _

from polmas.core.text import rounded
from polmas.earlywarning.groups import LABELS, week_label
from polmas.earlywarning.models import Alarm


def alarm_sentence(alarm: Alarm) -> str:
    values = {"group": str(LABELS.get(alarm.group, alarm.group)).capitalize(), "place": alarm.region.name,
              "observed": alarm.observed, "expected": rounded(alarm.expected, 1), "weeks": alarm.weeks,
              "week": week_label(alarm.week), "others": max(len(alarm.villages) - 1, 0)}
    if alarm.detector == Alarm.Detector.DISTRICT:
        return _("%(group)s rising in the district of %(place)s: %(observed)s reports in the %(weeks)s "
                 "weeks to %(week)s, where about %(expected)s were expected.") % values
    if len(alarm.villages) > 1:  # a cluster: the scan's, or the old neighbourhood detector's
        return _("%(group)s rising in %(place)s and %(others)s neighbouring villages: %(observed)s reports "
                 "in the %(weeks)s weeks to %(week)s, where about %(expected)s were expected.") % values
    return _("%(group)s rising in %(place)s: %(observed)s reports in the %(weeks)s weeks to %(week)s, "
             "where about %(expected)s were expected.") % values

"""The cast of the personal-data tests: Siti, who reported twice and sits in the FKPM of
Desa Les, and Budi, who reported once and sits in the same forum."""

from dataclasses import dataclass

from django.utils import timezone

from polmas.forums.models import Forum, Meeting, MeetingActionItem, Member
from polmas.reports.models import Report
from reports.helpers import LES, OTHER_PHONE, PHONE, submit

SITI = "Siti Aminah"
SITI_EMAIL = "siti.aminah@example.id"
BUDI = "Budi Santoso"


@dataclass
class Cast:
    siti_reports: list[Report]
    budi_report: Report
    siti_member: Member
    budi_member: Member
    forum: Forum


def cast() -> Cast:
    first = submit(anonymous=False, name=SITI, phone=PHONE, reply_channel="sms",
                   description=f"Motor saya dicuri. Hubungi {SITI} di {PHONE}.").report
    second = submit(anonymous=False, name=SITI, phone="+62" + PHONE[1:], email=SITI_EMAIL,
                    category="noise", description="Suara musik keras tiap malam.",
                    reply_channel="email").report
    budi = submit(anonymous=False, name=BUDI, phone=OTHER_PHONE, reply_channel="sms").report
    forum = Forum.objects.filter(village_id=LES).order_by("pk").first()
    siti_member = Member.objects.create(forum=forum, name=SITI, group="women", phone=PHONE,
                                        email=SITI_EMAIL)
    budi_member = Member.objects.create(forum=forum, name=BUDI, group="youth", phone=OTHER_PHONE)
    meeting = Meeting.objects.create(forum=forum, village_id=LES, held_at=timezone.now(),
                                     agenda="Keamanan lingkungan", status=Meeting.Status.HELD,
                                     minutes=f"{SITI} mengusulkan ronda malam.")
    MeetingActionItem.objects.create(meeting=meeting, description="Ronda malam", owner_name=SITI)
    return Cast(siti_reports=[first, second], budi_report=budi, siti_member=siti_member,
                budi_member=budi_member, forum=forum)

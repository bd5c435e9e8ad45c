"""A location shared over WhatsApp beyond Indonesia's waters names no village (ADR 15): it
was taken for the nearest border village before."""

import pytest

from polmas.reports.models import Conversation, Report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("point", [(1.5533, 110.3592), (-2.6817, 141.3025)], ids=["Kuching", "Vanimo"])
def test_a_location_across_the_border_names_no_village(wa, point: tuple[float, float]):
    wa.say("LAPOR motor saya dicuri")

    reply = wa.say(location=point)

    assert reply == "Tidak ada desa di dekat lokasi itu. Balas dengan nama desa."
    assert Report.objects.count() == 0
    assert Conversation.objects.get().state.get("village") is None

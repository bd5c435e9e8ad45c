import pytest
from django.core.management import CommandError, call_command

from polmas.policing.models import Officer


@pytest.mark.parametrize("command", ["simulate", "demo"])
@pytest.mark.parametrize("year", ["1999", "2999"])
@pytest.mark.django_db
def test_a_year_outside_the_programme_is_refused_before_anything_is_written(command, year):
    before = Officer.objects.count()
    with pytest.raises(CommandError, match="--year"):
        call_command(command, "--year", year, "--no-serve" if command == "demo" else "--scale=demo")
    assert Officer.objects.count() == before


def test_an_unknown_scale_is_refused():
    with pytest.raises(CommandError, match="scale"):
        call_command("simulate", "--scale", "planet")

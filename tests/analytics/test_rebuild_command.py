import pytest
from django.core.management import CommandError, call_command

from polmas.analytics.models import CoverageFigures, MonthlyFigures, RollupState

from .factories import dataset

pytestmark = pytest.mark.django_db


def test_the_command_rebuilds_everything_and_can_run_again(capsys):
    dataset(seed=5, n=30, years=(2025,))
    call_command("rebuild_rollups")
    first = MonthlyFigures.objects.count(), CoverageFigures.objects.count()
    out = capsys.readouterr().out
    assert "Rollups rebuilt" in out and "2025" in out
    call_command("rebuild_rollups", "--year", "2019")
    assert MonthlyFigures.objects.count() == first[0]
    assert set(CoverageFigures.objects.filter(level=0).values_list("year", flat=True)) >= {2019, 2025}
    assert RollupState.objects.get().built_at is not None


@pytest.mark.parametrize("bad", ["19", "abcd", "1800"])
def test_a_bad_year_is_refused_before_anything_is_written(bad):
    dataset(seed=6, n=10, years=(2025,))
    with pytest.raises(CommandError, match="--year"):
        call_command("rebuild_rollups", "--year", bad)
    assert not MonthlyFigures.objects.exists() and not RollupState.objects.exists()

import pytest

from polmas.analytics.services import rollups_rebuild


@pytest.fixture
def rebuilt(db):
    """The rollups rebuilt from the session's data (rolled back with the test)."""
    rollups_rebuild()


@pytest.fixture(scope="module")
def board_data(django_db_setup, django_db_blocker):
    """Raw records for 2025 and rollups built from them, once per module; removed after."""
    from django_tasks_db.models import DBTaskResult

    from polmas.activities.models import Activity
    from polmas.analytics.models import CoverageFigures, MonthlyFigures, RollupState
    from polmas.cases.models import Case
    from polmas.forums.models import Meeting
    from polmas.reports.models import Report

    from .factories import dataset

    with django_db_blocker.unblock():
        made = dataset(seed=7, n=150, years=(2025,))
        rollups_rebuild()
    yield made
    with django_db_blocker.unblock():
        for model, key in [(Report, "reports"), (Case, "cases"), (Activity, "activities"),
                           (Meeting, "meetings")]:
            model.objects.filter(pk__in=[o.pk for o in made[key]]).delete()
        for model in (MonthlyFigures, CoverageFigures, RollupState):
            model.objects.all().delete()
        DBTaskResult.objects.filter(task_path__startswith="polmas.analytics.").delete()

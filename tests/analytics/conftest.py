import pytest

from polmas.analytics.services import rollups_rebuild


@pytest.fixture
def rebuilt(db):  # type: ignore[no-untyped-def]
    """The rollups rebuilt from the session's data (rolled back with the test)."""
    rollups_rebuild()

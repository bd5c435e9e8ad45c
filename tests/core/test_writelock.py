"""On SQLite, intake writers take turns through a file lock that another process sees."""

import subprocess
import sys

from polmas.core.db.writelock import lock_file, turn

TRY = ("import fcntl, os, sys\n"
       "fd = os.open(sys.argv[1], os.O_RDWR)\n"
       "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n    sys.exit(3)\n")


def another_process_may_write(path: str) -> bool:
    done = subprocess.run([sys.executable, "-c", TRY, path], check=False, timeout=30)  # noqa: S603
    return done.returncode == 0


def test_while_one_process_writes_another_waits_its_turn(tmp_path):
    database = str(tmp_path / "polmas.sqlite3")
    fd = lock_file(database)
    assert fd is not None and lock_file(database) == fd  # opened once per process
    with turn(fd):
        assert not another_process_may_write(database + "-intake.lock")
    assert another_process_may_write(database + "-intake.lock")


def test_an_in_memory_database_has_no_lock_file():
    assert lock_file(":memory:") is None
    assert lock_file("file:memorydb_default?mode=memory&cache=shared") is None
    with turn(None):
        pass

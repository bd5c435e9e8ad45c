"""core.periodic: the jobs the task worker runs on a clock."""

import threading

import pytest

from polmas.core import periodic


def test_a_job_runs_at_start_then_once_per_period_and_a_failure_does_not_stop_the_others():
    calls: list[str] = []

    def boom() -> None:
        calls.append("boom")
        raise RuntimeError("planted")

    periodic.register("zz_test_boom", every=10, run=boom)
    periodic.register("zz_test_ok", every=10, run=lambda: calls.append("ok"))
    try:
        last: dict[str, float] = {}
        mine = {"zz_test_boom", "zz_test_ok"}
        assert set(periodic.run_due(last, now=0.0, only=mine)) == mine
        assert calls.count("ok") == 1 and calls.count("boom") == 1
        assert periodic.run_due(last, now=9.9, only=mine) == []
        assert set(periodic.run_due(last, now=10.0, only=mine)) == mine
        assert calls.count("ok") == 2
    finally:
        periodic._JOBS.pop("zz_test_boom")
        periodic._JOBS.pop("zz_test_ok")


def test_the_thread_runs_the_jobs_without_being_asked():
    seen, stop = threading.Event(), threading.Event()
    periodic.register("zz_test_thread", every=3600, run=seen.set)
    try:
        thread = periodic.start(tick=0.05, only={"zz_test_thread"}, stop=stop)
        assert seen.wait(timeout=10)
    finally:
        stop.set()
        periodic._JOBS.pop("zz_test_thread")
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_the_escalation_of_quiet_cases_is_a_periodic_job():
    assert "cases_escalate" in {job.name for job in periodic.jobs()}
    with pytest.raises(ValueError):
        periodic.register("zz_never", every=0, run=lambda: None)

"""`polmas db_worker`: django-tasks-db's worker, with the same options, that outlives a
database outage and takes back the tasks of workers that died (core/db/tasks.py), and runs
the rooms' periodic jobs (core/periodic.py).

It takes the name of django-tasks-db's own command: polmas.core comes before django_tasks_db
in INSTALLED_APPS, and Django runs the command of the first app that has it.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from polmas.core import periodic
from polmas.core.db.tasks import Worker, reaper_start, run_supervised


class Command(db_worker.Command):
    help = ("Run the background task worker. It keeps going through a database outage (it "
            "reconnects, with backoff) and runs again the tasks that a worker killed mid-task "
            "left RUNNING for longer than POLMAS_TASK_STALE_SECONDS. Run it under a supervisor "
            "that restarts it (docs/deploy.md). It also runs the periodic jobs, such as the "
            "escalation of quiet cases.")

    def handle(self, *, verbosity: int, queue_name: str, interval: float,
               batch: bool, backend_name: str, startup_delay: bool, reload: bool,
               max_tasks: int | None, worker_id: str, exclude_queues: str, **options: object) -> None:
        # The same checks and defaults as django-tasks-db's own handle().
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(queue_names=queue_names, interval=interval, batch=batch,
                        backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
                        worker_id=worker_id, excluded_queue_names=excluded)

        def main() -> None:
            if not batch:
                reaper_start()
                periodic.start()  # the rooms' jobs on a clock (core/periodic.py)
            run_supervised(worker)

        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child that runs the loop
            run_with_reloader(main)
        else:
            worker.configure_signals()
            main()

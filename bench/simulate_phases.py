"""`polmas simulate` with each phase timed: wall seconds, and the CPU seconds of this process
and of its PostgreSQL backend (read from /proc when the server runs on this machine), which do
not depend on what else the machine runs.

    DATABASE_URL=postgres://polmas:polmas@127.0.0.1:5432/polmas_<you>_nat \\
        uv run python bench/simulate_phases.py --scale national --year 2017 2> phases.log

The arguments are `polmas simulate`'s. It wraps the functions simulation/run.py calls
(generate, demo_year, national_generate, each province_write, rebuild_rollups, ...) and logs a
line at the start and end of each, with the load average. Before national_generate it logs
`SINCE {table: last id}` for the 12 tables the national year writes: give that to
`bench/national_copy.py --bare-from <db> --since '<json>'` for the bare COPY of the same rows.
ADR 30 ("Indexes built after the load") has the figures of one national run each way.
"""

import functools
import json
import os
import resource
import sys
import time

T0 = time.monotonic()


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds so far of this process and of its PostgreSQL backend (0 when unknown)."""
    from django.db import connection

    usage = resource.getrusage(resource.RUSAGE_SELF)
    server = 0.0
    if connection.vendor == "postgresql" and connection.connection is not None:
        try:
            stat = open(f"/proc/{connection.connection.info.backend_pid}/stat").read()  # noqa: PTH123, SIM115
            fields = stat.rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return usage.ru_utime + usage.ru_stime, server


def log(message: str) -> None:
    me, server = cpu_seconds()
    print(f"[{time.monotonic() - T0:8.1f}s {time.strftime('%H:%M:%S')} load={os.getloadavg()[0]:.1f} "
          f"cpu py={me:.1f} pg={server:.1f}] {message}", file=sys.stderr, flush=True)


def timed(module, name: str) -> None:
    original = getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        label = name
        if name == "call_command":
            label = f"call_command {args[0]}"
        elif name == "province_write":
            label = f"province_write {args[0].province.code} ({len(args[0].province.villages)} villages)"
        log(f"start {label}")
        t0 = time.monotonic()
        try:
            result = original(*args, **kwargs)
        finally:
            log(f"end   {label}: {time.monotonic() - t0:.1f} s")
        if name == "province_write":
            log(f"      rows {json.dumps(result)}")
        return result

    setattr(module, name, wrapper)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    import polmas.analytics.stats as stats
    import polmas.simulation.national as national
    import polmas.simulation.national_bulk as bulk
    import polmas.simulation.national_rows as rows
    import polmas.simulation.run as run

    for name in ("generate", "demo_year", "units_build", "demo_accounts_create", "_outbreak_plant",
                 "call_command", "_national_year"):
        timed(run, name)
    timed(national, "national_generate")
    timed(rows, "province_write")
    timed(bulk, "statistics_refresh")
    timed(stats, "national_stats")
    generate = national.national_generate

    def since_logged(*args, **kwargs):
        last = {}
        with connection.cursor() as cursor:
            for model in rows.MODELS:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
                last[model._meta.db_table] = cursor.fetchone()[0]
        log("SINCE " + json.dumps(last))
        return generate(*args, **kwargs)

    national.national_generate = since_logged
    log("simulate start")
    call_command("simulate", *sys.argv[1:])
    log("simulate done")


if __name__ == "__main__":
    main()

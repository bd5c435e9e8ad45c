"""The steps shared by `demo` and `simulate`: schema, regions, units, people, the year's
reports, activities, meetings and cases, accounts, and the rollups rebuilt once at the end.

While the simulation writes, the analytics receivers are disconnected: the generators write
in bulk, and a recount queued per saved row would flood the task queue with work the final
rebuild does once.
"""

import contextlib
import importlib.util
from collections.abc import Callable, Iterator

from django.core.management import call_command, get_commands
from django.core.management.base import OutputWrapper
from tqdm import tqdm

from polmas.policing.tree import units_build
from polmas.regions.models import Region
from polmas.simulation.accounts import DemoAccount, demo_accounts_create
from polmas.simulation.generator import Totals, generate
from polmas.simulation.national_bulk import sqlite_tuned
from polmas.simulation.reports import reports_generate

DEMO_PROVINCES = ["51", "34"]  # Bali, D.I. Yogyakarta
REPORTS_PER_DEMO_PROVINCE = 300


def provinces_for(scale: str) -> list[str] | None:
    return None if scale == "national" else DEMO_PROVINCES


def generator(name: str) -> Callable | None:
    """`<name>_generate` from polmas.simulation.<name>, when that module exists."""
    module = f"polmas.simulation.{name}"
    if importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), f"{name}_generate", None)


@contextlib.contextmanager
def rollup_signals_paused() -> Iterator[None]:
    """Disconnect the analytics receivers (if any) for the duration; reconnect after."""
    try:
        from polmas.analytics import receivers
    except ImportError:
        yield
        return
    receivers.disconnect()
    try:
        yield
    finally:
        receivers.connect()


def _bar(total: int | None, desc: str, unit: str) -> tqdm:
    return tqdm(total=total, desc=desc, unit=unit, disable=None)


def demo_year(provinces: list[str], *, year: int, seed: int,
              kinds: tuple[str, ...] = ("reports", "activities", "meetings", "cases",
                                         "partners")) -> dict[str, int]:
    """The demo's own year in `provinces`: reports through the intake, then (when their
    modules exist) officers' activities, forum meetings and the cases made of them."""
    made: dict[str, int] = {}
    if "reports" in kinds:
        count = REPORTS_PER_DEMO_PROVINCE * len(provinces)
        with _bar(count, "reports", " reports") as bar:
            made["reports"] = reports_generate(provinces=provinces, year=year, seed=seed, count=count,
                                               progress=bar.update)
    for name in [k for k in kinds if k != "reports"]:
        make = generator(name)
        if make is not None:
            with _bar(None, name, " steps") as bar:
                made[name] = make(provinces=provinces, year=year, seed=seed, progress=bar.update)
    return made


def simulation_run(*, scale: str, year: int, seed: int, out: OutputWrapper,
                   plant_effect: float | None = None, outbreak: object | None = None) -> tuple[
        Totals, list[DemoAccount]]:
    """Bring the database to the simulated state; safe to run again (adds nothing).
    `outbreak` (an outbreak.OutbreakSpec) replaces the demo's labelled outbreak."""
    call_command("migrate", interactive=False, verbosity=0)
    if Region.objects.filter(level=4).count() < 83_000:
        call_command("load_regions", stdout=out)
    with tqdm(desc="police units", unit=" units", disable=None) as bar:
        units_build(progress=bar.update)
    provinces = provinces_for(scale)
    if provinces:
        total = sum(Region.objects.under(p).filter(level=4).count() for p in provinces)
    else:
        total = Region.objects.filter(level=4).count()
    with sqlite_tuned(), rollup_signals_paused():
        with _bar(total, f"people ({scale})", " villages") as bar:
            totals = generate(provinces=provinces, year=year, seed=seed, progress=bar.update)
        if provinces:
            demo_year(provinces, year=year, seed=seed)
            history = generator("history")
            if history is not None:
                with _bar(total, "history (48 months)", " villages") as bar:
                    extra = {} if plant_effect is None else {"effect": plant_effect / 100}
                    history(provinces=provinces, year=year, seed=seed, progress=bar.update,
                            **extra)
        else:
            _national_year(year=year, seed=seed, villages=total)
        accounts = demo_accounts_create()
    _outbreak_plant(seed=seed, spec=outbreak)
    if "rebuild_rollups" in get_commands():
        with sqlite_tuned():
            years = {year}
            if provinces and generator("history") is not None:
                from polmas.simulation.history import history_years

                years.update(history_years(year))
            args = [a for y in sorted(years) for a in ("--year", str(y))]
            call_command("rebuild_rollups", *args, stdout=out)
    if "survey_wave" in get_commands():  # surveys: a simulated wave in the same provinces
        call_command("survey_wave", "--year", str(year), "--seed", str(seed),
                     "--provinces", ",".join(provinces or []), stdout=out)
    return totals, accounts


def _outbreak_plant(*, seed: int, spec: object | None = None) -> None:
    """The labelled outbreak for the early warning (simulation/outbreak.py), after the demo
    year and any history, when that module exists."""
    if importlib.util.find_spec("polmas.simulation.outbreak") is None:
        return
    from polmas.simulation.outbreak import outbreak_plant

    with rollup_signals_paused(), _bar(None, "outbreak", " reports") as bar:
        outbreak_plant(seed=seed, progress=bar.update, **({"spec": spec} if spec is not None else {}))


def _national_year(*, year: int, seed: int, villages: int) -> None:
    """The demo's year in Bali and D.I. Yogyakarta (only before their national share is
    written: afterwards it is complete), then the national year on every village."""
    from polmas.cases.models import Case
    from polmas.simulation.national import marker, national_generate

    done = set(Case.objects.filter(client_uuid__in=[marker(seed, year, p) for p in DEMO_PROVINCES])
               .values_list("client_uuid", flat=True))
    pending = [p for p in DEMO_PROVINCES if marker(seed, year, p) not in done]
    if pending:
        # National reports and activities cover every village (the intake refuses reports of
        # a year long past); the demo adds its meetings and the cases the accounts work on.
        demo_year(pending, year=year, seed=seed, kinds=("meetings", "cases", "partners"))
    if generator("activities") is not None:
        from polmas.simulation.activities import demo_rosters_create

        demo_rosters_create(provinces=DEMO_PROVINCES, seed=seed)
    skip = set(DEMO_PROVINCES) if generator("meetings") is not None else set()
    with _bar(villages, "national year", " villages") as bar:
        national_generate(year=year, seed=seed, skip_meetings=skip, progress=bar.update)


def print_accounts(out: OutputWrapper, accounts: list[DemoAccount], password: str) -> None:
    out.write(f"\nDemo accounts (password: {password}):")
    for a in accounts:
        out.write(f"  {a.username:<10} {a.role:<16} {a.where}")

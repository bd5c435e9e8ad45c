"""The steps shared by `demo` and `simulate`: schema, regions, units, people, accounts."""

from django.core.management import call_command
from django.core.management.base import OutputWrapper
from tqdm import tqdm

from polmas.policing.tree import units_build
from polmas.regions.models import Region
from polmas.simulation.accounts import DemoAccount, demo_accounts_create
from polmas.simulation.generator import Totals, generate
from polmas.simulation.reports import reports_generate

DEMO_PROVINCES = ["51", "34"]  # Bali, D.I. Yogyakarta


def provinces_for(scale: str) -> list[str] | None:
    return None if scale == "national" else DEMO_PROVINCES


def simulation_run(*, scale: str, year: int, seed: int, out: OutputWrapper) -> tuple[
        Totals, list[DemoAccount]]:
    """Bring the database to the simulated state; safe to run again."""
    call_command("migrate", interactive=False, verbosity=0)
    if Region.objects.filter(level=4).count() < 83_000:
        call_command("load_regions", stdout=out._out)
    with tqdm(desc="police units", unit=" units", disable=None) as bar:
        units_build(progress=bar.update)
    provinces = provinces_for(scale)
    if provinces:
        total = sum(Region.objects.under(p).filter(level=4).count() for p in provinces)
    else:
        total = Region.objects.filter(level=4).count()
    with tqdm(total=total, desc=f"people ({scale})", unit=" villages", disable=None) as bar:
        totals = generate(provinces=provinces, year=year, seed=seed, progress=bar.update)
    if provinces:  # national-scale reports come with the national picture (bulk writer)
        count = 300 * len(provinces)
        with tqdm(total=count, desc="reports", unit=" reports", disable=None) as bar:
            reports_generate(provinces=provinces, year=year, seed=seed, count=count,
                             progress=bar.update)
    return totals, demo_accounts_create()


def print_accounts(out: OutputWrapper, accounts: list[DemoAccount], password: str) -> None:
    out.write(f"\nDemo accounts (password: {password}):")
    for a in accounts:
        out.write(f"  {a.username:<10} {a.role:<16} {a.where}")

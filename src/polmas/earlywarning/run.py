"""One weekly run: recount the weeks read, run the default detector (detectors.combined) per
district over the villages' series, and per regency over the districts' series for sensitive
matters; store each alarm once (a unique constraint per place, group and week)."""

import datetime as dt
from array import array
from dataclasses import dataclass
from itertools import islice

import numpy as np
from django.db.models import CharField, Count, F
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from polmas.earlywarning import detectors as d
from polmas.earlywarning.baselines import nb_baselines
from polmas.earlywarning.counts import first_week, local_zone, weekly_counts_refresh
from polmas.earlywarning.groups import DISTRICT_ONLY, GROUPS, group_of, latest_complete_week, week_label
from polmas.earlywarning.models import Alarm, WeeklyCount
from polmas.regions.models import Region
from polmas.reports.selectors import reports_counted

HISTORY = 156  # weeks of history read before the week judged (3 years)
MIN_HISTORY = 8  # weeks of data needed before a week can be judged
READ_CHUNK = 50_000  # weekly counts read at a time
FIT_BATCH = 400  # districts' baselines fitted together (bounds the memory of a national run)


class WeekRefused(ValueError):
    """The week asked for cannot be judged; the message says why."""


@dataclass(frozen=True)
class Found:
    region: str
    villages: tuple[str, ...]
    group: str
    observed: int
    expected: float
    weeks: int
    detector: str


def _week_no(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 5)).days // 7  # weeks since a Monday


def week_check(week: dt.date, *, today: dt.date) -> dt.date:
    """The first week of history to read for `week`; WeekRefused when `week` is not over yet
    or has too little data before it."""
    latest = latest_complete_week(today)
    if week > latest:
        raise WeekRefused(_("%(week)s is not complete yet: the latest complete week is %(latest)s.") % {
            "week": week_label(week), "latest": week_label(latest)})
    first = first_week()
    if first is None:
        raise WeekRefused(_("There are no reports yet to judge %(week)s by.") % {"week": week_label(week)})
    if week < first + dt.timedelta(weeks=MIN_HISTORY):
        raise WeekRefused(_("%(week)s has fewer than %(n)s weeks of reports before it: reports start in "
                            "%(first)s.") % {"week": week_label(week), "n": MIN_HISTORY,
                                             "first": week_label(first)})
    return max(first, week - dt.timedelta(weeks=HISTORY))


def _series(group: str, since: dt.date, week: dt.date) -> "Series":
    """{place: counts over the weeks since..week} for `group`, and the number of weeks."""
    return _read((group,), since, week)[group]


Series = tuple[dict[str, np.ndarray], int]  # {place: its weekly counts}, weeks


def _read(groups: tuple[str, ...], since: dt.date, week: dt.date) -> dict[str, Series]:
    """{group: ({place: counts over the weeks since..week}, weeks)} for `groups`, in one pass.

    A national run reads 11.5 million rows. They come as plain tuples, the week as its ISO
    text (no date built per row), and go a chunk at a time into index arrays (the mapping
    done by dicts in C, not per row in Python), then into one matrix per group whose rows are
    the places' series. The weeks are compared as text (ISO dates sort as dates), which also
    keeps SQLite from walking the (week, group) index for nearly every row: one scan of the
    table is three times cheaper than 11.5 million index look-ups."""
    n = (week - since).days // 7 + 1
    column = _WeekColumns(since)
    group_no = {g: k for k, g in enumerate(groups)}
    rows = (WeeklyCount.objects.annotate(monday=Cast("week", CharField()))
            .filter(group__in=groups, monday__gte=since.isoformat(), monday__lte=week.isoformat()).order_by()
            .values_list("region_id", "group", "monday", "count").iterator(chunk_size=READ_CHUNK))
    index: dict[str, int] = {}
    at_row, at_col, at_group, values = array("i"), array("i"), array("b"), array("i")
    while chunk := list(islice(rows, READ_CHUNK)):
        places, in_group, mondays, counts = zip(*chunk, strict=True)
        for place in set(places).difference(index):
            index[place] = len(index)
        at_row.extend(map(index.__getitem__, places))
        at_col.extend(map(column.__getitem__, mondays))
        at_group.extend(map(group_no.__getitem__, in_group))
        values.extend(counts)
    codes = np.array(list(index), dtype=object)
    row_all, col_all, group_all, value_all = (
        np.frombuffer(a, dtype=a.typecode) if len(a) else np.zeros(0, dtype=int)
        for a in (at_row, at_col, at_group, values))
    out = {}
    for group, k in group_no.items():
        mine = group_all == k
        places, row = np.unique(row_all[mine], return_inverse=True)
        matrix = np.zeros((len(places), n))
        matrix[row, col_all[mine]] = value_all[mine]
        out[group] = ({str(code): matrix[i] for i, code in enumerate(codes[places])}, n)
    return out


class _WeekColumns(dict):
    """{a week's ISO date: its column}, filled as weeks are met."""

    def __init__(self, since: dt.date):
        super().__init__()
        self.since = since

    def __missing__(self, monday: str) -> int:
        self[monday] = (dt.date.fromisoformat(monday[:10]) - self.since).days // 7
        return self[monday]


def _blocks(group: str, series: dict[str, np.ndarray]) -> list[tuple[list[str], dict[str, tuple]]]:
    """The places judged together: every village of each district with reports (quiet villages
    as zeros), or for sensitive matters every district of a regency with reports."""
    level = 3 if group in DISTRICT_ONLY else 4
    parents = sorted({p[:5] if level == 3 else p[:8] for p in series})
    blocks: dict[str, list[str]] = {p: [] for p in parents}
    where: dict[str, tuple] = {}
    # One query per province, not one per district: a national run has 7,285 districts.
    for province in sorted({p[:2] for p in parents}):
        for code, lat, lon in (Region.objects.under(province).filter(level=level).order_by("code")
                               .values_list("code", "latitude", "longitude")):
            block = blocks.get(code[:5] if level == 3 else code[:8])
            if block is not None:
                block.append(code)
                where[code] = (lat, lon)
    return [(codes, where) for codes in blocks.values() if codes]


def detect(group: str, week: dt.date, since: dt.date, *, pools: dict | None = None,
           fit=None, counts: Series | None = None) -> list[Found]:
    """Run the default detector on `group`'s counts for `week` (reading from `since`).
    `pools`: the candidate clusters per district, kept between groups (they depend only on
    the district's villages). `fit`: how a batch of districts' baselines is fitted
    (baselines.nb_baselines; tests compare it with detectors.nb_baseline one by one).
    `counts`: the group's series as _read answers them, when read already."""
    series, n = counts if counts is not None else _series(group, since, week)
    pools = {} if pools is None else pools
    fit = fit or nb_baselines
    t = n - 1
    weeks = np.array([_week_no(since) + i for i in range(n)])
    todo = []
    for codes, where in _blocks(group, series):
        if t - d.GUARD + 1 < MIN_HISTORY or not any(series[c][t] for c in codes if c in series):
            continue
        todo.append((codes, where))
    found: list[Found] = []
    for start in range(0, len(todo), FIT_BATCH):
        batch = [(codes, where, np.array([series[c] if c in series else np.zeros(n) for c in codes]))
                 for codes, where in todo[start:start + FIT_BATCH]]
        hist_weeks = weeks[:t - d.GUARD + 1]
        fitted = fit([block[:, :len(hist_weeks)] for _, _, block in batch], hist_weeks, weeks[t - 2:t + 1])
        for (codes, where, block), baseline in zip(batch, fitted, strict=True):
            found.extend(_scan(group, codes, where, block, t, baseline, pools))
    return found


def _scan(group: str, codes: list[str], where: dict, block: np.ndarray, t: int, baseline: d.Baseline,
          pools: dict) -> list[Found]:
    """The alarms of one district (or regency, for sensitive matters) given its baseline."""
    if group in DISTRICT_ONLY:
        sig = d.negbin(block, t, baseline, 2)
        hit = [np.array([i]) for i in np.flatnonzero(sig.alarm)]
        obs, exp, wk = sig.observed[sig.alarm], sig.expected[sig.alarm], sig.weeks[sig.alarm]
    else:
        key = tuple(codes)
        if key not in pools:
            lat = np.array([where[c][0] if where[c][0] is not None else np.nan for c in codes])
            lon = np.array([where[c][1] if where[c][1] is not None else np.nan for c in codes])
            pools[key] = d.neighbours(lat, lon, np.zeros(len(codes), dtype=int))
        sig, hit = d.combined(block, t, baseline, 2, pools[key])
        obs, exp, wk = sig.observed, sig.expected, sig.weeks
    found = []
    for k, members in enumerate(hit):
        villages = tuple(codes[i] for i in members)
        centre = codes[members[0]] if len(members) == 1 else _centre(members, block, t, codes)
        detector = Alarm.Detector.DISTRICT if group in DISTRICT_ONLY else Alarm.Detector.SCAN
        found.append(Found(centre, villages, group, int(obs[k]), round(float(exp[k]), 2), int(wk[k]),
                           detector))
    return found


def _centre(members: np.ndarray, block: np.ndarray, t: int, codes: list[str]) -> str:
    """The village of a cluster with the most reports over the two weeks: where the alarm is filed."""
    recent = block[members, t] + block[members, t - 1]
    return codes[members[int(np.argmax(recent))]]


def _top_category(found: Found, week: dt.date) -> str:
    # The place's own weeks (counts.py): a cluster's villages are of one district, one zone.
    zone = local_zone(Region.objects.filter(code=found.region).values_list("utc_offset", flat=True).first())
    start = dt.datetime.combine(week - dt.timedelta(weeks=found.weeks - 1), dt.time(), tzinfo=zone)
    end = dt.datetime.combine(week + dt.timedelta(weeks=1), dt.time(), tzinfo=zone)
    qs = reports_counted().filter(created_at__gte=start, created_at__lt=end)
    if found.group in DISTRICT_ONLY:
        qs = qs.filter(village__gte=found.region, village__lt=found.region + "/", category__sensitive=True)
    else:
        qs = qs.filter(village__in=found.villages, category__sensitive=False)
    rows = qs.values(code=F("category__code"), g=F("category__group"), s=F("category__sensitive")).annotate(
        n=Count("pk")).order_by("-n", "code")
    for row in rows:
        if group_of(row["g"], row["s"]) == found.group:
            return row["code"]
    return ""


def early_warning_run(*, week: dt.date, today: dt.date, groups: tuple[str, ...] = GROUPS) -> list[Alarm]:
    """Recount the weeks read, detect, store new alarms (a place, group and week already
    alarmed is left as it is). A system job (no caller); safe to rerun. Returns the week's
    alarms of `groups`. Raises WeekRefused for a week that cannot be judged."""
    since = week_check(week, today=today)
    weekly_counts_refresh(since=since, until=week + dt.timedelta(weeks=1))
    return alarms_find(week=week, since=since, groups=groups)


def alarms_find(*, week: dt.date, since: dt.date, groups: tuple[str, ...] = GROUPS) -> list[Alarm]:
    """Detect on the stored weekly counts of [since, week] and store the new alarms (the part
    of the run after the recount; bench/early_warning.py --national times it alone). A
    system job; safe to rerun. Returns the week's alarms of `groups`."""
    new = []
    pools: dict = {}
    counts = _read(groups, since, week)
    for group in groups:
        for f in detect(group, week, since, pools=pools, counts=counts.pop(group)):
            new.append(Alarm(region_id=f.region, group=f.group, week=week, weeks=f.weeks,
                             villages=list(f.villages), observed=f.observed, expected=f.expected,
                             detector=f.detector, top_category=_top_category(f, week)))
    Alarm.objects.bulk_create(new, ignore_conflicts=True)
    return list(Alarm.objects.filter(week=week, group__in=groups).order_by("group", "region_id"))

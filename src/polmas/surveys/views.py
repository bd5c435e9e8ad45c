"""Pages: a resident's one-time questionnaire (no account, no JavaScript needed) and the
published estimates under /statistik/survei/ with their method, as HTML and CSV."""

import csv

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polmas.core.db.replica import replica_view
from polmas.regions.models import Region
from polmas.surveys import collection, selectors
from polmas.surveys.estimates import MIN_N, TRUST_INDEX


def _questions(items, lang: str, values: dict, errors: dict) -> list[dict]:
    english = lang.startswith("en")
    out = []
    for it in items:
        out.append({
            "item": it, "label": (it.label_en if english and it.label_en else it.label_id),
            "choices": [(c["value"], c["label_en"] if english and c["label_en"] else c["label_id"])
                        for c in it.choices],
            "value": values.get(it.name, ""), "error": " ".join(errors.get(f"answers.{it.name}", [])),
            "conditional": bool(it.relevant) and it.relevant != "${consent} = 'yes'",
        })
    return out


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    link = collection.link_open(token)
    if link is None:
        return render(request, "surveys/link_gone.html", status=404)
    items = list(link.sample_village.sample.version.items.order_by("position"))
    values: dict = {}
    errors: dict = {}
    if request.method == "POST":
        values = {it.name: request.POST.get(it.name, "") for it in items}
        try:
            collection.resident_answer(token=token, consent=request.POST.get("consent", ""),
                                       answers={k: v for k, v in values.items() if v})
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return render(request, "surveys/thanks.html")
    return render(request, "surveys/answer.html", {
        "questions": _questions(items, get_language() or "id", values, errors),
        "errors": errors, "version": link.sample_village.sample.version,
    }, status=400 if errors else 200)


LABELS = {"feel_safe": gettext_lazy("Feel safe walking alone after dark"),
          "trust_police": gettext_lazy("Trust the police (6-10 of 10)"),
          TRUST_INDEX: gettext_lazy("Trust in police index (0-100)"),
          "fear_home": gettext_lazy("Feared crime at home in the past year"),
          "victim_12m": gettext_lazy("Victim of crime in the last 12 months"),
          "victim_reported": gettext_lazy("Of victims: reported it to the police"),
          "know_bhabin": gettext_lazy("Know their Bhabinkamtibmas"),
          "know_fkpm": gettext_lazy("Know of an FKPM in their village")}


def _label(indicator: str) -> str:
    return str(LABELS[indicator]) if indicator in LABELS else indicator


def _tables(sample):
    cells = selectors.estimates_list(sample=sample)
    names = dict(Region.objects.filter(code__in={c.code for c in cells if c.code})
                 .values_list("code", "name"))
    rows: dict[tuple[int, str], dict] = {}
    for c in cells:
        row = rows.setdefault((c.level, c.code), {"level": c.level, "code": c.code,
                                                  "name": names.get(c.code, _("Indonesia")), "cells": {}})
        row["cells"][c.indicator] = c
    indicators = [i for i in LABELS if any(i in r["cells"] for r in rows.values())]
    ordered = [rows[k] for k in sorted(rows, key=lambda k: k[1])]
    for r in ordered:
        r["list"] = [r["cells"].get(i) for i in indicators]
    return indicators, ordered


@replica_view
def published(request: HttpRequest) -> HttpResponse:
    sample = selectors.sample_latest()
    if sample is None:
        return render(request, "surveys/statistik.html", {"sample": None})
    indicators, rows = _tables(sample)
    before = selectors.sample_before(sample=sample)
    changes = []
    if before is not None:
        for key in ("feel_safe", "trust_police", TRUST_INDEX):
            ch = selectors.wave_change(before=before, after=sample, indicator=key, code="")
            if ch is not None:
                changes.append((_label(key), ch))
    return render(request, "surveys/statistik.html", {
        "before": before, "changes": changes,
        "sample": sample, "indicators": [(i, _label(i)) for i in indicators], "rows": rows,
        "items": selectors.items_with_sources(sample=sample), "min_n": MIN_N,
        "alpha": sample.method.get("trust_index_alpha"), "method": sample.method,
    })


@replica_view
def published_csv(request: HttpRequest) -> HttpResponse:
    sample = selectors.sample_latest()
    if sample is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survei-{sample.wave}.csv"'
    w = csv.writer(response)
    w.writerow(["wave", "indicator", "level", "code", "n", "estimate", "ci_low", "ci_high", "note"])
    _indicators, rows = _tables(sample)
    for r in rows:
        for c in r["cells"].values():
            fmt = (lambda x: f"{x:.1f}") if c.published else (lambda x: "")
            w.writerow([sample.wave, c.indicator, c.level, c.code or "ID", c.n, fmt(c.value), fmt(c.low),
                        fmt(c.high), "" if c.published else f"fewer than {MIN_N} answers"])
    return response

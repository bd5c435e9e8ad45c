"""Pages: a resident's one-time questionnaire (no account, no JavaScript needed) and the
published estimates under /statistik/survei/ with their method, as HTML, CSV and XLSX; the
planner's waves under /survei/rencana/ (draw, progress, assign, links)."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.core.db.replica import replica_view
from polmas.regions.models import Region
from polmas.surveys import collection, planning, selectors
from polmas.surveys.estimates import MIN_N, TRUST_INDEX
from polmas.surveys.forms import AssignForm, LinksForm, SampleForm


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


HEADERS = ["wave", "indicator", "level", "code", "n", "estimate", "ci_low", "ci_high", "note"]


def _download_rows(sample) -> list[list]:
    """One row per stored cell; a cell under the minimum carries no number, and says why."""
    out = []
    _indicators, rows = _tables(sample)
    for r in rows:
        for c in r["cells"].values():
            def num(x, shown=c.published):
                return round(x, 1) if shown and x is not None else None
            out.append([sample.wave, c.indicator, c.level, c.code or "ID", c.n, num(c.value), num(c.low),
                        num(c.high), "" if c.published else f"fewer than {MIN_N} answers"])
    return out


@replica_view
def published_csv(request: HttpRequest) -> HttpResponse:
    sample = selectors.sample_latest()
    if sample is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survei-{sample.wave}.csv"'
    w = csv.writer(response)
    w.writerow(HEADERS)
    for row in _download_rows(sample):
        w.writerow([f"{x:.1f}" if isinstance(x, float) else ("" if x is None else x) for x in row])
    return response


@replica_view
def published_xlsx(request: HttpRequest) -> HttpResponse:
    """The same table as the CSV, as a workbook: numbers stay numbers."""
    sample = selectors.sample_latest()
    if sample is None:
        raise Http404
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="survei")
    sheet.append(HEADERS)
    for row in _download_rows(sample):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="survei-{sample.wave}.xlsx"'
    return response


def _planner_only(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not planning.plans(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def samples(request: HttpRequest) -> HttpResponse:
    """Planners: the waves drawn, and a form to draw another. Enumerators: their villages."""
    if not planning.plans(request.user):
        if not scope_for(request.user).has(Role.ENUMERATOR):
            raise Http404
        return render(request, "surveys/my_villages.html",
                      {"rows": planning.my_villages(enumerator=request.user)})
    form = SampleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sample = planning.sample_plan(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for m in messages:
                        form.add_error(field if field in form.fields else None, m)
            else:
                return redirect("survey_plan:sample", sample_id=sample.pk)
        status = 400
    return render(request, "surveys/samples.html",
                  {"form": form, "samples": planning.samples_list(actor=request.user)},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def sample(request: HttpRequest, sample_id: int) -> HttpResponse:
    """A wave's progress by regency; assign villages to an enumerator; issue residents' links."""
    _planner_only(request)
    found = planning.sample_get(actor=request.user, sample_id=sample_id)
    if found is None:
        raise Http404
    people = planning.enumerators()
    assign = AssignForm(request.POST if request.POST.get("action") == "assign" else None, enumerators=people)
    links = LinksForm(request.POST if request.POST.get("action") == "links" else None)
    issued: list[str] = []
    status, done = 200, ""
    if request.method == "POST":
        status = 400
        try:
            if request.POST.get("action") == "assign" and assign.is_valid():
                codes_ = _expand(found, assign.cleaned_data["villages"])
                who = next(u for u in people if u.username == assign.cleaned_data["enumerator"])
                n = collection.villages_assign(actor=request.user, sample=found, enumerator=who,
                                               village_codes=codes_)
                done, status = _("%(n)s villages assigned to %(who)s.") % {"n": n, "who": who.username}, 200
            elif request.POST.get("action") == "links" and links.is_valid():
                sv = found.villages.filter(village_code=links.cleaned_data["village"]).first()
                if sv is None:
                    links.add_error("village", _("not in the sample"))
                else:
                    issued = [request.build_absolute_uri(reverse("surveys:answer", args=[t])) for t in
                              collection.links_issue(actor=request.user, sample_village=sv,
                                                     count=links.cleaned_data["count"])]
                    status = 200
        except ValidationError as exc:
            form = assign if request.POST.get("action") == "assign" else links
            for field, messages in exc.message_dict.items():
                for m in messages:
                    form.add_error(field if field in form.fields else None, m)
    regency = request.GET.get("kabupaten", "")
    rows = planning.progress(sample=found)
    if regency and regency not in {r.code for r in rows}:
        regency = ""
    return render(request, "surveys/sample.html", {
        "sample": found, "rows": rows, "assign": assign, "links": links, "issued": issued, "done": done,
        "regency": regency, "villages": planning.villages(sample=found, regency=regency) if regency else [],
        "totals": {"planned": sum(r.planned for r in rows), "received": sum(r.received for r in rows)},
    }, status=status)


def _expand(sample, tokens: list[str]) -> list[str]:
    """Village codes, with a regency code standing for all its sampled villages."""
    out: list[str] = []
    for code in tokens:
        if len(code) == 5:
            out += list(sample.villages.filter(regency_code=code).values_list("village_code", flat=True))
        else:
            out.append(code)
    return out

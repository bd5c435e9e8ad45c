"""The administrator's page for a person's request: find, export (a JSON download for the
person), erase. Only administrators; anyone else gets 404. A GET shows the empty form and
writes nothing; every export and erasure is a POST, audited record by record."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from polmas.privacy import services
from polmas.privacy.forms import PersonForm


@login_required
@require_http_methods(["GET", "POST"])
def person_request(request: HttpRequest) -> HttpResponse:
    if not services.may_handle(request.user):
        raise Http404
    if request.method == "GET":
        return render(request, "privacy/person.html", {"form": PersonForm(initial={"action": "find"})})
    form = PersonForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/person.html", {"form": form}, status=400)
    person, action = form.cleaned_data["person"], form.cleaned_data["action"]
    if action == "export":
        document = services.person_export(actor=request.user, person=person)
        response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="data-pribadi-'
                                           f'{timezone.now():%Y%m%d-%H%M%S}.json"')
        return response
    if action == "erase":
        done = services.person_erase(actor=request.user, person=person,
                                     reason=form.cleaned_data["reason"])
        return render(request, "privacy/person.html", {"form": PersonForm(initial={"action": "find"}),
                                                       "erased": done})
    found = services.person_find(actor=request.user, person=person)
    return render(request, "privacy/person.html", {"form": form, "found": found})

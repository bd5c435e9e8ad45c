from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {})


@login_required
def coverage(request: HttpRequest, code: str | None = None) -> HttpResponse:
    return render(request, "web/home.html", {})

"""The reporting pages. ``home`` is the entry point of ``/gestion/`` for every signed-in user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cascada.accounts import policy


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The plans the user works on, by role (the reporting helper fills in the to-do lists)."""
    plans = policy.visible_plans(request.user)
    return render(request, "workflow/home.html", {"plans": plans})

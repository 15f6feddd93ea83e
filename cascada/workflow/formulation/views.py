"""The formulation pages of a plan (its administrators, ``policy.can_change_formulation``):
the annual targets of every indicator per vigencia, the form that changes one, and the weights
editor of a vigencia (an objective's indicators, or the plan's objectives). Thin views over
``cascada.tracking.formulation``; numbers are read with the import's one number rule (es-CO
decimal comma)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cascada.accounts import policy
from cascada.engine.weights import in_force_indicators, in_force_objectives, validate_weights
from cascada.imports.numbers import NumberFormatError, parse_optional_number
from cascada.plans.models import AnnualTarget, Indicator, Objective, Plan
from cascada.tracking.formulation import (
    TOTAL,
    Act,
    FormulationRefused,
    WeightGroup,
    change_annual_target,
    save_weights,
)
from cascada.tracking.models import FormulationChange
from cascada.tracking.selectors import plan_spec

View = TypeVar("View", bound=Callable[..., HttpResponse])


def formulation_required(view: View) -> View:
    """Anonymous users go to the sign-in page; who does not administer the plan gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, plan: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        found = get_object_or_404(Plan, code=plan)
        if not policy.can_change_formulation(request.user, found):
            raise PermissionDenied
        return view(request, found, *args, **kwargs)

    return cast(View, wrapped)


def plain_es(value: Decimal | None) -> str:
    """The exact value with a decimal comma, for an input: ``Decimal('0.640000')`` → ``0,64``."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return ("0" if text in {"-0", "0"} else text).replace(".", ",")


def _read_act(data: Any) -> tuple[Act, dict[str, str]]:
    errors: dict[str, str] = {}
    raw_date = str(data.get("fecha_acto", "")).strip()
    act_date: date | None = None
    if raw_date:
        try:
            act_date = date.fromisoformat(raw_date)
        except ValueError:
            errors["fecha_acto"] = _("«%(value)s» no es una fecha: use AAAA-MM-DD.") % {
                "value": raw_date
            }
    act = Act(act=str(data.get("acto", "")), act_date=act_date, reason=str(data.get("motivo", "")))
    return act, errors


ACT_ANCHORS = {"acto": "id_acto", "fecha_acto": "id_fecha_acto", "motivo": "id_motivo"}


def error_summary(errors: dict[str, str], anchors: dict[str, str]) -> list[tuple[str, str]]:
    """(element id, message) for the summary at the top of a refused form."""
    where = ACT_ANCHORS | anchors
    return [(where.get(key, "formulario"), message) for key, message in errors.items()]


def _read_number(raw: str) -> tuple[Decimal | None, str]:
    try:
        return parse_optional_number(raw.strip() or None), ""
    except NumberFormatError:
        return None, _("«%(value)s» no es un número (p. ej. 1.234,5 o 0,18).") % {
            "value": raw.strip()
        }


# ---------------------------------------------------------------------------------------------
# Overview


@require_safe
@formulation_required
def index(request: HttpRequest, plan: Plan) -> HttpResponse:
    vigencias = list(plan.vigencias)
    targets: dict[int, dict[int, AnnualTarget]] = defaultdict(dict)
    for row in AnnualTarget.objects.filter(indicator__plan=plan):
        targets[row.indicator_id][row.vigencia] = row
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(plan=plan).select_related("goal").order_by("order", "id")
    ):
        indicators[indicator.goal.objective_id].append(indicator)
    objectives = [
        {
            "objective": objective,
            "indicators": [
                {"indicator": i, "cells": [(v, targets[i.id].get(v)) for v in vigencias]}
                for i in indicators[objective.id]
            ],
        }
        for objective in Objective.objects.filter(plan=plan).order_by("order", "id")
    ]
    spec = plan_spec(plan)
    problems = validate_weights(spec)
    weights = [
        {
            "vigencia": v,
            "set": v in spec.indicator_weights or v in spec.objective_weights,
            "problems": [p.message for p in problems if p.vigencia == v],
        }
        for v in vigencias
    ]
    changes = FormulationChange.objects.filter(plan=plan).select_related("by")[:50]
    return render(
        request,
        "workflow/formulation/index.html",
        {
            "plan": plan,
            "vigencias": vigencias,
            "objectives": objectives,
            "weights": weights,
            "changes": changes,
        },
    )


# ---------------------------------------------------------------------------------------------
# Annual target


@require_http_methods(["GET", "HEAD", "POST"])
@formulation_required
def annual_target(request: HttpRequest, plan: Plan, indicator: str, vigencia: int) -> HttpResponse:
    found = get_object_or_404(Indicator, plan=plan, code=indicator)
    row = get_object_or_404(AnnualTarget, indicator=found, vigencia=vigencia)
    errors: dict[str, str] = {}
    values = {"meta": plain_es(row.target), "acto": "", "fecha_acto": "", "motivo": ""}
    if request.method == "POST":
        values = {k: str(request.POST.get(k, "")) for k in values}
        act, errors = _read_act(request.POST)
        target, problem = _read_number(values["meta"])
        if problem:
            errors["meta"] = problem
        if not errors:
            try:
                change = change_annual_target(
                    indicator=found, vigencia=vigencia, target=target, act=act, actor=request.user
                )
            except FormulationRefused as refused:
                errors = refused.errors
            else:
                _done(request, change)
                return redirect("workflow:formulation", plan=plan.code)
    return render(
        request,
        "workflow/formulation/annual_target.html",
        {
            "plan": plan,
            "indicator": found,
            "vigencia": vigencia,
            "row": row,
            "values": values,
            "errors": errors,
            "summary": error_summary(errors, {"meta": "id_meta"}),
        },
        status=422 if errors else 200,
    )


def _done(request: HttpRequest, change: FormulationChange | None) -> None:
    if change is None:
        messages.info(request, _("No hubo cambios: los valores enviados ya eran los vigentes."))
    else:
        messages.success(
            request,
            _("Cambio registrado con el acto «%(act)s».") % {"act": change.act},
        )


# ---------------------------------------------------------------------------------------------
# Weights


@require_http_methods(["GET", "HEAD", "POST"])
@formulation_required
def weights(
    request: HttpRequest, plan: Plan, vigencia: int, objective: str | None = None
) -> HttpResponse:
    if vigencia not in plan.vigencias:
        raise Http404
    found = get_object_or_404(Objective, plan=plan, code=objective) if objective else None
    group = WeightGroup(plan=plan, vigencia=vigencia, objective=found)
    children = group.children()
    spec = plan_spec(plan)
    if found is None:
        in_force = set(in_force_objectives(spec, vigencia))
    else:
        (objective_spec,) = [o for o in spec.objectives if o.code == found.code]
        in_force = set(in_force_indicators(objective_spec, vigencia))
    stored = group.stored()
    entered = {c.code: plain_es(stored.get(c.code)) for c in children}
    act_values = {"acto": "", "fecha_acto": "", "motivo": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        entered = {c.code: str(request.POST.get(f"peso-{c.pk}", "")) for c in children}
        act_values = {k: str(request.POST.get(k, "")) for k in act_values}
        act, errors = _read_act(request.POST)
        numbers: dict[str, Decimal | None] = {}
        for code, raw in entered.items():
            numbers[code], problem = _read_number(raw)
            if problem:
                errors[code] = problem
        if not errors:
            try:
                change = save_weights(group=group, weights=numbers, act=act, actor=request.user)
            except FormulationRefused as refused:
                errors = refused.errors
            else:
                _done(request, change)
                return redirect("workflow:formulation", plan=plan.code)
    rows = [
        {
            "child": c,
            "value": entered[c.code],
            "in_force": c.code in in_force,
            "error": errors.get(c.code, ""),
        }
        for c in children
    ]
    return render(
        request,
        "workflow/formulation/weights.html",
        {
            "plan": plan,
            "vigencia": vigencia,
            "objective": found,
            "objectives": Objective.objects.filter(plan=plan).order_by("order", "id"),
            "rows": rows,
            "values": act_values,
            "errors": errors,
            "summary": error_summary(
                errors, {TOTAL: "total", **{c.code: f"id_peso_{c.pk}" for c in children}}
            ),
            "total_error": errors.get(TOTAL, ""),
            "other_errors": [
                message
                for key, message in errors.items()
                if key not in {c.code for c in children} | {TOTAL, "acto", "fecha_acto", "motivo"}
            ],
        },
        status=422 if errors else 200,
    )

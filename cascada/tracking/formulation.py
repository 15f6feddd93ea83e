"""Formal changes to a plan's formulation (DESIGN §1, §3, §5): the annual target of an
indicator for a vigencia, and the weights of a vigencia (an objective's indicators, or the
plan's objectives), each adopted by an administrative act.

Every change, in one transaction: the new values, a ``FormulationChange`` (act, act date,
reason, before and after), exactly one audit row, and the plan's cuts that are not published
recomputed. Bad input raises ``FormulationRefused`` (messages by field, in Spanish) and writes
nothing. Sending the values already stored changes nothing and returns ``None``.

A published cut never changes: if the change would alter the stored results of any published
cut of the plan (its figures computed before and after the change differ,
``services.published_results``: the annual target or weights of the vigencia of a published
cut), it is refused; the planning office corrects that cut with a new
edition first (see docs/metodo.md, "Cambios de formulación").

Who may do it is ``policy.can_change_formulation``; callers check it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cascada.engine.display import format_date, format_number
from cascada.engine.model import Level, PlanSpec
from cascada.engine.weights import validate_weights
from cascada.plans.language import display_lang
from cascada.plans.models import (
    PERCENT_PLACES,
    AnnualTarget,
    Indicator,
    Objective,
    Plan,
    Weight,
)
from cascada.tracking import audit
from cascada.tracking.models import Cut, FormulationChange
from cascada.tracking.reporting import executed_problem
from cascada.tracking.selectors import plan_spec
from cascada.tracking.services import published_results, recompute_unpublished_cuts

MAX_ACT = 300  # FormulationChange.act
MAX_REASON = 5_000
TOTAL = "total"  # the error key of a group's sum


class FormulationRefused(Exception):
    """The change cannot be made as asked; ``errors`` maps a field ("acto", "meta", a child's
    code, ``TOTAL``) to its Spanish message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Act:
    """The administrative act that adopts a change, e.g. "Resolución 045 de 2026"."""

    act: str
    act_date: date | None
    reason: str


def act_problems(act: Act) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = act.act.strip()
    if not name:
        errors["acto"] = _("Indique el acto administrativo que adopta el cambio.")
    elif len(name) > MAX_ACT:
        errors["acto"] = _("El acto admite como máximo %(n)s caracteres.") % {"n": MAX_ACT}
    if act.act_date is None:
        errors["fecha_acto"] = _("Indique la fecha del acto (AAAA-MM-DD).")
    elif act.act_date > timezone.localdate():
        errors["fecha_acto"] = _("La fecha del acto no puede ser posterior a hoy.")
    reason = act.reason.strip()
    if not reason:
        errors["motivo"] = _("Indique el motivo del cambio.")
    elif len(reason) > MAX_REASON:
        errors["motivo"] = _("El motivo admite como máximo %(n)s caracteres.") % {
            "n": format_number(Decimal(MAX_REASON), 0, display_lang())
        }
    return errors


def _plain(value: Decimal | None) -> str | None:
    """``Decimal('10.000000')`` → ``'10'`` (exact, for the record)."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def _audit_reason(act: Act, act_date: date) -> str:
    return f"{act.act.strip()} del {format_date(act_date)}: {act.reason.strip()}"


def _refuse_if_published_changes(plan: Plan, before: dict[int, Any]) -> None:
    after = published_results(plan=plan)
    changed = [pk for pk, figures in before.items() if after.get(pk) != figures]
    if changed:
        cuts = Cut.objects.filter(pk__in=changed).order_by("date")
        days = ", ".join(format_date(c.date, display_lang()) for c in cuts)
        raise FormulationRefused(
            {
                "publicado": _(
                    "El cambio alteraría los resultados publicados del corte %(days)s: un corte "
                    "publicado no cambia. Corrija primero ese corte con una nueva edición."
                )
                % {"days": days}
            }
        )


def _record(
    *,
    plan: Plan,
    kind: FormulationChange.Kind,
    vigencia: int,
    act: Act,
    before: dict[str, Any],
    after: dict[str, Any],
    target: str,
    actor: Any,
) -> FormulationChange:
    act_date = cast(date, act.act_date)  # checked by act_problems
    user = actor if getattr(actor, "is_authenticated", False) else None
    change = FormulationChange.objects.create(
        plan=plan,
        kind=kind,
        vigencia=vigencia,
        act=act.act.strip(),
        act_date=act_date,
        reason=act.reason.strip(),
        before=before,
        after=after,
        by=user,
    )
    audit.record(
        action=f"formulacion:{kind.value}",
        actor=actor,
        plan=plan,
        target=target,
        before=before,
        after={**after, "acto": change.act, "fecha_acto": act_date.isoformat()},
        reason=_audit_reason(act, act_date),
    )
    return change


# ---------------------------------------------------------------------------------------------
# The annual target of an indicator


def change_annual_target(
    *, indicator: Indicator, vigencia: int, target: Decimal | None, act: Act, actor: Any
) -> FormulationChange | None:
    """Set the annual target of ``indicator`` in ``vigencia``, which must already have one (an
    indicator enters or leaves a vigencia through the import, together with its weights)."""
    errors = act_problems(act)
    if target is None:
        errors["meta"] = _("Indique la nueva meta de la vigencia.")
    else:
        problem = executed_problem(target)
        if problem:
            errors["meta"] = problem
    if errors or target is None:
        raise FormulationRefused(errors)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=indicator.plan_id)
        row = (
            AnnualTarget.objects.select_for_update()
            .filter(indicator=indicator, vigencia=vigencia)
            .first()
        )
        if row is None:
            raise FormulationRefused(
                {
                    "meta": _(
                        "El indicador '%(code)s' no tiene meta en la vigencia %(vigencia)s: no "
                        "está vigente ese año."
                    )
                    % {"code": indicator.code, "vigencia": vigencia}
                }
            )
        if row.target == target:
            return None
        published = published_results(plan=plan)
        before = {"indicador": indicator.code, "meta": _plain(row.target)}
        row.target = target.normalize()
        row.save(update_fields=["target"])
        _refuse_if_published_changes(plan, published)
        change = _record(
            plan=plan,
            kind=FormulationChange.Kind.META_ANUAL,
            vigencia=vigencia,
            act=act,
            before=before,
            after={"indicador": indicator.code, "meta": _plain(target)},
            target=f"meta anual: {plan.code} · {indicator.code} · {vigencia}",
            actor=actor,
        )
        recompute_unpublished_cuts(plan=plan)
        return change


# ---------------------------------------------------------------------------------------------
# Weights


@dataclass(frozen=True)
class WeightGroup:
    """The children weighed together: an objective's indicators, or (``objective`` ``None``)
    the plan's objectives, in one vigencia."""

    plan: Plan
    vigencia: int
    objective: Objective | None

    @property
    def level(self) -> Level:
        return Level.OBJETIVO if self.objective is None else Level.INDICADOR

    def children(self) -> list[Indicator] | list[Objective]:
        if self.objective is None:
            return list(Objective.objects.filter(plan=self.plan).order_by("order", "id"))
        return list(
            Indicator.objects.filter(plan=self.plan, goal__objective=self.objective).order_by(
                "order", "id"
            )
        )

    def stored(self) -> dict[str, Decimal]:
        """The weights stored now, by child code."""
        rows = Weight.objects.filter(plan=self.plan, vigencia=self.vigencia, level=self.level)
        if self.objective is None:
            return dict(rows.values_list("objective__code", "weight"))
        return dict(
            rows.filter(indicator__goal__objective=self.objective).values_list(
                "indicator__code", "weight"
            )
        )

    def label(self) -> str:
        if self.objective is None:
            return f"ponderación: {self.plan.code} · {self.vigencia} · objetivos del plan"
        return f"ponderación: {self.plan.code} · {self.vigencia} · objetivo {self.objective.code}"


def _with_group(spec: PlanSpec, group: WeightGroup, weights: Mapping[str, Decimal]) -> PlanSpec:
    """``spec`` with the group's weights replaced by ``weights``."""
    if group.objective is None:
        by_vigencia = dict(spec.objective_weights)
        kept: dict[str, Decimal] = {}
    else:
        by_vigencia = dict(spec.indicator_weights)
        children = {
            i.code for o in spec.objectives if o.code == group.objective.code for i in o.indicators
        }
        kept = {c: w for c, w in by_vigencia.get(group.vigencia, {}).items() if c not in children}
    merged = {**kept, **weights}
    if merged:
        by_vigencia[group.vigencia] = merged
    else:
        by_vigencia.pop(group.vigencia, None)
    if group.objective is None:
        return dataclasses.replace(spec, objective_weights=by_vigencia)
    return dataclasses.replace(spec, indicator_weights=by_vigencia)


def weight_problems(
    *, group: WeightGroup, weights: Mapping[str, Decimal | None], spec: PlanSpec | None = None
) -> dict[str, str]:
    """Why ``weights`` (child code → weight, ``None`` blank) cannot be the group's weights, by
    child code and ``TOTAL``: the engine's own rules (``validate_weights``) for this group."""
    errors: dict[str, str] = {}
    codes = {c.code for c in group.children()}
    for code, weight in weights.items():
        if code not in codes:
            errors[code] = _("'%(code)s' no pertenece a este grupo de pesos.") % {"code": code}
        elif weight is not None and (
            not weight.is_finite() or int(weight.normalize().as_tuple().exponent) < -PERCENT_PLACES
        ):
            errors[code] = _("El peso de '%(code)s' admite como máximo %(n)s decimales.") % {
                "code": code,
                "n": PERCENT_PLACES,
            }
    if errors:
        return errors
    given = {c: w for c, w in weights.items() if w is not None}
    spec = _with_group(spec or plan_spec(group.plan), group, given)
    for problem in validate_weights(spec):
        if problem.level != group.level or problem.vigencia != group.vigencia:
            continue
        if group.objective is not None and problem.group != group.objective.code:
            continue
        key = problem.code if problem.code in codes else TOTAL
        errors.setdefault(key, problem.message)
    return errors


def save_weights(
    *, group: WeightGroup, weights: Mapping[str, Decimal | None], act: Act, actor: Any
) -> FormulationChange | None:
    """Replace the group's weights with ``weights`` (every child's code → its weight, ``None``
    for none). The whole set is one change: one ``FormulationChange``, one audit row."""
    errors = act_problems(act)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=group.plan.pk)
        errors |= weight_problems(group=group, weights=weights)
        if errors:
            raise FormulationRefused(errors)
        stored = group.stored()
        wanted = {c: w.normalize() for c, w in weights.items() if w is not None}
        if wanted == stored:
            return None
        published = published_results(plan=plan)
        before = {c: _plain(w) for c, w in sorted(stored.items())}
        children = {c.code: c for c in group.children()}
        rows = Weight.objects.filter(plan=plan, vigencia=group.vigencia, level=group.level)
        if group.objective is None:
            rows.delete()
        else:
            rows.filter(indicator__goal__objective=group.objective).delete()
        Weight.objects.bulk_create(
            Weight(
                plan=plan,
                level=group.level,
                vigencia=group.vigencia,
                weight=weight,
                **{"objective" if group.objective is None else "indicator": children[code]},
            )
            for code, weight in wanted.items()
        )
        _refuse_if_published_changes(plan, published)
        change = _record(
            plan=plan,
            kind=FormulationChange.Kind.PONDERACION,
            vigencia=group.vigencia,
            act=act,
            before={"pesos": before},
            after={"pesos": {c: _plain(w) for c, w in sorted(wanted.items())}},
            target=group.label(),
            actor=actor,
        )
        recompute_unpublished_cuts(plan=plan)
        return change

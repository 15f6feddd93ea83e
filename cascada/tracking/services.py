"""Actions on the follow-up, each in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring_ascii as _json_string
from typing import Any

from django.db import transaction
from django.utils import timezone

from cascada.engine import compute_cut, compute_cuts
from cascada.engine.model import IndicatorResult, ObjectiveResult, PlanResult, Rollup
from cascada.plans.models import Indicator, Objective, Plan
from cascada.tracking.bulk import JSONText, gc_paused, insert_rows
from cascada.tracking.models import (
    Cut,
    CutState,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
)
from cascada.tracking.selectors import plan_spec


def _terms(rollup: Rollup) -> list[dict[str, Any]]:
    # The same Decimal object often stands in several places (the value used is the value when
    # nothing is capped; equal weights share one 1): each is turned into text once.
    texts: dict[int, str] = {}

    def text(value: Decimal) -> str:
        found = texts.get(id(value))
        if found is None:
            found = texts[id(value)] = str(value)
        return found

    return [
        {
            "codigo": t.code,
            "valor": text(t.value),
            "valor_usado": text(t.value_used),
            "peso": text(t.weight),
            "peso_efectivo": text(t.effective_weight),
        }
        for t in rollup.terms
    ]


def _explanation(*, compliance: Rollup, year: Rollup, four_year: Rollup) -> dict[str, Any]:
    return {
        "cumplimiento": _terms(compliance),
        "avance_vigencia": _terms(year),
        "avance_cuatrienio": _terms(four_year),
    }


def _terms_json(rollup: Rollup) -> str:
    """``json.dumps(_terms(rollup))``, written directly: an objective's explanation lists
    every indicator's terms three times (a district plan stores 45 MB of them over 48 cuts).
    A decimal's ``str`` is ASCII without quotes or backslashes, so it needs no escaping; a
    code is escaped as ``json.dumps`` escapes it."""
    return (
        "["
        + ", ".join(
            f'{{"codigo": {_json_string(t.code)}, "valor": "{t.value!s}", '
            f'"valor_usado": "{t.value_used!s}", "peso": "{t.weight!s}", '
            f'"peso_efectivo": "{t.effective_weight!s}"}}'
            for t in rollup.terms
        )
        + "]"
    )


def _explanation_json(*, compliance: Rollup, year: Rollup, four_year: Rollup) -> JSONText:
    """``_explanation``'s stored text, byte for byte ``json.dumps(_explanation(...))``."""
    return JSONText(
        f'{{"cumplimiento": {_terms_json(compliance)}, '
        f'"avance_vigencia": {_terms_json(year)}, '
        f'"avance_cuatrienio": {_terms_json(four_year)}}}'
    )


def _blank(value: str | None) -> str:
    return value or ""


@dataclass(frozen=True)
class _Ids:
    """A plan's row ids by code, read once for every cut stored."""

    objectives: dict[str, int]
    indicators: dict[str, int]

    @classmethod
    def of(cls, plan: Plan) -> _Ids:
        return cls(
            objectives=dict(Objective.objects.filter(plan=plan).values_list("code", "id")),
            indicators=dict(Indicator.objects.filter(plan=plan).values_list("code", "id")),
        )


PLAN_RESULT_FIELDS = ("compliance", "year", "four_year", "semaforo", "explanation")


def _plan_columns(result: PlanResult) -> dict[str, Any]:
    return {
        "compliance": result.compliance.value,
        "year": result.year.value,
        "four_year": result.four_year.value,
        "semaforo": _blank(result.semaforo),
        "explanation": _explanation(
            compliance=result.compliance, year=result.year, four_year=result.four_year
        ),
    }


def _rows(
    cut: Cut, result: PlanResult, ids: _Ids | None = None
) -> tuple[dict[str, Any], list[ObjectiveCutResult], list[IndicatorCutResult]]:
    """The stored form of ``result``: the plan row's values and unsaved result rows."""
    if ids is None:
        ids = _Ids.of(cut.plan)
    objective_ids, indicator_ids = ids.objectives, ids.indicators
    plan_values = _plan_columns(result)
    objectives = [
        ObjectiveCutResult(cut=cut, **_objective_columns(o, objective_ids))
        for o in result.objectives
    ]
    indicators = [
        IndicatorCutResult(cut=cut, **_indicator_columns(i, indicator_ids))
        for o in result.objectives
        for i in o.indicators
    ]
    return plan_values, objectives, indicators


def _objective_columns(
    o: ObjectiveResult, objective_ids: dict[str, int], *, as_text: bool = False
) -> dict[str, Any]:
    """The stored form of one objective's result (but its cut); with ``as_text`` the
    explanation is its JSON text (for ``insert_rows``)."""
    explain = _explanation_json if as_text else _explanation
    return {
        "objective_id": objective_ids[o.code],
        "compliance": o.compliance.value,
        "year": o.year.value,
        "four_year": o.four_year.value,
        "semaforo": _blank(o.semaforo),
        "weight": o.weight,
        "explanation": explain(compliance=o.compliance, year=o.year, four_year=o.four_year),
    }


def _indicator_columns(i: IndicatorResult, indicator_ids: dict[str, int]) -> dict[str, Any]:
    """The stored form of one indicator's result (but its cut)."""
    return dict(zip(INDICATOR_COLUMNS[1:], _indicator_values(i, indicator_ids), strict=True))


def _indicator_values(i: IndicatorResult, indicator_ids: dict[str, int]) -> tuple[Any, ...]:
    """``_indicator_columns`` as a row of ``INDICATOR_COLUMNS`` but the cut (a tuple: a plan's
    cuts store a row per indicator and cut, 125.000 on a district plan)."""
    return (
        indicator_ids[i.code],
        i.status.value,
        i.programmed,
        i.executed,
        i.annual_target,
        i.baseline,
        i.progress_cut,
        i.progress_year,
        i.progress_4y,
        i.weight,
        i.effective_weight,
        _blank(i.semaforo),
        [a.value for a in i.alerts],
    )


OBJECTIVE_COLUMNS = (
    "cut_id",
    "objective_id",
    "compliance",
    "year",
    "four_year",
    "semaforo",
    "weight",
    "explanation",
)
INDICATOR_COLUMNS = (
    "cut_id",
    "indicator_id",
    "status",
    "programmed",
    "executed",
    "annual_target",
    "baseline",
    "progress_cut",
    "progress_year",
    "progress_4y",
    "weight",
    "effective_weight",
    "semaforo",
    "alerts",
)


def compute_stored_cut(*, cut: Cut) -> PlanResult:
    """The engine's result for ``cut`` from the data in the database now."""
    return compute_cut(plan_spec(cut.plan, until=cut.date), cut=cut.date)


@transaction.atomic
def recompute_cut(*, cut: Cut) -> PlanResult:
    """Compute ``cut`` with the engine and store every result, replacing the previous ones."""
    return recompute_cuts(plan=cut.plan, cuts=[cut])[0]


@transaction.atomic
def recompute_cuts(*, plan: Plan, cuts: Sequence[Cut]) -> list[PlanResult]:
    """``recompute_cut`` of each of ``cuts`` (all of ``plan``), with the plan read once: one
    ``plan_spec`` up to the latest of them, the engine's ``compute_cuts``, and bulk writes
    for all the cuts together. The same rows as one ``recompute_cut`` per cut; the number of
    queries does not grow with the plan's size."""
    if not cuts:
        return []
    if any(cut.plan_id != plan.pk for cut in cuts):
        raise ValueError("recompute_cuts: every cut must belong to the plan given")
    with gc_paused():
        return _recompute_cuts(plan=plan, cuts=cuts)


def _recompute_cuts(*, plan: Plan, cuts: Sequence[Cut]) -> list[PlanResult]:
    cut_ids = [cut.pk for cut in cuts]
    # The plan row of a cut keeps its id (updated in place, as update_or_create did); the
    # objective and indicator rows are replaced. Locked first (update_or_create locked it
    # too): recomputes of the same cut run one after the other, each on committed data.
    locked = PlanCutResult.objects.select_for_update().filter(cut_id__in=cut_ids).order_by("cut_id")
    stored = {row.cut_id: row for row in locked}
    spec = plan_spec(plan, until=max(cut.date for cut in cuts))
    computed = compute_cuts(spec, cuts=[cut.date for cut in cuts])
    results = [computed[cut.date] for cut in cuts]
    ids = _Ids.of(plan)
    now = timezone.now()
    objectives: list[dict[str, Any]] = []
    indicators: list[tuple[Any, ...]] = []
    new_plan_rows: list[PlanCutResult] = []
    for cut, result in zip(cuts, results, strict=True):
        plan_values = _plan_columns(result)
        row = stored.get(cut.pk)
        if row is None:
            new_plan_rows.append(PlanCutResult(cut=cut, **plan_values))
        else:
            for name, value in plan_values.items():
                setattr(row, name, value)
            row.computed_at = now  # bulk_update does not apply auto_now
        objectives += (
            {"cut_id": cut.pk, **_objective_columns(o, ids.objectives, as_text=True)}
            for o in result.objectives
        )
        indicators += (
            (cut.pk, *_indicator_values(i, ids.indicators))
            for o in result.objectives
            for i in o.indicators
        )
    if stored:
        PlanCutResult.objects.bulk_update(
            stored.values(), [*PLAN_RESULT_FIELDS, "computed_at"], batch_size=500
        )
    PlanCutResult.objects.bulk_create(new_plan_rows, batch_size=500)
    ObjectiveCutResult.objects.filter(cut_id__in=cut_ids).delete()
    IndicatorCutResult.objects.filter(cut_id__in=cut_ids).delete()
    insert_rows(ObjectiveCutResult, fields=OBJECTIVE_COLUMNS, rows=objectives)
    insert_rows(IndicatorCutResult, fields=INDICATOR_COLUMNS, rows=indicators)
    return results


def _quantized(value: Decimal | None) -> Decimal | None:
    places = Decimal(1).scaleb(-9)  # well below display precision, above storage noise
    return None if value is None else Decimal(value).quantize(places)


def _fingerprint(row: IndicatorCutResult) -> tuple[Any, ...]:
    q = _quantized
    return (
        row.indicator_id,
        row.status,
        q(row.progress_cut),
        q(row.progress_year),
        q(row.progress_4y),
        q(row.effective_weight),
        tuple(row.alerts),
    )


def stored_results_match(*, cut: Cut) -> bool:
    """Whether recomputing ``cut`` now gives the indicator results it has stored (used to keep a
    published cut from changing silently when the plan's formulation changes)."""
    _, _, fresh = _rows(cut, compute_stored_cut(cut=cut))
    stored = IndicatorCutResult.objects.filter(cut=cut)
    return sorted(map(_fingerprint, fresh), key=repr) == sorted(map(_fingerprint, stored), key=repr)


def _computed_fingerprint(cut: Cut) -> tuple[Any, ...]:
    """Every figure of ``cut`` as computed from the data now: indicator, objective (with its
    weight: an objective weight moves the plan's compliance and no indicator row) and plan."""
    plan_values, objectives, indicators = _rows(cut, compute_stored_cut(cut=cut))
    q = _quantized
    rollups = [
        (o.objective_id, q(o.compliance), q(o.year), q(o.four_year), q(o.weight))
        for o in objectives
    ]
    return (
        tuple(sorted(map(_fingerprint, indicators), key=repr)),
        tuple(sorted(rollups, key=repr)),
        tuple(q(plan_values[k]) for k in ("compliance", "year", "four_year")),
    )


def published_results(*, plan: Plan) -> dict[int, tuple[Any, ...]]:
    """The results the plan's published cuts would have if computed now, by cut id. Taken
    before and after a change of formulation, a difference means the change would alter a
    published cut (DESIGN §5: it never changes; a correction is a new edition)."""
    published = Cut.objects.filter(plan=plan, state=CutState.PUBLICADO)
    return {cut.pk: _computed_fingerprint(cut) for cut in published}


def recompute_unpublished_cuts(*, plan: Plan) -> None:
    """Recompute every cut of ``plan`` that is not published (after a change of its data)."""
    cuts = Cut.objects.filter(plan=plan).exclude(state=CutState.PUBLICADO).order_by("date")
    recompute_cuts(plan=plan, cuts=list(cuts))


def publish_cut(*, cut: Cut, actor: Any = None, actor_label: str = "", reason: str = "") -> bool:
    """Publish ``cut`` now, from ``abierto`` or ``en_revision``, as its next edition (with its
    snapshot) without the review's alert check: for the demo, commands and tests. ``False`` if
    it already was published. The review's own path is ``publication.publish``."""
    from cascada.tracking import publication  # publication builds on this module

    cut.refresh_from_db(fields=["state", "edition"])  # a stale object must not publish twice
    if cut.is_published:
        return False
    publication.publish(
        cut=cut,
        actor=actor,
        actor_label=actor_label,
        reason=reason,
        from_states=(CutState.ABIERTO, CutState.EN_REVISION),
        check_alerts=False,
    )
    cut.refresh_from_db()
    return True

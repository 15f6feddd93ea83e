"""Importing a template workbook into the database: all or nothing, with what changed.

A plan code that exists is updated to the workbook's content: rows are added, modified or
removed so that the database holds exactly what the workbook says. The import writes one audit
entry for the whole file (its SHA-256, who, and what it added, modified and removed) in the same
transaction, and recomputes the plan's cuts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Container, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction

from cascada.engine.model import Level
from cascada.imports.template_v1 import PlanWorkbook
from cascada.plans.models import (
    AnnualTarget,
    DevelopmentPlan,
    Entity,
    Goal,
    Indicator,
    Objective,
    Plan,
    Sector,
    Weight,
)
from cascada.tracking import audit
from cascada.tracking.bulk import gc_paused, insert_rows
from cascada.tracking.models import Cut, CutState, CutTarget, ProgressReport
from cascada.tracking.services import recompute_cuts, stored_results_match

M = TypeVar("M", bound=models.Model)

SHEETS = (
    "plan",
    "objetivos",
    "metas",
    "indicadores",
    "programacion_anual",
    "avances",
    "ponderaciones",
)


class ImportRefused(Exception):
    """The workbook is valid but cannot be applied (e.g. it would change a published cut)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class SheetChanges:
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.modified or self.removed)


@dataclass
class ImportSummary:
    plan_code: str
    created: bool
    sheets: dict[str, SheetChanges]

    @property
    def changed(self) -> bool:
        return self.created or any(s.any for s in self.sheets.values())

    def lines(self) -> list[str]:
        """A Spanish account of the changes, one line per sheet."""
        head = "creado" if self.created else "actualizado" if self.changed else "sin cambios"
        lines = [f"Plan {self.plan_code}: {head}."]
        for sheet, changes in self.sheets.items():
            if changes.any:
                lines.append(
                    f"  {sheet}: {len(changes.added)} agregadas, "
                    f"{len(changes.modified)} modificadas, {len(changes.removed)} eliminadas"
                )
        return lines


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def file_digest(path: Path) -> str:
    """SHA-256 of a workbook, or of a folder of CSV files (names and contents, sorted)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def import_workbook(
    *,
    workbook: PlanWorkbook,
    actor: Any = None,
    actor_label: str = "",
    source: str = "",
    sha256: str = "",
    dry_run: bool = False,
) -> ImportSummary:
    """Apply ``workbook`` in one transaction; with ``dry_run`` say what would change and undo.

    ``source`` (a file name) and ``sha256`` identify the file in the audit log.
    """
    summary: ImportSummary | None = None
    try:
        with gc_paused(), transaction.atomic():
            summary = _apply(workbook)
            if summary.changed:
                audit.record(
                    action="importar_plan",
                    actor=actor,
                    actor_label=actor_label,
                    plan=Plan.objects.get(code=summary.plan_code),
                    target=summary.plan_code,
                    after={
                        "archivo": source,
                        "sha256": sha256,
                        "hojas": {name: vars(changes) for name, changes in summary.sheets.items()},
                    },
                )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    assert summary is not None  # noqa: S101 — _apply either returned or raised
    return summary


def _apply(workbook: PlanWorkbook) -> ImportSummary:
    info = workbook.info
    spec = workbook.spec
    sector, _ = Sector.objects.get_or_create(name=info.sector)
    entities = _entities(workbook, sector)
    development_plan = (
        DevelopmentPlan.objects.get_or_create(name=info.development_plan)[0]
        if info.development_plan
        else None
    )
    plan_fields = {
        "name": info.name,
        "sector": sector,
        "head_entity": entities.get(info.head_entity),
        "development_plan": development_plan,
        "first_vigencia": info.first_vigencia,
        "last_vigencia": info.last_vigencia,
        "mission": info.mission,
        "vision": info.vision,
        "adopting_act": info.adopting_act,
        "legal_basis": info.legal_basis,
        "source": info.source,
        "cap": spec.policy.cap,
        "overexecution_threshold": spec.policy.overexecution_threshold,
    }
    plan = Plan.objects.filter(code=info.code).first()
    created = plan is None
    # In the template's sheet order, so that the account of changes reads like the workbook.
    sheets = {name: SheetChanges() for name in SHEETS}

    if plan is None:
        plan = Plan.objects.create(code=info.code, **plan_fields)
        sheets["plan"].added.append(info.code)
    else:
        published = _published_outside(plan, info.first_vigencia, info.last_vigencia)
        if published:
            raise ImportRefused(published)

    indicator_specs = {i.code: i for o in spec.objectives for i in o.indicators}
    desired_avances = {
        (code, day): p for code, i in indicator_specs.items() for day, p in i.progress.items()
    }
    weights_desired: dict[tuple[str, str, int], dict[str, Any]] = {}
    for level, table in (
        (Level.INDICADOR, spec.indicator_weights),
        (Level.OBJETIVO, spec.objective_weights),
    ):
        for vigencia, by_code in table.items():
            for code, weight in by_code.items():
                weights_desired[(level.value, code, vigencia)] = {"weight": weight}

    # Codes of the rows as they are now: children are keyed by their parents' codes.
    indicator_code = dict(Indicator.objects.filter(plan=plan).values_list("id", "code"))
    objective_code = dict(Objective.objects.filter(plan=plan).values_list("id", "code"))

    def weight_key(w: Weight) -> tuple[str, str, int]:
        code = indicator_code.get(w.indicator_id or 0) or objective_code[w.objective_id or 0]
        return (w.level, code, w.vigencia)

    def avance_key(row: Any) -> tuple[str, date]:  # a CutTarget or a ProgressReport
        return (indicator_code[row.indicator_id], row.cut.date)

    # Removals first, children before parents, so that no row disappears by cascade unlogged.
    avances = sheets["avances"]
    for model in (CutTarget, ProgressReport):
        _prune(
            model._default_manager.filter(cut__plan=plan).select_related("cut"),
            key=avance_key,
            keep=desired_avances,
            changes=avances,
        )
    _prune(
        Weight.objects.filter(plan=plan),
        key=weight_key,
        keep=weights_desired,
        changes=sheets["ponderaciones"],
    )
    annual_desired = {
        (code, vigencia): {"target": target.target, "baseline": target.baseline}
        for code, i in indicator_specs.items()
        for vigencia, target in i.annual_targets.items()
    }
    _prune(
        AnnualTarget.objects.filter(indicator__plan=plan),
        key=lambda a: (indicator_code[a.indicator_id], a.vigencia),
        keep=annual_desired,
        changes=sheets["programacion_anual"],
    )
    for sheet, queryset, codes in (
        ("indicadores", Indicator.objects.filter(plan=plan), indicator_specs),
        ("metas", Goal.objects.filter(plan=plan), {g.code for g in workbook.goals}),
        ("objetivos", Objective.objects.filter(plan=plan), {o.code for o in workbook.objectives}),
    ):
        _prune(queryset, key=_code, keep=codes, changes=sheets[sheet])

    # A cut left without rows goes too, unless it is published (then the import is refused).
    cut_dates = sorted({day for _, day in desired_avances})
    cuts = {c.date: c for c in Cut.objects.filter(plan=plan)}
    for day, cut in sorted(cuts.items()):
        if day in cut_dates:
            continue
        if cut.is_published:
            raise ImportRefused(
                [f"El corte {day.isoformat()} está publicado: no puede eliminarse."]
            )
        cut.delete()
        del cuts[day]

    # Then additions and modifications, parents before children. The plan's own fields come
    # after the removals, so a narrower range of vigencias no longer holds rows outside it.
    if not created:
        before = _snapshot(plan, plan_fields)
        after = _values(Plan, plan_fields)
        if before != after:
            for name, value in plan_fields.items():
                setattr(plan, name, value)
            plan.save()
            sheets["plan"].modified.append(info.code)
    objective_order = {o.code: n for n, o in enumerate(spec.objectives)}
    objectives = _upsert(
        Objective.objects.filter(plan=plan),
        key=_code,
        desired={
            o.code: {"name": o.name, "order": objective_order[o.code]} for o in workbook.objectives
        },
        create=lambda code, values: Objective(plan=plan, code=code, **values),
        changes=sheets["objetivos"],
    )
    goals = _upsert(
        Goal.objects.filter(plan=plan),
        key=_code,
        desired={
            g.code: {
                "objective_id": objectives[g.objective].id,
                "kind": g.kind.value,
                "name": g.name,
                "responsible_entity_id": (
                    entities[g.responsible_entity].id if g.responsible_entity else None
                ),
                "order": n,
            }
            for n, g in enumerate(workbook.goals)
        },
        create=lambda code, values: Goal(plan=plan, code=code, **values),
        changes=sheets["metas"],
    )
    indicators = _upsert(
        Indicator.objects.filter(plan=plan),
        key=_code,
        desired={
            row.code: {
                "goal_id": goals[row.goal].id,
                "name": row.name,
                "unit": row.unit,
                "accumulation": indicator_specs[row.code].accumulation.value,
                "baseline": indicator_specs[row.code].baseline,
                "target_4y": indicator_specs[row.code].target_4y,
                "order": n,
            }
            for n, row in enumerate(workbook.indicators)
        },
        create=lambda code, values: Indicator(plan=plan, code=code, **values),
        changes=sheets["indicadores"],
    )
    indicator_code.update({i.id: code for code, i in indicators.items()})
    objective_code.update({o.id: code for code, o in objectives.items()})
    _upsert(
        AnnualTarget.objects.filter(indicator__plan=plan),
        key=lambda a: (indicator_code[a.indicator_id], a.vigencia),
        desired=annual_desired,
        create=lambda key, values: AnnualTarget(
            indicator_id=indicators[key[0]].id, vigencia=key[1], **values
        ),
        changes=sheets["programacion_anual"],
    )

    def new_weight(key: tuple[str, str, int], values: dict[str, Any]) -> Weight:
        level, code, vigencia = key
        return Weight(
            plan=plan,
            level=level,
            vigencia=vigencia,
            indicator_id=indicators[code].id if level == Level.INDICADOR else None,
            objective_id=objectives[code].id if level == Level.OBJETIVO else None,
            **values,
        )

    _upsert(
        Weight.objects.filter(plan=plan),
        key=weight_key,
        desired=weights_desired,
        create=new_weight,
        changes=sheets["ponderaciones"],
    )

    new_cuts = Cut.objects.bulk_create(
        [Cut(plan=plan, date=day) for day in cut_dates if day not in cuts]
    )
    cuts.update((cut.date, cut) for cut in new_cuts)

    def cut_columns(key: tuple[str, date], values: dict[str, Any]) -> dict[str, Any]:
        return {"cut_id": cuts[key[1]].pk, "indicator_id": indicators[key[0]].pk, **values}

    # The two largest tables: new rows are inserted without model instances (tracking.bulk).
    _upsert(
        CutTarget.objects.filter(cut__plan=plan).select_related("cut"),
        key=avance_key,
        desired={k: {"programmed": p.programmed} for k, p in desired_avances.items()},
        insert=cut_columns,
        changes=avances,
    )
    _upsert(
        ProgressReport.objects.filter(cut__plan=plan).select_related("cut"),
        key=avance_key,
        desired={
            k: {"executed": p.executed, "analysis": p.analysis} for k, p in desired_avances.items()
        },
        insert=cut_columns,
        changes=avances,
    )

    touched_days = {_day_of(k) for k in avances.added + avances.modified + avances.removed}
    published_changes = sorted(
        d.isoformat() for d in touched_days if d in cuts and cuts[d].is_published
    )
    if published_changes:
        raise ImportRefused(
            [
                f"El corte {day} está publicado: sus datos no pueden cambiar por importación "
                "(una corrección crea una nueva edición del corte)."
                for day in published_changes
            ]
        )
    summary = ImportSummary(plan_code=info.code, created=created, sheets=sheets)
    if summary.changed:
        _recompute(plan=plan, cuts=[cuts[day] for day in cut_dates])
    return summary


def _recompute(*, plan: Plan, cuts: list[Cut]) -> None:
    """Recompute every cut; a published one must come out exactly as it was stored."""
    changed = [
        c.date.isoformat() for c in cuts if c.is_published and not stored_results_match(cut=c)
    ]
    if changed:
        raise ImportRefused(
            [
                f"El corte {day} está publicado y el cambio alteraría sus resultados "
                "(pesos, metas o estructura del plan): una corrección crea una nueva edición."
                for day in changed
            ]
        )
    recompute_cuts(plan=plan, cuts=[cut for cut in cuts if not cut.is_published])


def _day_of(label: str) -> date:
    """Cut date from an ``avances`` label ``"CODE @ YYYY-MM-DD"``."""
    return date.fromisoformat(label.rsplit(" @ ", 1)[1])


def _published_outside(plan: Plan, first: int, last: int) -> list[str]:
    return [
        f"El corte {c.date.isoformat()} está publicado y queda fuera de las nuevas vigencias."
        for c in Cut.objects.filter(plan=plan, state=CutState.PUBLICADO)
        if not first <= c.date.year <= last
    ]


def _entities(workbook: PlanWorkbook, sector: Sector) -> dict[str, Entity]:
    """Entities named in the workbook, created by name when new."""
    names = {workbook.info.head_entity} | {g.responsible_entity for g in workbook.goals}
    names.discard("")
    existing = {e.name: e for e in Entity.objects.filter(name__in=names)}
    new = Entity.objects.bulk_create(
        [Entity(name=name, sector=sector) for name in sorted(names - existing.keys())]
    )
    existing.update((entity.name, entity) for entity in new)
    return existing


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value, for comparisons and the audit log."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return _values(type(obj), {name: getattr(obj, name) for name in fields})


def _values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Field values as the database will hold them (decimals at the field's precision), plain."""
    plain: dict[str, Any] = {}
    for name, value in values.items():
        field = model._meta.get_field(name.removesuffix("_id"))
        if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        plain[name] = _plain(value)
    return plain


def _label(key: Hashable) -> str:
    if type(key) is tuple and len(key) == 2 and type(key[0]) is str and type(key[1]) is date:
        # An avances row's (code, cut date), 200.000 of them in a 100.000-row import: the
        # join below, written out.
        return f"{key[0]} @ {key[1].isoformat()}"
    if isinstance(key, tuple):
        return " @ ".join(v.isoformat() if isinstance(v, date) else str(v) for v in key)
    return str(key)


def _code(row: Any) -> str:
    return str(row.code)


def _note(labels: list[str], new: Iterable[str]) -> None:
    """Append the labels of ``new`` not yet in ``labels`` (avances rows are two tables: one
    label per row), in one pass: an import notes every row of a large file."""
    seen = set(labels)
    for label in new:
        if label not in seen:
            seen.add(label)
            labels.append(label)


def _prune(
    queryset: models.QuerySet[M],
    *,
    key: Callable[[M], Hashable],
    keep: Container[Any],
    changes: SheetChanges,
) -> None:
    """Delete the rows of ``queryset`` whose key is not in ``keep``, logging each."""
    doomed = [obj for obj in queryset if key(obj) not in keep]
    _note(changes.removed, (_label(key(obj)) for obj in doomed))
    if doomed:
        queryset.model._default_manager.filter(pk__in=[o.pk for o in doomed]).delete()


def _upsert(
    queryset: models.QuerySet[M],
    *,
    key: Callable[[M], Hashable],
    desired: dict[Any, dict[str, Any]],
    changes: SheetChanges,
    create: Callable[[Any, dict[str, Any]], M] | None = None,
    insert: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None,
) -> dict[Any, M]:
    """Make the rows of ``queryset`` hold ``desired`` (key → field values) with bulk writes;
    returns the rows by key. New rows are made by ``create`` (a model instance, returned with
    its id) or by ``insert`` (the new row's columns: written by ``insert_rows``, fastest, and
    not returned)."""
    model = queryset.model
    existing = {key(obj): obj for obj in queryset}
    to_update: list[M] = []
    updated_fields: set[str] = set()
    modified: list[str] = []
    for k, values in desired.items():
        obj = existing.get(k)
        if obj is None:
            continue
        before = _snapshot(obj, values)
        after = _values(model, values)
        differing = {n for n in values if before[n] != after[n]}
        if differing:
            for name in differing:
                setattr(obj, name, values[name])
            to_update.append(obj)
            updated_fields |= differing
        if differing - {"order"}:  # a row that only moved in the file is not a change of data
            modified.append(_label(k))
    _note(changes.modified, modified)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(updated_fields), batch_size=1000)
    new = [k for k in desired if k not in existing]
    if insert is not None:
        columns = [insert(k, desired[k]) for k in new]
        if columns:
            insert_rows(model, fields=tuple(columns[0]), rows=columns)
    elif create is not None:
        instances = [create(k, desired[k]) for k in new]
        created = model._default_manager.bulk_create(instances, batch_size=1000)
        existing.update(zip(new, created, strict=True))
    else:
        raise TypeError("_upsert needs create or insert")
    _note(changes.added, (_label(k) for k in new))
    return existing

"""What changed between two editions of a cut, for a citizen: the differences of
``editions.differences`` grouped by what they are about (the plan, each objective, each
indicator with its report), each field named in Spanish and each value typed (a percentage, an
amount, a status, a date…) so that the template writes it in es-CO with the display filters.

Left out: the explanation terms of each weighted mean (they follow from the figures shown) and
the snapshot's bookkeeping (who saved a report and when), which say nothing about the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cascada.tracking.editions import Change
from cascada.tracking.models import CutEdition, ReportState

# How a value is written: the template picks the filter by this name.
PCT, NUM, STATUS, SEMAFORO, ALERTS, DATE, TEXT, LIST = (
    "pct",
    "num",
    "status",
    "semaforo",
    "alerts",
    "date",
    "text",
    "list",
)

# (field) → (label, kind). The same field means the same thing in every part of a snapshot,
# except where ``_BY_KIND`` says otherwise.
_FIELDS: dict[str, tuple[Promise, str]] = {
    "cumplimiento": (_("Cumplimiento al corte"), PCT),
    "avance_corte": (_("Avance del corte"), PCT),
    "avance_vigencia": (_("Avance de la vigencia"), PCT),
    "avance_cuatrienio": (_("Avance del cuatrienio"), PCT),
    "semaforo": (_("Semáforo"), SEMAFORO),
    "peso": (_("Peso"), PCT),
    "peso_efectivo": (_("Peso efectivo"), PCT),
    "peso_vigencia": (_("Peso en la vigencia"), PCT),
    "estado": (_("Estado"), STATUS),
    "alertas": (_("Alertas"), ALERTS),
    "programado_corte": (_("Programado al corte"), NUM),
    "ejecutado_corte": (_("Ejecutado al corte"), NUM),
    "meta_vigencia": (_("Meta de la vigencia"), NUM),
    "linea_base": (_("Línea base"), NUM),
    "linea_base_vigencia": (_("Línea base de la vigencia"), NUM),
    "meta_cuatrienio": (_("Meta del cuatrienio"), NUM),
    "analisis": (_("Análisis cualitativo"), TEXT),
    "evidencias": (_("Evidencias"), LIST),
    "nombre": (_("Nombre"), TEXT),
    "unidad": (_("Unidad de medida"), TEXT),
    "objetivo": (_("Objetivo"), TEXT),
    "meta": (_("Meta"), TEXT),
    "tipo": (_("Tipo de meta"), TEXT),
    "tipo_anualizacion": (_("Tipo de anualización"), TEXT),
    "entidad_responsable": (_("Entidad responsable"), TEXT),
    "orden": (_("Orden"), TEXT),
    "sector": (_("Sector"), TEXT),
    "entidad_cabeza": (_("Entidad cabeza del sector"), TEXT),
    "fuente": (_("Fuente"), TEXT),
    "vigencia_inicial": (_("Primera vigencia"), TEXT),
    "vigencia_final": (_("Última vigencia"), TEXT),
    "tope_indicador": (_("Tope por indicador"), PCT),
    "umbral_sobreejecucion": (_("Umbral de sobreejecución"), PCT),
    "fecha_limite": (_("Fecha límite de reporte"), DATE),
    "motivo": (_("Motivo de la excepción"), TEXT),
}
_BY_KIND: dict[tuple[str, str], tuple[Promise, str]] = {
    ("reporte", "estado"): (_("Estado del reporte"), TEXT),
    ("semaforo_bandas", "semaforo"): (_("Bandas del semáforo"), TEXT),
}
_SKIPPED = frozenset({"explicacion", "reportado_por", "reportado_el"})


@dataclass(frozen=True)
class ChangeRow:
    label: str
    kind: str
    before: Any
    after: Any
    is_result: bool  # a computed result (else an input: formulation, programming, report)


@dataclass(frozen=True)
class ChangeGroup:
    title: str  # "Indicador S · Número de personas atendidas"
    anchor: str
    rows: tuple[ChangeRow, ...]


def _value(kind: str, field: str, value: Any) -> Any:
    """The snapshot's JSON value as the template's filters want it."""
    if value is None or value == "" or value == []:
        return None
    if kind in (PCT, NUM):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return str(value)
    if kind == DATE:
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    if field == "estado" and kind == TEXT:  # a report's state
        try:
            return str(ReportState(value).label)
        except ValueError:
            return str(value)
    if kind in (ALERTS, LIST):
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if kind == TEXT and field == "semaforo" and isinstance(value, list):
        return "; ".join(
            f"{band.get('color', '')} ≥ {band.get('desde', '')}" for band in value if band
        )
    return value


def _label(change: Change) -> tuple[str, str]:
    if change.kind == "plan" and change.field == "semaforo" and change.section == "insumos":
        return _named(_BY_KIND[("semaforo_bandas", "semaforo")])
    known = _BY_KIND.get((change.kind, change.field)) or _FIELDS.get(change.field)
    return _named(known) if known is not None else (change.field, TEXT)


def _named(entry: tuple[Promise, str]) -> tuple[str, str]:
    label, kind = entry
    return str(label), kind


def _subject(change: Change) -> tuple[int, str, str]:
    """(order, kind, code) of what a change is about: the report of an indicator and its
    exceptions belong to the indicator; the cut to the plan."""
    if change.kind in ("plan", "corte"):
        return (0, "plan", "")
    if change.kind == "objetivo":
        return (1, "objetivo", change.code)
    if change.kind == "meta":
        return (2, "meta", change.code)
    return (3, "indicador", change.code)


def _names(edition: CutEdition) -> dict[tuple[str, str], str]:
    inputs = edition.inputs
    out = {("plan", ""): str(inputs.get("plan", {}).get("nombre", ""))}
    for kind, key in (("objetivo", "objetivos"), ("meta", "metas"), ("indicador", "indicadores")):
        for row in inputs.get(key, []):
            out[(kind, str(row.get("codigo", "")))] = str(row.get("nombre", ""))
    return out


def _title(kind: str, code: str, name: str) -> str:
    label = {
        "plan": _("Plan"),
        "objetivo": _("Objetivo"),
        "meta": _("Meta"),
        "indicador": _("Indicador"),
    }[kind]
    head = f"{label} {code}".strip()
    return f"{head} · {name}" if name else head


def change_groups(
    changes: Sequence[Change], *, old: CutEdition, new: CutEdition
) -> list[ChangeGroup]:
    """``changes`` grouped by subject (plan, objectives, goals, indicators, in that order),
    inputs before results; a result that repeats an input of the same subject with the same
    values (the executed amount, reported and then used) is shown once."""
    names = {**_names(old), **_names(new)}
    plan_code = str(new.inputs.get("plan", {}).get("codigo", ""))
    grouped: dict[tuple[int, str, str], list[ChangeRow]] = {}
    for change in changes:
        if change.field in _SKIPPED:
            continue
        label, kind = _label(change)
        row = ChangeRow(
            label=label,
            kind=kind,
            before=_value(kind, change.field, change.before),
            after=_value(kind, change.field, change.after),
            is_result=change.section == "resultados",
        )
        if row.before == row.after:
            continue
        rows = grouped.setdefault(_subject(change), [])
        if any((r.label, r.before, r.after) == (row.label, row.before, row.after) for r in rows):
            continue
        rows.append(row)
    return [
        ChangeGroup(
            title=_title(kind, plan_code if kind == "plan" else code, names.get((kind, code), "")),
            anchor=f"{kind}-{n}",
            rows=tuple(rows),
        )
        for n, ((_order, kind, code), rows) in enumerate(
            # plan, objectives, goals, indicators; each in the snapshot's order (stable sort)
            sorted(grouped.items(), key=lambda item: item[0][0]),
            start=1,
        )
        if rows
    ]


def published_day(edition: CutEdition) -> date | None:
    """The day an edition was published, in the site's time zone."""
    moment: datetime | None = edition.published_at
    return None if moment is None else timezone.localdate(moment)

"""One entry point for every format of the follow-up report: the CLI (``cascada report``), the
web downloads and the background task all call ``render_report``, which builds the dataset once
and hands it to the renderer of the format asked for.

Progress is reported through an optional callback ``progress(percent, message)`` in stages:
0 (reading the cut), 10 (the dataset is built; rendering), 90 (rendered), 100 (done). Messages are
Spanish, for the CLI's stderr and the job page.

``include_drafts=False`` is the public's view (the web for anonymous visitors): the cut must be
published, or under correction, and then the report is its edition in force, read from that
edition's snapshot (``editions.public_snapshot``); the plan's data in the ``.xlsx`` carries only
the programming and reports of published cuts, those of a cut under correction as its edition in
force has them, so a draft's figures never leave through a download.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import Final, Literal, get_args

from django.utils.translation import gettext_noop

from cascada.engine.display import Lang
from cascada.engine.model import Progress as ProgressRow
from cascada.imports.export import plan_workbook
from cascada.imports.template_v1 import PlanWorkbook
from cascada.plans.models import Plan
from cascada.reports.dataset import ReportDataset, ReportNotFound, build_dataset
from cascada.tracking.editions import edition_progress, public_cuts, public_snapshot
from cascada.tracking.models import Cut, CutEdition

__all__ = [
    "CONTENT_TYPES",
    "DONE",
    "FORMATS",
    "Progress",
    "ReportFormat",
    "render_dataset",
    "render_report",
    "report_filename",
    "to_json",
]

ReportFormat = Literal["pdf", "pptx", "xlsx", "html", "json"]
FORMATS: Final[tuple[ReportFormat, ...]] = get_args(ReportFormat)
CONTENT_TYPES: Final[dict[str, str]] = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# Progress messages: Spanish, marked for translation so the job page can show them in English.
READING_CUT = gettext_noop("Datos del corte…")
READING_PLAN = gettext_noop("Datos del plan…")
GENERATING: Final[dict[str, str]] = {
    "pdf": gettext_noop("Generando el PDF…"),
    "pptx": gettext_noop("Generando la presentación de PowerPoint…"),
    "xlsx": gettext_noop("Generando el libro de Excel…"),
    "html": gettext_noop("Generando la página HTML…"),
    "json": gettext_noop("Generando el JSON…"),
}
RENDERED = gettext_noop("Informe generado.")
DONE = gettext_noop("Informe listo.")

Progress = Callable[[int, str], None]


def _no_progress(percent: int, message: str) -> None:
    """The default progress callback: nobody is watching."""


def render_report(
    *,
    plan_code: str,
    cut_date: date,
    fmt: str,
    lang: Lang = "es",
    progress: Progress | None = None,
    include_drafts: bool = True,
) -> tuple[bytes, str, str]:
    """The report of ``plan_code`` at ``cut_date`` in ``fmt``, as ``(content, content type,
    file name)``. Raises ``ReportNotFound`` (Spanish message) for an unknown plan or cut, a cut
    without results, or a cut the public may not see (``include_drafts=False``), and
    ``ValueError`` for an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(f"Formato desconocido '{fmt}'; se esperaba uno de: {', '.join(FORMATS)}.")
    report_format: ReportFormat = fmt
    notify = progress or _no_progress
    notify(0, READING_CUT)
    edition: CutEdition | None = None
    if not include_drafts:
        cut = _public_cut(plan_code, cut_date)
        if cut is None:
            raise ReportNotFound(
                f"El plan '{plan_code}' no tiene un corte publicado el {cut_date.isoformat()}."
            )
        edition = public_snapshot(cut)
    dataset = build_dataset(plan_code=plan_code, cut_date=cut_date, lang=lang, edition=edition)
    workbook: PlanWorkbook | None = None
    if report_format == "xlsx":
        notify(5, READING_PLAN)
        workbook = _plan_data(plan_code, include_drafts=include_drafts)
    notify(10, GENERATING[report_format])
    content = render_dataset(dataset, report_format, workbook=workbook)
    notify(90, RENDERED)
    filename = report_filename(plan_code, cut_date, report_format)
    notify(100, DONE)
    return content, CONTENT_TYPES[report_format], filename


def render_dataset(
    dataset: ReportDataset, fmt: ReportFormat, *, workbook: PlanWorkbook | None = None
) -> bytes:
    """``dataset`` rendered as ``fmt`` (``workbook``, the plan's data, is needed for xlsx)."""
    # Renderers are imported when asked for: WeasyPrint and python-pptx are heavy to load.
    if fmt == "pdf":
        from cascada.reports.pdf import render_pdf

        return render_pdf(dataset)
    if fmt == "pptx":
        from cascada.reports.pptx import render_pptx

        return render_pptx(dataset)
    if fmt == "xlsx":
        from cascada.reports.xlsx import render_xlsx

        if workbook is None:
            raise ValueError("El informe en Excel necesita los datos del plan (workbook).")
        return render_xlsx(dataset, workbook)
    if fmt == "html":
        from cascada.reports.html import render_html

        return render_html(dataset).encode("utf-8")
    return to_json(dataset)


def to_json(dataset: ReportDataset) -> bytes:
    """The dataset itself, as every renderer consumed it: UTF-8 JSON, indented."""
    text = json.dumps(dataset.as_json(), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def report_filename(plan_code: str, cut_date: date, fmt: str) -> str:
    """``seguimiento_PES-GP-2024-2027_2026-03-31.pdf``: letters without accents, digits, ``.``,
    ``_`` and ``-`` only (anything else becomes ``_``), never starting with a dot."""
    ascii_code = unicodedata.normalize("NFKD", plan_code).encode("ascii", "ignore").decode()
    safe = _UNSAFE.sub("_", ascii_code).strip("._") or "plan"
    return f"seguimiento_{safe[:80]}_{cut_date.isoformat()}.{fmt}"


def _public_cut(plan_code: str, cut_date: date) -> Cut | None:
    """The cut, when the public may read it: published, or under correction (its edition in
    force)."""
    return Cut.objects.filter(public_cuts(), plan__code=plan_code, date=cut_date).first()


def _plan_data(plan_code: str, *, include_drafts: bool) -> PlanWorkbook:
    plan = Plan.objects.filter(code=plan_code).first()
    if plan is None:
        raise ReportNotFound(f"No existe el plan '{plan_code}'.")
    workbook = plan_workbook(plan)
    if include_drafts:
        return workbook
    days: set[date] = set()
    in_force: dict[date, dict[str, ProgressRow]] = {}
    for cut in Cut.objects.filter(public_cuts(), plan=plan):
        days.add(cut.date)
        edition = public_snapshot(cut)
        if edition is not None:
            in_force[cut.date] = edition_progress(edition)
    return _only_cuts(workbook, days, in_force)


def _only_cuts(
    workbook: PlanWorkbook,
    days: set[date],
    in_force: dict[date, dict[str, ProgressRow]] | None = None,
) -> PlanWorkbook:
    """``workbook`` with the programming and reports of the cuts ``days`` only; for the cuts in
    ``in_force`` (under correction), those of their edition in force, by indicator code."""
    spec = workbook.spec
    in_force = in_force or {}

    def progress(code: str, current: Mapping[date, ProgressRow]) -> dict[date, ProgressRow]:
        kept = {d: p for d, p in current.items() if d in days and d not in in_force}
        for day, rows in in_force.items():
            if code in rows:
                kept[day] = rows[code]
        return dict(sorted(kept.items()))

    objectives = tuple(
        replace(
            objective,
            indicators=tuple(
                replace(indicator, progress=progress(indicator.code, indicator.progress))
                for indicator in objective.indicators
            ),
        )
        for objective in spec.objectives
    )
    return replace(workbook, spec=replace(spec, objectives=objectives))

"""Entering a progress report (DESIGN §1, §5): an entity's executed value at a cut, its
qualitative analysis and its evidence links, with optimistic locking and an audit row.

One service for every way in (the API now, the web forms of the workflow issue later), so the
rules are the same everywhere:

* the cut must be open (``abierto``): a cut under review belongs to the planning office and a
  published one is frozen (a correction is a new edition, DESIGN §5);
* ``version`` is the version of the report the client last read (0 when there was no report):
  a different current version is a conflict, never a silent overwrite;
* the executed value arrives parsed (callers read text with the import's one number rule,
  ``cascada.imports.numbers``, which lives in a layer above this one) and must fit what the
  database stores (18 integer digits, 6 decimals);
* bad input changes nothing and every problem is reported, by field, in Spanish;
* the change, its audit row and the recomputed results of the cut are one transaction;
* a report moves ``borrador`` → ``enviado`` when its entity submits it (``submit=True``; the
  reviewers then return it, ``devuelto``, or approve it, ``aprobado``). Only a report with no
  row yet, in ``borrador`` or ``devuelto`` can be changed; submitting needs the executed value,
  and the analysis when the engine's status for the values sent is ``en_rezago``,
  ``sobreejecutada`` or ``ejecutada_sin_programacion`` (DESIGN §2). Saving a draft of a
  returned report keeps it ``devuelto``, so that the to-do list keeps showing why it came back
  until it is sent again;
* ``preview`` evaluates the values being typed with the engine, from the same inputs as the
  stored computation, for the live preview of the web form.

Who may report is ``cascada.accounts.policy`` (``can_report`` for the API, ``can_enter_report``
for the web forms); callers check it, as with roles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cascada.engine.display import format_number, status_label
from cascada.engine.model import IndicatorResult, Progress
from cascada.engine.progress import NEEDS_ANALYSIS, evaluate_indicator
from cascada.plans.language import display_lang
from cascada.plans.models import AMOUNT_DIGITS, AMOUNT_PLACES, Indicator
from cascada.plans.text import CONTROL_CHARACTERS
from cascada.tracking import audit
from cascada.tracking.models import (
    AuditEvent,
    CommentKind,
    Cut,
    CutState,
    ProgressReport,
    ReportComment,
)
from cascada.tracking.models import ReportState as Stage
from cascada.tracking.selectors import indicator_spec, plan_policy
from cascada.tracking.services import recompute_cut

REPORTABLE_STATES = frozenset({CutState.ABIERTO.value})
# A report its entity may still change ("": no report yet).
EDITABLE_STAGES = frozenset({"", Stage.BORRADOR.value, Stage.DEVUELTO.value})
MAX_ANALYSIS = 20_000  # characters
MAX_LINKS = 20
MAX_LINK = 2_000  # characters
INTEGER_DIGITS = AMOUNT_DIGITS - AMOUNT_PLACES

# The characters no text may hold (``cascada.plans.text``): the same rule as the admin and the
# import.
_CONTROL = CONTROL_CHARACTERS
_LINK = URLValidator(schemes=["http", "https"])


class ReportRefused(Exception):
    """The report cannot be saved as asked; ``message`` says why, in Spanish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CutNotOpen(ReportRefused):
    """The cut is under review or published."""


class ReportLocked(ReportRefused):
    """The report was sent to review or approved: it changes only after it is returned."""


class VersionConflict(ReportRefused):
    """Someone saved the report since the client read it; ``current`` is what is there now."""

    def __init__(self, message: str, current: ReportState) -> None:
        super().__init__(message)
        self.current = current


class InvalidReport(ReportRefused):
    """Input that breaks a rule; ``errors`` maps a field ("ejecutado", "evidencias.2") to its
    message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Los datos del reporte no son válidos.")
        self.errors = errors


@dataclass(frozen=True)
class ReportState:
    """A report as stored (``version`` 0: nothing reported yet)."""

    version: int
    executed: Decimal | None
    analysis: str
    evidence: tuple[str, ...]
    reported_at: datetime | None
    reported_by: str
    stage: str = ""  # a ``ReportState`` value of the model; "" when there is no report
    proposed_programmed: Decimal | None = None
    submitted_at: datetime | None = None

    @property
    def editable(self) -> bool:
        return self.stage in EDITABLE_STAGES

    def as_audit(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": self.version,
            "estado": self.stage,
            "ejecutado": None if self.executed is None else _plain(self.executed),
            "analisis": self.analysis,
            "evidencias": list(self.evidence),
        }
        if self.proposed_programmed is not None:
            data["programacion_propuesta"] = _plain(self.proposed_programmed)
        return data


@dataclass(frozen=True)
class ReportInput:
    """What a client sends, the executed value already read as a number (``None``: blank)."""

    executed: Decimal | None
    analysis: str = ""
    evidence: Sequence[object] = field(default_factory=tuple)
    # Only with ``propose`` (a plan that lets entities propose programming); otherwise the
    # stored proposal is kept as it is.
    proposed_programmed: Decimal | None = None
    propose: bool = False


def _plain(value: Decimal) -> str:
    """``Decimal('8.000000')`` → ``'8'``; ``Decimal('0.180000')`` → ``'0.18'``."""
    text = format(value.normalize(), "f")
    return text


def state_of(report: ProgressReport | None) -> ReportState:
    if report is None:
        return ReportState(0, None, "", (), None, "")
    by = report.reported_by
    return ReportState(
        version=report.version,
        executed=report.executed,
        analysis=report.analysis,
        evidence=tuple(str(link) for link in report.evidence or ()),
        reported_at=report.reported_at,
        reported_by=by.get_username() if by is not None else "",
        stage=report.state,
        proposed_programmed=report.proposed_programmed,
        submitted_at=report.submitted_at,
    )


def current_report(*, cut: Cut, indicator: Indicator) -> ReportState:
    report = (
        ProgressReport.objects.select_related("reported_by")
        .filter(cut=cut, indicator=indicator)
        .first()
    )
    return state_of(report)


def executed_problem(number: Decimal | None) -> str:
    """Why ``number`` cannot be stored as an executed value ("" when it can)."""
    if number is None:
        return ""
    if not number.is_finite():
        return _("Se esperaba un número finito.")
    number = number.normalize()
    if int(number.as_tuple().exponent) < -AMOUNT_PLACES:
        return _("Admite como máximo %(n)s decimales.") % {"n": AMOUNT_PLACES}
    if number != 0 and number.adjusted() + 1 > INTEGER_DIGITS:
        return _("Admite como máximo %(n)s cifras enteras.") % {"n": INTEGER_DIGITS}
    return ""


def _count(n: int) -> str:
    """``20000`` → ``20.000`` (es) / ``20,000`` (en)."""
    return format_number(Decimal(n), 0, display_lang())


def report_problems(data: ReportInput) -> dict[str, str]:
    """Every problem of ``data``, by field ("ejecutado", "analisis", "evidencias.2")."""
    errors: dict[str, str] = {}
    problem = executed_problem(data.executed)
    if problem:
        errors["ejecutado"] = problem
    problem = executed_problem(data.proposed_programmed) if data.propose else ""
    if problem:
        errors["programacion"] = problem
    if not isinstance(data.analysis, str):
        errors["analisis"] = _("Debe ser un texto.")
    elif len(data.analysis.strip()) > MAX_ANALYSIS:
        errors["analisis"] = _("Admite como máximo %(n)s caracteres.") % {"n": _count(MAX_ANALYSIS)}
    elif _CONTROL.search(data.analysis):
        errors["analisis"] = _("Contiene caracteres de control no admitidos.")
    if len(data.evidence) > MAX_LINKS:
        errors["evidencias"] = _("Admite como máximo %(n)s enlaces.") % {"n": MAX_LINKS}
    else:
        for n, raw in enumerate(data.evidence):
            problem = _link_problem(raw.strip() if isinstance(raw, str) else None)
            if problem:
                errors[f"evidencias.{n}"] = problem
    return errors


def _clean(data: ReportInput) -> tuple[Decimal | None, str, tuple[str, ...]]:
    errors = report_problems(data)
    if errors:
        raise InvalidReport(errors)
    links = tuple(str(link).strip() for link in data.evidence)
    return _normal(data.executed), data.analysis.strip(), links


def _normal(number: Decimal | None) -> Decimal | None:
    return None if number is None else number.normalize()


def _link_problem(link: str | None) -> str:
    if link is None:
        return _("Debe ser un texto con un enlace.")
    if not link:
        return _("El enlace está vacío.")
    if _CONTROL.search(link) or any(ch.isspace() for ch in link):
        return _("El enlace contiene espacios o caracteres no admitidos.")
    if len(link) > MAX_LINK:
        return _("Un enlace admite como máximo %(n)s caracteres.") % {"n": _count(MAX_LINK)}
    try:
        _LINK(link)
    except DjangoValidationError:
        return _("Se esperaba un enlace completo que empiece por https:// o http://.")
    return ""


def closed_reason(cut: Cut) -> str:
    """Why reports of ``cut`` cannot be entered now ("" when they can)."""
    if cut.state in REPORTABLE_STATES:
        return ""
    label = str(CutState(cut.state).label).lower()
    reason = _("El corte %(day)s está %(state)s: solo se reporta en un corte abierto.") % {
        "day": cut.date.isoformat(),
        "state": label,
    }
    if cut.state == CutState.PUBLICADO:
        reason += " " + _("Una corrección de un corte publicado es una nueva edición.")
    return reason


def audit_target(cut: Cut, indicator: Indicator) -> str:
    """The ``AuditEvent.target`` of every change to one report (the report's history)."""
    return f"reporte de avance: {cut} · {indicator.code}"


BULK_ACTION = "reporte:carga_masiva"


def bulk_target(cut: Cut) -> str:
    """The ``AuditEvent.target`` of a bulk entry file at ``cut``."""
    return f"carga masiva de reportes: {cut}"


def history(*, cut: Cut, indicator: Indicator) -> list[AuditEvent]:
    """The audit events of the report of ``indicator`` at ``cut``, oldest first: its own rows
    (saved, sent, returned, approved…) and the bulk entry files that changed it."""
    own = AuditEvent.objects.filter(
        plan=cut.plan, target__endswith=f": {cut} · {indicator.code}"
    ).select_related("actor")
    files = AuditEvent.objects.filter(
        plan=cut.plan, action=BULK_ACTION, target=bulk_target(cut)
    ).select_related("actor")
    touched = [
        event
        for event in files
        if isinstance(event.after, dict)
        and indicator.code in {row.get("indicador") for row in event.after.get("cambios", [])}
    ]
    return sorted([*own, *touched], key=lambda e: (e.at, e.id))


def locked_reason(state: ReportState) -> str:
    """Why the entity cannot change the report now ("" when it can)."""
    if state.editable:
        return ""
    if state.stage == Stage.APROBADO:
        return _("El reporte fue aprobado: ya no se puede modificar.")
    return _(
        "El reporte fue enviado a revisión: no se puede modificar mientras la oficina de "
        "planeación lo revisa, salvo que lo devuelva."
    )


def preview(
    *, cut: Cut, indicator: Indicator, executed: Decimal | None, analysis: str
) -> IndicatorResult:
    """The engine's result for ``indicator`` at ``cut`` if its report said ``executed`` and
    ``analysis``: the stored inputs (formulation, programming, earlier cuts) with this one
    report replaced, evaluated exactly as the stored computation does."""
    spec = indicator_spec(indicator=indicator, until=cut.date)
    programmed = spec.progress.get(cut.date, Progress()).programmed
    spec = replace(
        spec, progress={**spec.progress, cut.date: Progress(programmed, executed, analysis)}
    )
    return evaluate_indicator(spec, cut=cut.date, policy=plan_policy(cut.plan))


def submit_problems(
    *, cut: Cut, indicator: Indicator, executed: Decimal | None, analysis: str
) -> dict[str, str]:
    """What a report needs before it goes to review, by field."""
    if executed is None:
        return {"ejecutado": _("Indique el ejecutado al corte para enviar el reporte a revisión.")}
    result = preview(cut=cut, indicator=indicator, executed=executed, analysis=analysis)
    if result.status in NEEDS_ANALYSIS and not analysis.strip():
        label = status_label(result.status, display_lang())
        return {
            "analisis": _(
                "El análisis cualitativo es obligatorio cuando el estado es «%(status)s»: "
                "explique la diferencia entre lo programado y lo ejecutado."
            )
            % {"status": label}
        }
    return {}


def save_report(
    *,
    cut: Cut,
    indicator: Indicator,
    version: int,
    data: ReportInput,
    actor: Any,
    actor_label: str = "",
    reason: str = "",
    submit: bool = False,
    comment: str = "",
) -> tuple[ReportState, bool]:
    """Set the executed value, analysis and evidence of ``indicator`` at ``cut``; with
    ``submit``, also send the report to review (state ``enviado``, and a ``ReportComment`` of
    kind ``enviado`` with ``comment``).

    Returns the report as saved and whether anything changed (saving what is already there
    changes nothing: no new version, no audit row). Raises ``InvalidReport``, ``CutNotOpen``,
    ``ReportLocked`` or ``VersionConflict``; nothing is written then.
    """
    executed, analysis, evidence = _clean(data)
    proposed = _normal(data.proposed_programmed)
    if _CONTROL.search(comment) or len(comment) > MAX_ANALYSIS:
        raise InvalidReport(
            {"comentario": _("El comentario es muy largo o tiene caracteres de control.")}
        )
    if data.propose and not cut.plan.reporters_propose_programming:
        raise InvalidReport(
            {"programacion": _("Este plan no permite que las entidades propongan la programación.")}
        )
    with transaction.atomic():
        # The cut row is the lock: reports of one cut and its recomputation go one at a time,
        # and the state cannot change under us.
        locked = Cut.objects.select_for_update().get(pk=cut.pk)
        closed = closed_reason(locked)
        if closed:
            raise CutNotOpen(closed)
        report = (
            ProgressReport.objects.select_for_update(of=("self",))
            .select_related("reported_by")
            .filter(cut=locked, indicator=indicator)
            .first()
        )
        before = state_of(report)
        if version != before.version:
            raise VersionConflict(
                _(
                    "El reporte cambió desde que se leyó (versión enviada %(sent)s, versión "
                    "actual %(current)s). Vuelva a leerlo y aplique sus cambios sobre la versión "
                    "actual."
                )
                % {"sent": version, "current": before.version},
                before,
            )
        locked_out = locked_reason(before)
        if locked_out:
            raise ReportLocked(locked_out)
        if not data.propose:
            proposed = before.proposed_programmed
        if submit:
            problems = submit_problems(
                cut=locked, indicator=indicator, executed=executed, analysis=analysis
            )
            if problems:
                raise InvalidReport(problems)
        unchanged = (
            report is not None
            and not submit
            and before.executed == executed
            and before.analysis == analysis
            and before.evidence == evidence
            and before.proposed_programmed == proposed
        )
        if unchanged:
            return before, False
        user = actor if getattr(actor, "is_authenticated", False) else None
        report = _write(
            cut=locked,
            indicator=indicator,
            report=report,
            values=(executed, analysis, evidence, proposed),
            user=user,
            submit=submit,
        )
        if submit:
            ReportComment.objects.create(
                report=report, author=user, kind=CommentKind.ENVIADO, text=comment.strip()
            )
        after = state_of(report)
        audit.record(
            action="reporte:enviar" if submit else "reporte:guardar",
            actor=actor,
            actor_label=actor_label,
            plan=locked.plan,
            target=audit_target(locked, indicator),
            before=before.as_audit() if before.version else None,
            after=after.as_audit(),
            reason=reason,
        )
        recompute_cut(cut=locked)
        return after, True


def _write(
    *,
    cut: Cut,
    indicator: Indicator,
    report: ProgressReport | None,
    values: tuple[Decimal | None, str, tuple[str, ...], Decimal | None],
    user: Any,
    submit: bool,
) -> ProgressReport:
    """Store checked values (executed, analysis, evidence, proposed programming) as the next
    version of the report. A draft of a returned report stays ``devuelto``."""
    executed, analysis, evidence, proposed = values
    now = timezone.now()
    if report is None:
        report = ProgressReport(cut=cut, indicator=indicator, version=0)
    returned = report.state == Stage.DEVUELTO and report.pk is not None
    report.executed = executed
    report.analysis = analysis
    report.evidence = list(evidence)
    report.proposed_programmed = proposed
    report.reported_by = user
    report.reported_at = now
    report.version += 1
    if submit:
        report.state = Stage.ENVIADO
        report.submitted_at = now
    elif not returned:
        report.state = Stage.BORRADOR
    report.save()
    return report


# ---------------------------------------------------------------------------------------------
# Many reports at once (bulk entry from a spreadsheet): all or nothing, one audit row


@dataclass(frozen=True)
class BulkRow:
    """One row of a bulk entry file: where it is, which report, the version it was read at."""

    line: int  # the spreadsheet row, as the user sees it
    indicator: Indicator
    version: int
    data: ReportInput


@dataclass
class BulkSummary:
    added: list[str] = field(default_factory=list)  # indicator codes with a new report
    modified: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # what the audit row keeps

    @property
    def changed(self) -> bool:
        return bool(self.added or self.modified)


class BulkRefused(ReportRefused):
    """The file cannot be applied; ``messages`` name each row and what is wrong, in Spanish."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


class _Rollback(Exception):
    pass


def save_reports(
    *,
    cut: Cut,
    rows: Sequence[BulkRow],
    actor: Any,
    source: str = "",
    sha256: str = "",
    sheet: str = "reportes",
    dry_run: bool = False,
) -> BulkSummary:
    """Save every row, or none: the same rules as ``save_report`` (cut open, each report's
    version, drafts only, valid values), one audit row for the whole file with its SHA-256 and
    summary, one recomputation. A row equal to the report as stored is left alone, whatever its
    version; a row that differs from a report changed since the file was made is a conflict.
    With ``dry_run`` nothing is written and the summary says what would change.

    Raises ``CutNotOpen`` or ``BulkRefused`` (every problem found, each naming its row)."""
    summary = BulkSummary()
    try:
        with transaction.atomic():
            locked = Cut.objects.select_for_update().get(pk=cut.pk)
            closed = closed_reason(locked)
            if closed:
                raise CutNotOpen(closed)
            reports = {
                r.indicator_id: r
                for r in ProgressReport.objects.select_for_update(of=("self",))
                .select_related("reported_by")
                .filter(cut=locked, indicator__in=[row.indicator for row in rows])
            }
            problems: list[str] = []
            conflicts: list[str] = []
            planned = []
            for row in rows:
                where = _("Hoja '%(sheet)s', fila %(row)s (indicador %(code)s)") % {
                    "sheet": sheet,
                    "row": row.line,
                    "code": row.indicator.code,
                }
                errors = report_problems(row.data)
                if errors:
                    problems.extend(f"{where}, {k}: {v}" for k, v in errors.items())
                    continue
                if row.data.propose and not locked.plan.reporters_propose_programming:
                    problems.append(
                        f"{where}: este plan no permite que las entidades propongan la "
                        "programación."
                    )
                    continue
                executed, analysis, evidence = _clean(row.data)
                report = reports.get(row.indicator.id)
                before = state_of(report)
                # The proposal as the form does it: only where the plan takes one.
                proposed = (
                    _normal(row.data.proposed_programmed)
                    if row.data.propose
                    else before.proposed_programmed
                )
                if report is not None and (
                    before.executed,
                    before.analysis,
                    before.evidence,
                    before.proposed_programmed,
                ) == (executed, analysis, evidence, proposed):
                    summary.unchanged.append(row.indicator.code)
                    continue
                if row.version != before.version:
                    versions = {"file": row.version, "current": before.version}
                    conflicts.append(
                        where
                        + ": "
                        + (
                            _(
                                "el reporte cambió por %(who)s después de descargar el archivo "
                                "(versión del archivo %(file)s, versión actual %(current)s)."
                            )
                            % {"who": before.reported_by, **versions}
                            if before.reported_by
                            else _(
                                "el reporte cambió después de descargar el archivo (versión del "
                                "archivo %(file)s, versión actual %(current)s)."
                            )
                            % versions
                        )
                    )
                    continue
                locked_out = locked_reason(before)
                if locked_out:
                    problems.append(f"{where}: {locked_out}")
                    continue
                planned.append((row, report, before, (executed, analysis, evidence, proposed)))
            if conflicts:
                conflicts.append(
                    _("Descargue de nuevo el archivo, copie en él sus cambios y cárguelo otra vez.")
                )
            if problems or conflicts:
                raise BulkRefused(problems + conflicts)
            user = actor if getattr(actor, "is_authenticated", False) else None
            for row, report, before, values in planned:
                (summary.modified if report is not None else summary.added).append(
                    row.indicator.code
                )
                saved = _write(
                    cut=locked,
                    indicator=row.indicator,
                    report=report,
                    values=values,
                    user=user,
                    submit=False,
                )
                summary.changes.append(
                    {
                        "indicador": row.indicator.code,
                        "fila": row.line,
                        "antes": before.as_audit() if before.version else None,
                        "despues": state_of(saved).as_audit(),
                    }
                )
            if summary.changed:
                audit.record(
                    action=BULK_ACTION,
                    actor=actor,
                    plan=locked.plan,
                    target=bulk_target(locked),
                    after={
                        "archivo": source,
                        "sha256": sha256,
                        "agregados": summary.added,
                        "modificados": summary.modified,
                        "sin_cambios": len(summary.unchanged),
                        "cambios": summary.changes,
                    },
                )
                if not dry_run:
                    recompute_cut(cut=locked)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return summary

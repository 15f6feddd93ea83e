"""The audit log as a file: CSV and XLSX of the filtered rows, newest first.

Both are for people opening them in a spreadsheet, so both are formula-safe: the CSV is UTF-8
with a byte order mark (so Excel reads the accents) and a leading apostrophe before any text
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's CSV-injection
triggers); the XLSX writes text through the template writer's ``put_value`` (string cells,
Excel's quote prefix). Dates and times are local (America/Bogota).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from cascada.imports.template_writer import FORMULA_TRIGGERS, put_value
from cascada.tracking.auditlog import as_text
from cascada.tracking.models import AuditEvent

COLUMNS = ["fecha", "usuario", "plan", "accion", "objeto", "motivo", "antes", "despues"]


def _row(event: AuditEvent) -> list[str]:
    return [
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        event.actor_label,
        event.plan.code if event.plan is not None else "",
        event.action,
        event.target,
        event.reason,
        as_text(event.before),
        as_text(event.after),
    ]


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def render_csv(events: Iterable[AuditEvent]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for event in events:
        writer.writerow([_safe(value) for value in _row(event)])
    return out.getvalue().encode("utf-8-sig")


def render_xlsx(events: Iterable[AuditEvent]) -> bytes:
    book = Workbook()
    sheet = book.create_sheet("auditoria")
    book.remove(book.worksheets[0])
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, event in enumerate(events, start=2):
        for column, value in enumerate(_row(event), start=1):
            put_value(sheet.cell(row=row_number, column=column), value or None)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""A ``SynthSet`` as files that ``cascada import`` reads: one template v1 workbook per plan, or
(for very large sizes) one folder of CSV files per plan, the same sheets and columns."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from cascada.imports.export import template_rows, write_workbook
from cascada.imports.schema_v1 import PLAN_CAMPOS, SHEETS
from cascada.synth.convert import plan_workbooks
from cascada.synth.generate import SynthSet

Form = Literal["xlsx", "csv"]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # a decimal point, no thousands: the template's plain form
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write(synth: SynthSet, out_dir: Path, *, form: Form = "xlsx") -> list[Path]:
    """Write every plan of ``synth`` into ``out_dir`` (created if needed): ``<code>.xlsx``, or a
    folder ``<code>/`` of CSV files; returns the paths written, one per plan."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for workbook in plan_workbooks(synth):
        if form == "xlsx":
            path = out_dir / f"{workbook.info.code}.xlsx"
            write_workbook(workbook, path)
        else:
            path = out_dir / workbook.info.code
            path.mkdir(exist_ok=True)
            plan, sheets = template_rows(workbook)
            campos = [(c.name, plan.get(c.name)) for c in PLAN_CAMPOS]
            _write_csv(path / "plan.csv", ("campo", "valor"), campos)
            for sheet in SHEETS:
                if sheet.name in sheets:
                    _write_csv(path / f"{sheet.name}.csv", sheet.column_names, sheets[sheet.name])
        written.append(path)
    return written


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for row in rows:
            out.writerow([_cell(v) for v in row])

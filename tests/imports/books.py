"""Template v1 files for the import tests: a valid plan as plain rows, written as ``.xlsx``, a
CSV folder or a ``.zip``, and small helpers to break it one cell at a time.

Rows are lists; ``sheets[name][r - 1]`` is spreadsheet row ``r`` (the header is row 1).
"""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

from cascada.imports.issues import TemplateError
from cascada.imports.template_v1 import read_template

Rows = list[list[object]]
Sheets = dict[str, Rows]

PLAN_HEADER: list[object] = ["campo", "valor"]
OBJECTIVES_HEADER: list[object] = ["codigo", "nombre", "orden"]
GOALS_HEADER: list[object] = ["codigo", "objetivo", "tipo", "nombre", "entidad_responsable"]
INDICATORS_HEADER: list[object] = [
    "codigo",
    "meta",
    "nombre",
    "unidad",
    "tipo_anualizacion",
    "linea_base",
    "meta_cuatrienio",
]
TARGETS_HEADER: list[object] = ["indicador", "vigencia", "meta_vigencia", "linea_base_vigencia"]
PROGRESS_HEADER: list[object] = [
    "indicador",
    "corte",
    "programado_corte",
    "ejecutado_corte",
    "observacion",
]
WEIGHTS_HEADER: list[object] = ["nivel", "codigo", "vigencia", "peso"]

_VALID: Sheets = {
    "plan": [
        PLAN_HEADER,
        ["codigo", "PES-2024"],
        ["nombre", "Plan de prueba"],
        ["sector", "Sector de prueba"],
        ["entidad_cabeza", "Secretaría de prueba"],
        ["plan_desarrollo", "Bogotá Camina Segura 2024-2027"],
        ["vigencia_inicial", 2024],
        ["vigencia_final", 2027],
        ["mision", "Servir."],
        ["vision", "Servir mejor."],
        ["acto_adopcion", "Resolución 630 de 2024"],
        ["fuente", "SEGPLAN"],
        ["tope_indicador", None],
        ["umbral_sobreejecucion", "120"],
        ["base_legal", "Ley 152 de 1994, art. 29"],
    ],
    # O1, O2 by orden; O3 and O4 have none and follow in file order.
    "objetivos": [
        OBJECTIVES_HEADER,
        ["O3", "Tercero", None],
        ["O2", "Segundo", 2],
        ["O1", "Primero", 1],
        ["O4", "Cuarto", None],
    ],
    "metas": [
        GOALS_HEADER,
        ["M1", "O1", "sectorial", "Meta uno", "Entidad A"],
        ["M2", "O2", "estrategica", "Meta dos", "Entidad B"],
        ["127-2057", "O3", "proyecto_inversion", "Meta tres", None],
        ["M4", "O1", "actividad", "Meta cuatro", "Entidad A"],
    ],
    # I4 (goal M4) comes before I5 (goal M1): an objective's indicators follow this sheet.
    "indicadores": [
        INDICATORS_HEADER,
        ["I1", "M1", "Entidades asistidas", "Número", "suma", None, 40],
        ["I4", "M4", "Tasa de error", "Tasa", "decreciente", 50, 20],
        ["I2", "M2", "Índice", "Índice", "constante", None, None],
        ["I3", "127-2057", "Modelo", "Porcentaje", "creciente", "10", "100"],
        ["I5", "M1", "Portal", "Número", "creciente", None, 1],
    ],
    "programacion_anual": [
        TARGETS_HEADER,
        ["I1", 2026, 10, None],
        ["I4", 2026, 30, 45],
        ["I2", 2026, "80", None],
        ["I3", 2026, "75%", None],
        ["I5", 2025, "0,5", None],
        ["I5", 2026, "0,8", None],
        ["I1", 2025, 4, None],
    ],
    "avances": [
        PROGRESS_HEADER,
        ["I1", "2026-03-31", 3, 8, "Sobreejecución por mayor demanda."],
        ["I4", "2026-03-31", 48, 47, None],
        ["I3", "2026-03-31", "60,67%", "60,67%", None],
        ["I1", "2025-12-31", 4, 4, None],
    ],
    "ponderaciones": [
        WEIGHTS_HEADER,
        ["indicador", "I1", 2026, 60],
        ["indicador", "I4", 2026, 30],
        ["indicador", "I5", 2026, 10],
        ["indicador", "I2", 2026, 100],
        ["indicador", "I3", 2026, 100],
        ["objetivo", "O1", 2026, 40],
        ["objetivo", "O2", 2026, "30"],
        ["objetivo", "O3", 2026, "30,0"],
    ],
}


def valid_sheets() -> Sheets:
    """A fresh copy of a valid plan, free to modify."""
    return copy.deepcopy(_VALID)


def write_xlsx(path: Path, sheets: Sheets) -> Path:
    book = Workbook()
    book.remove(book.worksheets[0])
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _csv_text(rows: Rows, delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
    return out.getvalue()


def _csv_value(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


def write_csv_folder(
    folder: Path, sheets: Sheets, *, delimiter: str = ";", bom: bool = True
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        text = _csv_text(rows, delimiter)
        (folder / f"{name}.csv").write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return folder


def write_csv_zip(path: Path, sheets: Sheets, *, delimiter: str = ",", prefix: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in sheets.items():
            archive.writestr(f"{prefix}{name}.csv", _csv_text(rows, delimiter))
    return path


def errors_of(path: Path) -> TemplateError:
    """The ``TemplateError`` that reading ``path`` must raise."""
    try:
        read_template(path)
    except TemplateError as error:
        return error
    raise AssertionError(f"{path} was read without errors")


Located = tuple[str | None, int | None, str | None, str | None]


def located(error: TemplateError) -> list[Located]:
    return [(i.sheet, i.row, i.column, i.value) for i in error.issues]

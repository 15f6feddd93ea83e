"""Template v1 workbooks (DESIGN §4, §6 ``cascada template``): the empty template, and the one
sheet writer that ``export`` uses to fill it with a plan.

A sheet of instructions in Spanish first, then the seven sheets of the contract with their exact
header rows (bold, frozen; required columns highlighted, each header with its help as a
comment), dropdown lists on the coded columns, and the ``plan`` sheet with its campos. Text
columns are formatted as text (``@``) so that Excel keeps a code like ``127-2057`` as typed
instead of turning it into a date; ``corte`` is formatted as an ISO date. Everything is
generated from ``schema_v1``, the same tables the reader uses.

Cells are written by ``put_value`` so that the reader gets back exactly what was written:

* Text is always a string cell (``t="inlineStr"``), never a formula or an error value, even when
  it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (the OWASP list of
  formula triggers); such a cell also gets Excel's *quotePrefix* style, the hidden apostrophe
  Excel itself adds when a user types ``'=texto``, so that editing the cell in Excel keeps it
  text. openpyxl would otherwise store a string starting with ``=`` as a formula, which is why the
  cell type is set explicitly after the value.
* Text that the reader would alter is protected: HTML tags and entities are written with ``&``,
  ``<`` and ``>`` as entities (the reader strips tags, then decodes entities, so ``<b>`` written
  on purpose reads back as ``<b>``); a carriage return is written as a line feed (XML turns a
  stored one into a line feed anyway); control characters that XML cannot hold are dropped.
* Numbers are numeric cells when the value openpyxl writes (16 significant digits) reads back as
  the same ``Decimal``; otherwise (more than 15 significant digits, e.g. a 24-digit amount) the
  exact value is written as text with a decimal point, which the number rule of §4 reads
  exactly. A percent number format is never used: values are already in percent points.
* Dates are date cells formatted ``yyyy-mm-dd``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cascada.imports.numbers import parse_optional_number
from cascada.imports.schema_v1 import (
    MUNICIPAL_ACCUMULATION_WORDS,
    PLAN_CAMPOS,
    SHEETS,
    Column,
    Kind,
    Sheet,
)
from cascada.imports.text import clean_text

Row = Sequence[object]

INSTRUCTIONS_SHEET = "instrucciones"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
LAST_ROW = 1_048_576  # Excel's last row: dropdowns and formats cover the whole column

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")  # light orange: "fill this in"
_OPTIONAL_FILL = PatternFill("solid", fgColor="EDEDED")
_WRAP = Alignment(wrap_text=True, vertical="top")
_AUTHOR = "cascada"

_INTRO = (
    "Plantilla de importación de cascada, versión 1",
    "",
    "Cómo usarla",
    "• Llene las hojas plan, objetivos, metas, indicadores, programacion_anual y avances; "
    "ponderaciones es opcional (sin pesos, todos los indicadores de un objetivo pesan igual, "
    "y todos los objetivos del plan también).",
    "• No cambie los nombres de las hojas ni de las columnas (van en minúscula, exactamente "
    "como están). Puede agregar hojas o columnas propias: se ignoran.",
    "• Las columnas obligatorias tienen el encabezado en naranja; cada encabezado tiene un "
    "comentario que lo explica. La tabla de abajo describe todas las columnas.",
    "• La importación es todo o nada: si una celda tiene un error, no se importa nada y el "
    "informe indica hoja, fila, columna, el valor encontrado y lo esperado, para todos los "
    "errores a la vez.",
    "• Los códigos son texto y se comparan exactamente. Las referencias deben existir: "
    "metas.objetivo en objetivos, indicadores.meta en metas, programacion_anual.indicador y "
    "avances.indicador en indicadores. Un código no se repite dentro de su hoja.",
    "• Las filas totalmente vacías se ignoran. Las etiquetas HTML (<p>…</p>) se quitan de "
    "todas las celdas, y también los espacios al inicio y al final.",
    "• En las columnas de texto, un valor que empieza por =, +, - o @ se guarda como texto; "
    "nunca se evalúa como fórmula. En las columnas de números, una fórmula vale por el "
    "resultado que Excel guardó en el archivo.",
    "• Las mismas hojas pueden enviarse como archivos CSV (plan.csv, objetivos.csv, …) en UTF-8, "
    "separados por coma o por punto y coma, en una carpeta o en un .zip.",
    "",
    "Números",
    "• Pueden ser celdas numéricas o texto en formato colombiano (1.234,5 · 60,67% · 0,18) o "
    "con punto decimal (0.18).",
    "• Con coma, la coma es el separador decimal y los puntos separan miles de a tres cifras: "
    "1.234,5 es mil doscientos treinta y cuatro coma cinco.",
    "• Sin coma, un solo punto es el separador decimal (1.234 es uno coma dos tres cuatro) y "
    "varios puntos separan miles (1.234.567).",
    "• Un % al final indica puntos porcentuales: 60,67% es 60,67. Una celda numérica con "
    "formato de porcentaje también se lee en puntos porcentuales (0,6067 mostrado como "
    "60,67 % es 60,67).",
    "• Se aceptan números negativos (-5). Cualquier otra cosa es un error.",
    "",
    "Tipos de anualización (indicadores.tipo_anualizacion)",
    "E = ejecutado_corte, P = programado_corte, M = meta_vigencia, "
    "LB = linea_base_vigencia o, si está vacía, linea_base. Los valores al corte son "
    "acumulados dentro de la vigencia.",
    "• suma (magnitudes que se suman: entidades asistidas, instrumentos firmados): "
    "% avance al corte = E / P; % avance vigencia = E / M.",
    "• constante (un nivel que se mantiene: un índice, una cobertura): "
    "% avance al corte = E / P; % avance vigencia = E / M.",
    "• creciente (un nivel que sube desde una línea base): "
    "% avance al corte = (E − LB) / (P − LB); % avance vigencia = (E − LB) / (M − LB). "
    "Línea base vacía cuenta como 0.",
    "• decreciente (un nivel que baja desde una línea base): "
    "% avance al corte = (LB − E) / (LB − P); % avance vigencia = (LB − E) / (LB − M). "
    "Requiere línea base (linea_base, o linea_base_vigencia en cada vigencia).",
    "Palabras de los planes municipales que también se aceptan: "
    + ", ".join(f"{word} = {kind.value}" for word, kind in MUNICIPAL_ACCUMULATION_WORDS.items())
    + " (sin importar mayúsculas ni tildes).",
    "",
    "Ponderaciones",
    "• Un peso por nivel (indicador u objetivo), código y vigencia, en puntos porcentuales de "
    "0 a 100.",
    "• El peso de un indicador es relativo a los demás indicadores de su objetivo (sea cual sea "
    "su meta); el de un objetivo, a los demás objetivos del plan.",
    "• Si se dan pesos para una vigencia, deben cubrir a todos los indicadores (u objetivos) "
    "vigentes ese año —los que tienen meta en programacion_anual— y sumar 100 (± 0,01) en "
    "cada grupo. No se normalizan en silencio: si no suman, la importación se rechaza.",
    "• Un indicador sin meta en la vigencia tiene peso 0 o no tiene fila.",
    "",
    "Columnas (* = obligatoria)",
)


def write_empty_template(path: Path) -> None:
    """Write the empty template v1 workbook to ``path`` (overwriting it)."""
    write_template(path, plan={}, sheets={sheet.name: () for sheet in SHEETS})


def write_template(
    path: Path, *, plan: Mapping[str, object], sheets: Mapping[str, Iterable[Row]]
) -> None:
    """Write a template v1 workbook to ``path`` (overwriting it): the instructions, the ``plan``
    sheet with every campo (its value from ``plan``, blank when absent), then each other sheet
    named in ``sheets``, in template order, with its rows (one value per template column, in
    the column order; ``None`` is a blank cell). Values are written by ``put_value``."""
    _check_campos(plan)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the default "Sheet"
    _write_instructions(workbook.create_sheet(INSTRUCTIONS_SHEET))
    add_template_sheets(workbook, plan=plan, sheets=sheets)
    workbook.save(path)


def add_template_sheets(
    workbook: Workbook, *, plan: Mapping[str, object], sheets: Mapping[str, Iterable[Row]]
) -> None:
    """Add the template v1 sheets to an existing ``workbook`` (after its sheets), as
    ``write_template`` writes them, without the instructions: the ``plan`` sheet, then each
    sheet named in ``sheets`` (the report's workbook carries the plan this way)."""
    _check_campos(plan)
    for sheet in SHEETS:
        if sheet.name == "plan":
            rows: Iterable[Row] = [(campo.name, plan.get(campo.name)) for campo in PLAN_CAMPOS]
            _add_plan_help(write_sheet(workbook, sheet, rows))
        elif sheet.name in sheets:
            write_sheet(workbook, sheet, sheets[sheet.name])


def _check_campos(plan: Mapping[str, object]) -> None:
    unknown = set(plan) - {campo.name for campo in PLAN_CAMPOS}
    if unknown:
        raise ValueError(f"Campos desconocidos: {sorted(unknown)}")


def write_sheet(workbook: Workbook, sheet: Sheet, rows: Iterable[Row]) -> Worksheet:
    """Add ``sheet`` to ``workbook``: header, column formats, dropdowns, then ``rows``."""
    worksheet: Worksheet = workbook.create_sheet(sheet.name)
    _write_header(worksheet, sheet)
    _format_columns(worksheet, sheet)
    _add_dropdowns(worksheet, sheet)
    width = len(sheet.columns)
    for number, row in enumerate(rows, start=2):
        if len(row) != width:
            raise ValueError(f"{sheet.name}: {len(row)} valores para {width} columnas")
        for index, value in enumerate(row, start=1):
            put_value(cast(Cell, worksheet.cell(number, index)), value)  # never a merged cell
    return worksheet


# ---------------------------------------------------------------------------------------------
# Cells

# Characters XML 1.0 cannot hold (openpyxl refuses the control ones and would write the others).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# OWASP's formula triggers: a text cell starting with one of these is a formula to some tools.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def put_value(cell: Cell, value: object) -> None:
    """Write ``value`` (``None``, ``str``, ``int``, ``Decimal`` or ``date``) so that the reader
    of template v1 gets it back exactly (see the module docstring)."""
    if value is None:
        return
    if isinstance(value, str):
        _put_text(cell, value)
    elif isinstance(value, bool | float | datetime):
        # A float is already inexact and a date-time is not a template value: the caller's bug.
        raise TypeError(f"Valor no admitido en una celda de la plantilla: {value!r}")
    elif isinstance(value, int | Decimal):
        number = exact_cell_number(Decimal(value))
        if isinstance(number, str):
            _put_text(cell, number)
        else:
            cell.value = number
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        raise TypeError(f"Valor no admitido en una celda de la plantilla: {value!r}")


def _put_text(cell: Cell, value: str) -> None:
    text = text_for_cell(value)
    cell.value = text
    # After the assignment: openpyxl turns "=…" into a formula and "#N/A" into an error value.
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if value.startswith(FORMULA_TRIGGERS) or text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def text_for_cell(value: str) -> str:
    """The text to store so that the reader's cleaning (HTML tags removed, entities decoded,
    surrounding space stripped) gives ``value`` back: ``value`` itself when it survives that
    cleaning, else its ``&``, ``<`` and ``>`` as entities. Carriage returns become line feeds
    and characters XML cannot hold are dropped (neither can be kept in an ``.xlsx``)."""
    text = _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if clean_text(text) != text:
        escaped = html.escape(text, quote=False)
        if clean_text(escaped) == text:
            return escaped
    return text


def exact_cell_number(number: Decimal) -> int | float | str:
    """What to store for ``number``: an ``int`` or ``float`` when the text openpyxl writes for
    it reads back as ``number``, else the exact text with a decimal point ("1234567890.123456")."""
    if not number.is_finite():
        raise ValueError(f"Número no admitido en una celda de la plantilla: {number}")
    value: int | float = int(number) if number == number.to_integral_value() else float(number)
    written = safe_string(value)  # how openpyxl serialises a number cell ("%.16g")
    read_back: int | float = (
        float(written) if any(c in written for c in ".eE") else int(written)
    )  # how openpyxl reads it back
    exact = parse_optional_number(read_back) == number
    return value if exact else format(number, "f")


# ---------------------------------------------------------------------------------------------
# Layout


def _write_instructions(worksheet: Worksheet) -> None:
    for line in _INTRO:
        worksheet.append([line])
        cell = worksheet.cell(worksheet.max_row, 1)
        cell.alignment = _WRAP
        if line and not line.startswith(("•", "E =", "Palabras")):
            cell.font = _BOLD
    worksheet["A1"].font = _TITLE
    worksheet.append(["hoja", "columna", "obligatoria", "tipo", "descripción"])
    for cell in worksheet[worksheet.max_row]:
        cell.font = _BOLD
    for sheet in SHEETS:
        sheet_note = "" if sheet.required else " (hoja opcional)"
        worksheet.append([sheet.name, "", "", "", sheet.help + sheet_note])
        for cell in worksheet[worksheet.max_row]:
            cell.font = _BOLD
        for column in sheet.columns:
            worksheet.append(
                [
                    sheet.name,
                    column.name,
                    "*" if column.required else "",
                    column.kind.value,
                    column.help,
                ]
            )
    worksheet.append([])
    worksheet.append(["Campos de la hoja plan (* = obligatorio)"])
    worksheet.cell(worksheet.max_row, 1).font = _BOLD
    for campo in PLAN_CAMPOS:
        worksheet.append(
            [
                "plan",
                campo.name,
                "*" if campo.required else "",
                campo.kind.value,
                campo.help,
            ]
        )
    for letter, width in zip("ABCDE", (22, 24, 12, 18, 100), strict=True):
        worksheet.column_dimensions[letter].width = width
    for row in worksheet.iter_rows(min_row=len(_INTRO) + 1):
        row[-1].alignment = _WRAP


def _write_header(worksheet: Worksheet, sheet: Sheet) -> None:
    worksheet.append(list(sheet.column_names))
    for cell, column in zip(worksheet[1], sheet.columns, strict=True):
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        required = "Obligatoria. " if column.required else "Opcional. "
        cell.comment = Comment(required + column.help, _AUTHOR, width=300, height=120)
    worksheet.freeze_panes = "A2"


def _format_columns(worksheet: Worksheet, sheet: Sheet) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        dimension = worksheet.column_dimensions[get_column_letter(index)]
        dimension.width = _width(column)
        if column.kind.is_text or column.kind is Kind.VALUE:
            dimension.number_format = TEXT_FORMAT
        elif column.kind is Kind.DATE:
            dimension.number_format = DATE_FORMAT


def _width(column: Column) -> int:
    if column.name in {"nombre", "observacion", "valor"}:
        return 60
    return max(14, len(column.name) + 4)


def _add_dropdowns(worksheet: Worksheet, sheet: Sheet) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        if not column.choices:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(column.choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            # A warning, not a stop: the accepted synonyms ("estratégica", "incremento") are
            # not in the list but are valid.
            errorStyle="warning",
            errorTitle=f"Valor de '{column.name}'",
            error=f"Se esperaba: {column.help}",
            showInputMessage=True,
            promptTitle=column.name,
            prompt=", ".join(column.choices),
        )
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        worksheet.add_data_validation(validation)


def _add_plan_help(worksheet: Worksheet) -> None:
    """A third column of help beside the campos, that readers ignore (an extra column)."""
    worksheet.cell(1, 3, "ayuda").font = _BOLD
    worksheet.column_dimensions["C"].width = 80
    for row, campo in enumerate(PLAN_CAMPOS, start=2):
        mark = "Obligatorio. " if campo.required else "Opcional. "
        help_cell = worksheet.cell(row, 3, mark + campo.help)
        help_cell.alignment = _WRAP
        if campo.required:
            worksheet.cell(row, 1).font = _BOLD

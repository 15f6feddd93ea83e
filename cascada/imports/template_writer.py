"""The empty import template, version 1 (DESIGN §4, §6 ``cascada template``).

A sheet of instructions in Spanish first, then the seven sheets of the contract with their exact
header rows (bold, frozen; required columns highlighted, each header with its help as a
comment), dropdown lists on the coded columns, and the ``plan`` sheet pre-filled with its
campos. Text columns are formatted as text (``@``) so that Excel keeps a code like ``127-2057``
as typed instead of turning it into a date; ``corte`` is formatted as an ISO date.
Everything is generated from ``schema_v1``, the same tables the reader uses.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cascada.imports.schema_v1 import (
    MUNICIPAL_ACCUMULATION_WORDS,
    PLAN_CAMPOS,
    SHEETS,
    Column,
    Kind,
    Sheet,
)

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
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the default "Sheet"
    _write_instructions(workbook.create_sheet(INSTRUCTIONS_SHEET))
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        _write_header(worksheet, sheet)
        _format_columns(worksheet, sheet)
        _add_dropdowns(worksheet, sheet)
    _prefill_plan(workbook["plan"])
    workbook.save(path)


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


def _prefill_plan(worksheet: Worksheet) -> None:
    """One row per campo, with a third column of help that readers ignore (an extra column)."""
    worksheet.cell(1, 3, "ayuda").font = _BOLD
    worksheet.column_dimensions["C"].width = 80
    for row, campo in enumerate(PLAN_CAMPOS, start=2):
        worksheet.cell(row, 1, campo.name)
        mark = "Obligatorio. " if campo.required else "Opcional. "
        help_cell = worksheet.cell(row, 3, mark + campo.help)
        help_cell.alignment = _WRAP
        if campo.required:
            worksheet.cell(row, 1).font = _BOLD

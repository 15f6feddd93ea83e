"""Located import errors: every one names the sheet, row, column, the value found and what was
expected (DESIGN §4), in one Spanish line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

_SHOWN_CHARS = 80  # a long analysis pasted in the wrong column should not flood the message


@dataclass(frozen=True)
class TemplateIssue:
    """One problem in an import file.

    ``sheet`` is ``None`` for a problem with the file itself (missing, not a workbook).
    ``row`` is the spreadsheet row as the user sees it (the header is row 1), ``None`` for a
    sheet-level problem; ``column`` is ``None`` when no column applies. ``value`` is the cell's
    text as found ("" for a blank cell, ``None`` when there is no cell to quote). ``expected``
    is Spanish, completes "se esperaba …" and has no final period.
    """

    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    expected: str

    @property
    def message(self) -> str:
        """E.g. ``Hoja 'avances', fila 7, columna 'ejecutado_corte': se encontró 'abc'; se
        esperaba un número (p. ej. 1.234,5 o 0,18).``"""
        return f"{self._where()}: {self._found()}se esperaba {self.expected}."

    def _where(self) -> str:
        if self.sheet is None:
            return "Archivo"
        where = f"Hoja '{self.sheet}'"
        if self.row is not None:
            where += f", fila {self.row}"
        if self.column is not None:
            where += f", columna '{self.column}'"
        return where

    def _found(self) -> str:
        if self.value is None:
            return ""
        if self.value == "":
            return "se encontró una celda vacía; "
        shown = " ".join(self.value.split())  # one line, whatever the cell held
        if len(shown) > _SHOWN_CHARS:
            shown = shown[: _SHOWN_CHARS - 1] + "…"
        return f"se encontró '{shown}'; "


class TemplateError(Exception):
    """The file was rejected; ``issues`` lists every problem found, in sheet and row order."""

    def __init__(self, issues: Iterable[TemplateIssue]) -> None:
        self.issues: tuple[TemplateIssue, ...] = tuple(issues)
        super().__init__("\n".join(issue.message for issue in self.issues))


def file_issue(name: str, expected: str) -> TemplateIssue:
    """A problem with the file as a whole (``name`` is what the user gave us)."""
    return TemplateIssue(sheet=None, row=None, column=None, value=name, expected=expected)

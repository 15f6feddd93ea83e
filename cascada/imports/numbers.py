"""Numbers in import cells: the one rule of DESIGN §4, exact (``Decimal``), never guessed.

A cell is a number (from Excel) or text. For text, after HTML tags and surrounding whitespace
are removed:

* an optional trailing ``%`` (a space before it is allowed, as Spanish typography writes it)
  means the number is already in percent points: "60,67%" is 60.67, "00,00%" is 0;
* with a comma, the comma is the decimal mark and points group thousands in groups of three:
  "1.234,5" is 1234.5, "0,18" is 0.18 ("1.23,5" is an error);
* without a comma, one point is a decimal point ("1.234" is 1.234, "0.18" is 0.18) and several
  points group thousands ("1.234.567" is 1234567);
* a leading ``-`` is allowed; anything else (letters, a ``+``, two commas, spaces inside) is an
  error.

A number cell is taken as shown: a float goes through its shortest ``repr`` so that 0.18 stays
0.18 rather than its binary expansion, and a cell with a percent number format (Excel stores
0.6067 and shows 60,67 %) is scaled to percent points exactly.

Blank means absent, not an error: ``parse_optional_number`` returns ``None`` for it, while
``parse_number`` (for required cells) raises ``MissingNumberError``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from cascada.imports.text import clean_text

NUMBER_EXPECTED = "un número (p. ej. 1.234,5 o 0,18)"

# ASCII digits only: ``\d`` would also accept other scripts' digits.
_WITH_COMMA = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+),[0-9]+")
_ONE_POINT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3}){2,}")
_PERCENT = re.compile(r"(.*?)\s*%")


class NumberFormatError(ValueError):
    """A cell that should hold a number does not; ``value`` is the text as found."""

    def __init__(self, value: str, expected: str = NUMBER_EXPECTED) -> None:
        super().__init__(f"se encontró '{value}'; se esperaba {expected}")
        self.value = value
        self.expected = expected


class MissingNumberError(NumberFormatError):
    """A required number cell is blank."""

    def __init__(self) -> None:
        super().__init__("", NUMBER_EXPECTED)


def parse_number(value: object, *, percent_format: bool = False) -> Decimal:
    """The number in a required cell; blank raises ``MissingNumberError``."""
    number = parse_optional_number(value, percent_format=percent_format)
    if number is None:
        raise MissingNumberError
    return number


def parse_optional_number(value: object, *, percent_format: bool = False) -> Decimal | None:
    """The number in a cell, or ``None`` when the cell is blank.

    ``value`` is what the spreadsheet holds: ``None``, ``str``, ``int``, ``float`` or
    ``Decimal``. ``percent_format`` says the (numeric) cell is displayed with a percent number
    format; it does not apply to text, whose own ``%`` sign says the same thing.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, bool):  # bool is an int subclass: VERDADERO is not a number
        raise NumberFormatError("VERDADERO" if value else "FALSO")
    if isinstance(value, int | float | Decimal):
        number = _number_cell(value)
        return number.scaleb(2) if percent_format else number
    raise NumberFormatError(str(value))


def _number_cell(value: int | float | Decimal) -> Decimal:
    # repr gives the shortest text that round-trips: 0.18, not 0.179999999999999993338661852.
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise NumberFormatError(str(value))
    return number


def _parse_text(raw: str) -> Decimal | None:
    text = clean_text(raw)
    if not text:
        return None
    percent = _PERCENT.fullmatch(text)
    # "60,67%" is already in percent points: the sign is only dropped, never applied.
    digits = percent.group(1) if percent else text
    canonical = _canonical(digits)
    if canonical is None:
        raise NumberFormatError(text)
    try:
        return Decimal(canonical)
    except InvalidOperation:  # unreachable after the patterns above; kept as a guard
        raise NumberFormatError(text) from None


def _canonical(text: str) -> str | None:
    """``text`` rewritten with a decimal point and no grouping, or ``None`` if it breaks the
    rule."""
    if _WITH_COMMA.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if _ONE_POINT.fullmatch(text):
        return text
    if _GROUPED.fullmatch(text):
        return text.replace(".", "")
    return None

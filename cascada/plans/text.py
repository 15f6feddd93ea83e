"""Characters that no text of cascada may hold, whichever way it comes in (import, admin, API,
web forms): control characters other than tab and line breaks, lone surrogates (JSON can carry
"\\ud800") and the two non-characters U+FFFE and U+FFFF. PostgreSQL cannot store NUL nor encode
a surrogate, and XML (every .xlsx, .pptx and the PDF's tagged structure) can hold none of them,
so a report would fail long after the text was accepted. Nor may a text be longer than an Excel
cell."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
CONTROL_MESSAGE = _("Contiene caracteres de control no admitidos.")
# The most an Excel cell holds: longer text could not be exported, reported in .xlsx or
# imported back without being cut (openpyxl cuts it silently), so no way in accepts it.
MAX_TEXT_LENGTH = 32_767


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def reject_control_characters(value: object) -> None:
    """A form field validator: the Spanish message under the field that holds them."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")

"""The report form's fields: text typed in the browser to a ``ReportInput``, and back.

Numbers follow the import's one rule (``cascada.imports.numbers``): "1.234,5", "0,18" or "0.18".
Evidence links are one per line; blank lines are ignored. Field names are Spanish, as in the
API; every error is keyed by the field it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cascada.imports.numbers import NumberFormatError, parse_optional_number
from cascada.tracking.reporting import ReportInput, ReportState, report_problems

# Field → the id of its control in the page (the error summary links to it).
FIELD_IDS = {
    "ejecutado": "id_ejecutado",
    "programacion": "id_programacion",
    "analisis": "id_analisis",
    "evidencias": "id_evidencias",
    "version": "id_ejecutado",
    "comentario": "id_comentario",
}
FIELD_LABELS: dict[str, Promise] = {
    "ejecutado": gettext_lazy("Ejecutado al corte"),
    "programacion": gettext_lazy("Programación propuesta"),
    "analisis": gettext_lazy("Análisis cualitativo"),
    "evidencias": gettext_lazy("Enlaces de evidencia"),
    "version": gettext_lazy("Versión"),
    "comentario": gettext_lazy("Comentario"),
}
SHOWN_CHARS = 60


@dataclass(frozen=True)
class Typed:
    """The form's values as text, exactly as typed (shown back after an error or a conflict)."""

    executed: str = ""
    analysis: str = ""
    evidence: str = ""
    programming: str = ""
    comment: str = ""

    @classmethod
    def from_post(cls, post: QueryDict) -> Typed:
        return cls(
            executed=post.get("ejecutado", ""),
            analysis=post.get("analisis", ""),
            evidence=post.get("evidencias", ""),
            programming=post.get("programacion", ""),
            comment=post.get("comentario", ""),
        )

    @classmethod
    def from_state(cls, state: ReportState) -> Typed:
        return cls(
            executed=number_text(state.executed),
            analysis=state.analysis,
            evidence="\n".join(state.evidence),
            programming=number_text(state.proposed_programmed),
        )

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


def number_text(value: Decimal | None) -> str:
    """An exact number as a person types it in Colombia: ``1234.5`` → ``1234,5``. No thousands
    points, so that the text reads back as the same number under the one rule ("1.234" alone
    would be one point two three four)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _number(text: str, field: str, errors: dict[str, str]) -> Decimal | None:
    try:
        return parse_optional_number(text)
    except NumberFormatError as error:
        shown = error.value if len(error.value) <= SHOWN_CHARS else error.value[:57] + "…"
        errors[field] = _(
            "Se encontró «%(value)s»; se esperaba un número (p. ej. 1.234,5, 0,18 o 0.18) o vacío."
        ) % {"value": shown}
        return None


def read_form(typed: Typed, *, propose: bool) -> tuple[ReportInput, dict[str, str]]:
    """The input for ``save_report`` and every problem found, by field ("evidencias" gathers
    its lines' problems)."""
    errors: dict[str, str] = {}
    executed = _number(typed.executed, "ejecutado", errors)
    proposed = _number(typed.programming, "programacion", errors) if propose else None
    data = ReportInput(
        executed=executed,
        analysis=typed.analysis,
        evidence=typed.links,
        proposed_programmed=proposed,
        propose=propose,
    )
    merge_errors(errors, report_problems(data), typed.links)
    return data, errors


def field_error(key: str, message: str, links: list[str]) -> tuple[str, str]:
    """``("evidencias.2", msg)`` → ``("evidencias", "Línea 3 (…): msg")``."""
    field, _dot, index = key.partition(".")
    if field == "evidencias" and index.isdigit():
        n = int(index)
        link = links[n] if n < len(links) else ""
        shown = link if len(link) <= SHOWN_CHARS else link[: SHOWN_CHARS - 1] + "…"
        return field, _("Línea %(n)s («%(link)s»): %(message)s") % {
            "n": n + 1,
            "link": shown,
            "message": message,
        }
    return field, message


def merge_errors(errors: dict[str, str], more: dict[str, str], links: list[str]) -> None:
    for key, message in more.items():
        field, text = field_error(key, message, links)
        errors[field] = f"{errors[field]} {text}" if field in errors else text


def summary(errors: dict[str, str]) -> list[dict[str, str]]:
    """The error summary at the top of the page: label, message and the control's id."""
    order = list(FIELD_IDS)
    return [
        {
            "id": FIELD_IDS.get(field, "id_ejecutado"),
            "label": str(FIELD_LABELS.get(field, field)),
            "message": errors[field],
        }
        for field in sorted(errors, key=lambda f: order.index(f) if f in order else 99)
    ]

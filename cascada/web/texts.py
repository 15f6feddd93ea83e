"""Words of the public dashboard that are not numbers: labels and plain-language explanations.

Spanish msgids (translated to English in ``locale/en``). Status and alert labels come from
``cascada.engine.display``; numbers are formatted by the template filters in ``templatetags``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cascada.engine.model import Accumulation, GoalKind, Status

GOAL_KIND_LABELS: dict[GoalKind, Promise] = {
    GoalKind.SECTORIAL: _("Meta sectorial"),
    GoalKind.ESTRATEGICA: _("Meta estratégica"),
    GoalKind.PROYECTO_INVERSION: _("Meta de proyecto de inversión"),
    GoalKind.ACTIVIDAD: _("Actividad"),
}

GOAL_KIND_PLURALS: dict[GoalKind, Promise] = {
    GoalKind.SECTORIAL: _("Metas sectoriales"),
    GoalKind.ESTRATEGICA: _("Metas estratégicas"),
    GoalKind.PROYECTO_INVERSION: _("Metas de proyectos de inversión"),
    GoalKind.ACTIVIDAD: _("Actividades"),
}

SEMAFORO_LABELS: dict[str, Promise] = {
    "rojo": pgettext_lazy("semáforo", "Rojo"),
    "amarillo": pgettext_lazy("semáforo", "Amarillo"),
    "verde": pgettext_lazy("semáforo", "Verde"),
    "azul": pgettext_lazy("semáforo", "Azul"),
}

STATUS_MEANINGS: dict[Status, Promise] = {
    Status.CUMPLIDA: _(
        "el avance al corte llega al 100% y no pasa del umbral de sobreejecución del plan."
    ),
    Status.SOBREEJECUTADA: _(
        "el avance al corte supera el umbral de sobreejecución; requiere análisis cualitativo."
    ),
    Status.EN_REZAGO: _(
        "el avance al corte es menor que 100%; requiere análisis cualitativo que explique el "
        "rezago."
    ),
    Status.NO_PROGRAMADA: _(
        "no tenía nada programado para este corte ni reporta ejecución; sale del cálculo del corte."
    ),
    Status.SIN_REPORTE: _(
        "estaba programado y no se reportó avance; cuenta como 0% (no reportar nunca sube la "
        "cifra de un objetivo)."
    ),
    Status.EJECUTADA_SIN_PROGRAMACION: _(
        "reporta ejecución sin programación al corte; sale del cálculo del corte y requiere "
        "análisis cualitativo."
    ),
    Status.NO_VIGENTE: _("no tiene meta para la vigencia del corte; sale de todos los cálculos."),
}

ACCUMULATION_LABELS: dict[Accumulation, Promise] = {
    Accumulation.SUMA: _("Suma"),
    Accumulation.CONSTANTE: _("Constante"),
    Accumulation.CRECIENTE: _("Creciente"),
    Accumulation.DECRECIENTE: _("Decreciente"),
}

ACCUMULATION_MEANINGS: dict[Accumulation, Promise] = {
    Accumulation.SUMA: _(
        "las cantidades se suman: lo ejecutado al corte es lo acumulado desde el inicio de la "
        "vigencia (p. ej. entidades asistidas, instrumentos suscritos)."
    ),
    Accumulation.CONSTANTE: _(
        "un nivel que se debe mantener: lo ejecutado al corte es el nivel a esa fecha (p. ej. un "
        "índice, una cobertura)."
    ),
    Accumulation.CRECIENTE: _(
        "un nivel que se debe subir desde la línea base: se mide lo ganado sobre la línea base "
        "(sin línea base, cuenta 0)."
    ),
    Accumulation.DECRECIENTE: _(
        "un nivel que se debe bajar desde la línea base: se mide lo reducido bajo la línea base."
    ),
}

# (% al corte, % vigencia, % cuatrienio) in the notation of docs/metodo.md; symbols, not words.
ACCUMULATION_FORMULAS: dict[Accumulation, tuple[str, str, str]] = {
    Accumulation.SUMA: ("E / P", "E / M", "(Σ E vigencias anteriores + E) / M4"),
    Accumulation.CONSTANTE: ("E / P", "E / M", "E / M4"),
    Accumulation.CRECIENTE: (
        "(E − LB) / (P − LB)",
        "(E − LB) / (M − LB)",
        "(E − LB₀) / (M4 − LB₀)",
    ),
    Accumulation.DECRECIENTE: (
        "(LB − E) / (LB − P)",
        "(LB − E) / (LB − M)",
        "(LB₀ − E) / (LB₀ − M4)",
    ),
}

# Why an indicator is not a term of a figure.
EXCLUDED_CUT: dict[Status, Promise] = {
    Status.NO_PROGRAMADA: _("No programado al corte: sale del cálculo del cumplimiento."),
    Status.EJECUTADA_SIN_PROGRAMACION: _(
        "Reporta ejecución sin programación al corte: sale del cálculo del cumplimiento."
    ),
    Status.NO_VIGENTE: _("Sin meta en la vigencia: no está vigente y sale de todos los cálculos."),
}
EXCLUDED_YEAR = _("Sin meta de la vigencia mayor que 0: sale del avance de la vigencia.")
EXCLUDED_FOUR_YEAR = _("Sin meta del cuatrienio mayor que 0: sale del avance del cuatrienio.")
EXCLUDED_NOT_IN_FORCE = _("Sin meta en la vigencia: no está vigente y sale de todos los cálculos.")
EXCLUDED_OBJECTIVE = _("Sin indicadores incluidos: el objetivo no tiene cifra y sale del cálculo.")
EXCLUDED_ZERO_WEIGHT = _("Todos los pesos de los incluidos son 0: no hay promedio que calcular.")


@dataclass(frozen=True)
class ReportFormat:
    """A format of the downloadable report, as the cut page offers it."""

    code: str  # the file extension: pdf, pptx, xlsx, html, json
    label: Promise
    description: Promise


REPORT_FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat("pdf", _("PDF"), _("el informe completo, listo para enviar")),
    ReportFormat("pptx", _("PowerPoint"), _("presentación editable, con gráficos nativos")),
    ReportFormat("xlsx", _("Excel"), _("cifras de objetivos e indicadores y datos del plan")),
    ReportFormat("html", _("HTML para imprimir"), _("se abre en el navegador")),
    ReportFormat("json", _("JSON"), _("los datos del informe, para otros sistemas")),
)
REPORT_FORMAT_LABELS: dict[str, Promise] = {f.code: f.label for f in REPORT_FORMATS}

"""Import template, version 1: the public contract of DESIGN §4, as data.

The reader (``template_v1``) and the writer of the empty template (``template_writer``) both read
these tables, so a column's name, type, requiredness and help text live in one place. Tools
outside the project build workbooks in this format: change it only by adding a version 2 beside
it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from cascada.engine.model import Accumulation, GoalKind, Level


class Kind(Enum):
    """How a column's cells are read; the value is the label shown in the instructions."""

    TEXT = "texto"  # stored as given (minus HTML and surrounding space); never a formula
    CODE = "código (texto)"  # identifies a row; a date cell is an error (Excel mangled it)
    CHOICE = "lista"  # one word of a closed list (``Column.choices``)
    NUMBER = "número"
    INTEGER = "número entero"
    DATE = "fecha AAAA-MM-DD"
    VALUE = "según el campo"  # plan.valor: the campo decides

    @property
    def is_text(self) -> bool:
        """Text columns keep a formula's text; the others read Excel's computed value."""
        return self in (Kind.TEXT, Kind.CODE, Kind.CHOICE)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool
    help: str  # Spanish, for the instructions sheet
    choices: tuple[str, ...] = ()  # canonical words of a CHOICE column (the dropdown list)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    help: str
    required: bool = True

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True)
class Campo:
    """One row of the ``plan`` sheet."""

    name: str
    kind: Kind
    required: bool
    help: str
    extension: bool = False  # not part of v1: other v1 readers ignore it (unknown campo)


def fold_word(text: str) -> str:
    """Lowercase, accents removed, spaces and hyphens as ``_``: how list words are compared, so
    that "Estratégica", "proyecto de inversión" and "Reducción" are accepted."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\-]+", "_", plain.strip())


GOAL_KIND_WORDS: dict[str, GoalKind] = {kind.value: kind for kind in GoalKind} | {
    "proyecto_de_inversion": GoalKind.PROYECTO_INVERSION,
}

# Municipal action plans name the accumulation types differently (DESIGN §4).
MUNICIPAL_ACCUMULATION_WORDS: dict[str, Accumulation] = {
    "incremento": Accumulation.SUMA,
    "mantenimiento": Accumulation.CONSTANTE,
    "reduccion": Accumulation.DECRECIENTE,
}
ACCUMULATION_WORDS: dict[str, Accumulation] = {
    kind.value: kind for kind in Accumulation
} | MUNICIPAL_ACCUMULATION_WORDS

LEVEL_WORDS: dict[str, Level] = {level.value: level for level in Level}

# tope_indicador and umbral_sobreejecucion, when given (DESIGN is silent; see ``template_v1``).
MIN_CAP_OR_THRESHOLD = 100


PLAN_CAMPOS: tuple[Campo, ...] = (
    Campo(
        "codigo", Kind.CODE, True, "Código del plan, único en cascada (p. ej. PES-GP-2024-2027)."
    ),
    Campo("nombre", Kind.TEXT, True, "Nombre del plan."),
    Campo("sector", Kind.TEXT, True, "Sector administrativo (p. ej. Sector Gestión Pública)."),
    Campo("entidad_cabeza", Kind.TEXT, False, "Entidad cabeza de sector."),
    Campo("plan_desarrollo", Kind.TEXT, False, "Plan de Desarrollo al que se alinea el plan."),
    Campo("vigencia_inicial", Kind.INTEGER, True, "Primer año del plan (p. ej. 2024)."),
    Campo("vigencia_final", Kind.INTEGER, True, "Último año del plan (p. ej. 2027)."),
    Campo("mision", Kind.TEXT, False, "Misión."),
    Campo("vision", Kind.TEXT, False, "Visión."),
    Campo("acto_adopcion", Kind.TEXT, False, "Acto que adopta el plan (p. ej. Resolución 630)."),
    Campo("fuente", Kind.TEXT, False, "Fuente de los datos (p. ej. SEGPLAN)."),
    Campo(
        "tope_indicador",
        Kind.NUMBER,
        False,
        "Tope del avance de cada indicador dentro de los promedios de objetivos y plan, en "
        "puntos porcentuales (p. ej. 100). Vacío: sin tope. Si se da, es 100 o más.",
    ),
    Campo(
        "umbral_sobreejecucion",
        Kind.NUMBER,
        False,
        "Por encima de este avance (en puntos porcentuales) un indicador queda "
        "'sobreejecutada'. Vacío: 100. Si se da, es 100 o más.",
    ),
    Campo(
        "base_legal",
        Kind.TEXT,
        False,
        "Base legal del plan (p. ej. Ley 152 de 1994, art. 29). Extensión opcional de cascada: "
        "otros lectores de la versión 1 la ignoran.",
        extension=True,
    ),
)

_CODE_HELP = (
    "Texto de máximo 50 caracteres; se compara exactamente (mayúsculas y espacios internos "
    "cuentan)."
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "plan",
        (
            Column("campo", Kind.TEXT, True, "Nombre del campo, tal como aparece en la lista."),
            Column("valor", Kind.VALUE, True, "Valor del campo."),
        ),
        "Datos generales del plan: una fila por campo. Los campos desconocidos se ignoran; "
        "un campo repetido es un error.",
    ),
    Sheet(
        "objetivos",
        (
            Column("codigo", Kind.CODE, True, f"Código del objetivo (p. ej. O1). {_CODE_HELP}"),
            Column("nombre", Kind.TEXT, True, "Enunciado del objetivo."),
            Column(
                "orden",
                Kind.INTEGER,
                False,
                "Número entero para ordenar los objetivos; vacíos van al final, en el orden "
                "del archivo.",
            ),
        ),
        "Objetivos sectoriales del plan.",
    ),
    Sheet(
        "metas",
        (
            Column("codigo", Kind.CODE, True, f"Código de la meta (p. ej. 127-2057). {_CODE_HELP}"),
            Column("objetivo", Kind.CODE, True, "Código del objetivo (hoja 'objetivos')."),
            Column(
                "tipo",
                Kind.CHOICE,
                True,
                "sectorial, estrategica, proyecto_inversion o actividad (se aceptan también "
                "'estratégica' y 'proyecto de inversión').",
                choices=tuple(kind.value for kind in GoalKind),
            ),
            Column("nombre", Kind.TEXT, True, "Enunciado de la meta."),
            Column(
                "entidad_responsable",
                Kind.TEXT,
                False,
                "Nombre de la entidad responsable; si es nueva, se crea con ese nombre.",
            ),
        ),
        "Metas: cada una pertenece a un objetivo y a una entidad responsable.",
    ),
    Sheet(
        "indicadores",
        (
            Column("codigo", Kind.CODE, True, f"Código del indicador (p. ej. 4231). {_CODE_HELP}"),
            Column("meta", Kind.CODE, True, "Código de la meta (hoja 'metas')."),
            Column("nombre", Kind.TEXT, True, "Nombre del indicador."),
            Column("unidad", Kind.TEXT, False, "Unidad de medida (p. ej. Número, Porcentaje)."),
            Column(
                "tipo_anualizacion",
                Kind.CHOICE,
                True,
                "suma, constante, creciente o decreciente (también incremento = suma, "
                "mantenimiento = constante, reduccion = decreciente).",
                choices=tuple(kind.value for kind in Accumulation),
            ),
            Column(
                "linea_base",
                Kind.NUMBER,
                False,
                "Línea base. Obligatoria para 'decreciente' (o linea_base_vigencia en cada "
                "vigencia); vacía cuenta como 0 para 'creciente'.",
            ),
            Column("meta_cuatrienio", Kind.NUMBER, False, "Meta del cuatrienio (meta del plan)."),
        ),
        "Indicadores: cada uno mide una meta; su peso es relativo a los demás indicadores del "
        "mismo objetivo.",
    ),
    Sheet(
        "programacion_anual",
        (
            Column("indicador", Kind.CODE, True, "Código del indicador (hoja 'indicadores')."),
            Column("vigencia", Kind.INTEGER, True, "Año, entre vigencia_inicial y vigencia_final."),
            Column("meta_vigencia", Kind.NUMBER, True, "Meta del indicador para esa vigencia."),
            Column(
                "linea_base_vigencia",
                Kind.NUMBER,
                False,
                "Línea base de esa vigencia, si difiere de la del indicador.",
            ),
        ),
        "Una fila por indicador y vigencia en que está vigente (sin fila: no vigente ese año).",
    ),
    Sheet(
        "avances",
        (
            Column("indicador", Kind.CODE, True, "Código del indicador (hoja 'indicadores')."),
            Column(
                "corte",
                Kind.DATE,
                True,
                "Fecha de corte AAAA-MM-DD (p. ej. 2026-03-31), dentro de las vigencias del plan.",
            ),
            Column(
                "programado_corte",
                Kind.NUMBER,
                False,
                "Valor programado al corte, acumulado en la vigencia.",
            ),
            Column(
                "ejecutado_corte",
                Kind.NUMBER,
                False,
                "Valor ejecutado al corte, acumulado en la vigencia.",
            ),
            Column("observacion", Kind.TEXT, False, "Análisis cualitativo del avance."),
        ),
        "Una fila por indicador y corte: la programación del corte y su ejecución. Un "
        "indicador vigente sin fila para un corte no tiene nada programado en ese corte.",
    ),
    Sheet(
        "ponderaciones",
        (
            Column(
                "nivel",
                Kind.CHOICE,
                True,
                "indicador u objetivo.",
                choices=tuple(level.value for level in Level),
            ),
            Column("codigo", Kind.CODE, True, "Código del indicador o del objetivo."),
            Column("vigencia", Kind.INTEGER, True, "Año al que aplica el peso."),
            Column("peso", Kind.NUMBER, True, "Peso en puntos porcentuales, de 0 a 100."),
        ),
        "Pesos por vigencia (hoja opcional; sin pesos, todos pesan igual).",
        required=False,
    ),
)

SHEETS_BY_NAME: dict[str, Sheet] = {sheet.name: sheet for sheet in SHEETS}
CAMPOS_BY_NAME: dict[str, Campo] = {campo.name: campo for campo in PLAN_CAMPOS}

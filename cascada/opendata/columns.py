"""The open data tables and their columns: one definition for the CSV headers, the Table Schema
of ``datapackage.json``, the XLSX data dictionary and the ``/datos/`` page.

Column names are a public contract (scripts and dashboards read them): change them only by
adding a new column or a new version of the files, never by renaming.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from cascada.engine.model import Accumulation, Alert, GoalKind, Status

FieldType = Literal["string", "number", "integer", "date", "datetime"]

PERCENT_UNIT = "puntos porcentuales (%)"
AMOUNT_UNIT = "unidad del indicador (columna unidad)"

TYPE_LABELS: dict[FieldType, str] = {
    "string": "texto",
    "number": "número (punto decimal)",
    "integer": "número entero",
    "date": "fecha (AAAA-MM-DD)",
    "datetime": "fecha y hora UTC (AAAA-MM-DDThh:mm:ssZ)",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: FieldType
    description: str
    unit: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    def schema(self) -> dict[str, Any]:
        """The column as a Table Schema field (with ``unit`` as an extra property)."""
        result: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        if self.type == "datetime":
            result["format"] = "%Y-%m-%dT%H:%M:%SZ"
        if self.unit:
            result["unit"] = self.unit
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.unit == PERCENT_UNIT:
            constraints["minimum"] = 0  # progress is never negative (DESIGN §2)
        if constraints:
            result["constraints"] = constraints
        return result


@dataclass(frozen=True)
class Table:
    name: str  # the resource name and the file name without extension
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = field(default=())

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def schema(self) -> dict[str, Any]:
        return {
            "fields": [c.schema() for c in self.columns],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
            "foreignKeys": [
                {"fields": list(own), "reference": {"resource": other, "fields": list(theirs)}}
                for own, other, theirs in self.foreign_keys
            ],
        }


def _percent(what: str) -> str:
    return (
        f"{what} En puntos porcentuales, sin redondear (183.333333 es 183,33 %); vacío cuando "
        "no está definido."
    )


PLAN = Column("plan", "string", "Código del plan estratégico sectorial.", required=True)
CUT = Column(
    "corte",
    "date",
    "Fecha de corte del seguimiento (AAAA-MM-DD); su año es la vigencia.",
    required=True,
)
EDITION = Column(
    "edicion",
    "integer",
    "Edición publicada del corte (1 = la primera publicación; una corrección publica otra).",
    required=True,
)
VIGENCIA = Column("vigencia", "integer", "Vigencia (año) del corte.", required=True)
SEMAFORO = Column(
    "semaforo",
    "string",
    "Color del semáforo según las franjas del plan (por defecto: rojo < 70 %, amarillo 70 a "
    "< 95 %, verde 95 % al umbral de sobreejecución, azul por encima).",
)

PLAN_TABLE = Table(
    name="plan",
    title="Cifras del plan por corte",
    description="Una fila por corte publicado: las tres cifras consolidadas del plan.",
    columns=(
        PLAN,
        Column("nombre_plan", "string", "Nombre del plan."),
        Column("sector", "string", "Sector administrativo."),
        Column("entidad_cabeza", "string", "Entidad cabeza del sector."),
        CUT,
        EDITION,
        VIGENCIA,
        Column(
            "publicado_el",
            "datetime",
            "Fecha y hora (UTC) en que se publicó esta edición del corte.",
        ),
        Column(
            "cumplimiento",
            "number",
            _percent(
                "Cumplimiento del plan al corte: promedio ponderado del cumplimiento de los "
                "objetivos que tienen algo programado al corte."
            ),
            unit=PERCENT_UNIT,
        ),
        Column(
            "avance_vigencia",
            "number",
            _percent("Avance del plan en la vigencia: promedio ponderado de los objetivos."),
            unit=PERCENT_UNIT,
        ),
        Column(
            "avance_cuatrienio",
            "number",
            _percent("Avance del plan en el cuatrienio: promedio ponderado de los objetivos."),
            unit=PERCENT_UNIT,
        ),
        SEMAFORO,
        Column(
            "tope_indicador",
            "number",
            "Tope de cada indicador dentro de los promedios (vacío = sin tope); las cifras de "
            "los indicadores se publican sin tope.",
            unit=PERCENT_UNIT,
        ),
        Column(
            "umbral_sobreejecucion",
            "number",
            "Por encima de este avance un indicador está sobreejecutado.",
            unit=PERCENT_UNIT,
        ),
        Column("fuente", "string", "Fuente de la información, como la declara el plan."),
    ),
    primary_key=("plan", "corte"),
)

OBJECTIVES_TABLE = Table(
    name="objetivos",
    title="Objetivos por corte",
    description="Una fila por objetivo sectorial y corte publicado.",
    columns=(
        PLAN,
        CUT,
        EDITION,
        VIGENCIA,
        Column("objetivo", "string", "Código del objetivo (O1, O2…).", required=True),
        Column("nombre_objetivo", "string", "Nombre del objetivo sectorial."),
        Column(
            "cumplimiento",
            "number",
            _percent(
                "Cumplimiento del objetivo al corte: promedio ponderado del avance al corte de "
                "sus indicadores programados al corte (un indicador sin reporte cuenta 0 %). "
                "Vacío si nada estaba programado al corte (ver nota)."
            ),
            unit=PERCENT_UNIT,
        ),
        Column(
            "avance_vigencia",
            "number",
            _percent(
                "Avance del objetivo en la vigencia: promedio ponderado del avance de la "
                "vigencia de sus indicadores con meta de la vigencia."
            ),
            unit=PERCENT_UNIT,
        ),
        Column(
            "avance_cuatrienio",
            "number",
            _percent(
                "Avance del objetivo en el cuatrienio: promedio ponderado de sus indicadores "
                "con meta de cuatrienio."
            ),
            unit=PERCENT_UNIT,
        ),
        SEMAFORO,
        Column(
            "peso",
            "number",
            "Peso del objetivo en el plan para la vigencia; vacío = pesos iguales.",
            unit=PERCENT_UNIT,
        ),
        Column("indicadores", "integer", "Número de indicadores del objetivo."),
        Column(
            "indicadores_programados",
            "integer",
            "Indicadores programados al corte (los que entran al cumplimiento).",
        ),
        Column("nota", "string", "Por qué una cifra está vacía, cuando lo está."),
    ),
    primary_key=("plan", "corte", "objetivo"),
    foreign_keys=((("plan", "corte"), "plan", ("plan", "corte")),),
)

INDICATORS_TABLE = Table(
    name="indicadores",
    title="Indicadores por corte",
    description="Una fila por indicador y corte publicado, con su programación, ejecución y "
    "avances.",
    columns=(
        PLAN,
        CUT,
        EDITION,
        VIGENCIA,
        Column("objetivo", "string", "Código del objetivo del indicador.", required=True),
        Column(
            "meta",
            "string",
            "Código de la meta (p. ej. 127-2057: meta 127 del PDD / 2057 del proyecto).",
        ),
        Column(
            "tipo_meta",
            "string",
            "Tipo de meta: sectorial, estrategica, proyecto_inversion o actividad.",
            enum=tuple(k.value for k in GoalKind),
        ),
        Column("nombre_meta", "string", "Nombre de la meta."),
        Column("entidad_responsable", "string", "Entidad responsable de la meta y su reporte."),
        Column("indicador", "string", "Código del indicador.", required=True),
        Column("nombre_indicador", "string", "Nombre del indicador."),
        Column("unidad", "string", "Unidad de medida del indicador."),
        Column(
            "tipo_anualizacion",
            "string",
            "Cómo se acumulan los valores: suma (se suman), constante (un nivel que se "
            "mantiene), creciente (un nivel que sube desde la línea base) o decreciente (baja).",
            enum=tuple(a.value for a in Accumulation),
        ),
        Column("linea_base", "number", "Línea base del indicador.", unit=AMOUNT_UNIT),
        Column("meta_cuatrienio", "number", "Meta del cuatrienio.", unit=AMOUNT_UNIT),
        Column("meta_vigencia", "number", "Meta de la vigencia del corte.", unit=AMOUNT_UNIT),
        Column(
            "programado_corte",
            "number",
            "Programado al corte (acumulado en la vigencia), fijado por la oficina de planeación.",
            unit=AMOUNT_UNIT,
        ),
        Column(
            "ejecutado_corte",
            "number",
            "Ejecutado al corte (acumulado en la vigencia), reportado por la entidad.",
            unit=AMOUNT_UNIT,
        ),
        Column(
            "avance_corte",
            "number",
            _percent("Avance al corte: ejecutado frente a programado al corte (sin tope)."),
            unit=PERCENT_UNIT,
        ),
        Column(
            "avance_vigencia",
            "number",
            _percent("Avance de la vigencia: ejecutado frente a la meta de la vigencia."),
            unit=PERCENT_UNIT,
        ),
        Column(
            "avance_cuatrienio",
            "number",
            _percent("Avance del cuatrienio frente a la meta del cuatrienio."),
            unit=PERCENT_UNIT,
        ),
        Column(
            "peso",
            "number",
            "Peso del indicador dentro de su objetivo para la vigencia; vacío = pesos iguales.",
            unit=PERCENT_UNIT,
        ),
        Column(
            "peso_efectivo",
            "number",
            "Peso con que el indicador entra al cumplimiento del objetivo en este corte "
            "(renormalizado entre los programados); vacío si no entra.",
            unit=PERCENT_UNIT,
        ),
        Column(
            "estado",
            "string",
            "Estado (código): cumplida, sobreejecutada, en_rezago, sin_reporte, "
            "ejecutada_sin_programacion, no_programada o no_vigente.",
            required=True,
            enum=tuple(s.value for s in Status),
        ),
        Column("estado_etiqueta", "string", "Estado en palabras."),
        SEMAFORO,
        Column(
            "alertas",
            "string",
            "Alertas de calidad del dato (códigos separados por punto y coma): "
            + ", ".join(a.value for a in Alert)
            + ".",
        ),
        Column("analisis", "string", "Análisis cualitativo de la entidad (observación)."),
    ),
    primary_key=("plan", "corte", "indicador"),
    foreign_keys=((("plan", "corte", "objetivo"), "objetivos", ("plan", "corte", "objetivo")),),
)

TABLES: tuple[Table, ...] = (PLAN_TABLE, OBJECTIVES_TABLE, INDICATORS_TABLE)

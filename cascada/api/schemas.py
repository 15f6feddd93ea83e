"""What the API reads and writes (OpenAPI components). Field names are Spanish, as in the
import template and ``cascada compute`` (DESIGN §4, §6); percentages are numbers in percent
points, unrounded (183.333…), and ``null`` where a figure is undefined."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictFloat, StrictInt, StrictStr, StringConstraints

from cascada.engine.model import Accumulation, Alert, GoalKind, Status

CutStateCode = Literal["abierto", "en_revision", "publicado"]
# Free text in a query parameter: bounded, and without NUL (PostgreSQL cannot compare it).
QueryText = Annotated[str, StringConstraints(max_length=300, pattern=r"^[^\x00]*$")]

PERCENT = "Puntos porcentuales sin redondear (183.333… es 183,33 %); null si no está definido."


class Error(Schema):
    detail: str = Field(description="Qué pasó, en español.")


class FieldError(Schema):
    campo: str = Field(description="El campo: 'ejecutado', 'evidencias.2', 'limit'…")
    mensaje: str


class ValidationErrors(Schema):
    detail: str
    errores: list[FieldError]


# ---------------------------------------------------------------------------------------------
# Formulation


class AnnualTargetOut(Schema):
    vigencia: int
    meta_vigencia: float
    linea_base_vigencia: float | None


class PlanOut(Schema):
    codigo: str
    nombre: str
    sector: str
    entidad_cabeza: str | None
    plan_desarrollo: str | None
    vigencia_inicial: int
    vigencia_final: int
    mision: str
    vision: str
    acto_adopcion: str
    base_legal: str
    fuente: str
    tope_indicador: float | None = Field(
        description="Tope de cada indicador dentro de los consolidados; null = sin tope."
    )
    umbral_sobreejecucion: float
    ultimo_corte: date | None = Field(description="El corte más reciente que el usuario puede ver.")


class ObjectiveOut(Schema):
    codigo: str
    nombre: str
    orden: int


class GoalOut(Schema):
    codigo: str
    objetivo: str
    tipo: GoalKind
    nombre: str
    entidad_responsable: str | None


class IndicatorOut(Schema):
    codigo: str
    nombre: str
    unidad: str
    meta: str
    objetivo: str
    entidad_responsable: str | None
    tipo_anualizacion: Accumulation
    linea_base: float | None
    meta_cuatrienio: float | None
    programacion_anual: list[AnnualTargetOut]


# ---------------------------------------------------------------------------------------------
# Cuts and their results


class CutOut(Schema):
    plan: str
    fecha: date
    vigencia: int
    estado: CutStateCode
    edicion: int | None = Field(
        description="Edición publicada vigente (1 por ahora); null si el corte no está publicado."
    )
    publicado_el: datetime | None
    fecha_limite: date | None = Field(description="Fecha límite de reporte de las entidades.")
    datos_abiertos: str | None = Field(
        description="URL del paquete de datos abiertos (datapackage.json) de la edición publicada."
    )


class TermOut(Schema):
    codigo: str
    nombre: str
    valor: float = Field(description="Valor del término sin tope. " + PERCENT)
    valor_usado: float = Field(
        description="Valor tras el tope del plan (el que entra al promedio)."
    )
    peso: float = Field(description="Peso dado para la vigencia (1 = pesos iguales).")
    peso_efectivo: float = Field(description="Peso renormalizado, en puntos porcentuales.")


class ExplanationOut(Schema):
    cumplimiento: list[TermOut]
    avance_vigencia: list[TermOut]
    avance_cuatrienio: list[TermOut]


class CutResultOut(Schema):
    corte: CutOut
    cumplimiento: float | None = Field(description="Cumplimiento del plan al corte. " + PERCENT)
    avance_vigencia: float | None = Field(description=PERCENT)
    avance_cuatrienio: float | None = Field(description=PERCENT)
    semaforo: str | None
    explicacion: ExplanationOut = Field(description="Los términos de cada promedio ponderado.")


class ObjectiveResultOut(Schema):
    codigo: str
    nombre: str
    cumplimiento: float | None = Field(
        description="Cumplimiento al corte. " + PERCENT + " null = sin programación al corte."
    )
    avance_vigencia: float | None = Field(description=PERCENT)
    avance_cuatrienio: float | None = Field(description=PERCENT)
    semaforo: str | None
    peso: float | None
    nota: str = Field(description="Por qué una cifra es null, cuando lo es.")
    indicadores: int
    indicadores_programados: int
    explicacion: ExplanationOut


class IndicatorResultOut(Schema):
    codigo: str
    nombre: str
    unidad: str
    objetivo: str
    meta: str
    tipo_meta: GoalKind
    entidad_responsable: str | None
    estado: Status
    estado_etiqueta: str
    programado_corte: float | None
    ejecutado_corte: float | None
    meta_vigencia: float | None
    linea_base: float | None = Field(description="Línea base de la vigencia usada en el cálculo.")
    avance_corte: float | None = Field(description=PERCENT)
    avance_vigencia: float | None = Field(description=PERCENT)
    avance_cuatrienio: float | None = Field(description=PERCENT)
    peso: float | None
    peso_efectivo: float | None
    semaforo: str | None
    alertas: list[Alert]
    alertas_etiquetas: list[str]
    analisis: str


class HistoryPointOut(Schema):
    corte: date
    vigencia: int
    estado_corte: CutStateCode
    edicion: int | None
    estado: Status
    estado_etiqueta: str
    programado_corte: float | None
    ejecutado_corte: float | None
    meta_vigencia: float | None
    avance_corte: float | None = Field(description=PERCENT)
    avance_vigencia: float | None = Field(description=PERCENT)
    avance_cuatrienio: float | None = Field(description=PERCENT)
    semaforo: str | None
    alertas: list[Alert]
    analisis: str


class IndicatorHistoryOut(Schema):
    plan: str
    indicador: IndicatorOut
    historial: list[HistoryPointOut] = Field(description="Un punto por corte visible, en orden.")


# ---------------------------------------------------------------------------------------------
# Progress reports


class ReportOut(Schema):
    plan: str
    corte: date
    estado_corte: CutStateCode
    indicador: str
    nombre_indicador: str
    unidad: str
    programado_corte: float | None
    version: int = Field(
        description="Versión del reporte (0 = aún sin reporte); envíela en el PUT para "
        "guardar sobre ella."
    )
    ejecutado: float | None
    analisis: str
    evidencias: list[str]
    reportado_el: datetime | None
    estado_reporte: str = Field(
        description="borrador, enviado (a revisión), devuelto o aprobado; vacío sin reporte."
    )
    editable: bool = Field(description="Si el usuario del token puede guardarlo ahora.")


class ReportIn(Schema):
    version: int = Field(
        ge=0,
        le=2_147_483_647,
        description="La versión del reporte que se leyó (0 si no había reporte). Si el reporte "
        "cambió desde entonces, la respuesta es 409 con el estado actual.",
    )
    ejecutado: StrictInt | StrictFloat | StrictStr | None = Field(
        description="Ejecutado al corte, en la unidad del indicador: un número JSON o un texto "
        "en formato colombiano ('1.234,5', '60,67%') o con punto decimal ('0.18'); null o '' "
        "lo deja vacío."
    )
    analisis: StrictStr | None = Field(
        None, description="Análisis cualitativo; si se omite, se conserva el actual."
    )
    evidencias: list[StrictStr] | None = Field(
        None,
        description="Enlaces (https://…) a las evidencias; si se omite, se conservan los actuales.",
    )


class SubmitIn(Schema):
    version: int = Field(
        ge=0,
        le=2_147_483_647,
        description="La versión del reporte que se leyó; si cambió, la respuesta es 409.",
    )
    comentario: StrictStr | None = Field(
        None, max_length=5000, description="Un mensaje opcional para quien revisa."
    )


class ReportConflict(Schema):
    detail: str
    actual: ReportOut | None = Field(
        description="El reporte como está ahora (en un conflicto de versión)."
    )

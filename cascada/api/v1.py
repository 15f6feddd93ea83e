"""Version 1 of the REST API: thin operations over ``readers`` (reads) and
``cascada.tracking.reporting`` (the one write: a progress report).

Published cuts and their results are public; a cut that is not published, and its results,
need a token whose user may see the plan's drafts (``policy.can_view_drafts``), and are a 404
otherwise (as on the dashboard). A cut under correction stays public in its edition in force
(``readers.CutView``): who cannot see drafts reads that edition's figures, as on the dashboard.
The formulation of a plan (objectives, goals, indicators, annual targets) is public. A report
is written with a token whose user may report the indicator (``policy.can_report``), while the
cut is open.

(No ``from __future__ import annotations`` here: ninja reads the parameters' annotations at
runtime to build its pydantic models.)
"""

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status as Reply

from cascada.accounts import policy
from cascada.accounts.policy import Actor
from cascada.api import readers
from cascada.api.auth import OPTIONAL, TokenApi, actor_label, actor_of, optional_token
from cascada.api.errors import ApiError, invalid
from cascada.api.models import ApiToken
from cascada.api.schemas import (
    CutOut,
    CutResultOut,
    CutStateCode,
    Error,
    GoalOut,
    IndicatorHistoryOut,
    IndicatorOut,
    IndicatorResultOut,
    ObjectiveOut,
    ObjectiveResultOut,
    PlanOut,
    QueryText,
    ReportConflict,
    ReportIn,
    ReportOut,
    SubmitIn,
    ValidationErrors,
)
from cascada.engine.model import GoalKind, Status
from cascada.imports.numbers import NumberFormatError, parse_optional_number
from cascada.plans.models import Indicator, Plan
from cascada.tracking.models import Cut
from cascada.tracking.reporting import (
    CutNotOpen,
    InvalidReport,
    ReportInput,
    ReportLocked,
    VersionConflict,
    closed_reason,
    current_report,
    report_problems,
    save_report,
)

router = Router()

READ: dict[int, Any] = {401: Error, 404: Error, 422: ValidationErrors}
Vigencia = Annotated[
    int | None, Query(None, ge=1900, le=2200, description="Vigencia (año), p. ej. 2026.")
]
PlanCode = Annotated[QueryText | None, Query(None, description="Código del plan.")]
SectorName = Annotated[QueryText | None, Query(None, description="Nombre exacto del sector.")]
ObjectiveCode = Annotated[QueryText | None, Query(None, description="Código del objetivo.")]
GoalCode = Annotated[QueryText | None, Query(None, description="Código de la meta.")]
EntityName = Annotated[
    QueryText | None, Query(None, description="Nombre exacto de la entidad responsable.")
]
GoalKindFilter = Annotated[GoalKind | None, Query(None, description="Tipo de meta.")]
CutStateFilter = Annotated[CutStateCode | None, Query(None, description="Estado del corte.")]
StatusFilter = Annotated[Status | None, Query(None, description="Estado del indicador.")]
CutDate = Annotated[date | None, Query(None, description="Fecha del corte (AAAA-MM-DD).")]
InForce = Annotated[
    int | None,
    Query(
        None, ge=1900, le=2200, description="Solo los vigentes ese año (con meta de la vigencia)."
    ),
]


class Pages(LimitOffsetPagination):
    """``limit`` (1–1000, 100 by default) and ``offset``; the answer is ``{items, count}``."""

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(100, ge=1, le=1000, description="Cuántos elementos (máximo 1000).")
        offset: int = Field(0, ge=0, le=1_000_000_000, description="Desde qué posición (0 …).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=1000, **kwargs)


def _viewer(request: HttpRequest) -> Actor:
    return actor_of(optional_token(request))


def _plan(code: str) -> Plan:
    plan = readers.find_plan(code)
    if plan is None:
        raise ApiError(404, f"No existe el plan «{code}».")
    return plan


def _cut(request: HttpRequest, code: str, day: date) -> readers.CutView:
    plan = _plan(code)
    view = readers.visible_cut(plan=plan, day=day, user=_viewer(request))
    if view is None:
        raise ApiError(404, f"El plan «{code}» no tiene un corte visible el {day.isoformat()}.")
    return view


def _indicator(plan: Plan, code: str) -> Indicator:
    indicator = readers.find_indicator(plan, code)
    if indicator is None:
        raise ApiError(404, f"El plan «{plan.code}» no tiene el indicador «{code}».")
    return indicator


# ---------------------------------------------------------------------------------------------
# Plans and their formulation


@router.get(
    "/planes",
    response={200: list[PlanOut], **READ},
    tags=["planes"],
    operation_id="listar_planes",
    summary="Planes",
    openapi_extra={"security": OPTIONAL},
)
@paginate(Pages)
def list_plans(
    request: HttpRequest,
    vigencia: Vigencia = None,
    sector: SectorName = None,
) -> Any:
    """Todos los planes, con el corte más reciente que el usuario puede ver."""
    return readers.plans(user=_viewer(request), vigencia=vigencia, sector=sector)


@router.get(
    "/planes/{plan}",
    response={200: PlanOut, **READ},
    tags=["planes"],
    operation_id="ver_plan",
    summary="Un plan",
    openapi_extra={"security": OPTIONAL},
)
def get_plan(request: HttpRequest, plan: str) -> Any:
    return readers.plan(plan=_plan(plan), user=_viewer(request))


@router.get(
    "/planes/{plan}/objetivos",
    response={200: list[ObjectiveOut], **READ},
    tags=["planes"],
    operation_id="listar_objetivos",
    summary="Objetivos de un plan",
    openapi_extra={"security": OPTIONAL},
)
@paginate(Pages)
def list_objectives(request: HttpRequest, plan: str) -> Any:
    _viewer(request)
    return [readers.objective_row(o) for o in readers.objectives(plan=_plan(plan))]


@router.get(
    "/planes/{plan}/metas",
    response={200: list[GoalOut], **READ},
    tags=["planes"],
    operation_id="listar_metas",
    summary="Metas de un plan",
    openapi_extra={"security": OPTIONAL},
)
@paginate(Pages)
def list_goals(
    request: HttpRequest,
    plan: str,
    objetivo: ObjectiveCode = None,
    entidad: EntityName = None,
    tipo: GoalKindFilter = None,
) -> Any:
    _viewer(request)
    return readers.goals(
        plan=_plan(plan),
        objective=objetivo,
        entity=entidad,
        kind=tipo.value if tipo is not None else None,
    )


@router.get(
    "/planes/{plan}/indicadores",
    response={200: list[IndicatorOut], **READ},
    tags=["planes"],
    operation_id="listar_indicadores",
    summary="Indicadores de un plan, con su programación anual",
    openapi_extra={"security": OPTIONAL},
)
@paginate(Pages)
def list_indicators(
    request: HttpRequest,
    plan: str,
    objetivo: ObjectiveCode = None,
    meta: GoalCode = None,
    entidad: EntityName = None,
    vigencia: InForce = None,
) -> Any:
    _viewer(request)
    return readers.indicators(
        plan=_plan(plan), objective=objetivo, goal=meta, entity=entidad, vigencia=vigencia
    )


@router.get(
    "/planes/{plan}/indicadores/{indicador}/historial",
    response={200: IndicatorHistoryOut, **READ},
    tags=["resultados"],
    operation_id="historial_indicador",
    summary="Un indicador a lo largo de los cortes",
    openapi_extra={"security": OPTIONAL},
)
def indicator_history(
    request: HttpRequest, plan: str, indicador: str, vigencia: Vigencia = None
) -> Any:
    """Los resultados del indicador en cada corte visible (publicados; y los demás con un token
    de quien puede verlos), del más antiguo al más reciente."""
    viewer = _viewer(request)
    found = _plan(plan)
    return readers.history(
        plan=found, indicator=_indicator(found, indicador), user=viewer, vigencia=vigencia
    )


# ---------------------------------------------------------------------------------------------
# Cuts and their results


@router.get(
    "/cortes",
    response={200: list[CutOut], **READ},
    tags=["cortes"],
    operation_id="listar_cortes",
    summary="Cortes de todos los planes",
    openapi_extra={"security": OPTIONAL},
)
@paginate(Pages)
def list_all_cuts(
    request: HttpRequest,
    plan: PlanCode = None,
    vigencia: Vigencia = None,
    estado: CutStateFilter = None,
) -> Any:
    """Los cortes publicados de todos los planes; con un token, también los no publicados de
    los planes cuyos borradores puede ver su usuario."""
    viewer = _viewer(request)
    return readers.cuts(
        user=viewer,
        plan=_plan(plan) if plan is not None else None,
        vigencia=vigencia,
        state=estado,
    )


@router.get(
    "/planes/{plan}/cortes",
    response={200: list[CutOut], **READ},
    tags=["cortes"],
    operation_id="listar_cortes_plan",
    summary="Cortes de un plan",
    openapi_extra={"security": OPTIONAL},
)
@paginate(Pages)
def list_cuts(
    request: HttpRequest,
    plan: str,
    vigencia: Vigencia = None,
    estado: CutStateFilter = None,
) -> Any:
    viewer = _viewer(request)
    return readers.cuts(user=viewer, plan=_plan(plan), vigencia=vigencia, state=estado)


@router.get(
    "/planes/{plan}/cortes/{fecha}",
    response={200: CutResultOut, **READ},
    tags=["resultados"],
    operation_id="ver_corte",
    summary="Un corte con las cifras del plan",
    openapi_extra={"security": OPTIONAL},
)
def get_cut(request: HttpRequest, plan: str, fecha: date) -> Any:
    """El corte (estado, edición) y las tres cifras del plan con los términos de cada
    promedio ponderado."""
    return readers.cut_result(_cut(request, plan, fecha))


@router.get(
    "/planes/{plan}/cortes/{fecha}/objetivos",
    response={200: list[ObjectiveResultOut], **READ},
    tags=["resultados"],
    operation_id="resultados_objetivos",
    summary="Resultados de los objetivos en un corte",
    openapi_extra={"security": OPTIONAL},
)
@paginate(Pages)
def objective_results(request: HttpRequest, plan: str, fecha: date) -> Any:
    """Cumplimiento al corte, avance de la vigencia y del cuatrienio de cada objetivo, con los
    términos (indicador, valor, peso, peso efectivo) que los producen. Un objetivo sin nada
    programado al corte tiene cumplimiento null."""
    return readers.objective_results(_cut(request, plan, fecha))


@router.get(
    "/planes/{plan}/cortes/{fecha}/indicadores",
    response={200: list[IndicatorResultOut], **READ},
    tags=["resultados"],
    operation_id="resultados_indicadores",
    summary="Resultados de los indicadores en un corte",
    openapi_extra={"security": OPTIONAL},
)
@paginate(Pages)
def indicator_results(
    request: HttpRequest,
    plan: str,
    fecha: date,
    objetivo: ObjectiveCode = None,
    entidad: EntityName = None,
    estado: StatusFilter = None,
) -> Any:
    return readers.indicator_results(
        _cut(request, plan, fecha),
        objective=objetivo,
        entity=entidad,
        status=estado.value if estado is not None else None,
    )


# ---------------------------------------------------------------------------------------------
# Progress reports


@router.get(
    "/reportes",
    response={200: list[ReportOut], **READ},
    tags=["reportes"],
    operation_id="listar_reportes_pendientes",
    summary="Reportes que el usuario del token puede hacer ahora",
    auth=TokenApi(),
)
@paginate(Pages)
def list_reportable(
    request: HttpRequest,
    plan: PlanCode = None,
    corte: CutDate = None,
    entidad: EntityName = None,
) -> Any:
    """Los indicadores que el usuario puede reportar en los cortes abiertos, con su reporte
    actual y su versión."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return readers.reportable(
        user=token.user,
        plan=_plan(plan) if plan is not None else None,
        day=corte,
        entity=entidad,
    )


def _report_target(code: str, day: date, indicator_code: str) -> tuple[Cut, Indicator]:
    plan = _plan(code)
    cut = Cut.objects.select_related("plan").filter(plan=plan, date=day).first()
    if cut is None:
        raise ApiError(404, f"El plan «{code}» no tiene un corte el {day.isoformat()}.")
    return cut, _indicator(plan, indicator_code)


def _report_out(cut: Cut, indicator: Indicator, user: Actor) -> dict[str, Any]:
    return readers.report_row(
        cut=cut,
        indicator=indicator,
        state=current_report(cut=cut, indicator=indicator),
        programmed=readers.programmed_at(cut, indicator),
        may_report=policy.can_report(user, indicator),
    )


@router.get(
    "/planes/{plan}/cortes/{fecha}/reportes/{indicador}",
    response={200: ReportOut, **READ},
    tags=["reportes"],
    operation_id="ver_reporte",
    summary="El reporte de avance de un indicador en un corte",
    openapi_extra={"security": OPTIONAL},
)
def get_report(request: HttpRequest, plan: str, fecha: date, indicador: str) -> Any:
    """Visible donde el corte es visible, y para quien puede reportar el indicador. En un
    corte en corrección, quien no ve borradores ni reporta el indicador lee el reporte de la
    edición vigente."""
    viewer = _viewer(request)
    cut, indicator = _report_target(plan, fecha, indicador)
    if readers.sees_drafts(viewer, cut.plan) or (
        not cut.is_published and policy.can_report(viewer, indicator)
    ):
        return _report_out(cut, indicator, viewer)  # the working report
    view = readers.public_view(cut)
    if view is None:
        raise ApiError(404, f"El plan «{plan}» no tiene un corte visible el {fecha.isoformat()}.")
    if view.edition is None:
        return _report_out(cut, indicator, viewer)  # published: what is stored
    return readers.edition_report(
        cut=cut,
        edition=view.edition,
        indicator=indicator,
        version=current_report(cut=cut, indicator=indicator).version,
    )


# What a report write answers: the report, or why not.
REPORT_WRITE = {
    200: ReportOut,
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: ReportConflict,
    422: ValidationErrors,
}


def _reportable(user: Any, plan: str, fecha: date, indicador: str) -> tuple[Cut, Indicator]:
    """The cut and indicator of a report write, refused (403) to whoever may not report it."""
    cut, indicator = _report_target(plan, fecha, indicador)
    if not policy.can_report(user, indicator):
        raise ApiError(
            403,
            f"El usuario {user.get_username()} no puede reportar el indicador «{indicator.code}» "
            "(solo los reportantes de la entidad responsable de su meta).",
        )
    return cut, indicator


def _saved(
    token: ApiToken,
    cut: Cut,
    indicator: Indicator,
    *,
    version: int,
    data: ReportInput,
    submit: bool = False,
    comment: str = "",
) -> Any:
    """Save (and maybe submit) the report; the refusals of ``save_report`` as 409 or 422."""
    user = token.user
    try:
        save_report(
            cut=cut,
            indicator=indicator,
            version=version,
            data=data,
            actor=user,
            actor_label=actor_label(token),
            submit=submit,
            comment=comment,
        )
    except VersionConflict as conflict:
        return Reply(409, {"detail": conflict.message, "actual": _report_out(cut, indicator, user)})
    except (CutNotOpen, ReportLocked) as refused:
        return Reply(409, {"detail": refused.message, "actual": None})
    except InvalidReport as bad:
        return Reply(422, invalid([{"campo": k, "mensaje": v} for k, v in bad.errors.items()]))
    cut.refresh_from_db()
    return _report_out(cut, indicator, user)


@router.put(
    "/planes/{plan}/cortes/{fecha}/reportes/{indicador}",
    response=REPORT_WRITE,
    tags=["reportes"],
    operation_id="guardar_reporte",
    summary="Guardar el reporte de avance de un indicador",
    auth=TokenApi(),
)
def put_report(
    request: HttpRequest, plan: str, fecha: date, indicador: str, datos: ReportIn
) -> Any:
    """Fija el ejecutado al corte, el análisis y las evidencias. Exige un token de quien puede
    reportar el indicador (reportante de la entidad responsable), un corte abierto y la
    versión leída (409 con el reporte actual si cambió). Los errores de datos son 422 con un
    mensaje por campo. Queda en la auditoría y recalcula los resultados del corte."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    user = token.user
    cut, indicator = _reportable(user, plan, fecha, indicador)
    closed = closed_reason(cut)
    if closed:
        return Reply(409, {"detail": closed, "actual": None})

    errors: dict[str, str] = {}
    try:
        executed = parse_optional_number(datos.ejecutado)
    except NumberFormatError as error:
        shown = error.value if len(error.value) <= 60 else error.value[:57] + "…"
        errors["ejecutado"] = (
            f"Se encontró «{shown}»; se esperaba un número (p. ej. 1.234,5, 0,18 o 0.18) o vacío."
        )
        executed = None
    current = current_report(cut=cut, indicator=indicator)
    data = ReportInput(
        executed=executed,
        analysis=datos.analisis if datos.analisis is not None else current.analysis,
        evidence=datos.evidencias if datos.evidencias is not None else current.evidence,
    )
    errors = {**report_problems(data), **errors}
    if errors:
        return Reply(422, invalid([{"campo": k, "mensaje": v} for k, v in errors.items()]))
    return _saved(token, cut, indicator, version=datos.version, data=data)


@router.post(
    "/planes/{plan}/cortes/{fecha}/reportes/{indicador}/enviar",
    response=REPORT_WRITE,
    tags=["reportes"],
    operation_id="enviar_reporte",
    summary="Enviar a revisión el reporte de avance de un indicador",
    auth=TokenApi(),
)
def submit_report(
    request: HttpRequest, plan: str, fecha: date, indicador: str, datos: SubmitIn
) -> Any:
    """Envía a revisión el reporte guardado (versión leída): exige el ejecutado al corte, y el
    análisis cualitativo cuando el estado calculado es en rezago, sobreejecutada o ejecutada sin
    programación (422 si falta). Después queda de solo lectura hasta que lo devuelvan."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    user = token.user
    cut, indicator = _reportable(user, plan, fecha, indicador)
    current = current_report(cut=cut, indicator=indicator)
    data = ReportInput(
        executed=current.executed, analysis=current.analysis, evidence=current.evidence
    )
    return _saved(
        token,
        cut,
        indicator,
        version=datos.version,
        data=data,
        submit=True,
        comment=datos.comentario or "",
    )

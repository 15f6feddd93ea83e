"""The authorization matrix (issue 6): every kind of user × every page and action that writes,
and the read-only pages.

``ACTIONS`` is the table: each row is one request (method, URL, data; ``prepare`` sets up what
the request needs, such as a previewed file in the session) and the actors allowed to make it.
Every actor of ``tests.accounts.world.ACTORS`` tries every row, each in its own savepoint that
is rolled back afterwards, so rows do not depend on each other:

* allowed: the response is the row's success (its status; a redirect that is not to a login
  page), and a row that writes changed the database;
* refused: a redirect to a login page, 401 (the API without a token), 403 or 404, and not one row of any cascada table (nor
  of ``auth``) changed, and no uploaded file was stored.

A page added later (the workflow's) is one more row here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.forms import model_to_dict
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from cascada.accounts.models import Membership
from cascada.imports import uploads
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.imports.views import PENDING, RESULT, changes_digest
from cascada.plans.models import (
    AnnualTarget,
    DevelopmentPlan,
    Entity,
    Goal,
    Indicator,
    Objective,
    Plan,
    Sector,
    SemaforoBand,
    Weight,
)
from cascada.tracking.models import (
    AlertOverride,
    AuditEvent,
    Cut,
    CutEdition,
    CutTarget,
    FormulationChange,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
    ProgressReport,
    ReminderSent,
    ReportComment,
)
from tests.accounts.world import (
    ACTORS,
    EMPTY_OPEN,
    OPEN,
    PASSWORD,
    PLAN_A,
    PLAN_B,
    PUBLISHED,
    World,
    build_world,
    new_plan_sheets,
    plan_a_update_sheets,
)
from tests.workbooks import Rows, write_workbook

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------
# Who

EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {"anonimo"}
SUPERUSER = frozenset({"superusuario"})
PLAN_A_ADMINS = SUPERUSER | {"administrador"}
PLAN_B_ADMINS = SUPERUSER | {"administrador_otro_plan"}
PLAN_ADMINS = PLAN_A_ADMINS | PLAN_B_ADMINS  # administer some plan: import, create plans
PLAN_A_VIEWERS = PLAN_A_ADMINS | {"revisor", "analista"}  # see plan A's drafts
ADMIN_USERS = PLAN_A_VIEWERS | {"administrador_otro_plan"}  # staff with a role that reads
STAFF = frozenset(name for name, spec in ACTORS.items() if spec is not None and spec[0])
NOBODY: frozenset[str] = frozenset()
AUDIT_READERS = PLAN_ADMINS | {"revisor"}  # administer or review some plan


# ---------------------------------------------------------------------------------------------
# What


@dataclass(frozen=True)
class Action:
    name: str
    method: str  # a method of the test client: "get", "post", "put", …
    url: Callable[[World], str]
    allowed: frozenset[str]
    data: Callable[[World], dict[str, Any]] | None = None
    # Sets up what the request needs (as any visitor could have); returns more data to send.
    prepare: Callable[[Client, World], dict[str, Any]] | None = None
    status: tuple[int, ...] = (200,)  # of an allowed request
    writes: bool = False  # an allowed request changes the database
    # Per actor (e.g. an API token in Authorization); with a content type, the data is sent as
    # that body (JSON) instead of a form.
    headers: Callable[[World, str], dict[str, str]] | None = None
    content_type: str | None = None
    # What a refused request may answer (besides a redirect to a login page).
    refusals: tuple[int, ...] = (401, 403, 404)


def fixed(url: str) -> Callable[[World], str]:
    return lambda world: url


# --- the import -------------------------------------------------------------------------------


def workbook_file(sheets: Callable[[], dict[str, Rows]]) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        path = write_workbook(Path(settings.DATA_DIR) / "libro.xlsx", sheets())
        return {"archivo": SimpleUploadedFile("plan.xlsx", path.read_bytes())}

    return data


def pending(
    sheets: Callable[[], dict[str, Rows]], *, previewed: bool = True
) -> Callable[[Client, World], dict[str, Any]]:
    """A file waiting in the session, as the upload (and the preview) leave it."""

    def prepare(client: Client, world: World) -> dict[str, Any]:
        path = write_workbook(Path(settings.DATA_DIR) / "pendiente.xlsx", sheets())
        stored = uploads.store([path.read_bytes()], suffix=".xlsx")
        preview = ""
        if previewed:
            summary = import_workbook(workbook=read_template(path), dry_run=True)
            preview = changes_digest(summary)
        session = client.session
        session[PENDING] = {
            "file": stored.name,
            "sha256": stored.sha256,
            "name": "plan.xlsx",
            "preview": preview,
        }
        session.save()
        return {"archivo": stored.name}

    return prepare


def finished_import(client: Client, world: World) -> dict[str, Any]:
    session = client.session
    session[RESULT] = {
        "plan": PLAN_A,
        "created": False,
        "file": "plan.xlsx",
        "sheets": {"objetivos": [0, 1, 0]},
    }
    session.save()
    return {}


IMPORT = [
    Action("importar: formulario", "get", fixed("/importar/"), PLAN_ADMINS),
    Action(
        "importar: cargar un archivo",
        "post",
        fixed("/importar/"),
        PLAN_ADMINS,
        data=workbook_file(plan_a_update_sheets),
        status=(302,),
    ),
    Action(
        "importar: vista previa del plan A",
        "get",
        fixed("/importar/vista-previa/"),
        PLAN_A_ADMINS,
        prepare=pending(plan_a_update_sheets, previewed=False),
    ),
    Action(
        "importar: vista previa de un plan nuevo",
        "get",
        fixed("/importar/vista-previa/"),
        PLAN_ADMINS,
        prepare=pending(new_plan_sheets, previewed=False),
    ),
    Action(
        "importar: confirmar el plan A",
        "post",
        fixed("/importar/confirmar/"),
        PLAN_A_ADMINS,
        prepare=pending(plan_a_update_sheets),
        status=(302,),
        writes=True,
    ),
    Action(
        "importar: confirmar un plan nuevo",
        "post",
        fixed("/importar/confirmar/"),
        PLAN_ADMINS,
        prepare=pending(new_plan_sheets),
        status=(302,),
        writes=True,
    ),
    Action(
        "importar: cancelar",
        "post",
        fixed("/importar/cancelar/"),
        PLAN_ADMINS,
        prepare=pending(plan_a_update_sheets),
    ),
    Action(
        "importar: resultado",
        "get",
        fixed("/importar/resultado/"),
        PLAN_ADMINS,
        prepare=finished_import,
    ),
    Action("importar: plantilla vacía", "get", fixed("/importar/plantilla.xlsx"), PLAN_ADMINS),
]


# --- the admin --------------------------------------------------------------------------------


def form_values(obj: models.Model) -> dict[str, Any]:
    """What the admin's change form of ``obj`` would send back unchanged."""
    data: dict[str, Any] = {}
    for name, value in model_to_dict(obj).items():
        if isinstance(value, FieldFile):
            continue
        if value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | dict):
            data[name] = json.dumps(value)
        elif isinstance(value, models.Model):
            data[name] = value.pk
        else:
            data[name] = value
    return data


def inline_management(model: type[models.Model]) -> dict[str, Any]:
    """Empty inline formsets: the admin's page sends their management forms."""
    data: dict[str, Any] = {}
    for inline in admin.site._registry[model].inlines:
        (fk,) = [f for f in inline.model._meta.fields if f.is_relation and f.related_model is model]
        prefix = fk.remote_field.get_accessor_name()
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def admin_url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@dataclass(frozen=True)
class AdminRows:
    """The add, change and delete of one model registered in the admin (``None``: no row)."""

    model: type[models.Model]
    add: Callable[[World], dict[str, Any]] | None
    change: Callable[[World], models.Model] | None  # the row changed …
    changes: dict[str, Any]  # … with these values
    delete: Callable[[World], models.Model]
    may_add: frozenset[str]
    may_change: frozenset[str]
    may_delete: frozenset[str]
    label: str = ""

    def actions(self) -> list[Action]:
        model, add, change = self.model, self.add, self.change
        name = f"admin {self.label or model._meta.model_name}"
        rows = []
        if add is not None:
            rows.append(
                Action(
                    f"{name}: agregar",
                    "post",
                    fixed(admin_url(model, "add")),
                    self.may_add,
                    data=lambda w: {**add(w), **inline_management(model)},
                    status=(302,),
                    writes=True,
                )
            )
        if change is not None:
            rows.append(
                Action(
                    f"{name}: modificar",
                    "post",
                    lambda w: admin_url(model, "change", change(w).pk),
                    self.may_change,
                    data=lambda w: {
                        **form_values(change(w)),
                        **self.changes,
                        **inline_management(model),
                    },
                    status=(302,),
                    writes=True,
                )
            )
        rows.append(
            Action(
                f"{name}: eliminar",
                "post",
                lambda w: admin_url(model, "delete", self.delete(w).pk),
                self.may_delete,
                data=lambda w: {"post": "yes"},
                status=(302,),
                writes=True,
            )
        )
        return rows


def read_only(model: type[models.Model], row: Callable[[World], models.Model]) -> AdminRows:
    """What the system writes itself: nobody adds, changes or deletes it in the admin."""
    return AdminRows(model, lambda w: {}, row, {}, row, NOBODY, NOBODY, NOBODY)


ADMIN_MODELS = [
    AdminRows(
        DevelopmentPlan,
        add=lambda w: {"name": "PDD nuevo"},
        change=lambda w: DevelopmentPlan.objects.get(name="PDD de prueba"),  # used by plan A
        changes={"name": "PDD renombrado"},
        delete=lambda w: DevelopmentPlan.objects.get(name="PDD sin uso"),
        may_add=PLAN_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_ADMINS,
    ),
    AdminRows(
        Sector,
        add=lambda w: {"name": "Sector nuevo"},
        change=lambda w: Sector.objects.get(name="Sector de prueba"),  # plan A's
        changes={"name": "Sector renombrado"},
        delete=lambda w: Sector.objects.get(name="Sector sin uso"),
        may_add=PLAN_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_ADMINS,
    ),
    AdminRows(
        Entity,
        add=lambda w: {"name": "Entidad nueva", "sector": ""},
        change=lambda w: Entity.objects.get(name="Entidad X"),  # responsible in plan A
        changes={"name": "Entidad X renombrada"},
        delete=lambda w: Entity.objects.get(name="Entidad sin uso"),
        may_add=PLAN_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_ADMINS,
    ),
    AdminRows(
        Membership,
        add=lambda w: {
            "user": w.users["usuario_sin_rol"].pk,  # type: ignore[attr-defined]
            "plan": w.plan_a.pk,
            "role": "analista",
            "entity": "",
        },
        change=lambda w: Membership.objects.get(user__username="analista"),
        changes={"role": "revisor"},
        delete=lambda w: Membership.objects.get(user__username="analista"),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        Plan,
        add=lambda w: {
            **form_values(w.plan_a),
            "code": "ADMIN-2026",
            "name": "Plan creado en la administración",
        },
        change=lambda w: w.plan_a,
        changes={"name": "Plan A renombrado"},
        delete=lambda w: Plan.objects.get(code="VACIO-2026"),
        may_add=PLAN_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=SUPERUSER,  # a whole plan with its data
    ),
    AdminRows(
        Objective,
        add=lambda w: {"plan": w.plan_a.pk, "code": "Z", "name": "Nuevo", "order": 9},
        change=lambda w: w.objective("A"),
        changes={"name": "Primero, renombrado"},
        delete=lambda w: w.objective("VACIO"),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        Objective,
        label="objective del plan B",
        add=lambda w: {"plan": w.plan_b.pk, "code": "Z", "name": "Nuevo", "order": 9},
        change=lambda w: Objective.objects.get(plan=w.plan_b, code="A"),
        changes={"name": "Primero de B, renombrado"},
        delete=lambda w: Objective.objects.get(plan=w.plan_b, code="VACIO"),
        may_add=PLAN_B_ADMINS,
        may_change=PLAN_B_ADMINS,
        may_delete=PLAN_B_ADMINS,
    ),
    AdminRows(
        Goal,
        add=lambda w: {
            "plan": w.plan_a.pk,
            "objective": w.objective("A").pk,
            "code": "M9",
            "kind": "sectorial",
            "name": "Meta nueva",
            "responsible_entity": "",
            "order": 0,
        },
        change=lambda w: w.goal("M1"),
        changes={"name": "Meta uno, renombrada"},
        delete=lambda w: w.goal("M-VACIA"),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        Indicator,
        add=lambda w: {
            "plan": w.plan_a.pk,
            "goal": w.goal("M1").pk,
            "code": "N",
            "name": "Indicador nuevo",
            "unit": "",
            "accumulation": "suma",
            "baseline": "",
            "target_4y": "",
            "order": 0,
        },
        change=lambda w: w.indicator("S"),
        changes={"name": "Suma, renombrado"},
        delete=lambda w: w.indicator("I-VACIO"),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        Weight,
        add=lambda w: {
            "plan": w.plan_a.pk,
            "level": "objetivo",
            "vigencia": 2027,
            "indicator": "",
            "objective": w.objective("A").pk,
            "weight": "40",
        },
        change=lambda w: Weight.objects.get(indicator=w.indicator("S"), vigencia=2026),
        changes={"weight": "30"},
        delete=lambda w: Weight.objects.get(objective=w.objective("B"), vigencia=2026),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        Cut,
        add=lambda w: {"plan": w.plan_a.pk, "date": "2026-12-31", "deadline": ""},
        change=lambda w: w.cut(OPEN),
        changes={"deadline": "2026-07-15"},
        delete=lambda w: w.cut(EMPTY_OPEN),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        Cut,
        label="cut publicado",
        add=lambda w: {"plan": w.plan_a.pk, "date": "2027-03-31", "deadline": ""},
        change=lambda w: w.cut(PUBLISHED),
        changes={"deadline": "2026-01-15"},
        delete=lambda w: w.cut(PUBLISHED),
        may_add=PLAN_A_ADMINS,
        may_change=NOBODY,  # published: only a new edition corrects it
        may_delete=NOBODY,
    ),
    AdminRows(
        CutTarget,
        add=lambda w: {
            "cut": w.cut(EMPTY_OPEN).pk,
            "indicator": w.indicator("S").pk,
            "programmed": "5",
        },
        change=lambda w: CutTarget.objects.get(cut=w.cut(OPEN), indicator=w.indicator("S")),
        changes={"programmed": "5"},
        delete=lambda w: CutTarget.objects.get(cut=w.cut(OPEN), indicator=w.indicator("C")),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        ProgressReport,
        add=lambda w: {
            "cut": w.cut(EMPTY_OPEN).pk,
            "indicator": w.indicator("S").pk,
            "executed": "1",
            "analysis": "",
            "evidence": "[]",
        },
        change=lambda w: ProgressReport.objects.get(cut=w.cut(OPEN), indicator=w.indicator("S")),
        changes={"executed": "7"},
        delete=lambda w: ProgressReport.objects.get(cut=w.cut(OPEN), indicator=w.indicator("C")),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        ProgressReport,
        label="progressreport de un corte publicado",
        add=lambda w: {
            "cut": w.cut(PUBLISHED).pk,
            "indicator": w.indicator("C").pk,
            "executed": "1",
            "analysis": "",
            "evidence": "[]",
        },
        change=lambda w: ProgressReport.objects.get(
            cut=w.cut(PUBLISHED), indicator=w.indicator("S")
        ),
        changes={"executed": "1"},
        delete=lambda w: ProgressReport.objects.get(
            cut=w.cut(PUBLISHED), indicator=w.indicator("S")
        ),
        may_add=NOBODY,  # refused by the database (the published cut is frozen): see below
        may_change=NOBODY,
        may_delete=NOBODY,
    ),
    AdminRows(
        SemaforoBand,
        add=lambda w: {"plan": w.plan_a.pk, "color": "rojo", "lower": "", "inclusive": "on"},
        change=lambda w: SemaforoBand.objects.get(plan=w.plan_a, color="verde"),
        changes={"lower": "90"},
        delete=lambda w: SemaforoBand.objects.get(plan=w.plan_a, color="verde"),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        AnnualTarget,
        add=lambda w: {
            "indicator": w.indicator("S").pk,
            "vigencia": 2027,
            "target": "10",
            "baseline": "",
        },
        change=lambda w: AnnualTarget.objects.get(indicator=w.indicator("S"), vigencia=2026),
        changes={"target": "12"},
        delete=lambda w: AnnualTarget.objects.get(indicator=w.indicator("C"), vigencia=2026),
        may_add=PLAN_A_ADMINS,
        may_change=PLAN_A_ADMINS,
        may_delete=PLAN_A_ADMINS,
    ),
    AdminRows(
        Indicator,
        label="indicator con datos publicados",
        add=None,
        change=None,
        changes={},
        # Its reports and results of the published cut would go with it: nobody may.
        delete=lambda w: w.indicator("S"),
        may_add=NOBODY,
        may_change=NOBODY,
        may_delete=NOBODY,
    ),
    read_only(CutEdition, lambda w: CutEdition.objects.get(cut=w.cut(PUBLISHED), number=1)),
    read_only(
        ReportComment,
        lambda w: ReportComment.objects.filter(report__cut__plan=w.plan_a).earliest("pk"),
    ),
    read_only(
        AlertOverride, lambda w: AlertOverride.objects.filter(cut__plan=w.plan_a).earliest("pk")
    ),
    read_only(
        FormulationChange, lambda w: FormulationChange.objects.filter(plan=w.plan_a).earliest("pk")
    ),
    read_only(
        ReminderSent, lambda w: ReminderSent.objects.filter(cut__plan=w.plan_a).earliest("pk")
    ),
    read_only(AuditEvent, lambda w: AuditEvent.objects.filter(plan=w.plan_a).earliest("pk")),
    read_only(PlanCutResult, lambda w: PlanCutResult.objects.get(cut=w.cut(OPEN))),
    read_only(
        ObjectiveCutResult,
        lambda w: ObjectiveCutResult.objects.filter(cut=w.cut(OPEN)).earliest("pk"),
    ),
    read_only(
        IndicatorCutResult,
        lambda w: IndicatorCutResult.objects.filter(cut=w.cut(OPEN)).earliest("pk"),
    ),
]


def admin_reading() -> list[Action]:
    """Every changelist (staff with a role that reads), and a change page of plan A."""
    rows = [
        Action("admin: índice", "get", fixed("/admin/"), STAFF),
        Action(
            "admin: página de un objetivo del plan A",
            "get",
            lambda w: admin_url(Objective, "change", w.objective("A").pk),
            PLAN_A_VIEWERS,
        ),
        Action(
            "admin: página del plan A",
            "get",
            lambda w: admin_url(Plan, "change", w.plan_a.pk),
            PLAN_A_VIEWERS,
        ),
    ]
    for model in sorted({rows.model for rows in ADMIN_MODELS}, key=lambda m: m._meta.label):
        rows.append(
            Action(
                f"admin {model._meta.model_name}: lista",
                "get",
                fixed(admin_url(model, "changelist")),
                ADMIN_USERS,
            )
        )
    return rows


# --- everything else --------------------------------------------------------------------------

SESSION = [
    Action("ingresar: formulario", "get", fixed("/cuenta/ingresar/"), EVERYONE),
    Action(
        "ingresar",
        "post",
        fixed("/cuenta/ingresar/"),
        EVERYONE,
        data=lambda w: {"username": "usuario_sin_rol", "password": PASSWORD},
        status=(302,),
    ),
    Action("salir", "post", fixed("/cuenta/salir/"), EVERYONE, status=(302,)),
    # Staff already signed in are sent on to the admin's index.
    Action("admin: ingresar", "get", fixed("/admin/login/"), EVERYONE, status=(200, 302)),
    Action(
        "cambiar idioma",
        "post",
        fixed("/i18n/setlang/"),
        EVERYONE,
        data=lambda w: {"language": "en", "next": "/"},
        status=(302,),
    ),
]

PUBLIC = [
    Action("planes", "get", fixed("/"), EVERYONE),
    Action("plan A", "get", fixed(f"/planes/{PLAN_A}/"), EVERYONE),
    Action(
        "plan A: corte publicado", "get", fixed(f"/planes/{PLAN_A}/cortes/{PUBLISHED}/"), EVERYONE
    ),
    Action(
        "plan A: objetivo",
        "get",
        fixed(f"/planes/{PLAN_A}/cortes/{PUBLISHED}/objetivos/A/"),
        EVERYONE,
    ),
    Action("plan A: indicador", "get", fixed(f"/planes/{PLAN_A}/indicadores/S/"), EVERYONE),
    Action("plan B", "get", fixed(f"/planes/{PLAN_B}/"), EVERYONE, status=(200, 404)),
]

# --- the workflow pages (/gestion/), one list per area so that each grows on its own ---------

# Reporting: to-do list, report form (save, submit), bulk entry.
A_REPORTERS_X = PLAN_A_ADMINS | {"reportante"}  # Entidad X's indicators (S, C)
A_REPORTERS_Y = PLAN_A_ADMINS | {"reportante_otra_entidad"}  # Entidad Y's (D)
API_REPORTERS_X = SUPERUSER | {"reportante"}  # the API: the entity's reporters only


def open_report_url(code: str, suffix: str = "") -> Callable[[World], str]:
    return fixed(f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/indicadores/{code}/{suffix}")


def report_form(code: str, **values: str) -> Callable[[World], dict[str, Any]]:
    """The form as its page leaves it (the report's current version and values)."""

    def data(world: World) -> dict[str, Any]:
        report = ProgressReport.objects.get(cut=world.cut(OPEN), indicator=world.indicator(code))
        executed = format(report.executed.normalize(), "f") if report.executed is not None else ""
        return {
            "version": str(report.version),
            "ejecutado": executed,
            "analisis": report.analysis,
            "evidencias": "\n".join(report.evidence),
            **values,
        }

    return data


_API_KEYS: dict[str, str] = {}


def api_token(client: Client, world: World) -> dict[str, Any]:
    """A token for the signed-in user (already marked as used, so using it writes nothing)."""
    from django.utils import timezone

    from cascada.api.models import ApiToken
    from cascada.api.tokens import create_token

    user_id = client.session.get("_auth_user_id")
    _API_KEYS.clear()
    if user_id is not None:
        user = next(u for u in world.users.values() if str(u.pk) == str(user_id))  # type: ignore[attr-defined]
        token, key = create_token(user=user, name="matriz", actor_label="t")  # type: ignore[arg-type]
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        _API_KEYS["key"] = key
    return {}


def api_headers(world: World, actor: str) -> dict[str, str]:
    key = _API_KEYS.get("key")
    return {"Authorization": f"Bearer {key}"} if key else {}


def api_submit(code: str) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        report = ProgressReport.objects.get(cut=world.cut(OPEN), indicator=world.indicator(code))
        return {"version": report.version, "comentario": "Listo."}

    return data


BULK = f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/masivo/"


def bulk_file(world: World) -> bytes:
    """Entidad X's file of the open cut with C's executed value changed."""
    from io import BytesIO

    from openpyxl import load_workbook

    from cascada.imports.bulk_entry import workbook_bytes
    from cascada.plans.models import Indicator

    content = workbook_bytes(
        cut=world.cut(OPEN),
        indicators=Indicator.objects.filter(plan=world.plan_a, code__in=["S", "C"]),
    )
    book = load_workbook(BytesIO(content))
    for row in book["reportes"].iter_rows(min_row=2):
        if row[0].value == "C":
            row[5].value = 66
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def bulk_upload(world: World) -> dict[str, Any]:
    return {"archivo": SimpleUploadedFile("reportes.xlsx", bulk_file(world))}


def bulk_pending(client: Client, world: World) -> dict[str, Any]:
    """The file uploaded and previewed by the same visitor (refused ones get no pending)."""
    client.post(BULK, bulk_upload(world))
    pending = client.session.get("cascada_bulk_pending") or {}
    return {"archivo": pending.get("file", "")}


REPORTING: list[Action] = [
    Action("carga masiva: página", "get", fixed(BULK), A_REPORTERS_X | {"reportante_otra_entidad"}),
    Action(
        "carga masiva: descargar",
        "get",
        fixed(BULK + "reportes.xlsx"),
        A_REPORTERS_X | {"reportante_otra_entidad"},
    ),
    # Entidad Y's reporter may use the page, but a file with Entidad X's indicators is refused
    # by its content (422, every row named); with nothing previewed there is nothing to confirm.
    Action(
        "carga masiva: cargar y revisar",
        "post",
        fixed(BULK),
        A_REPORTERS_X,
        data=bulk_upload,
        refusals=(403, 404, 422),
    ),
    Action(
        "carga masiva: confirmar",
        "post",
        fixed(BULK + "confirmar/"),
        A_REPORTERS_X,
        prepare=bulk_pending,
        status=(302,),
        writes=True,
        refusals=(403, 404, 409),
    ),
    Action(
        "carga masiva: cancelar",
        "post",
        fixed(BULK + "cancelar/"),
        A_REPORTERS_X | {"reportante_otra_entidad"},
        prepare=bulk_pending,
        status=(302,),
    ),
    Action("gestión: inicio", "get", fixed("/gestion/"), SIGNED_IN),
    Action(
        "reportes: pendientes del corte abierto",
        "get",
        fixed(f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/pendientes/"),
        PLAN_A_ADMINS | {"reportante", "reportante_otra_entidad"},
    ),
    Action("reportes: formulario de C", "get", open_report_url("C"), A_REPORTERS_X),
    Action(
        "reportes: vista previa de C",
        "post",
        open_report_url("C", "vista-previa/"),
        A_REPORTERS_X,
        data=lambda w: {"ejecutado": "70", "analisis": ""},
    ),
    Action(
        "reportes: guardar borrador de C",
        "post",
        open_report_url("C"),
        A_REPORTERS_X,
        data=report_form("C", ejecutado="61", accion="guardar"),
        status=(302,),
        writes=True,
    ),
    Action(
        "reportes: enviar S a revisión",
        "post",
        open_report_url("S"),
        A_REPORTERS_X,
        data=report_form("S", accion="enviar"),
        status=(302,),
        writes=True,
    ),
    Action(
        "reportes: guardar borrador de D",
        "post",
        open_report_url("D"),
        A_REPORTERS_Y,
        data=report_form("D", ejecutado="41", accion="guardar"),
        status=(302,),
        writes=True,
    ),
    Action(
        "API: enviar S a revisión",
        "post",
        fixed(f"/api/v1/planes/{PLAN_A}/cortes/{OPEN.isoformat()}/reportes/S/enviar"),
        API_REPORTERS_X,
        prepare=api_token,
        data=api_submit("S"),
        headers=api_headers,
        content_type="application/json",
        writes=True,
    ),
]


# Review and publication: approve/return, data-quality overrides, cut states, editions.
PLAN_A_REVIEWERS = PLAN_A_ADMINS | {"revisor"}
GESTION_A = f"/gestion/{PLAN_A}/cortes/"
OPEN_CUT = f"{GESTION_A}{OPEN.isoformat()}/"


def cut_in_state(day: date, state: str) -> Callable[[Client, World], dict[str, Any]]:
    def prepare(client: Client, world: World) -> dict[str, Any]:
        Cut.objects.filter(plan=world.plan_a, date=day).update(state=state)
        return {}

    return prepare


def reports_sent(client: Client, world: World) -> dict[str, Any]:
    ProgressReport.objects.filter(cut=world.cut(OPEN)).update(state="enviado")
    return {}


REVIEW: list[Action] = [
    Action("cortes del plan A", "get", fixed(GESTION_A), PLAN_A_REVIEWERS),
    Action(
        "abrir un corte",
        "post",
        fixed(f"{GESTION_A}abrir/"),
        PLAN_A_ADMINS,
        data=lambda w: {"fecha": "2026-12-31", "fecha_limite": "2027-01-20"},
        status=(302,),
        writes=True,
    ),
    Action("corte abierto (gestión)", "get", fixed(OPEN_CUT), PLAN_A_REVIEWERS),
    Action(
        "cerrar el reporte",
        "post",
        fixed(f"{OPEN_CUT}cerrar/"),
        PLAN_A_REVIEWERS,
        status=(302,),
        writes=True,
    ),
    Action(
        "reabrir el reporte",
        "post",
        fixed(f"{OPEN_CUT}reabrir/"),
        PLAN_A_REVIEWERS,
        prepare=cut_in_state(OPEN, "en_revision"),
        status=(302,),
        writes=True,
    ),
    Action(
        "publicar un corte sin alertas",
        "post",
        fixed(f"{GESTION_A}{EMPTY_OPEN.isoformat()}/publicar/"),
        PLAN_A_REVIEWERS,
        prepare=cut_in_state(EMPTY_OPEN, "en_revision"),
        status=(302,),
        writes=True,
    ),
    Action(
        "abrir una corrección",
        "post",
        fixed(f"{GESTION_A}{PUBLISHED.isoformat()}/corregir/"),
        PLAN_A_REVIEWERS,
        data=lambda w: {"motivo": "Se corrige un ejecutado"},
        status=(302,),
        writes=True,
    ),
    Action("revisión: reportes", "get", fixed(f"{OPEN_CUT}revision/"), PLAN_A_REVIEWERS),
    Action("revisión: un reporte", "get", fixed(f"{OPEN_CUT}revision/C/"), PLAN_A_REVIEWERS),
    Action(
        "revisión: aprobar",
        "post",
        fixed(f"{OPEN_CUT}revision/S/aprobar/"),
        PLAN_A_REVIEWERS,
        prepare=reports_sent,
        status=(302,),
        writes=True,
    ),
    Action(
        "revisión: devolver",
        "post",
        fixed(f"{OPEN_CUT}revision/C/devolver/"),
        PLAN_A_REVIEWERS,
        prepare=reports_sent,
        data=lambda w: {"comentario": "Falta el análisis"},
        status=(302,),
        writes=True,
    ),
    Action("calidad de datos", "get", fixed(f"{OPEN_CUT}calidad/"), PLAN_A_REVIEWERS),
    Action(
        "calidad: exceptuar una alerta",
        "post",
        fixed(f"{OPEN_CUT}calidad/exceptuar/"),
        PLAN_A_REVIEWERS,
        data=lambda w: {"indicador": "C", "alerta": "analisis_faltante", "motivo": "Acta 12"},
        status=(302,),
        writes=True,
    ),
    Action(
        "ediciones del corte publicado",
        "get",
        fixed(f"/planes/{PLAN_A}/cortes/{PUBLISHED.isoformat()}/ediciones/"),
        EVERYONE,
    ),
    Action(
        "edición 1 del corte publicado",
        "get",
        fixed(f"/planes/{PLAN_A}/cortes/{PUBLISHED.isoformat()}/ediciones/1/"),
        EVERYONE,
    ),
]


# Formulation changes, weights editor, audit log, reminders.
FORMAL_ACT = {"acto": "Resolución 045 de 2026", "fecha_acto": "2026-02-10", "motivo": "Ajuste"}
FORMULATION_URL = f"/gestion/{PLAN_A}/formulacion/"

FORMULATION: list[Action] = [
    Action("formulación: página", "get", fixed(FORMULATION_URL), PLAN_A_ADMINS),
    Action(
        "formulación: formulario de meta anual",
        "get",
        fixed(f"{FORMULATION_URL}metas/S/2026/"),
        PLAN_A_ADMINS,
    ),
    Action(
        "formulación: cambiar una meta anual",
        "post",
        fixed(f"{FORMULATION_URL}metas/S/2026/"),
        PLAN_A_ADMINS,
        data=lambda w: {"meta": "12,5", **FORMAL_ACT},
        status=(302,),
        writes=True,
    ),
    Action(
        "formulación: editor de pesos de un objetivo",
        "get",
        fixed(f"{FORMULATION_URL}pesos/2026/A/"),
        PLAN_A_ADMINS,
    ),
    Action(
        "formulación: guardar los pesos de un objetivo",
        "post",
        fixed(f"{FORMULATION_URL}pesos/2026/A/"),
        PLAN_A_ADMINS,
        data=lambda w: {
            f"peso-{w.indicator('S').pk}": "40",
            f"peso-{w.indicator('C').pk}": "60",
            **FORMAL_ACT,
        },
        status=(302,),
        writes=True,
    ),
    Action(
        "formulación: guardar los pesos de los objetivos",
        "post",
        fixed(f"{FORMULATION_URL}pesos/2026/"),
        PLAN_A_ADMINS,
        data=lambda w: {
            f"peso-{w.objective('A').pk}": "50",
            f"peso-{w.objective('B').pk}": "50",
            **FORMAL_ACT,
        },
        status=(302,),
        writes=True,
    ),
    # The audit log is read-only: administrators and reviewers of some plan (each sees its
    # plans' rows, tests/workflow/test_auditlog.py), superusers everything.
    Action("auditoría: página", "get", fixed("/gestion/auditoria/"), AUDIT_READERS),
    Action("auditoría: CSV", "get", fixed("/gestion/auditoria/exportar.csv"), AUDIT_READERS),
    Action("auditoría: Excel", "get", fixed("/gestion/auditoria/exportar.xlsx"), AUDIT_READERS),
]


# User accounts in the admin (Django's, audited: cascada/backoffice/users.py): superusers only.
NEW_PASSWORD = "otra-clave-segura-2026"
USER_ADMIN: list[Action] = [
    Action(
        "admin usuario: agregar",
        "post",
        fixed("/admin/auth/user/add/"),
        SUPERUSER,
        data=lambda w: {
            "username": "nueva",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
        status=(302,),
        writes=True,
    ),
    Action(
        "admin usuario: cambiar la contraseña",
        "post",
        lambda w: f"/admin/auth/user/{w.users['usuario_sin_rol'].pk}/password/",  # type: ignore[attr-defined]
        SUPERUSER,
        data=lambda w: {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
        status=(302,),
        writes=True,
    ),
    Action(
        "admin usuario: eliminar",
        "post",
        lambda w: f"/admin/auth/user/{w.users['usuario_sin_rol'].pk}/delete/",  # type: ignore[attr-defined]
        SUPERUSER,
        data=lambda w: {"post": "yes"},
        status=(302,),
        writes=True,
    ),
    Action("admin usuario: lista", "get", fixed("/admin/auth/user/"), SUPERUSER),
]


ACTIONS: list[Action] = [
    *IMPORT,
    *REPORTING,
    *REVIEW,
    *FORMULATION,
    *USER_ADMIN,
    *(action for rows in ADMIN_MODELS for action in rows.actions()),
    *admin_reading(),
    *SESSION,
    *PUBLIC,
]


# ---------------------------------------------------------------------------------------------
# Checks


def database_state() -> dict[str, list[str]]:
    """Every row of every cascada table, and of ``auth``."""
    state = {}
    labels = [c.label for c in apps.get_app_configs() if c.name.startswith("cascada.")]
    for label in [*labels, "auth"]:
        for model in apps.get_app_config(label).get_models():
            state[model._meta.label] = sorted(map(repr, model._default_manager.values_list()))
    return state


def stored_files() -> set[str]:
    folder = uploads.uploads_dir()
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


LOGIN_PATHS = {resolve_url(settings.LOGIN_URL), "/admin/login/"}


def to_login(response: Any) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path in LOGIN_PATHS


def attempt(world: World, actor: str, action: Action) -> str | None:
    """Make the request; ``None`` if it went as the table says, else what went wrong."""
    client = Client()
    user = world.users.get(actor)
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    data = action.prepare(client, world) if action.prepare else {}
    if action.data is not None:
        data |= action.data(world)
    url = action.url(world)
    before, files = database_state(), stored_files()
    headers = action.headers(world, actor) if action.headers else None
    if action.content_type is not None:
        body = json.dumps(data) if "json" in action.content_type else data
        response = getattr(client, action.method)(
            url, body, content_type=action.content_type, headers=headers
        )
    else:
        response = getattr(client, action.method)(url, data, headers=headers)
    changed = database_state() != before
    status = response.status_code
    where = f" → {response['Location']}" if status in (301, 302) else ""
    if actor in action.allowed:
        if status not in action.status or to_login(response):
            return f"allowed, but got {status}{where}"
        if action.writes and not changed:
            return f"allowed and {status}{where}, but nothing was written"
        return None
    if not (status in action.refusals or to_login(response)):
        return f"refused, but got {status}{where}"
    if changed:
        return f"refused ({status}{where}), but the database changed"
    if stored_files() - files:
        return f"refused ({status}{where}), but a file was stored"
    return None


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


@pytest.mark.parametrize("actor", list(ACTORS))
def test_every_action_is_allowed_or_refused_as_the_matrix_says(actor, tmp_path):
    world = build_world(tmp_path)
    problems = []
    for action in ACTIONS:
        with transaction.atomic():
            problem = attempt(world, actor, action)
            transaction.set_rollback(True)
        if problem:
            problems.append(
                f"{action.name} ({action.method.upper()} {action.url(world)}): {problem}"
            )
    assert not problems, "\n".join(problems)


def test_the_matrix_covers_every_model_of_the_admin_and_every_actor():
    registered = {
        model
        for model in admin.site._registry
        if model._meta.app_config.name.startswith("cascada.")
    }
    assert registered == {rows.model for rows in ADMIN_MODELS}
    for action in ACTIONS:
        assert action.allowed <= EVERYONE, action.name
    assert len({action.name for action in ACTIONS}) == len(ACTIONS)


def test_the_plan_a_rows_are_really_plan_a_rows(tmp_path):
    """The objects the admin rows act on belong to the plan the table says."""
    world = build_world(tmp_path)
    for rows in ADMIN_MODELS:
        if rows.model in (DevelopmentPlan, Sector, Entity, Plan) or "plan B" in rows.label:
            continue
        for obj in (rows.change(world) if rows.change else None, rows.delete(world)):
            if obj is None:
                continue
            plan = obj if isinstance(obj, Plan) else getattr(obj, "plan", None)
            if plan is None and hasattr(obj, "report"):
                plan = obj.report.cut.plan
            if plan is None:
                cut_or_indicator = getattr(obj, "cut", None) or obj.indicator  # type: ignore[attr-defined]
                plan = cut_or_indicator.plan
            assert plan == world.plan_a, (rows.model, obj)

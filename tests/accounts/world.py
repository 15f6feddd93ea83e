"""A small world with a user for every role, for the access tests.

Plan A (``PM-2024``, the small test plan) has its 2025-12-31 cut published and two open cuts
(2026-06-30 with programming and reports, 2026-09-30 empty); plan B (``OTRO-2024``) has its own
sector and entity. Every user's password is ``PASSWORD``, hashed once (Argon2 is slow on
purpose).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from cascada.accounts.models import Membership, Role
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.plans.models import (
    DevelopmentPlan,
    Entity,
    Goal,
    Indicator,
    Objective,
    Plan,
    Sector,
    SemaforoBand,
)
from cascada.tracking.models import (
    AlertOverride,
    CommentKind,
    Cut,
    CutEdition,
    FormulationChange,
    ProgressReport,
    ReminderSent,
    ReportComment,
)
from cascada.tracking.services import publish_cut
from tests.workbooks import Rows, small_plan, write_workbook

PASSWORD = "clave-de-prueba-2026"
PLAN_A = "PM-2024"
PLAN_B = "OTRO-2024"
NEW_PLAN = "NUEVO-2024"
PUBLISHED = date(2025, 12, 31)
OPEN = date(2026, 6, 30)
EMPTY_OPEN = date(2026, 9, 30)

# Every kind of visitor; None is the anonymous one. (username, is_staff, is_superuser, roles)
# where roles are (plan code, role, entity name or None).
ACTORS: dict[str, tuple[bool, bool, list[tuple[str, Role, str | None]]] | None] = {
    "anonimo": None,
    "superusuario": (True, True, []),
    "administrador": (True, False, [(PLAN_A, Role.ADMINISTRADOR, None)]),
    "revisor": (True, False, [(PLAN_A, Role.REVISOR, None)]),
    "analista": (True, False, [(PLAN_A, Role.ANALISTA, None)]),
    "reportante": (False, False, [(PLAN_A, Role.REPORTANTE, "Entidad X")]),
    "reportante_otra_entidad": (False, False, [(PLAN_A, Role.REPORTANTE, "Entidad Y")]),
    "administrador_otro_plan": (True, False, [(PLAN_B, Role.ADMINISTRADOR, None)]),
    "staff_sin_rol": (True, False, []),
    "usuario_sin_rol": (False, False, []),
}


@cache
def password_hash() -> str:
    return make_password(PASSWORD)


def with_code(sheets: dict[str, Rows], code: str, **plan_fields: str) -> dict[str, Rows]:
    """``sheets`` with another plan code (and other ``plan`` sheet values)."""
    fields = {"codigo": code, **plan_fields}
    sheets["plan"] = [
        [row[0], fields[str(row[0])]] if row[0] in fields else row for row in sheets["plan"]
    ]
    return sheets


def plan_b_sheets() -> dict[str, Rows]:
    sheets = with_code(small_plan(), PLAN_B, nombre="Otro plan", sector="Otro sector")
    sheets["metas"] = [
        [*row[:4], "Entidad Z"] if i else row for i, row in enumerate(sheets["metas"])
    ]
    return sheets


def plan_a_update_sheets() -> dict[str, Rows]:
    sheets = small_plan()
    sheets["objetivos"][1][1] = "Segundo objetivo, renombrado"
    return sheets


def new_plan_sheets() -> dict[str, Rows]:
    return with_code(small_plan(), NEW_PLAN, nombre="Plan nuevo")


@dataclass
class World:
    plan_a: Plan
    plan_b: Plan
    users: dict[str, object]  # actor name → user (absent for the anonymous visitor)

    def objective(self, code: str) -> Objective:
        return Objective.objects.get(plan=self.plan_a, code=code)

    def goal(self, code: str) -> Goal:
        return Goal.objects.get(plan=self.plan_a, code=code)

    def indicator(self, code: str) -> Indicator:
        return Indicator.objects.get(plan=self.plan_a, code=code)

    def cut(self, day: date) -> Cut:
        return Cut.objects.get(plan=self.plan_a, date=day)


def build_world(folder: Path) -> World:
    import_workbook(
        workbook=read_template(write_workbook(folder / "a.xlsx", small_plan())), actor_label="t"
    )
    import_workbook(
        workbook=read_template(write_workbook(folder / "b.xlsx", plan_b_sheets())),
        actor_label="t",
    )
    plan_a = Plan.objects.get(code=PLAN_A)
    plan_b = Plan.objects.get(code=PLAN_B)
    publish_cut(cut=Cut.objects.get(plan=plan_a, date=PUBLISHED), actor_label="t")
    Cut.objects.create(plan=plan_a, date=EMPTY_OPEN)
    plan_a.development_plan = DevelopmentPlan.objects.create(name="PDD de prueba")
    plan_a.save()
    DevelopmentPlan.objects.create(name="PDD sin uso")
    Sector.objects.create(name="Sector sin uso")
    Entity.objects.create(name="Entidad sin uso")
    SemaforoBand.objects.create(plan=plan_a, color="verde", lower=95)
    # Rows without stored results, reports or published data, that the admin can delete (it
    # refuses to delete what would take a published cut's data or computed results with it).
    for plan in (plan_a, plan_b):
        Objective.objects.create(plan=plan, code="VACIO", name="Sin metas", order=9)
    goal = Goal.objects.create(
        plan=plan_a,
        objective=Objective.objects.get(plan=plan_a, code="VACIO"),
        code="M-VACIA",
        kind="actividad",
        name="Sin indicadores",
    )
    Indicator.objects.create(
        plan=plan_a, goal=goal, code="I-VACIO", name="Sin reportes", accumulation="suma"
    )
    Plan.objects.create(
        code="VACIO-2026",
        name="Plan vacío",
        sector=Sector.objects.create(name="Sector del plan vacío"),
        first_vigencia=2026,
        last_vigencia=2026,
    )
    users: dict[str, object] = {}
    for name, spec in ACTORS.items():
        if spec is None:
            continue
        is_staff, is_superuser, roles = spec
        user = get_user_model().objects.create(
            username=name, is_staff=is_staff, is_superuser=is_superuser, password=password_hash()
        )
        for code, role, entity in roles:
            Membership.objects.create(
                user=user,
                plan=Plan.objects.get(code=code),
                role=role,
                entity=Entity.objects.get(name=entity) if entity else None,
            )
        users[name] = user
    _workflow_records(plan_a)
    return World(plan_a=plan_a, plan_b=plan_b, users=users)


def _workflow_records(plan: Plan) -> None:
    """One row of each record the workflow writes, for the admin's read-only pages."""
    published = Cut.objects.get(plan=plan, date=PUBLISHED)
    CutEdition.objects.get_or_create(
        cut=published,
        number=1,
        defaults={"published_at": published.published_at, "inputs": {}, "results": {}},
    )
    report = ProgressReport.objects.filter(cut__plan=plan, cut__date=OPEN).earliest("pk")
    ReportComment.objects.create(report=report, kind=CommentKind.COMENTARIO, text="Revisar")
    AlertOverride.objects.create(
        cut=report.cut, indicator=report.indicator, alert="retroceso", reason="Justificado"
    )
    FormulationChange.objects.create(
        plan=plan,
        kind=FormulationChange.Kind.META_ANUAL,
        vigencia=2026,
        act="Resolución 1 de 2026",
        act_date=date(2026, 1, 15),
        reason="Ajuste",
        before={},
        after={},
    )
    ReminderSent.objects.create(
        cut=report.cut, user=get_user_model().objects.earliest("pk"), kind="apertura", pending=1
    )

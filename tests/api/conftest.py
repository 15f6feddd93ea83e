"""Fixtures of the API tests: the seed plan (``cascada demo``, its 31 March 2026 cut published),
an open draft cut (30 June 2026) with programming and one report, users with roles and their
tokens."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cascada.accounts.models import Membership, Role
from cascada.api.tokens import create_token
from cascada.plans.models import Entity, Indicator, Plan
from cascada.tracking.models import Cut, CutTarget, ProgressReport
from cascada.tracking.services import recompute_cut

SEED = "PES-GP-2024-2027"
PUBLISHED = date(2026, 3, 31)
DRAFT = date(2026, 6, 30)
SECRETARIA = "Secretaría General de la Alcaldía Mayor de Bogotá, D.C."
SERVICIO_CIVIL = "Departamento Administrativo del Servicio Civil Distrital"
BASE = "/api/v1"


@dataclass
class Seed:
    plan: Plan
    published: Cut
    draft: Cut
    keys: dict[str, str]  # user name → API key

    def auth(self, user: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.keys[user]}"}

    def indicator(self, code: str) -> Indicator:
        return Indicator.objects.get(plan=self.plan, code=code)


def open_draft_cut(plan: Plan) -> Cut:
    """30 June 2026, open: 4075 (Secretaría General, suma) programmed 6 and reported 10 (one
    version), 4074 (creciente) programmed 20 with no report, IE-77 (Servicio Civil)
    programmed 80."""
    cut = Cut.objects.create(plan=plan, date=DRAFT)
    indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
    for code, programmed in (("4075", "6"), ("4074", "20"), ("IE-77", "80")):
        CutTarget.objects.create(
            cut=cut, indicator=indicators[code], programmed=Decimal(programmed)
        )
    ProgressReport.objects.create(
        cut=cut, indicator=indicators["4075"], executed=Decimal(10), analysis="Avance de junio."
    )
    recompute_cut(cut=cut)
    return cut


def make_users(plan: Plan) -> dict[str, str]:
    """reportante (Secretaría General), reportante_sc (Servicio Civil), analista, sin_rol,
    superusuario; each with a token."""
    model = get_user_model()
    roles = {
        "reportante": (Role.REPORTANTE, SECRETARIA),
        "reportante_sc": (Role.REPORTANTE, SERVICIO_CIVIL),
        "analista": (Role.ANALISTA, None),
        "sin_rol": None,
    }
    keys: dict[str, str] = {}
    for name, role in roles.items():
        user = model.objects.create_user(name, password=None)
        if role is not None:
            Membership.objects.create(
                user=user,
                plan=plan,
                role=role[0],
                entity=Entity.objects.get(name=role[1]) if role[1] else None,
            )
        keys[name] = create_token(user=user, name="pruebas", actor_label="test")[1]
    admin = model.objects.create_superuser("superusuario", password=None)
    keys["superusuario"] = create_token(user=admin, name="pruebas", actor_label="test")[1]
    return keys


@pytest.fixture
def seed(db) -> Seed:
    call_command("demo", verbosity=0, stdout=io.StringIO())
    plan = Plan.objects.get(code=SEED)
    return Seed(
        plan=plan,
        published=Cut.objects.get(plan=plan, date=PUBLISHED),
        draft=open_draft_cut(plan),
        keys=make_users(plan),
    )

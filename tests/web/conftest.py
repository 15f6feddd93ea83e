"""Fixtures of the dashboard tests: the seed plan (``cascada demo``), a big generated plan,
a staff client and helpers to read pages."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.tracking.models import Cut
from cascada.tracking.services import publish_cut
from tests.workbooks import Rows, write_workbook

SEED = "PES-GP-2024-2027"
SEED_CUT = date(2026, 3, 31)
BIG = "BIG-2024-2027"
BIG_CUTS = (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30))
KINDS = ("sectorial", "estrategica", "proyecto_inversion", "actividad")
ACCUMULATIONS = ("suma", "constante", "creciente")


@pytest.fixture
def demo(db):
    call_command("demo", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def staff(client, django_user_model):
    """A client of someone who may see every plan's drafts (``policy.can_view_drafts``)."""
    user = django_user_model.objects.create_user(
        "planeacion", password="clave-2026", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def big_plan_sheets(objectives: int = 8, indicators: int = 40) -> dict[str, Rows]:
    """``objectives`` × ``indicators``, four indicators per goal, three cuts of 2026 with a mix
    of statuses (programmed, not programmed, unreported, over-executed)."""
    goals: Rows = [["codigo", "objetivo", "tipo", "nombre", "entidad_responsable"]]
    rows: Rows = [
        [
            "codigo",
            "meta",
            "nombre",
            "unidad",
            "tipo_anualizacion",
            "linea_base",
            "meta_cuatrienio",
        ]
    ]
    targets: Rows = [["indicador", "vigencia", "meta_vigencia", "linea_base_vigencia"]]
    progress: Rows = [["indicador", "corte", "programado_corte", "ejecutado_corte", "observacion"]]
    for o in range(1, objectives + 1):
        for n in range(indicators):
            goal = f"M{o}-{n // 4}"
            if n % 4 == 0:
                kind = KINDS[(n // 4) % len(KINDS)]
                goals.append([goal, f"O{o}", kind, f"Meta {goal}", f"Entidad {o % 3}"])
            code = f"I{o}-{n}"
            rows.append(
                [code, goal, f"Indicador {code}", "Número", ACCUMULATIONS[n % 3], None, 400]
            )
            targets.append([code, 2026, 100, None])
            for k, day in enumerate(BIG_CUTS, start=1):
                programmed = 0 if n % 7 == 0 else 25 * k
                executed = None if n % 11 == 0 else programmed * (n % 5 + 1) / 4
                progress.append([code, day.isoformat(), programmed, executed, f"Avance {code} {k}"])
    return {
        "plan": [
            ["campo", "valor"],
            ["codigo", BIG],
            ["nombre", "Plan grande de prueba"],
            ["sector", "Sector de prueba"],
            ["plan_desarrollo", "Plan de Desarrollo de prueba"],
            ["vigencia_inicial", 2024],
            ["vigencia_final", 2027],
            ["mision", "Misión de prueba"],
        ],
        "objetivos": [
            ["codigo", "nombre", "orden"],
            *([f"O{o}", f"Objetivo grande {o}", o] for o in range(1, objectives + 1)),
        ],
        "metas": goals,
        "indicadores": rows,
        "programacion_anual": targets,
        "avances": progress,
    }


@pytest.fixture
def big_plan(db, tmp_path: Path) -> str:
    """8 objectives × 40 indicators × 3 cuts; the first two cuts published, the third a draft."""
    path = write_workbook(tmp_path / "big.xlsx", big_plan_sheets())
    import_workbook(workbook=read_template(path), actor_label="test")
    for day in BIG_CUTS[:2]:
        publish_cut(cut=Cut.objects.get(plan__code=BIG, date=day), actor_label="test")
    return BIG

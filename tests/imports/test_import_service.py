"""`cascada import`: all or nothing into the database, updates say what changed (issue 4)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from cascada.engine.model import Progress
from cascada.imports.services import ImportRefused, import_workbook
from cascada.imports.template_v1 import read_template
from cascada.plans.models import AnnualTarget, Entity, Indicator, Plan
from cascada.tracking.models import AuditEvent, Cut, IndicatorCutResult, ObjectiveCutResult
from tests.test_seed_golden import CUT, SAMPLE
from tests.workbooks import small_plan, write_workbook

pytestmark = pytest.mark.django_db


def database_state():
    """Every row of every cascada table, to prove that nothing changed."""
    state = {}
    for app in ("plans", "tracking", "accounts", "auth"):
        for model in apps.get_app_config(app).get_models():
            state[model._meta.label] = sorted(map(repr, model._default_manager.values_list()))
    return state


def run_import(path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", str(path))
    return exit_info.value.code, capsys.readouterr()


def load(tmp_path, sheets, name="plan.xlsx"):
    return import_workbook(workbook=read_template(write_workbook(tmp_path / name, sheets)))


def broken(kind):
    sheets = small_plan()
    if kind == "bad weights":
        sheets["ponderaciones"][1][3] = 30  # S 30 + C 75 = 105
    elif kind == "unknown reference":
        sheets["indicadores"][1][1] = "M9"
    elif kind == "non-numeric value":
        sheets["avances"][2][3] = "seis"
    elif kind == "duplicate code":
        sheets["objetivos"].append(["A", "Otra vez A", 3])
    elif kind == "missing column":
        sheets["metas"] = [row[:2] + row[3:] for row in sheets["metas"]]  # no `tipo`
    elif kind == "unknown accumulation type":
        sheets["indicadores"][2][4] = "exponencial"
    return sheets


EXPECTED = {
    "bad weights": ["'ponderaciones'", "suman"],
    "unknown reference": ["'indicadores'", "fila 2", "M9"],
    "non-numeric value": ["'avances'", "fila 3", "'ejecutado_corte'", "seis"],
    "duplicate code": ["'objetivos'", "fila 4", "'A'"],
    "missing column": ["'metas'", "'tipo'"],
    "unknown accumulation type": ["'indicadores'", "fila 3", "'tipo_anualizacion'", "exponencial"],
}


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("existing", [False, True], ids=["empty-db", "plan-exists"])
def test_each_kind_of_broken_workbook_is_rejected_whole(tmp_path, capsys, kind, existing):
    if existing:
        load(tmp_path, small_plan(), "good.xlsx")
    before = database_state()
    code, output = run_import(write_workbook(tmp_path / "malo.xlsx", broken(kind)), capsys)
    assert code == 2
    assert output.out == ""
    for fragment in EXPECTED[kind]:
        assert fragment in output.err, (fragment, output.err)
    assert "Traceback" not in output.err
    assert database_state() == before


def test_import_creates_the_plan_with_entities_and_stored_results(tmp_path, capsys):
    call_command("import", str(write_workbook(tmp_path / "p.xlsx", small_plan())))
    assert "Plan PM-2024: creado." in capsys.readouterr().out
    plan = Plan.objects.get(code="PM-2024")
    assert plan.cap == 100
    assert set(Entity.objects.values_list("name", flat=True)) == {"Entidad X", "Entidad Y"}
    assert [c.date for c in Cut.objects.filter(plan=plan)] == [
        date(2025, 12, 31),
        date(2026, 6, 30),
    ]
    result = ObjectiveCutResult.objects.get(cut__date=date(2026, 6, 30), objective__code="A")
    assert result.compliance == Decimal("81.25")
    assert IndicatorCutResult.objects.filter(cut__plan=plan).count() == 6  # 3 indicators × 2 cuts
    (event,) = AuditEvent.objects.filter(plan=plan)  # one entry for the whole file
    assert event.action == "importar_plan"
    assert event.actor_label == "cli"
    assert event.after is not None
    assert event.after["archivo"] == "p.xlsx"
    assert len(event.after["sha256"]) == 64


def test_reimport_updates_to_the_workbooks_content_and_says_what_changed(tmp_path):
    load(tmp_path, small_plan(), "v1.xlsx")
    sheets = small_plan()
    sheets["objetivos"][1][1] = "Segundo, renombrado"  # modified
    sheets["indicadores"].pop(2)  # C removed (with its targets and reports)
    sheets["programacion_anual"].pop(3)
    sheets["avances"].pop(3)
    sheets["ponderaciones"][1][3] = 100
    sheets["ponderaciones"].pop(2)
    sheets["indicadores"].append(["N", "M2", "Nuevo", "Número", "suma", None, None])  # added
    sheets["programacion_anual"].append(["N", 2026, 5, None])
    sheets["ponderaciones"][2][3] = 50  # D 50 + N 50 in objective B
    sheets["ponderaciones"].insert(3, ["indicador", "N", 2026, 50])
    summary = load(tmp_path, sheets, "v2.xlsx")

    assert not summary.created
    assert summary.sheets["objetivos"].modified == ["B"]
    assert summary.sheets["indicadores"].added == ["N"]
    assert summary.sheets["indicadores"].removed == ["C"]
    assert summary.sheets["avances"].removed == ["C @ 2026-06-30"]
    assert "  indicadores: 1 agregadas, 0 modificadas, 1 eliminadas" in summary.lines()
    assert set(Indicator.objects.values_list("code", flat=True)) == {"S", "D", "N"}
    assert not AnnualTarget.objects.filter(indicator__code="C").exists()
    # One audit entry for the whole file, with what it changed.
    event = AuditEvent.objects.filter(action="importar_plan").latest("id")
    assert event.after is not None
    assert event.after["hojas"]["objetivos"]["modified"] == ["B"]
    assert event.after["hojas"]["indicadores"] == {"added": ["N"], "modified": [], "removed": ["C"]}
    # Results follow: objective A is now S alone, 150 % capped at 100.
    result = ObjectiveCutResult.objects.get(cut__date=date(2026, 6, 30), objective__code="A")
    assert result.compliance == Decimal(100)


def test_reimporting_the_same_workbook_changes_nothing(tmp_path):
    load(tmp_path, small_plan(), "a.xlsx")
    before = database_state()
    summary = load(tmp_path, small_plan(), "b.xlsx")
    assert not summary.changed
    assert summary.lines() == ["Plan PM-2024: sin cambios."]
    assert database_state() == before


def test_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    before = database_state()
    call_command("import", str(write_workbook(tmp_path / "p.xlsx", small_plan())), "--dry-run")
    out = capsys.readouterr().out
    assert "Plan PM-2024: creado." in out
    assert "Simulación" in out
    assert database_state() == before


def seed_with(*, indicator_weights=None, progress_4075=None):
    """The sample workbook, altered in memory the way a corrected workbook would be."""
    sample = read_template(SAMPLE)
    spec = sample.spec
    if indicator_weights is not None:
        spec = replace(spec, indicator_weights=indicator_weights)
    if progress_4075 is not None:
        objectives = tuple(
            replace(
                o,
                indicators=tuple(
                    replace(i, progress={**i.progress, CUT: progress_4075})
                    if i.code == "4075"
                    else i
                    for i in o.indicators
                ),
            )
            for o in spec.objectives
        )
        spec = replace(spec, objectives=objectives)
    return replace(sample, spec=spec)


def test_a_published_cut_cannot_change_through_an_import():
    call_command("demo", verbosity=0)
    state = database_state()
    with pytest.raises(ImportRefused) as refused:
        import_workbook(workbook=seed_with(progress_4075=Progress(Decimal(3), Decimal(9), "otro")))
    assert "El corte 2026-03-31 está publicado" in refused.value.messages[0]
    assert database_state() == state


def test_a_weight_change_that_would_alter_a_published_cut_is_refused():
    call_command("demo", verbosity=0)
    weights = {
        2026: {
            **{
                i.code: Decimal(50)
                for o in read_template(SAMPLE).spec.objectives
                for i in o.indicators
            },
            "4074": Decimal(25),
            "4075": Decimal(75),
        }
    }
    state = database_state()
    with pytest.raises(ImportRefused) as refused:
        import_workbook(workbook=seed_with(indicator_weights=weights))
    assert "alteraría sus resultados" in refused.value.messages[0]
    assert database_state() == state


def test_demo_is_idempotent():
    call_command("demo", verbosity=0)
    first = database_state()
    call_command("demo", verbosity=0)
    assert database_state() == first
    assert Cut.objects.get().state == "publicado"


def test_narrowing_the_plans_vigencias_removes_the_rows_outside_first(tmp_path):
    load(tmp_path, small_plan(), "a.xlsx")
    sheets = small_plan()
    sheets["plan"][4][1] = 2026  # vigencia_inicial
    sheets["programacion_anual"].pop(1)  # S 2025
    sheets["avances"].pop(1)  # S at 2025-12-31
    summary = load(tmp_path, sheets, "b.xlsx")
    assert summary.sheets["plan"].modified == ["PM-2024"]
    assert summary.sheets["avances"].removed == ["S @ 2025-12-31"]
    assert Plan.objects.get().first_vigencia == 2026
    assert not Cut.objects.filter(date=date(2025, 12, 31)).exists()


def test_long_names_fit_and_long_codes_are_located_errors(tmp_path, capsys):
    sheets = small_plan()
    long_name = "Entidad " + "muy " * 200  # ~800 characters: names are free text
    sheets["metas"][1][4] = long_name
    sheets["indicadores"][1][3] = "Unidad " * 40
    sheets["plan"][2][1] = "Plan " * 100
    load(tmp_path, sheets, "ok.xlsx")
    assert Entity.objects.filter(name=long_name.strip()).exists()

    sheets = small_plan()
    sheets["objetivos"][1][0] = "O" * 51
    before = database_state()
    code, output = run_import(write_workbook(tmp_path / "malo.xlsx", sheets), capsys)
    assert code == 2
    assert "'objetivos', fila 2, columna 'codigo'" in output.err
    assert "máximo 50 caracteres" in output.err
    assert database_state() == before

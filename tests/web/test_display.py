"""The dashboard's template filters format through ``cascada.engine.display`` in the active
language, and the chart geometry is plain numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import translation

from cascada.engine.model import GoalKind
from cascada.web import charts
from cascada.web.selectors import Figure, GoalRef, TermRow
from cascada.web.templatetags import cascada_display as f


def figure(*terms: tuple[str, str, str], value: str = "183.3333333") -> Figure:
    return Figure(
        value=Decimal(value),
        terms=tuple(
            TermRow(code, "", Decimal(v), Decimal(v), None, Decimal(w)) for code, v, w in terms
        ),
        excluded=(),
    )


def test_filters_follow_the_active_language():
    with translation.override("es"):
        assert f.pct(Decimal("183.33333")) == "183,33%"
        assert f.num(Decimal("1234.5")) == "1.234,50"
        assert f.fecha(date(2026, 3, 31)) == "31 de marzo de 2026"
        assert f.status_label("sobreejecutada") == "Sobreejecutada"
        assert f.alert_label("sin_reporte") == "Programada al corte y sin reporte de avance"
        assert f.no_programming() == "Sin programación al corte"
        assert f.html_lang() == "es-CO"
        assert f.semaforo_label("azul") == "Azul"
    with translation.override("en"):
        assert f.pct(Decimal("183.33333")) == "183.33%"
        assert f.num(Decimal("1234.5")) == "1,234.50"
        assert f.fecha(date(2026, 3, 31)) == "March 31, 2026"
        assert f.status_label("sobreejecutada") == "Over-executed"
        assert f.html_lang() == "en"
        assert f.semaforo_label("azul") == "Blue"
    assert f.pct(None) == "" and f.num(None) == ""
    assert f.semaforo_class("violeta") == "ninguno" and f.semaforo_label("violeta") == "violeta"


def test_formula_writes_out_the_weighted_mean():
    seed_o4 = figure(("4074", "100", "50"), ("4075", "266.6666666666", "50"))
    with translation.override("es"):
        assert f.formula(seed_o4) == "(100,00% × 50,00% + 266,67% × 50,00%) = 183,33%"
    with translation.override("en"):
        assert f.formula(seed_o4) == "(100.00% × 50.00% + 266.67% × 50.00%) = 183.33%"
    assert f.formula(Figure(value=None, terms=(), excluded=())) == ""


def test_goal_titles():
    with translation.override("es"):
        assert GoalRef("223-2153", GoalKind.SECTORIAL, "x").title == "Meta sectorial 223-2153"
        assert GoalRef("Actividad 3", GoalKind.ACTIVIDAD, "x").title == "Actividad 3"
    with translation.override("en"):
        assert GoalRef("77", GoalKind.ESTRATEGICA, "x").title == "Strategic goal 77"


def test_axes_are_round():
    assert charts.nice_axis(Decimal("183.33")) == (
        Decimal(200),
        tuple(Decimal(v) for v in (0, 50, 100, 150, 200)),
    )
    assert charts.nice_axis(Decimal(100))[0] == 100
    assert charts.nice_axis(Decimal("0.18"))[0] == Decimal("0.20")
    assert charts.nice_axis(Decimal(0))[0] > 0

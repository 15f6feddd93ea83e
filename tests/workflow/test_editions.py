"""Editions: publishing stores an immutable snapshot equal to the stored results; a correction
is edition 2 with its reason; edition 1 stays readable (page and open data); the diff page; the
public view during a correction; ``cascada demo``; ``cascada publish``."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.test import Client
from django.utils import timezone

from cascada.accounts.models import Membership, Role
from cascada.engine.display import format_date
from cascada.tracking import editions, publication
from cascada.tracking.models import (
    AuditEvent,
    Cut,
    CutEdition,
    CutState,
    CutTarget,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
    ProgressReport,
)
from cascada.tracking.services import publish_cut, recompute_cut
from tests.accounts.world import PLAN_A, PUBLISHED
from tests.workflow.conftest import AuditCounter

pytestmark = pytest.mark.django_db

DAY = PUBLISHED.isoformat()
EDITIONS = f"/planes/{PLAN_A}/cortes/{DAY}/ediciones/"
DATA = f"/datos/{PLAN_A}/{DAY}"


def text(value):
    """A stored decimal as the snapshot writes it: exact, without trailing zeros."""
    return None if value is None else format(Decimal(value).normalize(), "f")


def test_the_snapshot_equals_the_stored_results(world):
    cut = world.cut(PUBLISHED)
    edition = CutEdition.objects.get(cut=cut, number=1)
    results = edition.results
    stored = PlanCutResult.objects.get(cut=cut)
    assert results["plan"]["cumplimiento"] == text(stored.compliance)
    assert results["plan"]["explicacion"] == stored.explanation
    objectives = {o["codigo"]: o for o in results["objetivos"]}
    for objective in ObjectiveCutResult.objects.filter(cut=cut).select_related("objective"):
        o = objectives[objective.objective.code]
        assert (o["cumplimiento"], o["avance_vigencia"], o["peso"], o["explicacion"]) == (
            text(objective.compliance),
            text(objective.year),
            text(objective.weight),
            objective.explanation,
        )
    indicators = {i["codigo"]: i for i in results["indicadores"]}
    rows = IndicatorCutResult.objects.filter(cut=cut).select_related("indicator")
    assert set(indicators) == {r.indicator.code for r in rows}
    for row in rows:
        i = indicators[row.indicator.code]
        assert i["estado"] == row.status and i["alertas"] == row.alerts
        for key, field in [
            ("programado_corte", "programmed"),
            ("ejecutado_corte", "executed"),
            ("avance_corte", "progress_cut"),
            ("avance_vigencia", "progress_year"),
            ("avance_cuatrienio", "progress_4y"),
            ("peso_efectivo", "effective_weight"),
        ]:
            assert i[key] == text(getattr(row, field)), (row.indicator.code, key)
    inputs = edition.inputs
    assert [r["indicador"] for r in inputs["reportes"]] == ["S"]
    assert inputs["reportes"][0]["ejecutado_corte"] == text(Decimal(9))
    s = next(i for i in inputs["indicadores"] if i["codigo"] == "S")
    assert (s["meta_vigencia"], s["programado_corte"]) == (text(Decimal(10)), text(Decimal(10)))


def test_an_edition_cannot_be_updated(world):
    edition = CutEdition.objects.get(cut=world.cut(PUBLISHED), number=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        CutEdition.objects.filter(pk=edition.pk).update(reason="cambiado")
    edition.results = {}
    with pytest.raises(DatabaseError), transaction.atomic():
        edition.save()
    assert CutEdition.objects.get(pk=edition.pk).results["plan"]


def correct(world, executed: str = "7") -> Cut:
    """Correction of the published cut: S's executed value changes; published as edition 2."""
    reviewer = world.users["revisor"]
    cut = publication.start_correction(
        cut=world.cut(PUBLISHED), actor=reviewer, reason="El ejecutado de S era 7, no 9."
    )
    ProgressReport.objects.filter(cut=cut, indicator__code="S").update(executed=Decimal(executed))
    recompute_cut(cut=cut)
    return cut


def test_a_correction_is_edition_2_with_its_reason_and_edition_1_stays(world):
    reviewer = world.users["revisor"]
    counter = AuditCounter()
    cut = correct(world)
    assert (cut.state, cut.edition) == (CutState.ABIERTO, 1)
    assert editions.current_edition(cut) == 1 and editions.is_under_correction(cut)
    publication.close_reporting(cut=cut, actor=reviewer)
    edition = publication.publish(cut=cut, actor=reviewer, reason="", check_alerts=False)
    cut.refresh_from_db()
    assert (cut.state, cut.edition, cut.correction_reason) == (CutState.PUBLICADO, 2, "")
    assert edition.number == 2 and edition.reason == "El ejecutado de S era 7, no 9."
    assert edition.published_by == reviewer
    assert [e.action for e in counter.new()] == ["corte:corregir", "corte:cerrar", "corte:publicar"]
    first, second = editions.editions_of(cut)
    s1 = next(i for i in first.results["indicadores"] if i["codigo"] == "S")
    s2 = next(i for i in second.results["indicadores"] if i["codigo"] == "S")
    assert (s1["ejecutado_corte"], s2["ejecutado_corte"]) == ("9", "7")

    public = Client()
    page1 = public.get(f"{EDITIONS}1/").content.decode()
    page2 = public.get(f"{EDITIONS}2/").content.decode()
    assert "90,00%" in page1 and "70,00%" in page2  # S: 9 (then 7) of 10 programmed
    listing = public.get(EDITIONS).content.decode()
    assert "El ejecutado de S era 7, no 9." in listing and f"{EDITIONS}1/diferencias/2/" in listing
    assert public.get(f"{EDITIONS}3/").status_code == 404

    def executed_in(edition_number: int) -> str:
        response = public.get(f"{DATA}/ed{edition_number}/indicadores.csv")
        assert response.status_code == 200
        rows = csv.DictReader(io.StringIO(response.content.decode()))
        return next(r["ejecutado_corte"] for r in rows if r["indicador"] == "S")

    assert (executed_in(1), executed_in(2)) == ("9", "7")
    assert public.get(f"{DATA}/ed3/plan.csv").status_code == 404
    # The open data page links the edition in force; the plan's page every edition.
    index = public.get("/datos/").content.decode()
    assert f"{DATA}/ed2/plan.csv" in index and f"{DATA}/ed1/plan.csv" not in index
    listing = public.get(f"/datos/{PLAN_A}/").content.decode()
    assert f"{DATA}/ed1/plan.csv" in listing and f"{DATA}/ed2/plan.csv" in listing


def test_publishing_a_correction_needs_its_reason(world):
    cut = correct(world)
    Cut.objects.filter(pk=cut.pk).update(correction_reason="")
    with pytest.raises(publication.CutRefused, match="motivo"):
        publish_cut(cut=cut, actor_label="t")
    assert Cut.objects.get(pk=cut.pk).edition == 1


def test_the_diff_page_lists_what_changed_and_why(world):
    cut = correct(world)
    publish_cut(cut=cut, actor_label="t")
    old, new = editions.editions_of(cut)
    changes = {
        (c.section, c.item, c.field): (c.before, c.after) for c in editions.differences(old, new)
    }
    assert changes[("insumos", "Reporte del indicador S", "ejecutado_corte")] == (
        text(Decimal(9)),
        text(Decimal(7)),
    )
    assert ("resultados", "Indicador S", "avance_corte") in changes
    assert not any(item == "Indicador C" for _, item, _ in changes)  # unchanged rows are left out
    html = Client().get(f"{EDITIONS}1/diferencias/2/").content.decode()
    assert "El ejecutado de S era 7, no 9." in html
    assert "Reporte del indicador S" not in html and "ejecutado_corte" not in html


def diff_tables(html: str) -> dict[str, dict[str, tuple[str, str]]]:
    """Each table of the diff page: its caption → {row header: (before, after)}, as text."""

    def text(fragment: str) -> str:
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())

    tables = {}
    for table in re.findall(r"<table.*?</table>", html, re.S):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
        assert found is not None, "every table has a caption"
        caption = text(found.group(1))
        assert '<th scope="col">' in table
        rows = {}
        for row in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", table, re.S):
            header, rest = row.split("</th>", 1)
            cells = [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)]
            rows[text(header)] = (cells[-2], cells[-1])
        tables[caption] = rows
    return tables


def test_the_diff_page_speaks_to_a_citizen(world):
    cut = world.cut(PUBLISHED)
    S = world.indicator("S")
    reviewer = world.users["revisor"]
    # The correction: S executed 22 of 12 programmed (over-executed, 183,33%), then 7 of 12.
    cut = publication.start_correction(cut=cut, actor=reviewer, reason="Nueva programación")
    CutTarget.objects.filter(cut=cut, indicator=S).update(programmed=Decimal(12))
    ProgressReport.objects.filter(cut=cut, indicator=S).update(
        executed=Decimal(22), analysis="Se superó la meta: 22 de 12."
    )
    recompute_cut(cut=cut)
    publish_cut(cut=cut, actor_label="t")
    cut = publication.start_correction(
        cut=cut, actor=reviewer, reason="El ejecutado de S era 7,5, no 22.\nSoporte: acta 12."
    )
    ProgressReport.objects.filter(cut=cut, indicator=S).update(
        executed=Decimal("7.5"), analysis="Rezago por lluvias."
    )
    recompute_cut(cut=cut)
    publish_cut(cut=cut, actor_label="t")
    edition = editions.editions_of(cut)[-1]
    assert edition.number == 3

    response = Client().get(f"{EDITIONS}2/diferencias/3/")
    assert response.status_code == 200
    html = response.content.decode()
    day = format_date(timezone.localdate(edition.published_at))
    assert f"Edición 3, publicada el {day}." in html
    assert "El ejecutado de S era 7,5, no 22.\nSoporte: acta 12." in html
    tables = diff_tables(html)
    (indicator,) = [rows for caption, rows in tables.items() if "Indicador S ·" in caption]
    assert indicator["Ejecutado al corte"] == ("22,00", "7,50")
    assert indicator["Avance del corte"] == ("183,33%", "62,50%")
    assert indicator["Estado"] == ("Sobreejecutada", "En rezago")
    assert indicator["Análisis cualitativo"] == (
        "Se superó la meta: 22 de 12.",
        "Rezago por lluvias.",
    )
    assert "Programado al corte" not in indicator  # unchanged between editions 2 and 3
    (plan,) = [
        rows for caption, rows in tables.items() if "Plan PM-2024 · Plan de prueba" in caption
    ]
    assert "Cumplimiento al corte" in plan
    assert all("%" in v for v in plan["Cumplimiento al corte"])
    assert "explicacion" not in html and "{" not in "".join(
        v for rows in tables.values() for pair in rows.values() for v in pair
    )
    assert not any("Indicador C" in caption for caption in tables)


def test_the_public_sees_the_edition_in_force_during_a_correction(world):
    correct(world)
    public = Client()
    page = public.get(f"/planes/{PLAN_A}/cortes/{DAY}/")
    html = page.content.decode()
    assert page.status_code == 200 and "En corrección" in html
    assert "El ejecutado de S era 7, no 9." in html and EDITIONS in html
    assert "90,00%" in html and "70,00%" not in html  # edition 1, read from its snapshot
    assert "90,00%" in public.get(f"{EDITIONS}1/").content.decode()
    assert public.get(f"{DATA}/ed1/plan.csv").status_code == 200
    api = public.get(f"/api/v1/planes/{PLAN_A}/cortes/")
    if api.status_code == 200:  # the public API lists published cuts only
        assert DAY not in api.content.decode()


def test_demo_publishes_edition_1_and_creates_its_users(db):
    out = io.StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=io.StringIO())  # idempotent
    cut = Cut.objects.get()
    assert (cut.state, cut.edition) == (CutState.PUBLICADO, 1)
    assert CutEdition.objects.filter(cut=cut).count() == 1
    roles = set(Membership.objects.values_list("user__username", "role"))
    assert {("planeacion", Role.ADMINISTRADOR), ("revisor", Role.REVISOR)} <= roles
    reporter = Membership.objects.get(role=Role.REPORTANTE)
    assert reporter.user.username.startswith("reporte-") and reporter.entity is not None
    assert reporter.user.check_password("demo-cascada-2026")
    assert "demo-cascada-2026" in out.getvalue()
    assert (
        Client().get("/planes/PES-GP-2024-2027/cortes/2026-03-31/ediciones/1/").status_code == 200
    )


def test_demo_records_the_missing_edition_of_an_older_database(db):
    call_command("demo", stdout=io.StringIO())
    CutEdition.objects.all().delete()
    call_command("demo", stdout=io.StringIO())
    assert CutEdition.objects.get().number == 1
    assert AuditEvent.objects.filter(action="corte:registrar_edicion").count() == 1


def test_the_publish_command(world):
    with pytest.raises(CommandError, match="ya está publicado"):
        call_command("publish", PLAN_A, DAY, stdout=io.StringIO())
    cut = correct(world)
    Cut.objects.filter(pk=cut.pk).update(correction_reason="")
    with pytest.raises(CommandError, match="motivo"):
        call_command("publish", PLAN_A, DAY, stdout=io.StringIO())
    open_day = "2026-06-30"
    with pytest.raises(CommandError, match="No se puede publicar"):
        call_command("publish", PLAN_A, open_day, stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "publish", PLAN_A, DAY, "--reason", "Ajuste de S", "--exceptuar", "Prueba", stdout=out
    )
    cut.refresh_from_db()
    assert (cut.state, cut.edition) == (CutState.PUBLICADO, 2)
    assert "edición 2" in out.getvalue()
    counter = AuditCounter()
    call_command("publish", PLAN_A, open_day, "--exceptuar", "Prueba de carga", stdout=out)
    assert [e.action for e in counter.new()] == ["alerta:exceptuar", "corte:publicar"]
    with pytest.raises(CommandError, match="No existe"):
        call_command("publish", "NO-EXISTE", DAY, stdout=io.StringIO())

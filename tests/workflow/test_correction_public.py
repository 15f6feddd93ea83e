"""While a published cut is being corrected, the public keeps reading its edition in force from
the edition's snapshot: the plan page, the cut page, the objective and indicator pages, every
report format and the open data show edition 1's figure, with the "en corrección" notice; staff
who may see drafts see the working figures; once edition 2 is published, everyone sees it."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from cascada.reports.jobs import run_job
from cascada.reports.models import ReportJob
from cascada.tracking import publication
from cascada.tracking.models import ProgressReport
from cascada.tracking.services import recompute_cut
from tests.accounts.world import PLAN_A, PUBLISHED
from tests.hostile.test_hostile_strings import pdf_text, pptx_text
from tests.workflow.conftest import client_of

pytestmark = pytest.mark.django_db

DAY = PUBLISHED.isoformat()
PLAN = f"/planes/{PLAN_A}/"
CUT = f"{PLAN}cortes/{DAY}/"
REASON = "El ejecutado de S era 7, no 9."
OLD_ANALYSIS = "Análisis de la edición 1 (publicado)."
NEW_ANALYSIS = "Análisis corregido, todavía sin publicar."
OLD, NEW = "90,00%", "70,00%"  # S: 9 (then 7) of 10 programmed


def objective_of_s(world) -> str:
    return str(world.indicator("S").goal.objective.code)


def report_of_s(world) -> ProgressReport:
    return ProgressReport.objects.get(cut=world.cut(PUBLISHED), indicator__code="S")


@pytest.fixture
def correcting(world):
    """Edition 1 has S = 9 and OLD_ANALYSIS; the correction (not published yet) has S = 7."""
    cut = world.cut(PUBLISHED)
    reviewer = world.users["revisor"]
    ProgressReport.objects.filter(pk=report_of_s(world).pk).update(analysis=OLD_ANALYSIS)
    publication.start_correction(cut=cut, actor=reviewer, reason="Preparar la edición 1.")
    publication.publish(cut=cut, actor=reviewer, from_states=["abierto"], check_alerts=False)
    # the world's cut is now edition 2 with OLD_ANALYSIS; correct it again into edition 3
    cut.refresh_from_db()
    publication.start_correction(cut=cut, actor=reviewer, reason=REASON)
    ProgressReport.objects.filter(pk=report_of_s(world).pk).update(
        executed=Decimal(7), analysis=NEW_ANALYSIS
    )
    recompute_cut(cut=cut)
    cut.refresh_from_db()
    return cut


def pages(client: Client, world) -> dict[str, str]:
    objective = objective_of_s(world)
    urls = {
        "plan": PLAN,
        "cut": CUT,
        "objective": f"{CUT}objetivos/{objective}/",
        "indicator": f"{PLAN}indicadores/S/",
    }
    out = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        out[name] = response.content.decode()
    return out


def report_s(client: Client, fmt: str, tmp_path) -> str:
    """The text of the report in ``fmt`` where S's figures are."""
    response = client.get(f"{CUT}informe.{fmt}")
    assert response.status_code == 200, (fmt, response.status_code)
    content = response.content
    if fmt == "json":
        data = json.loads(content)
        (s,) = [i for o in data["objectives"] for i in o["indicators"] if i["code"] == "S"]
        return f"ejecutado={s['executed']} analisis={s['analysis']}"
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(content))
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if fmt == "pdf":
        return pdf_text(content, tmp_path)
    if fmt == "pptx":
        return pptx_text(content)
    return content.decode()


def s_executed_in_open_data(client: Client, edition: int) -> str:
    response = client.get(f"/datos/{PLAN_A}/{DAY}/ed{edition}/indicadores.csv")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    return next(r["ejecutado_corte"] for r in rows if r["indicador"] == "S")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_public_reads_the_edition_in_force_and_staff_the_working_figures(
    world, correcting, tmp_path
):
    assert (correcting.state, correcting.edition) == ("abierto", 2)
    public = Client()
    seen = pages(public, world)
    for name, html in seen.items():
        assert OLD in html and NEW not in html, name
    for name in ("cut", "objective"):
        assert "En corrección" in seen[name] and REASON in seen[name], name
    assert "Borrador" not in seen["cut"]
    assert OLD_ANALYSIS in seen["objective"] and NEW_ANALYSIS not in seen["objective"]
    assert OLD_ANALYSIS in seen["indicator"] and NEW_ANALYSIS not in seen["indicator"]
    assert f'href="{CUT}"' in public.get("/").content.decode()

    json_s = report_s(public, "json", tmp_path)
    assert json_s == f"ejecutado=9.0 analisis={OLD_ANALYSIS}"
    for fmt in ("html", "xlsx", "pdf", "pptx"):
        text = squeeze(report_s(public, fmt, tmp_path))
        assert OLD_ANALYSIS in text and NEW_ANALYSIS not in text, fmt
    for fmt in ("html", "pdf", "pptx"):
        text = squeeze(report_s(public, fmt, tmp_path))
        assert OLD in text and NEW not in text, fmt
    assert s_executed_in_open_data(public, 2) == "9"
    assert public.get(f"/datos/{PLAN_A}/{DAY}/ed3/indicadores.csv").status_code == 404

    staff = client_of(world, "revisor")
    working = pages(staff, world)
    assert NEW in working["cut"] or NEW in working["objective"]
    assert NEW_ANALYSIS in working["objective"] and "Borrador" in working["cut"]
    assert "ejecutado=7.0" in report_s(staff, "json", tmp_path)

    # Publishing the correction (edition 3): everyone reads the new figure.
    reviewer = world.users["revisor"]
    publication.close_reporting(cut=correcting, actor=reviewer)
    publication.publish(cut=correcting, actor=reviewer, check_alerts=False)
    fresh = Client()
    for name, html in pages(fresh, world).items():
        assert NEW in html and "En corrección" not in html, name
    assert report_s(fresh, "json", tmp_path) == f"ejecutado=7.0 analisis={NEW_ANALYSIS}"
    for fmt in ("html", "pdf", "pptx"):
        text = squeeze(report_s(fresh, fmt, tmp_path))
        assert NEW in text and OLD_ANALYSIS not in text, fmt
    assert (s_executed_in_open_data(fresh, 2), s_executed_in_open_data(fresh, 3)) == ("9", "7")


def test_a_background_report_of_the_edition_in_force_is_not_reused_after_the_next(
    world, correcting, settings
):
    settings.CASCADA_REPORT_SYNC_MAX_INDICATORS = 0  # every report in the background
    public = Client()
    first = public.get(f"{CUT}informe.json")
    assert first.status_code == 302
    job = ReportJob.objects.get()
    run_job(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.is_ready and not job.include_drafts
    assert json.loads(job.file.read())["compliance"] is not None
    assert public.get(f"{CUT}informe.json")["Location"] == first["Location"]  # reused
    reviewer = world.users["revisor"]
    publication.close_reporting(cut=correcting, actor=reviewer)
    publication.publish(cut=correcting, actor=reviewer, check_alerts=False)
    again = public.get(f"{CUT}informe.json")
    assert again["Location"] != first["Location"]
    assert ReportJob.objects.count() == 2

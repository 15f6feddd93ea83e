"""Hostile text (issue 9) through the workflow's own forms in ``/gestion/``: the report form
(qualitative analysis, evidence links, the comment sent with it) and the reviewer's comment
when returning or approving a report.

Every accepted string is stored exactly as typed; it comes out escaped and intact in the
``/gestion/`` pages (the report form and its comment thread, the review page with the evidence
as links), in the public pages once the cut is published, in every report format, in the open
data and in the audit log and its exports (formula-looking text neutralised in the CSV and
XLSX files meant for spreadsheets, as the existing exports do). Every refused string gets a
Spanish message under its field and changes nothing.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cascada.plans.models import Indicator, Plan
from cascada.reports.render import render_report
from cascada.tracking import publication
from cascada.tracking.models import (
    AuditEvent,
    CommentKind,
    Cut,
    CutTarget,
    ProgressReport,
    ReportComment,
)
from cascada.tracking.services import recompute_cut
from tests.hostile.test_hostile_strings import (
    REFUSED,
    SHORT,
    assert_escaped,
    assert_inert_xlsx,
    csv_values,
    pdf_text,
    pptx_text,
    squeeze,
    strings_in,
)
from tests.imports.test_import_service import database_state

pytestmark = pytest.mark.django_db

SEED = "PES-GP-2024-2027"
DAY = date(2026, 6, 30)
# As long as an analysis may be (MAX_ANALYSIS); 100 KB is refused (REFUSED["too long"]).
LONG_ANALYSIS = ("Análisis largo con palabras reales y cifras 1.234,5. " * 400)[:19_999] + "."
ANALYSES = {**SHORT, "long": LONG_ANALYSIS}
COMMENTS = SHORT  # a comment holds up to 10.000 characters; the long one is refused below
# Evidence links: what a valid http(s) link can carry of the hostile strings.
LINKS = [
    "https://ejemplo.gov.co/informe?q=<script>alert(1)</script>",
    'https://ejemplo.gov.co/?f==HYPERLINK("http://x","y")',
    "https://ejemplo.gov.co/@SUM(A1)",
    "https://ejemplo.gov.co/\u202eodatluser",
    "https://ejemplo.gov.co/informe-👍🏽-🇨🇴",
    "https://ejemplo.gov.co/" + "a" * 1_970,
]
BAD_LINKS = {
    "javascript": "javascript:alert(1)",
    "img": 'https://ejemplo.gov.co/"><img src=x onerror=alert(1)>',
    "formula": '=HYPERLINK("http://x","y")',
    "too long": "https://ejemplo.gov.co/" + "a" * 100_000,
}


def form_url(code: str) -> str:
    return reverse("workflow:report", args=[SEED, DAY.isoformat(), code])


def review_url(code: str, decision: str = "") -> str:
    if not decision:
        return reverse("workflow:review_report", args=[SEED, DAY, code])
    name = {"devolver": "workflow:report_return", "aprobar": "workflow:report_approve"}[decision]
    return reverse(name, args=[SEED, DAY, code])


def send(client: Client, code: str, analysis: str, comment: str = "", version: int = 0):
    return client.post(
        form_url(code),
        {
            "version": str(version),
            "ejecutado": "5",
            "analisis": analysis,
            "evidencias": "\n".join(LINKS),
            "comentario": comment,
            "accion": "enviar",
        },
    )


@pytest.fixture
def desk(db):
    """The seed plan with its 2026-06-30 cut opened and programmed, a planning-office user who
    may enter every report and review them, and one indicator per analysis."""
    call_command("demo", verbosity=0, stdout=io.StringIO())
    plan = Plan.objects.get(code=SEED)
    user = get_user_model().objects.create_superuser("hostil-planeacion", password=None)
    cut = publication.open_cut(plan=plan, day=DAY, deadline=date(2026, 7, 15), actor=user)
    indicators = list(Indicator.objects.filter(plan=plan).order_by("pk"))[: len(ANALYSES)]
    for indicator in Indicator.objects.filter(plan=plan):
        CutTarget.objects.update_or_create(
            cut=cut, indicator=indicator, defaults={"programmed": 10}
        )
    recompute_cut(cut=cut)
    client = Client()
    client.force_login(user)
    codes = dict(zip(ANALYSES, (i.code for i in indicators), strict=True))
    return client, cut, codes


def test_the_report_and_review_forms_keep_hostile_text_exact_and_inert(desk, tmp_path):
    client, cut, codes = desk

    # In: the report form (analysis, links, comment) and the reviewer returning it.
    for key, code in codes.items():
        response = send(client, code, ANALYSES[key], COMMENTS.get(key, ""))
        assert response.status_code == 302, (key, response.content.decode()[:2000])
        if key in COMMENTS:
            returned = client.post(review_url(code, "devolver"), {"comentario": COMMENTS[key]})
            assert returned.status_code == 302, key

    for key, code in codes.items():
        report = ProgressReport.objects.get(cut=cut, indicator__code=code)
        assert report.analysis == ANALYSES[key], key
        assert report.evidence == LINKS
        if key in COMMENTS:
            texts = list(report.comments.order_by("id").values_list("kind", "text"))
            assert texts == [
                (CommentKind.ENVIADO, COMMENTS[key]),
                (CommentKind.DEVUELTO, COMMENTS[key]),
            ], key

    # Out in /gestion/: the reporter's form (analysis in its textarea, the comment thread) and
    # the reviewer's page (the analysis, the links as links, the thread).
    for key, code in codes.items():
        form = client.get(form_url(code)).content.decode()
        review = client.get(review_url(code)).content.decode()
        for html, where in ((form, "report form"), (review, "review page")):
            assert_escaped(html, ANALYSES[key], f"{where} {key}")
            if key in COMMENTS:
                assert_escaped(html, COMMENTS[key], f"{where} comment {key}")
            assert "<script>alert" not in html and "<img src=x" not in html, where
        for link in LINKS:
            assert f'href="{escape(link)}"' in review, link[:40]

    # The reporter sends the returned ones again, the reviewer approves with the comment, and publishes.
    for key, code in codes.items():
        if key in COMMENTS:  # returned: sent again
            version = ProgressReport.objects.get(cut=cut, indicator__code=code).version
            assert send(client, code, ANALYSES[key], version=version).status_code == 302, key
        approved = client.post(review_url(code, "aprobar"), {"comentario": COMMENTS.get(key, "")})
        assert approved.status_code == 302, key
        last = ReportComment.objects.filter(report__cut=cut, report__indicator__code=code).last()
        assert last is not None and last.text == COMMENTS.get(key, ""), key
    publication.close_reporting(cut=cut, actor=None)
    publication.publish(cut=cut, actor=None, actor_label="test", check_alerts=False)

    # Out in public: the objective and indicator pages of the published cut.
    public = Client()
    pages = []
    for code in codes.values():
        indicator = Indicator.objects.select_related("goal__objective").get(
            plan__code=SEED, code=code
        )
        objective = indicator.goal.objective.code
        for url in (
            f"/planes/{SEED}/cortes/{DAY.isoformat()}/objetivos/{objective}/",
            f"/planes/{SEED}/indicadores/{code}/",
        ):
            response = public.get(url)
            assert response.status_code == 200, url
            pages.append(response.content.decode())
    everything = "\n".join(pages)
    for key, text in ANALYSES.items():
        assert_escaped(everything, text, f"public pages {key}")
    assert "<script>alert" not in everything and "<img src=x" not in everything
    for text in COMMENTS.values():  # review comments are internal
        if len(text) > 8 and text not in ANALYSES.values():
            assert text not in everything

    # Out in the reports, every format, as the public downloads them.
    content = {
        fmt: render_report(plan_code=SEED, cut_date=DAY, fmt=fmt, include_drafts=False)[0]
        for fmt in ("html", "json", "xlsx", "pdf", "pptx")
    }
    html = content["html"].decode()
    document = strings_in(json.loads(content["json"]))
    for key, text in ANALYSES.items():
        assert_escaped(html, text, f"html report {key}")
        assert text in document, ("json report", key)
    assert "<script" not in html
    assert_inert_xlsx(content["xlsx"], list(ANALYSES.values()), "xlsx report")
    pdf = squeeze(pdf_text(content["pdf"], tmp_path))
    for key in ("script", "img", "hyperlink", "at", "plus", "minus"):
        assert squeeze(ANALYSES[key]) in pdf, ("pdf", key)
    assert squeeze(LONG_ANALYSIS[:200]) in pdf
    pptx = squeeze(pptx_text(content["pptx"]))
    for key in ("script", "img", "hyperlink", "at"):
        assert squeeze(ANALYSES[key]) in pptx, ("pptx", key)

    # Out in the open data.
    base = f"/datos/{SEED}/{DAY.isoformat()}/ed1"
    values = csv_values(public.get(f"{base}/indicadores.csv").content)
    data = strings_in(public.get(f"{base}/datos.json").json())
    for key, text in ANALYSES.items():
        assert text in values, ("open data csv", key)
        assert text in data, ("open data json", key)
    assert_inert_xlsx(
        public.get(f"{base}/datos.xlsx").content, list(ANALYSES.values()), "open data xlsx"
    )

    # Out in the audit log: the page escapes them, the CSV neutralises formula-looking text and
    # the XLSX writes them as text cells.
    log = client.get(reverse("workflow:audit_log") + "?accion=reporte:devolver").content.decode()
    for text in COMMENTS.values():
        assert_escaped(log, text, "audit log page")
    exported = client.get(reverse("workflow:audit_log_csv")).content.decode("utf-8-sig")
    rows = csv_values(exported.encode())
    for key, text in COMMENTS.items():
        triggered = text.startswith(("=", "+", "-", "@"))
        assert (("'" + text) if triggered else text) in rows, ("audit csv", key)
    assert_inert_xlsx(
        client.get(reverse("workflow:audit_log_xlsx")).content,
        list(COMMENTS.values()),
        "audit xlsx",
    )


# ---------------------------------------------------------------------------------------------
# Refusals: a message under the field, nothing written


@pytest.mark.parametrize("key", REFUSED)
def test_the_report_form_refuses_them_under_the_field(desk, key):
    client, _, codes = desk
    code = codes["script"]
    before = database_state()
    response = send(client, code, REFUSED[key])
    assert response.status_code == 200, key  # the form again, with its errors
    html = response.content.decode()
    assert 'id="analisis-error"' in html
    expected = (
        "Admite como máximo 20.000 caracteres."
        if key == "too long"
        else "Contiene caracteres de control no admitidos."
    )
    assert expected in html
    assert database_state() == before


@pytest.mark.parametrize("key", BAD_LINKS)
def test_the_report_form_refuses_bad_evidence_links(desk, key):
    client, _, codes = desk
    before = database_state()
    response = client.post(
        form_url(codes["script"]),
        {
            "version": "0",
            "ejecutado": "5",
            "analisis": "Bien.",
            "evidencias": BAD_LINKS[key],
            "accion": "guardar",
        },
    )
    assert response.status_code == 200, key  # the form again, with its errors
    html = response.content.decode()
    assert 'id="evidencias-error"' in html and "Línea 1" in html
    assert "<img src=x" not in html
    assert database_state() == before


@pytest.mark.parametrize("key", [*REFUSED, "long"])
@pytest.mark.parametrize("decision", ["devolver", "aprobar"])
def test_the_review_comment_refuses_them_with_a_message(desk, key, decision):
    client, cut, codes = desk
    code = codes["script"]
    assert send(client, code, "Listo.").status_code == 302
    text = "x" * 10_001 if key == "long" else REFUSED[key]
    before = database_state()
    comments = ReportComment.objects.count()
    audit = AuditEvent.objects.count()
    response = client.post(review_url(code, decision), {"comentario": text})
    assert response.status_code == 400, (key, decision)
    html = response.content.decode()
    assert "comentario" in html.lower()
    expected = (
        "El comentario es demasiado largo"
        if key in ("long", "too long")
        else "caracteres de control"
    )
    assert expected in html, (key, decision)
    assert (ReportComment.objects.count(), AuditEvent.objects.count()) == (comments, audit)
    assert database_state() == before
    assert Cut.objects.get(pk=cut.pk).state == "abierto"

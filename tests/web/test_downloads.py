"""The report downloads of the cut page (issue 5): five formats, the cut page's visibility rules,
rendered in the request for a plan of the seed's size."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cascada.reports.models import ReportJob
from tests.web.conftest import BIG, BIG_CUTS, SEED, SEED_CUT
from tests.web.pages import get_ok, section, text_of

pytestmark = pytest.mark.django_db

CUT_URL = f"/planes/{SEED}/cortes/2026-03-31/"
FILENAME = "seguimiento_PES-GP-2024-2027_2026-03-31"
EXPECTED = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def report_url(fmt: str, code: str = SEED, day: date = SEED_CUT) -> str:
    return f"/planes/{code}/cortes/{day.isoformat()}/informe.{fmt}"


def test_the_url_is_the_documented_one():
    assert reverse("web:report", args=[SEED, SEED_CUT, "pdf"]) == report_url("pdf")


def test_the_cut_page_links_the_five_formats(client, demo):
    html = get_ok(client, CUT_URL)
    downloads = section(html, '<section aria-labelledby="downloads-title"', "</section>")
    text = text_of(downloads)
    assert "Descargar informe" in text
    for label in ("PDF", "PowerPoint", "Excel", "HTML para imprimir", "JSON"):
        assert label in text
    for fmt in EXPECTED:
        assert f'href="{report_url(fmt)}"' in downloads
    assert "segundo plano" not in text  # the seed renders in the request


def test_the_links_follow_the_cut_chosen_with_htmx(client, demo):
    partial = get_ok(client, f"/planes/{SEED}/?corte=2026-03-31", **{"HX-Request": "true"})
    assert f'href="{report_url("xlsx")}"' in partial


@pytest.mark.parametrize("fmt", list(EXPECTED))
def test_anonymous_visitors_download_every_format_of_a_published_cut(client, demo, fmt):
    response = client.get(report_url(fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == EXPECTED[fmt]
    disposition = "inline" if fmt == "html" else "attachment"
    assert response["Content-Disposition"] == f'{disposition}; filename="{FILENAME}.{fmt}"'
    content = response.content
    if fmt == "pdf":
        assert content.startswith(b"%PDF-")
    elif fmt in ("pptx", "xlsx"):
        assert zipfile.is_zipfile(io.BytesIO(content))
    elif fmt == "html":
        assert "183,33%" in content.decode()
        assert "default-src 'none'" in response["Content-Security-Policy"]
    else:
        data = json.loads(content)
        assert data["lang"] == "es"
        objectives = {o["code"]: o["compliance"] for o in data["objectives"]}
        assert objectives["O4"] == pytest.approx(183.333333333333)
    assert not ReportJob.objects.exists()  # rendered in the request


def test_the_report_is_in_the_visitors_language(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = json.loads(client.get(report_url("json")).content)
    assert data["lang"] == "en"
    assert data["cut_label"] == "March 31, 2026"
    book = load_workbook(io.BytesIO(client.get(report_url("xlsx")).content))
    assert "Plan compliance at the cut" in [c.value for r in book["resumen"].iter_rows() for c in r]
    assert "Download the report" in get_ok(client, CUT_URL)


def test_unpublished_cuts_are_404_for_the_public_and_there_for_staff(staff, big_plan, settings):
    settings.CASCADA_REPORT_SYNC_MAX_INDICATORS = 1000  # rendered in the request here
    draft = BIG_CUTS[2]
    anonymous = Client()
    assert anonymous.get(report_url("json", BIG, draft)).status_code == 404
    assert anonymous.get(report_url("json", BIG, BIG_CUTS[0])).status_code == 200
    response = staff.get(report_url("json", BIG, draft))
    assert response.status_code == 200
    assert json.loads(response.content)["cut_state"] == "abierto"
    # the public xlsx carries the published cuts' data only; staff get everything
    assert cut_dates(anonymous.get(report_url("xlsx", BIG, BIG_CUTS[0]))) == set(BIG_CUTS[:2])
    assert cut_dates(staff.get(report_url("xlsx", BIG, BIG_CUTS[0]))) == set(BIG_CUTS)


def cut_dates(response) -> set[date]:
    """The cuts of the ``avances`` sheet of a downloaded report workbook."""
    sheet = load_workbook(io.BytesIO(response.content))["avances"]
    return {
        value.date()
        for (_, value, *_) in sheet.iter_rows(min_row=2, values_only=True)
        if isinstance(value, datetime)
    }


@pytest.mark.parametrize(
    "url",
    [
        report_url("docx"),
        report_url("PDF"),
        report_url("pdf", "NADA"),
        report_url("pdf", SEED, date(2026, 6, 30)),
        f"/planes/{SEED}/cortes/2026-02-30/informe.pdf",
    ],
)
def test_unknown_format_plan_or_cut_is_404(client, demo, url):
    assert client.get(url).status_code == 404


def test_only_get_and_head(client, demo):
    assert client.post(report_url("json")).status_code == 405

"""Reports of large plans rendered in the background (issue 5): the download URL creates or
reuses a ``ReportJob`` and redirects to its progress page; the task (django-tasks, the immediate
backend here) renders through ``render_report`` and ends ``listo`` with the file, or ``fallido``
with a Spanish message."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cascada.reports import jobs, render
from cascada.reports.models import JobState, ReportJob
from cascada.tracking.models import Cut, CutState

pytestmark = pytest.mark.django_db

PLAN = "PES-GP-2024-2027"
CUT = date(2026, 3, 31)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def seed():
    call_command("demo", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def background(settings, tmp_path):
    """The seed counts as a large plan; tasks run at once; files go to a temporary folder."""
    settings.CASCADA_REPORT_SYNC_MAX_INDICATORS = 5
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("planeacion", password="x-2026", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def url(fmt: str, day: date = CUT) -> str:
    return f"/planes/{PLAN}/cortes/{day.isoformat()}/informe.{fmt}"


def job_url(job: ReportJob) -> str:
    return f"/informes/{job.pk}/"


def test_a_large_plan_goes_through_a_job_that_ends_ready(client, seed, background):
    response = client.get(url("pdf"))
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert response["Location"] == job_url(job)
    assert (job.state, job.progress, job.message) == (JobState.LISTO, 100, "Informe listo.")
    assert (job.format, job.lang, job.cut_date, job.plan.code) == ("pdf", "es", CUT, PLAN)
    assert not job.include_drafts
    assert job.filename == "seguimiento_PES-GP-2024-2027_2026-03-31.pdf"
    assert job.content_type == "application/pdf"
    assert job.size == job.file.size > 1000
    assert job.started_at and job.finished_at and job.task_id
    assert job.file.name.startswith("reports/")

    page = client.get(job_url(job))
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert "El informe está listo." in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert 'http-equiv="refresh"' not in html
    assert f'href="/informes/{job.pk}/descargar"' in html
    assert "Descargar el informe (PDF)" in html

    download = client.get(f"/informes/{job.pk}/descargar")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="seguimiento_PES-GP-2024-2027_2026-03-31.pdf"'
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_html_job_file_is_inline(client, seed, background):
    client.get(url("html"))
    job = ReportJob.objects.get()
    download = client.get(f"/informes/{job.pk}/descargar")
    assert download["Content-Disposition"].startswith("inline;")
    assert "default-src 'none'" in download["Content-Security-Policy"]
    assert "183,33%" in b"".join(download.streaming_content).decode()


def test_the_task_reports_its_progress_in_stages(seed, background, monkeypatch):
    seen: list[tuple[int, int, str]] = []
    real = render.render_report

    def watched(**kwargs):
        progress = kwargs.pop("progress")

        def spy(percent: int, message: str) -> None:
            progress(percent, message)
            job = ReportJob.objects.get()
            seen.append((percent, job.progress, job.state))

        return real(progress=spy, **kwargs)

    monkeypatch.setattr(jobs, "render_report", watched)
    Client().get(url("xlsx"))
    assert seen == [
        (0, 0, "en_proceso"),
        (5, 5, "en_proceso"),
        (10, 10, "en_proceso"),
        (90, 90, "en_proceso"),
        (100, 100, "en_proceso"),  # the file is saved next, then the job is ready
    ]
    assert ReportJob.objects.get().state == JobState.LISTO


def test_the_progress_page_polls_and_works_without_javascript(client, seed, background):
    job = ReportJob.objects.create(
        plan_id=Cut.objects.get(plan__code=PLAN).plan_id,
        cut_date=CUT,
        format="pptx",
        state=JobState.EN_PROCESO,
        progress=10,
        message="Generando la presentación de PowerPoint…",
    )
    html = client.get(job_url(job)).content.decode()
    assert '<progress class="job__bar" max="100" value="10"' in html
    assert "10% · Generando la presentación de PowerPoint…" in html
    assert f'hx-get="/informes/{job.pk}/" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert f'<a href="/informes/{job.pk}/">Actualizar</a>' in html
    assert "Informe en PowerPoint" in html
    # htmx gets the partial only, which it swaps for itself
    partial = client.get(job_url(job), headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="report-job"')
    assert "<html" not in partial and 'hx-trigger="every 1s"' in partial
    # in English, the stage too
    client.cookies["django_language"] = "en"
    english = client.get(job_url(job)).content.decode()
    assert "10% · Generating the PowerPoint deck…" in english
    # not ready: no file
    assert client.get(f"/informes/{job.pk}/descargar").status_code == 404


def test_a_job_waiting_long_says_so(client, seed, background):
    job = ReportJob.objects.create(
        plan_id=Cut.objects.get(plan__code=PLAN).plan_id, cut_date=CUT, format="pdf"
    )
    assert "todavía no empieza" not in client.get(job_url(job)).content.decode()
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    html = client.get(job_url(job)).content.decode()
    assert "0% · En cola: el informe empezará a generarse en un momento." in html
    assert "todavía no empieza" in html


def test_a_failing_render_marks_the_job_failed_with_a_spanish_message(
    client, seed, background, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(render, "render_dataset", broken)
    response = client.get(url("pdf"))
    job = ReportJob.objects.get()
    assert response["Location"] == job_url(job)
    assert job.state == JobState.FALLIDO
    assert job.message.startswith("No se pudo generar el informe. Ocurrió un error interno")
    assert "boom" not in job.message  # internals stay in the log
    assert not job.file and job.finished_at
    html = client.get(job_url(job)).content.decode()
    assert "No se pudo generar el informe." in html
    assert f'href="{url("pdf")}"' in html and "Intentar de nuevo" in html
    assert 'hx-trigger="every 1s"' not in html
    assert client.get(f"/informes/{job.pk}/descargar").status_code == 404
    # a failed job is not reused: trying again makes a new one
    monkeypatch.undo()
    client.get(url("pdf"))
    assert ReportJob.objects.filter(state=JobState.LISTO).count() == 1


def test_a_cut_unpublished_before_the_job_runs_fails_with_the_reason(seed, background):
    plan_id = Cut.objects.get(plan__code=PLAN).plan_id
    job = ReportJob.objects.create(plan_id=plan_id, cut_date=CUT, format="json")
    Cut.objects.filter(plan_id=plan_id).update(
        state=CutState.EN_REVISION, edition=0
    )  # never published
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FALLIDO
    assert job.message == (
        "No se pudo generar el informe. El plan 'PES-GP-2024-2027' no tiene un corte publicado "
        "el 2026-03-31."
    )


def test_an_identical_recent_request_reuses_the_job(client, seed, background):
    first = client.get(url("json"))["Location"]
    assert client.get(url("json"))["Location"] == first
    assert ReportJob.objects.count() == 1
    client.get(url("xlsx"))
    client.cookies["django_language"] = "en"
    client.get(url("json"))
    assert ReportJob.objects.count() == 3  # another format, another language
    ReportJob.objects.update(created_at=timezone.now() - jobs.REUSE_WINDOW - timedelta(seconds=1))
    assert client.get(url("json"))["Location"] != first
    job = ReportJob.objects.filter(lang="en", format="json").latest("created_at")
    assert json.loads(job.file.read())["lang"] == "en"


def test_a_finished_job_is_run_once(seed, background):
    Client().get(url("json"))
    job = ReportJob.objects.get()
    finished = job.finished_at
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.finished_at == finished
    jobs.run_job("00000000-0000-0000-0000-000000000000")  # gone: nothing to do


def test_staff_jobs_and_unpublished_cuts_are_not_shown_to_the_public(
    client, staff, seed, background
):
    staff.get(url("json"))
    job = ReportJob.objects.get()
    assert job.include_drafts
    assert staff.get(job_url(job)).status_code == 200
    assert client.get(job_url(job)).status_code == 404
    assert client.get(f"/informes/{job.pk}/descargar").status_code == 404
    client.get(url("json"))
    public = ReportJob.objects.get(include_drafts=False)
    assert client.get(job_url(public)).status_code == 200
    Cut.objects.filter(plan__code=PLAN).update(
        state=CutState.EN_REVISION, edition=0
    )  # never published
    assert client.get(job_url(public)).status_code == 404
    assert client.get(f"/informes/{public.pk}/descargar").status_code == 404
    assert client.get("/informes/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/informes/no-es-un-uuid/").status_code == 404


def test_a_draft_cut_job_for_staff_is_not_reused_once_finished(staff, seed, background):
    Cut.objects.filter(plan__code=PLAN).update(state=CutState.EN_REVISION)
    first = staff.get(url("json"))["Location"]
    second = staff.get(url("json"))["Location"]
    assert first != second  # a draft may change: render again


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when it is done
def test_with_the_database_backend_the_job_waits_for_the_worker(client, seed, settings, tmp_path):
    settings.CASCADA_REPORT_SYNC_MAX_INDICATORS = 5
    settings.MEDIA_ROOT = tmp_path / "media"
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    location = client.get(url("json"))["Location"]
    job = ReportJob.objects.get()
    assert job.state == JobState.PENDIENTE
    task = DBTaskResult.objects.get()
    assert task.task_path == "cascada.reports.tasks.render_report_job"
    assert str(task.id) == job.task_id
    assert re.search(r"<progress[^>]+value=\"0\"", client.get(location).content.decode())
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert (job.state, job.progress) == (JobState.LISTO, 100)
    assert "El informe está listo." in client.get(location).content.decode()

"""Reports rendered in the background (large plans): request a job, run it in the worker.

``request_report`` reuses a recent identical job (same plan, cut, format, language and
visibility) instead of rendering the same file twice: one still pending or running (created in
the last ``REUSE_WINDOW``), or one finished with its file when the cut is published (a
published cut is frozen, so its report cannot change). Otherwise it creates a job and enqueues
``cascada.reports.tasks.render_report_job`` (``cascada db_worker`` runs it).

``run_job`` is the task's body: it marks the job ``en_proceso``, renders through
``render_report`` (whose progress callback writes the job's percentage and message, each in its
own autocommitted update, so the waiting page sees them), stores the file and marks the job
``listo``; any failure marks it ``fallido`` with a Spanish message.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from uuid import UUID

from django.core.files.base import ContentFile
from django.utils import timezone

from cascada.engine.display import Lang
from cascada.plans.models import Plan
from cascada.reports.dataset import ReportNotFound
from cascada.reports.models import JobState, ReportJob
from cascada.reports.render import DONE, FORMATS, render_report
from cascada.tracking.models import Cut

logger = logging.getLogger(__name__)

REUSE_WINDOW = timedelta(minutes=10)
MESSAGE_LENGTH = 500
QUEUED_MESSAGE = "En cola: el informe empezará a generarse en un momento."
INTERNAL_ERROR = (
    "Ocurrió un error interno al generar el informe. Intente de nuevo más tarde; si el error "
    "continúa, avise al administrador del sistema."
)


def request_report(
    *, plan: Plan, cut_date: date, fmt: str, lang: Lang, include_drafts: bool, reusable: bool
) -> ReportJob:
    """A job for the report: a recent identical one, or a new one with its task enqueued.
    ``reusable``: a finished job may be reused (the cut is published, hence frozen)."""
    if fmt not in FORMATS:
        raise ValueError(f"Formato desconocido '{fmt}'.")
    recent = ReportJob.objects.filter(
        plan=plan,
        cut_date=cut_date,
        format=fmt,
        lang=lang,
        include_drafts=include_drafts,
        created_at__gte=timezone.now() - REUSE_WINDOW,
    ).order_by("-created_at")
    states = [JobState.PENDIENTE, JobState.EN_PROCESO] + ([JobState.LISTO] if reusable else [])
    published_at = (
        Cut.objects.filter(plan=plan, date=cut_date).values_list("published_at", flat=True).first()
    )
    if published_at is not None:  # a file rendered before a correction's edition is stale
        recent = recent.filter(created_at__gte=published_at)
    for job in recent.filter(state__in=states)[:1]:
        if job.state != JobState.LISTO or job.is_ready:
            return job
    job = ReportJob.objects.create(
        plan=plan,
        cut_date=cut_date,
        format=fmt,
        lang=lang,
        include_drafts=include_drafts,
        message=QUEUED_MESSAGE,
    )
    from cascada.reports.tasks import render_report_job  # here: the task module imports this one

    result = render_report_job.enqueue(str(job.pk))
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def run_job(job_id: UUID | str) -> None:
    """Render the report of job ``job_id`` (the background task's body). A job already
    finished is left as it is (a task run twice renders once)."""
    job = ReportJob.objects.select_related("plan").filter(pk=job_id).first()
    if job is None:
        logger.warning("Informe %s: el trabajo ya no existe.", job_id)
        return
    if job.is_finished:
        return
    jobs = ReportJob.objects.filter(pk=job.pk)
    jobs.update(state=JobState.EN_PROCESO, started_at=timezone.now(), progress=0)

    def progress(percent: int, message: str) -> None:
        jobs.update(progress=max(0, min(100, percent)), message=message[:MESSAGE_LENGTH])

    try:
        content, content_type, filename = render_report(
            plan_code=job.plan.code,
            cut_date=job.cut_date,
            fmt=job.format,
            lang="en" if job.lang == "en" else "es",
            progress=progress,
            include_drafts=job.include_drafts,
        )
        job.file.save(filename, ContentFile(content), save=False)
    except ReportNotFound as error:
        _fail(job, str(error))
        return
    except Exception:
        logger.exception("Informe %s: falló la generación.", job.pk)
        _fail(job, INTERNAL_ERROR)
        raise
    jobs.update(
        state=JobState.LISTO,
        progress=100,
        message=DONE,
        file=job.file.name,
        filename=filename,
        content_type=content_type,
        size=len(content),
        finished_at=timezone.now(),
    )


def _fail(job: ReportJob, message: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        state=JobState.FALLIDO,
        message=f"No se pudo generar el informe. {message}"[:MESSAGE_LENGTH],
        finished_at=timezone.now(),
    )

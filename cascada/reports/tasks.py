"""Background tasks of the reports (django-tasks; ``cascada db_worker`` runs them)."""

from __future__ import annotations

from django_tasks import task

from cascada.reports.jobs import run_job


@task()
def render_report_job(job_id: str) -> None:
    """Render the report of the ``ReportJob`` ``job_id`` (see ``cascada.reports.jobs``)."""
    run_job(job_id)

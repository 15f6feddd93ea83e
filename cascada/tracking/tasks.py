"""Background tasks of the follow-up (django-tasks; ``cascada db_worker`` runs them)."""

from __future__ import annotations

from django_tasks import task

from cascada.tracking.reminders import send_reminders


@task()
def send_reminders_task(cut_id: int, kind: str) -> int:
    """Send the reminders of ``kind`` (apertura, vencimiento) for cut ``cut_id``."""
    return send_reminders(cut_id=cut_id, kind=kind)

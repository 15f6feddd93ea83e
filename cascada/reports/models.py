"""Reports rendered in the background: one ``ReportJob`` per request of a large plan's report,
with its progress for the page that waits for it and, when done, the file."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cascada.plans.models import Plan


class JobState(models.TextChoices):
    PENDIENTE = "pendiente", _("Pendiente")
    EN_PROCESO = "en_proceso", _("En proceso")
    LISTO = "listo", _("Listo")
    FALLIDO = "fallido", _("Fallido")


FINISHED_STATES = (JobState.LISTO, JobState.FALLIDO)


class ReportJob(models.Model):
    """The report of ``plan`` at ``cut_date`` in ``format`` and ``lang``, rendered by a task.
    ``include_drafts``: rendered for staff (draft cuts and their data may appear); such a job
    is shown to staff users only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="report_jobs", verbose_name=_("plan")
    )
    cut_date = models.DateField(_("fecha de corte"))
    format = models.CharField(_("formato"), max_length=10)
    lang = models.CharField(_("idioma"), max_length=5, default="es")
    include_drafts = models.BooleanField(_("incluye borradores"), default=False)
    state = models.CharField(
        _("estado"), max_length=20, choices=JobState.choices, default=JobState.PENDIENTE
    )
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    message = models.CharField(_("mensaje"), max_length=500, blank=True)
    file = models.FileField(_("archivo"), upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(_("nombre del archivo"), max_length=200, blank=True)
    content_type = models.CharField(_("tipo de contenido"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), null=True, blank=True)
    task_id = models.CharField(_("tarea"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    started_at = models.DateTimeField(_("iniciado el"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("informe en segundo plano")
        verbose_name_plural = _("informes en segundo plano")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["plan", "cut_date", "format", "lang", "include_drafts", "created_at"],
                name="report_job_reuse",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=JobState.values), name="report_job_state_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_job_progress_pct"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.cut_date.isoformat()} · {self.format} · {self.state}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def is_ready(self) -> bool:
        return self.state == JobState.LISTO and bool(self.file)

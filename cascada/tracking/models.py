"""Follow-up: cuts, the programming and progress reported at each, the results computed from
them, and the audit log of every change (DESIGN §1, §5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cascada.engine.model import Status
from cascada.plans.models import AMOUNT_DIGITS, AMOUNT_PLACES, Indicator, Objective, Plan

RESULT_DIGITS, RESULT_PLACES = 40, 12  # unrounded percent points


class CutState(models.TextChoices):
    ABIERTO = "abierto", _("Abierto")
    EN_REVISION = "en_revision", _("En revisión")
    PUBLICADO = "publicado", _("Publicado")


class Cut(models.Model):
    """A follow-up date (31 mar, 30 jun, … or monthly); its vigencia is its year."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="cuts", verbose_name=_("plan"))
    date = models.DateField(_("fecha de corte"))
    state = models.CharField(
        _("estado"), max_length=20, choices=CutState.choices, default=CutState.ABIERTO
    )
    deadline = models.DateField(_("fecha límite de reporte"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("corte")
        verbose_name_plural = _("cortes")
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="cut_date_unique_per_plan"),
            models.CheckConstraint(condition=Q(state__in=CutState.values), name="cut_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} · {self.date.isoformat()}"

    @property
    def vigencia(self) -> int:
        return self.date.year

    @property
    def is_published(self) -> bool:
        return self.state == CutState.PUBLICADO


class CutTarget(models.Model):
    """Programación al corte: set by the planning office as part of the formulation."""

    cut = models.ForeignKey(Cut, models.CASCADE, related_name="targets", verbose_name=_("corte"))
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="cut_targets", verbose_name=_("indicador")
    )
    programmed = models.DecimalField(
        _("programado al corte"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("programación al corte")
        verbose_name_plural = _("programación al corte")
        constraints = [
            models.UniqueConstraint(fields=["cut", "indicator"], name="cut_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cut} · {self.indicator.code}"


class ProgressReport(models.Model):
    """Reporte de avance: what the entity executed at the cut, and why."""

    cut = models.ForeignKey(Cut, models.CASCADE, related_name="reports", verbose_name=_("corte"))
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="reports", verbose_name=_("indicador")
    )
    executed = models.DecimalField(
        _("ejecutado al corte"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )
    analysis = models.TextField(_("análisis cualitativo"), blank=True)
    evidence = models.JSONField(_("enlaces de evidencia"), default=list, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reportado por"),
    )
    reported_at = models.DateTimeField(_("reportado el"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versión"), default=1)  # optimistic locking

    class Meta:
        verbose_name = _("reporte de avance")
        verbose_name_plural = _("reportes de avance")
        constraints = [
            models.UniqueConstraint(fields=["cut", "indicator"], name="report_unique_per_cut"),
        ]

    def __str__(self) -> str:
        return f"{self.cut} · {self.indicator.code}"


class AuditEvent(models.Model):
    """Who changed what, when, from what to what, and why; written in the same transaction as
    the change it records."""

    at = models.DateTimeField(_("fecha"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("usuario"),
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)  # e.g. "cli"
    plan = models.ForeignKey(
        Plan, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("plan")
    )
    action = models.CharField(_("acción"), max_length=50)
    target = models.CharField(_("objeto"), max_length=200, blank=True)
    before = models.JSONField(_("antes"), null=True, blank=True)
    after = models.JSONField(_("después"), null=True, blank=True)
    reason = models.TextField(_("motivo"), blank=True)

    class Meta:
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("auditoría")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.action} · {self.target}"


# --- results computed by the engine, stored per cut and recomputed when inputs change -----


class PlanCutResult(models.Model):
    cut = models.OneToOneField(Cut, models.CASCADE, related_name="result")
    compliance = models.DecimalField(
        max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True
    )
    year = models.DecimalField(max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True)
    four_year = models.DecimalField(
        max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True
    )
    semaforo = models.CharField(max_length=30, blank=True)
    explanation = models.JSONField(default=dict)  # terms of the three rollups
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resultado del plan")
        verbose_name_plural = _("resultados del plan")

    def __str__(self) -> str:
        return str(self.cut)


class ObjectiveCutResult(models.Model):
    cut = models.ForeignKey(Cut, models.CASCADE, related_name="objective_results")
    objective = models.ForeignKey(Objective, models.CASCADE, related_name="results")
    compliance = models.DecimalField(
        max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True
    )
    year = models.DecimalField(max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True)
    four_year = models.DecimalField(
        max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True
    )
    semaforo = models.CharField(max_length=30, blank=True)
    weight = models.DecimalField(max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True)
    explanation = models.JSONField(default=dict)  # terms of the three rollups

    class Meta:
        verbose_name = _("resultado de objetivo")
        verbose_name_plural = _("resultados de objetivos")
        constraints = [
            models.UniqueConstraint(fields=["cut", "objective"], name="objective_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cut} · {self.objective.code}"


class IndicatorCutResult(models.Model):
    cut = models.ForeignKey(Cut, models.CASCADE, related_name="indicator_results")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="results")
    status = models.CharField(max_length=30, choices=[(s.value, s.value) for s in Status])
    programmed = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True
    )
    executed = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True
    )
    annual_target = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True
    )
    baseline = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True
    )
    progress_cut = models.DecimalField(
        max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True
    )
    progress_year = models.DecimalField(
        max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True
    )
    progress_4y = models.DecimalField(
        max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True
    )
    weight = models.DecimalField(max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True)
    effective_weight = models.DecimalField(
        max_digits=RESULT_DIGITS, decimal_places=RESULT_PLACES, null=True
    )
    semaforo = models.CharField(max_length=30, blank=True)
    alerts = models.JSONField(default=list)

    class Meta:
        verbose_name = _("resultado de indicador")
        verbose_name_plural = _("resultados de indicadores")
        constraints = [
            models.UniqueConstraint(fields=["cut", "indicator"], name="indicator_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cut} · {self.indicator.code}"

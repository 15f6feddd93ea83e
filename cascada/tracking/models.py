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
    # The number of the latest published edition (0: never published). While a correction is
    # under way the cut is `abierto` or `en_revision` again and this still names the edition the
    # public reads; publishing the correction stores edition ``edition + 1``.
    edition = models.PositiveIntegerField(_("edición vigente"), default=0)
    correction_reason = models.TextField(_("motivo de la corrección en curso"), blank=True)

    class Meta:
        verbose_name = _("corte")
        verbose_name_plural = _("cortes")
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="cut_date_unique_per_plan"),
            models.CheckConstraint(condition=Q(state__in=CutState.values), name="cut_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=CutState.PUBLICADO) | Q(edition__gte=1),
                name="cut_published_has_edition",
            ),
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


class ReportState(models.TextChoices):
    BORRADOR = "borrador", _("Borrador")
    ENVIADO = "enviado", _("Enviado")
    DEVUELTO = "devuelto", _("Devuelto")
    APROBADO = "aprobado", _("Aprobado")


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
    state = models.CharField(
        _("estado"), max_length=20, choices=ReportState.choices, default=ReportState.BORRADOR
    )
    submitted_at = models.DateTimeField(_("enviado el"), null=True, blank=True)
    # Only where the plan lets entities propose programming (Plan.reporters_propose_programming);
    # the planning office's CutTarget stays the figure the engine uses until it accepts this.
    proposed_programmed = models.DecimalField(
        _("programación propuesta"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("reporte de avance")
        verbose_name_plural = _("reportes de avance")
        constraints = [
            models.UniqueConstraint(fields=["cut", "indicator"], name="report_unique_per_cut"),
            models.CheckConstraint(
                condition=Q(state__in=ReportState.values), name="report_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cut} · {self.indicator.code}"


class CommentKind(models.TextChoices):
    COMENTARIO = "comentario", _("Comentario")
    ENVIADO = "enviado", _("Enviado a revisión")
    DEVUELTO = "devuelto", _("Devuelto")
    APROBADO = "aprobado", _("Aprobado")


class ReportComment(models.Model):
    """One message of a report's review thread (the reporter and the reviewers)."""

    report = models.ForeignKey(
        ProgressReport, models.CASCADE, related_name="comments", verbose_name=_("reporte")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("autor"),
    )
    at = models.DateTimeField(_("fecha"), auto_now_add=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=CommentKind.choices)
    text = models.TextField(_("comentario"), blank=True)

    class Meta:
        verbose_name = _("comentario de revisión")
        verbose_name_plural = _("comentarios de revisión")
        ordering = ["report", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CommentKind.values), name="comment_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.kind}"


class AlertOverride(models.Model):
    """A reviewer's written decision that an open data-quality alert does not block publishing."""

    cut = models.ForeignKey(
        Cut, models.CASCADE, related_name="alert_overrides", verbose_name=_("corte")
    )
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="+", verbose_name=_("indicador")
    )
    alert = models.CharField(_("alerta"), max_length=50)
    reason = models.TextField(_("motivo"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decidido por"),
    )
    at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("excepción de alerta")
        verbose_name_plural = _("excepciones de alertas")
        constraints = [
            models.UniqueConstraint(
                fields=["cut", "indicator", "alert"], name="alert_override_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="alert_override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.cut} · {self.indicator.code} · {self.alert}"


class CutEdition(models.Model):
    """An immutable published edition of a cut: its inputs and every computed result at the
    moment of publication (DESIGN §5). A database trigger refuses any UPDATE of a row."""

    cut = models.ForeignKey(Cut, models.CASCADE, related_name="editions", verbose_name=_("corte"))
    number = models.PositiveIntegerField(_("edición"))
    published_at = models.DateTimeField(_("publicada el"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicada por"),
    )
    published_by_label = models.CharField(_("publicada por (texto)"), max_length=150, blank=True)
    reason = models.TextField(_("motivo"), blank=True)  # mandatory from edition 2 on
    inputs = models.JSONField(_("insumos"))  # formulation, programming and reports
    results = models.JSONField(_("resultados"))  # plan, objectives and indicators

    class Meta:
        verbose_name = _("edición publicada")
        verbose_name_plural = _("ediciones publicadas")
        ordering = ["cut", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cut", "number"], name="edition_unique_per_cut"),
            models.CheckConstraint(condition=Q(number__gte=1), name="edition_number_positive"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cut} · ed. {self.number}"


class FormulationChange(models.Model):
    """A formal change to the formulation of a vigencia (an annual target or a weight): the act
    that adopts it, its date and reason, with the values before and after."""

    class Kind(models.TextChoices):
        META_ANUAL = "meta_anual", _("Meta anual")
        PONDERACION = "ponderacion", _("Ponderación")

    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="formulation_changes", verbose_name=_("plan")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    vigencia = models.PositiveSmallIntegerField(_("vigencia"))
    act = models.CharField(_("acto administrativo"), max_length=300)
    act_date = models.DateField(_("fecha del acto"))
    reason = models.TextField(_("motivo"))
    before = models.JSONField(_("antes"))
    after = models.JSONField(_("después"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    at = models.DateTimeField(_("registrado el"), auto_now_add=True)

    class Meta:
        verbose_name = _("cambio de formulación")
        verbose_name_plural = _("cambios de formulación")
        ordering = ["plan", "-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(act=""), name="formulation_change_has_act"),
            models.CheckConstraint(condition=~Q(reason=""), name="formulation_change_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} · {self.kind} · {self.vigencia}"


class ReminderKind(models.TextChoices):
    APERTURA = "apertura", _("Apertura del corte")
    VENCIMIENTO = "vencimiento", _("Próximo vencimiento")


class ReminderSent(models.Model):
    """One reminder e-mail sent, so the task never sends the same one twice."""

    cut = models.ForeignKey(Cut, models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    pending = models.PositiveIntegerField()  # indicators pending when it was sent
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recordatorio enviado")
        verbose_name_plural = _("recordatorios enviados")
        constraints = [
            models.UniqueConstraint(fields=["cut", "user", "kind"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cut} · {self.kind}"


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
        indexes = [
            models.Index(fields=["plan", "-at"], name="audit_plan_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
            # The latest event of a plan in one index probe: the public page cache's fingerprint
            # (cascada/web/pagecache.py); ids, unlike ``at``, never go back between servers.
            models.Index(fields=["plan", "-id"], name="audit_plan_id"),
            # …and the latest admin change to what plans share (sectors, entities, development
            # plans), leaving out sign-ins and tokens, which change no page.
            models.Index(
                fields=["-id"],
                name="audit_shared_admin_id",
                condition=Q(plan__isnull=True, action__startswith="admin:"),
            ),
        ]

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

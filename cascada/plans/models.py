"""The formulation of a Plan Estratégico Sectorial (DESIGN §1): the cascade from the development
plan down to indicators, their annual targets and the weights of each vigencia.

Models hold data and database integrity only; what changes them lives in ``services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cascada.engine.model import Accumulation, GoalKind, Level

# Values in the indicator's own unit, and percent points (weights, caps, thresholds).
AMOUNT_DIGITS, AMOUNT_PLACES = 24, 6
PERCENT_DIGITS, PERCENT_PLACES = 9, 4


class DevelopmentPlan(models.Model):
    name = models.TextField(_("nombre"), unique=True)

    class Meta:
        verbose_name = _("plan de desarrollo")
        verbose_name_plural = _("planes de desarrollo")

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    name = models.TextField(_("nombre"), unique=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectores")

    def __str__(self) -> str:
        return self.name


class Entity(models.Model):
    """An entity of a sector: the head (entidad cabeza) or an attached one (adscrita/vinculada)."""

    name = models.TextField(_("nombre"), unique=True)
    sector = models.ForeignKey(
        Sector,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="entities",
        verbose_name=_("sector"),
    )

    class Meta:
        verbose_name = _("entidad")
        verbose_name_plural = _("entidades")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    code = models.CharField(_("código"), max_length=50, unique=True)
    name = models.TextField(_("nombre"))
    sector = models.ForeignKey(
        Sector, models.PROTECT, related_name="plans", verbose_name=_("sector")
    )
    head_entity = models.ForeignKey(
        Entity,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="headed_plans",
        verbose_name=_("entidad cabeza de sector"),
    )
    development_plan = models.ForeignKey(
        DevelopmentPlan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("plan de desarrollo"),
    )
    first_vigencia = models.PositiveSmallIntegerField(_("vigencia inicial"))
    last_vigencia = models.PositiveSmallIntegerField(_("vigencia final"))
    mission = models.TextField(_("misión"), blank=True)
    vision = models.TextField(_("visión"), blank=True)
    adopting_act = models.TextField(_("acto de adopción"), blank=True)
    legal_basis = models.TextField(_("base legal"), blank=True)
    source = models.TextField(_("fuente"), blank=True)
    cap = models.DecimalField(
        _("tope por indicador (%)"),
        max_digits=PERCENT_DIGITS,
        decimal_places=PERCENT_PLACES,
        null=True,
        blank=True,
        help_text=_(
            "Limita el valor de cada indicador dentro de los consolidados; vacío = sin tope."
        ),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        help_text=_("Aparece en la portada y el encabezado de los informes."),
    )
    secondary_logo = models.ImageField(
        _("logo secundario"),
        upload_to="logos/",
        blank=True,
        help_text=_("Por ejemplo, el de la alcaldía, al otro lado del encabezado."),
    )
    # DESIGN §5: programming is the planning office's, unless the plan lets entities propose it.
    reporters_propose_programming = models.BooleanField(
        _("las entidades pueden proponer la programación"), default=False
    )
    overexecution_threshold = models.DecimalField(
        _("umbral de sobreejecución (%)"),
        max_digits=PERCENT_DIGITS,
        decimal_places=PERCENT_PLACES,
        default=Decimal(100),
    )

    class Meta:
        verbose_name = _("plan estratégico sectorial")
        verbose_name_plural = _("planes estratégicos sectoriales")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_vigencia__lte=F("last_vigencia")),
                name="plan_vigencias_ordered",
                violation_error_message=_("La vigencia inicial no puede ser posterior a la final."),
            ),
            models.CheckConstraint(
                condition=Q(first_vigencia__gte=1900, last_vigencia__lte=2200),
                name="plan_vigencias_plausible",
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gt=0), name="plan_cap_positive"
            ),
            models.CheckConstraint(
                condition=Q(overexecution_threshold__gte=100), name="plan_threshold_at_least_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def vigencias(self) -> range:
        return range(self.first_vigencia, self.last_vigencia + 1)


class SemaforoBand(models.Model):
    """One colour of the plan's semáforo, from ``lower`` upwards (DESIGN §2). A plan with no
    bands uses the default ones (rojo < 70, amarillo < 95, verde ≤ umbral, azul > umbral)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="bands", verbose_name=_("plan"))
    color = models.CharField(_("color"), max_length=30)
    lower = models.DecimalField(
        _("desde (%)"),
        max_digits=PERCENT_DIGITS,
        decimal_places=PERCENT_PLACES,
        null=True,
        blank=True,
    )
    inclusive = models.BooleanField(_("incluye el límite"), default=True)

    class Meta:
        verbose_name = _("franja del semáforo")
        verbose_name_plural = _("franjas del semáforo")
        ordering = ["plan", "lower"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "color"], name="band_color_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return self.color


class Objective(models.Model):
    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="objectives", verbose_name=_("plan")
    )
    code = models.CharField(_("código"), max_length=50)
    name = models.TextField(_("nombre"))
    order = models.PositiveIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("objetivo sectorial")
        verbose_name_plural = _("objetivos sectoriales")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="objective_code_unique_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name[:60]}"


class Goal(models.Model):
    """A meta: its code is text ("127-2057" = PDD goal 127 / project goal 2057, "Actividad 3")."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="goals", verbose_name=_("plan"))
    objective = models.ForeignKey(
        Objective, models.CASCADE, related_name="goals", verbose_name=_("objetivo")
    )
    code = models.CharField(_("código"), max_length=50)
    kind = models.CharField(
        _("tipo"),
        max_length=30,
        choices=[
            (GoalKind.SECTORIAL, _("Meta sectorial")),
            (GoalKind.ESTRATEGICA, _("Meta estratégica")),
            (GoalKind.PROYECTO_INVERSION, _("Meta de proyecto de inversión")),
            (GoalKind.ACTIVIDAD, _("Actividad")),
        ],
    )
    name = models.TextField(_("nombre"))
    responsible_entity = models.ForeignKey(
        Entity,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("entidad responsable"),
    )
    order = models.PositiveIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("meta")
        verbose_name_plural = _("metas")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="goal_code_unique_per_plan"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in GoalKind]), name="goal_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name[:60]}"


class Indicator(models.Model):
    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="indicators", verbose_name=_("plan")
    )
    goal = models.ForeignKey(
        Goal, models.CASCADE, related_name="indicators", verbose_name=_("meta")
    )
    code = models.CharField(_("código"), max_length=50)
    name = models.TextField(_("nombre"))
    unit = models.TextField(_("unidad"), blank=True)
    accumulation = models.CharField(
        _("tipo de anualización"),
        max_length=20,
        choices=[
            (Accumulation.SUMA, _("Suma")),
            (Accumulation.CONSTANTE, _("Constante")),
            (Accumulation.CRECIENTE, _("Creciente")),
            (Accumulation.DECRECIENTE, _("Decreciente")),
        ],
    )
    baseline = models.DecimalField(
        _("línea base"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )
    target_4y = models.DecimalField(
        _("meta cuatrienio"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )
    order = models.PositiveIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_per_plan"),
            models.CheckConstraint(
                condition=Q(accumulation__in=[a.value for a in Accumulation]),
                name="indicator_accumulation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name[:60]}"


class AnnualTarget(models.Model):
    """Meta de la vigencia; absent = the indicator is not in force that year."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="annual_targets", verbose_name=_("indicador")
    )
    vigencia = models.PositiveSmallIntegerField(_("vigencia"))
    target = models.DecimalField(
        _("meta de la vigencia"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES
    )
    baseline = models.DecimalField(
        _("línea base de la vigencia"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("programación anual")
        verbose_name_plural = _("programación anual")
        ordering = ["indicator", "vigencia"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "vigencia"], name="annual_target_unique_per_vigencia"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.vigencia}"


class Weight(models.Model):
    """Ponderación of one indicator (within its objective) or one objective (within the plan)
    for one vigencia, in percent points."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="weights", verbose_name=_("plan"))
    level = models.CharField(
        _("nivel"),
        max_length=20,
        choices=[(Level.INDICADOR, _("Indicador")), (Level.OBJETIVO, _("Objetivo"))],
    )
    vigencia = models.PositiveSmallIntegerField(_("vigencia"))
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, null=True, blank=True, related_name="weights"
    )
    objective = models.ForeignKey(
        Objective, models.CASCADE, null=True, blank=True, related_name="weights"
    )
    weight = models.DecimalField(
        _("peso (%)"), max_digits=PERCENT_DIGITS, decimal_places=PERCENT_PLACES
    )

    class Meta:
        verbose_name = _("ponderación")
        verbose_name_plural = _("ponderaciones")
        ordering = ["plan", "vigencia", "level", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100),
                name="weight_between_0_and_100",
                violation_error_message=_("Un peso está entre 0 y 100."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(level=Level.INDICADOR, indicator__isnull=False, objective__isnull=True)
                    | Q(level=Level.OBJETIVO, objective__isnull=False, indicator__isnull=True)
                ),
                name="weight_target_matches_level",
            ),
            models.UniqueConstraint(
                fields=["vigencia", "indicator"],
                condition=Q(indicator__isnull=False),
                name="weight_unique_per_indicator_vigencia",
            ),
            models.UniqueConstraint(
                fields=["vigencia", "objective"],
                condition=Q(objective__isnull=False),
                name="weight_unique_per_objective_vigencia",
            ),
        ]

    def __str__(self) -> str:
        target = self.indicator or self.objective
        return f"{self.vigencia} · {target} · {self.weight}"

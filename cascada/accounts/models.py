"""Roles as data: what a user may do in a plan is the ``Membership`` rows that link them to it.

The rules that read these rows live in ``policy``; the audited ways to change them live in
``cascada.tracking.roles`` (the audit log is in that layer).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cascada.plans.models import Entity, Plan


class Role(models.TextChoices):
    ADMINISTRADOR = "administrador", _("Administrador del plan (oficina de planeación)")
    REVISOR = "revisor", _("Revisor")
    REPORTANTE = "reportante", _("Reportante de entidad")
    ANALISTA = "analista", _("Analista (solo lectura)")


class Membership(models.Model):
    """A user's role in a plan. A reporter reports for one entity (the indicators of the goals
    that entity is responsible for); the other roles cover the whole plan and name no entity."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("usuario"),
    )
    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="memberships", verbose_name=_("plan")
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    entity = models.ForeignKey(
        Entity,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("entidad"),
        help_text=_("Solo para el rol reportante: la entidad por la que reporta."),
    )

    class Meta:
        verbose_name = _("rol en un plan")
        verbose_name_plural = _("roles en los planes")
        ordering = ["plan", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan", "role"],
                name="membership_role_unique_per_user_plan",
                violation_error_message=_("El usuario ya tiene ese rol en el plan."),
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=(
                    Q(role=Role.REPORTANTE, entity__isnull=False)
                    | (~Q(role=Role.REPORTANTE) & Q(entity__isnull=True))
                ),
                name="membership_entity_iff_reporter",
                violation_error_message=_(
                    "El rol reportante exige una entidad; los demás roles no llevan entidad."
                ),
            ),
        ]

    def __str__(self) -> str:
        text = f"{self.user} · {self.plan.code} · {self.get_role_display()}"
        return f"{text} · {self.entity}" if self.entity_id else text

"""The admin, in Spanish: every model, usable for setting a plan up by hand. Saves and deletes
are audited and recompute the plan's open cuts (``audited.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest

from cascada.accounts import policy
from cascada.accounts.models import Membership, Role
from cascada.backoffice.audited import AuditedAdmin, AuditedInline, ReadOnlyAdmin
from cascada.backoffice.users import AuditedUserAdmin
from cascada.plans.models import (
    AnnualTarget,
    DevelopmentPlan,
    Entity,
    Goal,
    Indicator,
    Objective,
    Plan,
    Sector,
    SemaforoBand,
    Weight,
)
from cascada.tracking.models import (
    AlertOverride,
    AuditEvent,
    Cut,
    CutEdition,
    CutTarget,
    FormulationChange,
    IndicatorCutResult,
    ObjectiveCutResult,
    PlanCutResult,
    ProgressReport,
    ReminderSent,
    ReportComment,
)
from cascada.tracking.roles import grant_role

admin.site.site_header = "cascada · administración"
admin.site.site_title = "cascada"
admin.site.index_title = "Planes y seguimiento"

# User accounts: Django's admin, audited (``users.py``).
if admin.site.is_registered(get_user_model()):
    admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AuditedUserAdmin)


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(AuditedAdmin):
    search_fields = ["name"]


@admin.register(Sector)
class SectorAdmin(AuditedAdmin):
    search_fields = ["name"]


@admin.register(Entity)
class EntityAdmin(AuditedAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "plan", "role", "entity"]
    list_filter = ["plan", "role"]
    search_fields = ["user__username", "plan__code", "entity__name"]
    autocomplete_fields = ["plan", "entity"]
    raw_id_fields = ["user"]


class SemaforoBandInline(AuditedInline):
    model = SemaforoBand
    extra = 0


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["code", "name", "sector", "first_vigencia", "last_vigencia"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["sector", "head_entity", "development_plan"]
    inlines = [SemaforoBandInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "sector", "head_entity", "development_plan"]}),
        (
            "Vigencias y método",
            {"fields": ["first_vigencia", "last_vigencia", "cap", "overexecution_threshold"]},
        ),
        (
            "Plataforma estratégica",
            {"fields": ["mission", "vision", "adopting_act", "legal_basis", "source"]},
        ),
        ("Identidad de los informes", {"fields": ["logo", "secondary_logo"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Plan, form: Any, change: bool) -> None:
        """Whoever creates a plan (without being a superuser) administers it."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not change and not policy.is_superuser(request.user):
                grant_role(
                    user=request.user,  # type: ignore[arg-type]
                    plan=obj,
                    role=Role.ADMINISTRADOR,
                    actor=request.user,
                    reason="Creó el plan en la administración.",
                )


@admin.register(Objective)
class ObjectiveAdmin(AuditedAdmin):
    list_display = ["code", "name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["plan"]


@admin.register(Goal)
class GoalAdmin(AuditedAdmin):
    list_display = ["code", "kind", "name", "objective", "responsible_entity"]
    list_filter = ["plan", "kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["plan", "objective", "responsible_entity"]


class AnnualTargetInline(AuditedInline):
    model = AnnualTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["code", "name", "accumulation", "unit", "goal"]
    list_filter = ["plan", "accumulation"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["plan", "goal"]
    inlines = [AnnualTargetInline]


@admin.register(Weight)
class WeightAdmin(AuditedAdmin):
    list_display = ["plan", "vigencia", "level", "indicator", "objective", "weight"]
    list_filter = ["plan", "vigencia", "level"]
    autocomplete_fields = ["plan", "indicator", "objective"]


class CutTargetInline(AuditedInline):
    model = CutTarget
    extra = 0
    autocomplete_fields = ["indicator"]


class ProgressReportInline(AuditedInline):
    model = ProgressReport
    extra = 0
    autocomplete_fields = ["indicator"]
    fields = ["indicator", "executed", "analysis", "evidence", "reported_by", "reported_at"]
    readonly_fields = ["reported_by", "reported_at"]


@admin.register(Cut)
class CutAdmin(AuditedAdmin):
    list_display = ["plan", "date", "state", "deadline", "published_at"]
    search_fields = ["plan__code", "date"]
    list_filter = ["plan", "state"]
    date_hierarchy = "date"
    autocomplete_fields = ["plan"]
    # changed only through the workflow
    readonly_fields = ["state", "edition", "correction_reason", "published_at"]
    inlines = [CutTargetInline, ProgressReportInline]


@admin.register(CutTarget)
class CutTargetAdmin(AuditedAdmin):
    list_display = ["cut", "indicator", "programmed"]
    list_filter = ["cut__plan", "cut__date"]
    autocomplete_fields = ["cut", "indicator"]


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedAdmin):
    list_display = ["cut", "indicator", "executed", "reported_at"]
    list_filter = ["cut__plan", "cut__date"]
    search_fields = ["indicator__code", "indicator__name", "analysis"]
    autocomplete_fields = ["cut", "indicator"]
    readonly_fields = ["reported_by", "reported_at", "version", "state", "submitted_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "target", "plan"]
    list_filter = ["action", "plan"]
    search_fields = ["target", "reason", "actor_label"]


@admin.register(PlanCutResult)
class PlanCutResultAdmin(ReadOnlyAdmin):
    list_display = ["cut", "compliance", "year", "four_year", "semaforo"]


@admin.register(ObjectiveCutResult)
class ObjectiveCutResultAdmin(ReadOnlyAdmin):
    list_display = ["cut", "objective", "compliance", "year", "four_year", "semaforo"]
    list_filter = ["cut__plan", "cut__date"]


@admin.register(IndicatorCutResult)
class IndicatorCutResultAdmin(ReadOnlyAdmin):
    list_display = ["cut", "indicator", "status", "progress_cut", "progress_year"]
    list_filter = ["cut__plan", "cut__date", "status"]


@admin.register(SemaforoBand)
class SemaforoBandAdmin(AuditedAdmin):
    list_display = ["plan", "color", "lower", "inclusive"]
    list_filter = ["plan"]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(AuditedAdmin):
    list_display = ["indicator", "vigencia", "target", "baseline"]
    list_filter = ["indicator__plan", "vigencia"]
    autocomplete_fields = ["indicator"]


# Written only by the workflow's services (review, publication, formulation, reminders); the
# admin shows them so an administrator can read the record, never edit it.
@admin.register(CutEdition)
class CutEditionAdmin(ReadOnlyAdmin):
    list_display = ["cut", "number", "published_at", "published_by_label", "reason"]
    list_filter = ["cut__plan"]


@admin.register(ReportComment)
class ReportCommentAdmin(ReadOnlyAdmin):
    list_display = ["report", "kind", "author", "at"]
    list_filter = ["kind", "report__cut__plan"]


@admin.register(AlertOverride)
class AlertOverrideAdmin(ReadOnlyAdmin):
    list_display = ["cut", "indicator", "alert", "by", "at"]
    list_filter = ["cut__plan", "alert"]


@admin.register(FormulationChange)
class FormulationChangeAdmin(ReadOnlyAdmin):
    list_display = ["plan", "kind", "vigencia", "act", "act_date", "at"]
    list_filter = ["plan", "kind"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["cut", "user", "kind", "pending", "sent_at"]

"""Admin classes that keep the audit log and the stored results true.

Every save and delete through the admin writes an audit row (before, after, who) in the same
transaction and recomputes the plan's cuts that are not published. Rows of a published cut are
read-only here: a correction goes through a new edition (the workflow), never a silent edit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import model_to_dict
from django.http import HttpRequest

from cascada.plans.models import Plan
from cascada.tracking import audit
from cascada.tracking.models import Cut, CutState
from cascada.tracking.services import recompute_cut


def _plan_of(obj: models.Model) -> Plan | None:
    if isinstance(obj, Plan):
        return obj
    for path in ("plan", "cut", "indicator"):
        related = getattr(obj, path, None)
        if isinstance(related, Plan):
            return related
        if related is not None and path != "plan":
            return _plan_of(related)
    return None


def _published_cut(obj: models.Model | None) -> bool:
    cut = obj if isinstance(obj, Cut) else getattr(obj, "cut", None)
    return isinstance(cut, Cut) and cut.state == CutState.PUBLICADO


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return {k: str(v) if v is not None else None for k, v in model_to_dict(obj).items()}


def _after_change(plan: Plan | None) -> None:
    if plan is None or plan.pk is None:
        return
    for cut in Cut.objects.filter(plan=plan).exclude(state=CutState.PUBLICADO):
        recompute_cut(cut=cut)


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published_cut(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published_cut(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = _snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.record(
                action="admin:modificar" if change else "admin:crear",
                actor=request.user,
                plan=_plan_of(obj),
                target=f"{obj._meta.verbose_name}: {obj}",
                before=before,
                after=_snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            plan = _plan_of(obj) if not isinstance(obj, Plan) else None
            audit.record(
                action="admin:eliminar",
                actor=request.user,
                plan=plan,
                target=f"{obj._meta.verbose_name}: {obj}",
                before=_snapshot(obj),
            )
            super().delete_model(request, obj)
            _after_change(plan)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit.record(
                    action="admin:eliminar",
                    actor=request.user,
                    plan=_plan_of(obj),
                    target=f"{obj._meta.verbose_name}: {obj}",
                    before=_snapshot(obj),
                )
                obj.delete()
            for obj in instances:
                before = _snapshot(type(obj).objects.get(pk=obj.pk)) if obj.pk else None
                obj.save()
                audit.record(
                    action="admin:modificar" if before else "admin:crear",
                    actor=request.user,
                    plan=_plan_of(obj),
                    target=f"{obj._meta.verbose_name}: {obj}",
                    before=before,
                    after=_snapshot(obj),
                )
            formset.save_m2m()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            _after_change(_plan_of(form.instance))


class AuditedInline(admin.TabularInline):  # type: ignore[type-arg]
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published_cut(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published_cut(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published_cut(obj) and super().has_delete_permission(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """For what the system writes itself: the audit log and computed results."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

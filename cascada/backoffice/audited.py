"""Admin classes that keep the audit log and the stored results true, and let each user do in
the admin only what ``cascada.accounts.policy`` allows.

Every save and delete through the admin writes an audit row (before, after, who) in the same
transaction and recomputes the plan's cuts that are not published. Rows of a published cut are
read-only here: a correction goes through a new edition (the workflow), never a silent edit.

Access comes from the roles, not from Django's model permissions (the staff flag is still what
lets a user into the admin at all): a plan's rows are seen by those who may see its drafts and
changed by its administrators; sectors, entities and development plans follow
``policy.can_edit_shared``. Lists (and the autocomplete of foreign keys) show only the rows of
the plans the user may see; a row of another plan, asked for by its address, is refused (403).
Every save and delete checks the policy on the row as it is saved, so choosing a plan one does
not administer is refused (403) and rolled back with the rest of the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.forms import model_to_dict
from django.http import HttpRequest

from cascada.accounts import policy
from cascada.plans.models import DevelopmentPlan, Entity, Plan, Sector
from cascada.plans.text import MAX_TEXT_LENGTH, reject_control_characters
from cascada.tracking import audit
from cascada.tracking.models import Cut, CutState
from cascada.tracking.services import recompute_unpublished_cuts


def _plan_of(obj: models.Model) -> Plan | None:
    if isinstance(obj, Plan):
        return obj
    for path in ("plan", "cut", "indicator", "report"):
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
    recompute_unpublished_cuts(plan=plan)


SHARED = (Sector, Entity, DevelopmentPlan)


def _plan_lookup(model: type[models.Model]) -> str:
    """The path from a row of ``model`` to its plan, as in ``_plan_of``."""
    if model is Plan:
        return "pk"
    names = {field.name for field in model._meta.get_fields()}
    for path in ("plan", "cut", "indicator"):
        if path in names:
            return path if path == "plan" else f"{path}__plan"
    if "report" in names:
        return "report__cut__plan"
    raise TypeError(f"{model.__name__} has no plan")


def may_view(request: HttpRequest, obj: models.Model | None) -> bool:
    if not policy.can_use_admin(request.user):
        return False
    if obj is None or isinstance(obj, SHARED):
        return True
    return policy.can_view_drafts(request.user, _plan_of(obj))


def may_change(request: HttpRequest, obj: models.Model | None) -> bool:
    """Add (``obj`` is ``None``, or a new row), change or delete ``obj`` through the admin."""
    user = request.user
    if not policy.can_use_admin(user):
        return False
    if isinstance(obj, SHARED):
        return policy.can_edit_shared(user, obj)
    if obj is None or (isinstance(obj, Plan) and obj.pk is None):
        return policy.holds_any_role(user, policy.ADMINISTER)
    return policy.can_administer(user, _plan_of(obj))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class PolicyAdminMixin:
    """Permissions and visible rows from the policy; for ModelAdmin subclasses."""

    model: type[models.Model]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can_use_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_view(request, obj)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset: models.QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        if policy.is_superuser(request.user) or issubclass(self.model, SHARED):
            return queryset
        plans = policy.visible_plans(request.user).values("pk")
        return queryset.filter(**{f"{_plan_lookup(self.model)}__in": plans})

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        """A row the user may not see is refused (403), not reported missing."""
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            field = (
                self.model._meta.pk
                if from_field is None
                else self.model._meta.get_field(from_field)
            )
            try:
                exists = self.model._default_manager.filter(
                    **{field.name: field.to_python(object_id)}  # type: ignore[union-attr]
                ).exists()
            except (ValueError, TypeError, ValidationError):
                exists = False
            _require(not exists)
        return obj


class CleanTextMixin:
    """Text fields refuse control characters and text longer than an Excel cell
    (``cascada.plans.text``) with a message under the field, as the import and the API do."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: Any, **kwargs: Any
    ) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if isinstance(db_field, models.CharField | models.TextField) and formfield is not None:
            formfield.validators.append(reject_control_characters)
            if isinstance(db_field, models.TextField):
                formfield.validators.append(MaxLengthValidator(MAX_TEXT_LENGTH))
        return formfield


class AuditedAdmin(CleanTextMixin, PolicyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_change(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published_cut(obj) and may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if isinstance(obj, Plan) and not policy.can_delete_plan(request.user, obj):
            return False
        return not _published_cut(obj) and may_change(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:  # both the row as it was and as it will be
            _require(self.has_change_permission(request, type(obj).objects.get(pk=obj.pk)))
        _require(may_change(request, obj) and not _published_cut(obj))
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
        _require(self.has_delete_permission(request, obj))
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
            for obj in [*formset.deleted_objects, *instances]:
                _require(may_change(request, obj) and not _published_cut(obj))
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


class AuditedInline(CleanTextMixin, admin.TabularInline):  # type: ignore[type-arg]
    """Rows edited inside their parent's page: ``obj`` below is the parent."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_view(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published_cut(obj) and may_change(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published_cut(obj) and may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published_cut(obj) and may_change(request, obj)


class ReadOnlyAdmin(PolicyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """For what the system writes itself: the audit log and computed results."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

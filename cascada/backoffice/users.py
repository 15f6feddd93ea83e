"""User accounts in the admin, audited: Django's own ``UserAdmin`` with every add, change,
password change and delete written to the audit log in the same transaction (the admin's views
run in one). The record holds what an account is (name, e-mail, flags, groups, permissions and
whether it has a usable password), never a password hash. Only superusers manage accounts
(``policy.can_manage_users``); roles in a plan are ``Membership`` rows (``admin.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from cascada.accounts import policy
from cascada.tracking import audit

_BEFORE = "_cascada_user_before"  # the account as it was, kept on the request until it is saved


def user_state(user: Any) -> dict[str, Any]:
    """The account as recorded in the audit log (no password hash)."""
    saved = user.pk is not None
    return {
        "usuario": user.get_username(),
        "nombre": user.first_name,
        "apellido": user.last_name,
        "correo": user.email,
        "activo": user.is_active,
        "staff": user.is_staff,
        "superusuario": user.is_superuser,
        "grupos": sorted(g.name for g in user.groups.all()) if saved else [],
        "permisos": sorted(p.codename for p in user.user_permissions.all()) if saved else [],
        "contrasena_utilizable": user.has_usable_password(),
    }


def _target(user: AbstractBaseUser) -> str:
    return f"usuario: {user.get_username()}"


class AuditedUserAdmin(UserAdmin):  # type: ignore[type-arg]
    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can_manage_users(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_manage_users(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return policy.can_manage_users(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_manage_users(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_manage_users(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        stored = type(obj).objects.get(pk=obj.pk) if change else None
        setattr(request, _BEFORE, user_state(stored) if stored is not None else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """After the groups and permissions are saved: the record shows them as they are."""
        super().save_related(request, form, formsets, change)
        before = getattr(request, _BEFORE, None)
        after = user_state(form.instance)
        if change and before == after:
            return
        audit.record(
            action="usuario:modificar" if change else "usuario:crear",
            actor=request.user,
            target=_target(form.instance),
            before=before,
            after=after,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(
            action="usuario:eliminar",
            actor=request.user,
            target=_target(obj),
            before=user_state(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's view, with one audit row when the password (or its usability) changed."""
        with transaction.atomic():
            found = self.get_object(request, unquote(id))
            before = found.password if found is not None else None
            response = super().user_change_password(request, id, form_url)
            user = self.get_object(request, unquote(id)) if found is not None else None
            if user is not None and user.password != before:
                audit.record(
                    action="usuario:contrasena",
                    actor=request.user,
                    target=_target(user),
                    before=None,
                    after={
                        "contrasena": "cambiada",
                        "contrasena_utilizable": user.has_usable_password(),
                    },
                )
            return response

"""Giving and taking roles in a plan (``cascada.accounts``), each change written to the audit log
in the same transaction. Who may do it is ``policy.can_grant``; callers check it.

These live here, not in ``cascada.accounts``, because the audit log is in this layer.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from cascada.accounts.models import Membership, Role
from cascada.plans.models import Entity, Plan
from cascada.tracking import audit


class RoleError(ValueError):
    """A role that cannot be set as asked; the message is Spanish and says why."""


def _state(user: AbstractBaseUser, membership: Membership | None) -> dict[str, Any] | None:
    if membership is None:
        return None
    return {
        "usuario": user.get_username(),
        "plan": membership.plan.code,
        "rol": membership.role,
        "entidad": membership.entity.name if membership.entity is not None else None,
        "staff": bool(getattr(user, "is_staff", False)),
    }


def _check(role: Role, entity: Entity | None) -> None:
    if role == Role.REPORTANTE and entity is None:
        raise RoleError("El rol reportante exige una entidad: indíquela con --entity.")
    if role != Role.REPORTANTE and entity is not None:
        raise RoleError(
            f"El rol {role.value} no lleva entidad; la entidad solo se indica para el rol "
            "reportante."
        )


def grant_role(
    *,
    user: AbstractBaseUser,
    plan: Plan,
    role: Role,
    entity: Entity | None = None,
    staff: bool = False,
    actor: Any = None,
    actor_label: str = "",
    reason: str = "",
) -> bool:
    """Give ``user`` the ``role`` in ``plan`` (for a reporter, for ``entity``; a reporter who
    already had the role moves to ``entity``). ``staff`` also lets the user into the admin.
    Returns whether anything changed; only a change is audited."""
    _check(role, entity)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(user_id=user.pk, plan=plan, role=role)
            .first()
        )
        was_staff = bool(getattr(user, "is_staff", False))
        before = _state(user, membership)
        if membership is None:
            membership = Membership.objects.create(
                user_id=user.pk, plan=plan, role=role, entity=entity
            )
        elif membership.entity_id != (entity.pk if entity is not None else None):
            membership.entity = entity
            membership.save(update_fields=["entity"])
        elif not staff or was_staff:
            return False
        if staff and not was_staff:
            user.is_staff = True  # type: ignore[attr-defined]
            user.save(update_fields=["is_staff"])
        audit.record(
            action="rol:asignar",
            actor=actor,
            actor_label=actor_label,
            plan=plan,
            target=f"{Membership._meta.verbose_name}: {membership}",
            before=before,
            after=_state(user, membership),
            reason=reason,
        )
        return True


def revoke_role(
    *,
    user: AbstractBaseUser,
    plan: Plan,
    role: Role,
    actor: Any = None,
    actor_label: str = "",
    reason: str = "",
) -> bool:
    """Take the ``role`` in ``plan`` from ``user``. Returns whether they had it."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(user_id=user.pk, plan=plan, role=role)
            .first()
        )
        if membership is None:
            return False
        audit.record(
            action="rol:quitar",
            actor=actor,
            actor_label=actor_label,
            plan=plan,
            target=f"{Membership._meta.verbose_name}: {membership}",
            before=_state(user, membership),
            reason=reason,
        )
        membership.delete()
        return True

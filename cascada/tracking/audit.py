"""The audit log: one row per change, written inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from cascada.plans.models import Plan
from cascada.tracking.models import AuditEvent


def record(
    *,
    action: str,
    actor: Any = None,  # a user; anonymous or None is recorded by label only
    actor_label: str = "",
    plan: Plan | None = None,
    target: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        actor=user,
        actor_label=actor_label or (user.get_username() if user is not None else ""),
        plan=plan,
        target=target[:200],
        before=before,
        after=after,
        reason=reason,
    )

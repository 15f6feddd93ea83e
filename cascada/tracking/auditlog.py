"""Reading the audit log: who may see which rows, the search, and a readable before/after diff.

Rows of a plan are read by its administrators and reviewers (``policy.can_read_audit``); rows
of no plan (users, shared rows such as sectors) by superusers only. Newest first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from cascada.accounts import policy
from cascada.tracking.models import AuditEvent


@dataclass(frozen=True)
class AuditSearch:
    """The filters of the audit log page; blank ones do not filter."""

    plan: str = ""  # plan code
    actor: str = ""  # part of the user name (or label, e.g. "cli")
    action: str = ""  # exact action, or its prefix ending in ":" ("formulacion:")
    text: str = ""  # part of the target or the reason
    since: date | None = None
    until: date | None = None


def visible_events(*, user: policy.Actor) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("plan", "actor").order_by("-at", "-id")
    if policy.is_superuser(user):
        return events
    return events.filter(plan__in=policy.audit_plans(user).values("pk"))


def search_events(*, user: policy.Actor, search: AuditSearch) -> QuerySet[AuditEvent]:
    events = visible_events(user=user)
    if search.plan:
        events = events.filter(plan__code=search.plan)
    if search.actor.strip():
        events = events.filter(actor_label__icontains=search.actor.strip())
    if search.action:
        if search.action.endswith(":"):
            events = events.filter(action__startswith=search.action)
        else:
            events = events.filter(action=search.action)
    if search.text.strip():
        text = search.text.strip()
        events = events.filter(Q(target__icontains=text) | Q(reason__icontains=text))
    if search.since is not None:
        events = events.filter(at__date__gte=search.since)
    if search.until is not None:
        events = events.filter(at__date__lte=search.until)
    return events


def known_actions(*, user: policy.Actor) -> list[str]:
    """The actions present in the rows the user may see, for the filter's choices."""
    return sorted(set(visible_events(user=user).order_by().values_list("action", flat=True)))


def as_text(value: Any) -> str:
    """A stored JSON value as one line of text (``None`` is blank)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class DiffLine:
    key: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def diff(before: Any, after: Any) -> list[DiffLine]:
    """Key by key when both sides are objects (a side that is absent counts as empty), else the
    two values whole. Unchanged keys are kept so the record reads in full."""
    if isinstance(before, dict | None) and isinstance(after, dict | None):
        left, right = before or {}, after or {}
        keys = list(dict.fromkeys([*left, *right]))
        return [DiffLine(k, as_text(left.get(k)), as_text(right.get(k))) for k in keys]
    return [DiffLine("", as_text(before), as_text(after))]

"""Who may do what: plain functions over the roles, the one place where access rules live.

Views, the admin and commands ask these functions; templates and signals never decide access.
Superusers may do everything. An inactive or anonymous user holds no role. Otherwise a user may
do what their roles in a plan (``Membership``) allow:

============== ================================ ======== ======================= ===========
role           administer the plan              review   report                  see drafts
============== ================================ ======== ======================= ===========
administrador  yes: formulation, imports,       yes      no                      yes
               admin, roles of the plan
revisor        no                               yes      no                      yes
reportante     no                               no       its entity's indicators no
analista       no                               no       no                      yes
============== ================================ ======== ======================= ===========

Administrators do not report through the API, but in ``/gestion/`` they may enter any report of
their plan on an entity's behalf (``can_enter_report``), as they may through an import.

The published cuts of every plan are public: anonymous visitors see them, and nothing here is
needed to read them. "Drafts" are the cuts that are not published.

Rows shared by every plan (sectors, entities, development plans) may be added by anyone who
administers some plan, and changed or deleted only by someone who administers every plan that
uses them.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from cascada.accounts.models import Membership, Role
from cascada.plans.models import DevelopmentPlan, Entity, Indicator, Plan, Sector

Actor = AbstractBaseUser | AnonymousUser
Shared = Sector | Entity | DevelopmentPlan

ADMINISTER = frozenset({Role.ADMINISTRADOR})
REVIEW = frozenset({Role.ADMINISTRADOR, Role.REVISOR})
VIEW_DRAFTS = frozenset({Role.ADMINISTRADOR, Role.REVISOR, Role.ANALISTA})


# ---------------------------------------------------------------------------------------------
# Who the user is


def is_active_user(user: Actor) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_superuser(user: Actor) -> bool:
    return is_active_user(user) and bool(getattr(user, "is_superuser", False))


def memberships(user: Actor) -> QuerySet[Membership]:
    """The user's roles (none for anonymous or inactive users)."""
    if not is_active_user(user) or user.pk is None:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk)


def roles(user: Actor, plan: Plan) -> frozenset[Role]:
    """The user's roles in ``plan`` (a superuser's too: being superuser is not a role)."""
    if plan.pk is None:
        return frozenset()
    return frozenset(
        Role(value) for value in memberships(user).filter(plan=plan).values_list("role", flat=True)
    )


def _holds(user: Actor, plan: Plan | None, wanted: frozenset[Role]) -> bool:
    if is_superuser(user):
        return True
    if plan is None or plan.pk is None:
        return False
    return memberships(user).filter(plan=plan, role__in=wanted).exists()


def _plans_where(user: Actor, wanted: frozenset[Role]) -> QuerySet[Plan]:
    if is_superuser(user):
        return Plan.objects.all()
    return Plan.objects.filter(pk__in=memberships(user).filter(role__in=wanted).values("plan_id"))


def holds_any_role(user: Actor, wanted: frozenset[Role] = frozenset(Role)) -> bool:
    """Whether the user holds one of ``wanted`` in some plan (a superuser always does)."""
    return is_superuser(user) or memberships(user).filter(role__in=wanted).exists()


# ---------------------------------------------------------------------------------------------
# Administering a plan: formulation, imports, the admin, the roles of the plan


def can_administer(user: Actor, plan: Plan | None) -> bool:
    """Change the plan's data (formulation, cuts, programming, reports through the admin or an
    import) and its roles. ``None`` (no plan yet) is for superusers only."""
    return _holds(user, plan, ADMINISTER)


def administered_plans(user: Actor) -> QuerySet[Plan]:
    return _plans_where(user, ADMINISTER)


def can_create_plan(user: Actor) -> bool:
    """A new plan (by import or in the admin): superusers and whoever administers some plan.
    The creator becomes an administrator of the new plan (``cascada.tracking.roles``)."""
    return holds_any_role(user, ADMINISTER)


def can_delete_plan(user: Actor, plan: Plan) -> bool:
    """Delete a whole plan with all its data: superusers only."""
    return is_superuser(user)


def can_import(user: Actor) -> bool:
    """Use the import pages at all; which plan a file may change is ``can_import_plan``."""
    return can_create_plan(user)


def can_import_plan(user: Actor, code: str) -> bool:
    """Import a file whose plan code is ``code``: the plan's administrators, or, for a code
    that is not a plan yet, whoever may create plans."""
    plan = Plan.objects.filter(code=code).first()
    return can_create_plan(user) if plan is None else can_administer(user, plan)


def can_change_formulation(user: Actor, plan: Plan | None) -> bool:
    """Formal changes of the plan's formulation (annual targets, weights), with their act."""
    return can_administer(user, plan)


def can_grant(user: Actor, plan: Plan | None) -> bool:
    """Give or take roles in ``plan``."""
    return can_administer(user, plan)


# ---------------------------------------------------------------------------------------------
# The workflow


def can_review(user: Actor, plan: Plan | None) -> bool:
    """Approve or return reports, override alerts and publish the plan's cuts."""
    return _holds(user, plan, REVIEW)


def can_report(user: Actor, indicator: Indicator) -> bool:
    """Enter the execution and analysis of ``indicator``: the reporters of the entity
    responsible for its goal, in its plan. (Whether the cut is open is the workflow's rule.)"""
    if is_superuser(user):
        return True
    entity_id = indicator.goal.responsible_entity_id
    if entity_id is None:
        return False
    return (
        memberships(user)
        .filter(plan_id=indicator.plan_id, role=Role.REPORTANTE, entity_id=entity_id)
        .exists()
    )


def reportable_indicators(user: Actor, plan: Plan) -> QuerySet[Indicator]:
    """The indicators of ``plan`` that the user may report (``can_report``)."""
    indicators = Indicator.objects.filter(plan=plan)
    if is_superuser(user):
        return indicators
    entities = memberships(user).filter(plan=plan, role=Role.REPORTANTE).values("entity_id")
    return indicators.filter(goal__responsible_entity_id__in=entities)


def plans_with_role(user: Actor) -> QuerySet[Plan]:
    """The plans where the user holds some role (every plan for a superuser)."""
    if is_superuser(user):
        return Plan.objects.all()
    return Plan.objects.filter(pk__in=memberships(user).values("plan_id"))


def can_enter_report(user: Actor, indicator: Indicator) -> bool:
    """Enter a report in the web forms (``/gestion/``): the indicator's reporters, and the
    plan's administrators, who load reports for an entity that cannot (as they may through an
    import or the admin)."""
    return can_report(user, indicator) or can_administer(user, indicator.plan)


def enterable_indicators(user: Actor, plan: Plan) -> QuerySet[Indicator]:
    """The indicators of ``plan`` that the user may report in the web forms."""
    if can_administer(user, plan):
        return Indicator.objects.filter(plan=plan)
    return reportable_indicators(user, plan)


def can_enter_reports(user: Actor, plan: Plan) -> bool:
    """See the reporting pages of ``plan`` (to-do list, bulk entry): its reporters and
    administrators."""
    return can_administer(user, plan) or (
        memberships(user).filter(plan=plan, role=Role.REPORTANTE).exists()
    )


def can_view_drafts(user: Actor, plan: Plan | None) -> bool:
    """See the cuts of ``plan`` that are not published, and its rows in the admin."""
    return _holds(user, plan, VIEW_DRAFTS)


def visible_plans(user: Actor) -> QuerySet[Plan]:
    """The plans whose drafts the user may see (``can_view_drafts``). Every plan's published
    cuts are public and need no role."""
    return _plans_where(user, VIEW_DRAFTS)


# ---------------------------------------------------------------------------------------------
# The audit log (read-only)


def can_read_audit(user: Actor, plan: Plan | None) -> bool:
    """Read the audit rows of ``plan``: its administrators and reviewers. Rows of no plan
    (users, shared rows) are for superusers only (``None``)."""
    return _holds(user, plan, REVIEW)


def audit_plans(user: Actor) -> QuerySet[Plan]:
    """The plans whose audit rows the user may read (``can_read_audit``)."""
    return _plans_where(user, REVIEW)


def can_use_audit_log(user: Actor) -> bool:
    """Open the audit log page at all: superusers, and administrators and reviewers of some
    plan."""
    return holds_any_role(user, REVIEW)


# ---------------------------------------------------------------------------------------------
# Rows shared by every plan


def plans_using(obj: Shared) -> QuerySet[Plan]:
    """The plans whose data names ``obj``."""
    if isinstance(obj, Sector):
        condition = Q(sector=obj)
    elif isinstance(obj, DevelopmentPlan):
        condition = Q(development_plan=obj)
    else:
        condition = (
            Q(head_entity=obj) | Q(goals__responsible_entity=obj) | Q(memberships__entity=obj)
        )
    return Plan.objects.filter(condition).distinct()


def can_edit_shared(user: Actor, obj: Shared | None) -> bool:
    """Add (``obj`` is ``None``), change or delete a sector, entity or development plan."""
    if is_superuser(user):
        return True
    if not can_create_plan(user):
        return False
    if obj is None or obj.pk is None:
        return True
    return not plans_using(obj).exclude(pk__in=administered_plans(user).values("pk")).exists()


# ---------------------------------------------------------------------------------------------
# The admin


def can_manage_users(user: Actor) -> bool:
    """Add, change (passwords too) and delete user accounts in the admin: superusers only. The
    roles of a plan are ``can_grant``."""
    return is_superuser(user)


def can_use_admin(user: Actor) -> bool:
    """See the admin's pages at all (Django also requires the staff flag): superusers and
    staff members who may see some plan's drafts."""
    return is_superuser(user) or (
        is_active_user(user)
        and bool(getattr(user, "is_staff", False))
        and holds_any_role(user, VIEW_DRAFTS)
    )

"""The policy functions (``cascada.accounts.policy``), for every actor of the matrix."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from cascada.accounts import policy
from cascada.accounts.models import Membership, Role
from cascada.plans.models import DevelopmentPlan, Entity, Plan, Sector
from tests.accounts.world import ACTORS, NEW_PLAN, PLAN_A, PLAN_B, build_world

pytestmark = pytest.mark.django_db

A_ADMINS = {"superusuario", "administrador"}
B_ADMINS = {"superusuario", "administrador_otro_plan"}


@pytest.fixture
def world(tmp_path):
    return build_world(tmp_path)


def user(world, name):
    return world.users.get(name, AnonymousUser())


def who(world, check) -> set[str]:
    return {name for name in ACTORS if check(user(world, name))}


def test_administering_a_plan(world):
    assert who(world, lambda u: policy.can_administer(u, world.plan_a)) == A_ADMINS
    assert who(world, lambda u: policy.can_administer(u, world.plan_b)) == B_ADMINS
    assert who(world, lambda u: policy.can_administer(u, None)) == {"superusuario"}
    assert who(world, lambda u: policy.can_grant(u, world.plan_a)) == A_ADMINS
    assert who(world, lambda u: policy.can_delete_plan(u, world.plan_a)) == {"superusuario"}
    admin = user(world, "administrador")
    assert list(policy.administered_plans(admin)) == [world.plan_a]
    assert set(policy.administered_plans(user(world, "superusuario"))) == set(Plan.objects.all())
    assert list(policy.administered_plans(AnonymousUser())) == []


def test_importing_and_creating_plans(world):
    importers = A_ADMINS | B_ADMINS
    assert who(world, policy.can_import) == importers
    assert who(world, policy.can_create_plan) == importers
    assert who(world, lambda u: policy.can_import_plan(u, PLAN_A)) == A_ADMINS
    assert who(world, lambda u: policy.can_import_plan(u, PLAN_B)) == B_ADMINS
    assert who(world, lambda u: policy.can_import_plan(u, NEW_PLAN)) == importers


def test_reviewing_and_seeing_drafts(world):
    assert who(world, lambda u: policy.can_review(u, world.plan_a)) == A_ADMINS | {"revisor"}
    viewers = A_ADMINS | {"revisor", "analista"}
    assert who(world, lambda u: policy.can_view_drafts(u, world.plan_a)) == viewers
    assert who(world, lambda u: policy.can_view_drafts(u, world.plan_b)) == B_ADMINS
    assert list(policy.visible_plans(user(world, "analista"))) == [world.plan_a]
    assert list(policy.visible_plans(user(world, "reportante"))) == []
    assert list(policy.visible_plans(AnonymousUser())) == []


def test_reporters_report_only_the_indicators_of_their_entity(world):
    # Entidad X is responsible for M1 (indicators S and C), Entidad Y for M2 (D).
    s, c, d = (world.indicator(code) for code in "SCD")
    assert who(world, lambda u: policy.can_report(u, s)) == {"superusuario", "reportante"}
    assert who(world, lambda u: policy.can_report(u, c)) == {"superusuario", "reportante"}
    assert who(world, lambda u: policy.can_report(u, d)) == {
        "superusuario",
        "reportante_otra_entidad",
    }
    reporter = user(world, "reportante")
    codes = set(policy.reportable_indicators(reporter, world.plan_a).values_list("code", flat=True))
    assert codes == {"S", "C"}
    assert not policy.reportable_indicators(reporter, world.plan_b).exists()
    # A goal without a responsible entity: nobody but a superuser reports it.
    orphan = world.indicator("I-VACIO")
    assert who(world, lambda u: policy.can_report(u, orphan)) == {"superusuario"}
    # The same entity in another plan is another role.
    other = world.plan_b.indicators.get(code="S")
    assert who(world, lambda u: policy.can_report(u, other)) == {"superusuario"}


def test_shared_rows(world):
    importers = A_ADMINS | B_ADMINS
    assert who(world, lambda u: policy.can_edit_shared(u, None)) == importers
    sector_a = Sector.objects.get(name="Sector de prueba")
    assert who(world, lambda u: policy.can_edit_shared(u, sector_a)) == A_ADMINS
    unused = Entity.objects.get(name="Entidad sin uso")
    assert who(world, lambda u: policy.can_edit_shared(u, unused)) == importers
    entity_x = Entity.objects.get(name="Entidad X")
    assert list(policy.plans_using(entity_x)) == [world.plan_a]
    assert who(world, lambda u: policy.can_edit_shared(u, entity_x)) == A_ADMINS
    pdd = DevelopmentPlan.objects.get(name="PDD de prueba")
    assert list(policy.plans_using(pdd)) == [world.plan_a]
    # An entity named in both plans is changed only by someone who administers both.
    Membership.objects.create(
        user=user(world, "usuario_sin_rol"),
        plan=world.plan_b,
        role=Role.REPORTANTE,
        entity=entity_x,
    )
    assert who(world, lambda u: policy.can_edit_shared(u, entity_x)) == {"superusuario"}


def test_the_admin_is_for_staff_with_a_role_that_reads(world):
    assert who(world, policy.can_use_admin) == {
        "superusuario",
        "administrador",
        "revisor",
        "analista",
        "administrador_otro_plan",
    }


def test_inactive_users_may_do_nothing(world):
    for name in ("administrador", "superusuario"):
        inactive = user(world, name)
        inactive.is_active = False
        assert not policy.can_administer(inactive, world.plan_a)
        assert not policy.can_view_drafts(inactive, world.plan_a)
        assert not policy.can_import(inactive)
        assert not policy.can_use_admin(inactive)
        assert policy.roles(inactive, world.plan_a) == frozenset()


def test_roles_lists_a_users_roles_in_a_plan(world):
    admin = user(world, "administrador")
    Membership.objects.create(user=admin, plan=world.plan_a, role=Role.REVISOR)
    assert policy.roles(admin, world.plan_a) == {Role.ADMINISTRADOR, Role.REVISOR}
    assert policy.roles(admin, world.plan_b) == frozenset()
    assert policy.roles(AnonymousUser(), world.plan_a) == frozenset()


@pytest.mark.parametrize(
    ("role", "entity", "ok"),
    [
        (Role.REPORTANTE, True, True),
        (Role.REPORTANTE, False, False),
        (Role.ADMINISTRADOR, True, False),
        (Role.ANALISTA, False, True),
        ("jefe", False, False),
    ],
)
def test_the_database_holds_the_membership_rules(world, role, entity, ok):
    plain = get_user_model().objects.create(username="nuevo")
    values = {
        "user": plain,
        "plan": world.plan_a,
        "role": role,
        "entity": Entity.objects.get(name="Entidad X") if entity else None,
    }
    if ok:
        Membership.objects.create(**values)
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(**values)  # once per user, plan and role
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(**values)

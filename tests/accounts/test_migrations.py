"""``plans.EntityMember`` becomes reporter roles (``accounts.0002``), and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cascada.tracking import integrity

BEFORE = [("plans", "0003_text_lengths"), ("accounts", "0001_initial")]
AFTER = [("plans", "0004_delete_entitymember"), ("accounts", "0002_entity_members_to_roles")]


def migrate(targets):
    # As `migrate` does (tracking/apps.py): SQLite rebuilds tables, which the triggers name.
    integrity.uninstall(connection)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    integrity.install(connection)
    return executor.loader.project_state(targets).apps


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_entity_members_become_reporters_of_the_plans_of_their_entity(capsys):
    old = migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        Sector = old.get_model("plans", "Sector")
        Entity = old.get_model("plans", "Entity")
        Plan = old.get_model("plans", "Plan")
        Objective = old.get_model("plans", "Objective")
        Goal = old.get_model("plans", "Goal")
        EntityMember = old.get_model("plans", "EntityMember")
        sector = Sector.objects.create(name="Sector")
        x, y, z = (Entity.objects.create(name=f"Entidad {n}") for n in "XYZ")
        plans = {}
        for code, head in (("P1", None), ("P2", None), ("P3", y)):
            plans[code] = Plan.objects.create(
                code=code,
                name=code,
                sector=sector,
                head_entity=head,
                first_vigencia=2024,
                last_vigencia=2027,
            )
            Objective.objects.create(plan=plans[code], code="O", name="O")
        for code in ("P1", "P2"):  # X is responsible for goals of P1 and P2
            plan = plans[code]
            Goal.objects.create(
                plan=plan,
                objective=Objective.objects.get(plan=plan),
                code="M",
                kind="sectorial",
                name="M",
                responsible_entity=x,
            )
        ana, beto, carla = (User.objects.create(username=n) for n in ("ana", "beto", "carla"))
        EntityMember.objects.create(user=ana, entity=x)
        EntityMember.objects.create(user=beto, entity=y)  # heads the sector of P3
        EntityMember.objects.create(user=carla, entity=z)  # in no plan

        new = migrate(AFTER)
        Membership = new.get_model("accounts", "Membership")
        assert sorted(
            Membership.objects.values_list("user__username", "plan__code", "role", "entity__name")
        ) == [
            ("ana", "P1", "reportante", "Entidad X"),
            ("ana", "P2", "reportante", "Entidad X"),
            ("beto", "P3", "reportante", "Entidad Y"),
        ]
        assert "carla (Entidad Z)" in capsys.readouterr().out  # told, not dropped silently

        back = migrate(BEFORE)
        members = back.get_model("plans", "EntityMember").objects
        assert sorted(members.values_list("user__username", "entity__name")) == [
            ("ana", "Entidad X"),
            ("beto", "Entidad Y"),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

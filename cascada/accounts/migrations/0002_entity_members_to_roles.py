"""``plans.EntityMember`` (a user who works for an entity) becomes one reporter role per plan
in which that entity is responsible for a goal or heads the sector. ``Membership`` is then the
only link between users, entities and plans (``plans.0004`` removes ``EntityMember``).

A member whose entity takes part in no plan has nothing to report and gets no role; such
members are listed on the console so that nobody is dropped silently.
"""

from django.db import migrations
from django.db.models import Q

REPORTANTE = "reportante"


def forwards(apps, schema_editor):
    EntityMember = apps.get_model("plans", "EntityMember")
    Plan = apps.get_model("plans", "Plan")
    Membership = apps.get_model("accounts", "Membership")
    dropped = []
    for member in EntityMember.objects.select_related("user", "entity").order_by("id"):
        plans = Plan.objects.filter(
            Q(head_entity_id=member.entity_id) | Q(goals__responsible_entity_id=member.entity_id)
        ).distinct()
        if not plans.exists():
            dropped.append(f"{member.user.username} ({member.entity.name})")
        for plan in plans:
            Membership.objects.get_or_create(
                user_id=member.user_id,
                plan_id=plan.id,
                role=REPORTANTE,
                defaults={"entity_id": member.entity_id},
            )
    if dropped:
        print(
            "\n  Miembros de entidades sin ningún plan (no reciben rol): " + ", ".join(dropped)
        )


def backwards(apps, schema_editor):
    EntityMember = apps.get_model("plans", "EntityMember")
    Membership = apps.get_model("accounts", "Membership")
    for membership in Membership.objects.filter(role=REPORTANTE).order_by("id"):
        EntityMember.objects.get_or_create(
            user_id=membership.user_id, defaults={"entity_id": membership.entity_id}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("plans", "0003_text_lengths"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

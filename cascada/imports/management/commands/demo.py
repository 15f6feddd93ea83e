"""``cascada demo``: load the seed's plan with its 31 March 2026 cut published as edition 1 (with
its snapshot), and the users of a walk-through of the workflow. Idempotent."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from cascada.accounts.models import Role
from cascada.imports.services import file_digest, import_workbook
from cascada.imports.template_v1 import read_template
from cascada.plans.models import Entity, Plan
from cascada.tracking.models import Cut
from cascada.tracking.publication import record_missing_edition
from cascada.tracking.roles import grant_role
from cascada.tracking.services import publish_cut

SAMPLE = Path(settings.BASE_DIR) / "samples" / "gestion_publica_2026-03-31.xlsx"
PUBLISHED_CUT = date(2026, 3, 31)
# Known on purpose, and only outside production: the users exist to try the workflow.
DEMO_PASSWORD = "demo-cascada-2026"  # noqa: S105 - a documented demo password


class Command(BaseCommand):
    help = (
        "Carga el plan de ejemplo (seguimiento del 31 de marzo de 2026), publica su corte "
        "(edición 1) y crea usuarios de demostración."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        summary = import_workbook(
            workbook=read_template(SAMPLE),
            actor_label="demo",
            source=SAMPLE.name,
            sha256=file_digest(SAMPLE),
        )
        cut = Cut.objects.get(plan__code=summary.plan_code, date=PUBLISHED_CUT)
        published = publish_cut(cut=cut, actor_label="demo", reason="Plan de ejemplo")
        if not published:
            record_missing_edition(cut=cut, actor_label="demo")  # a database from before editions
        for line in summary.lines():
            self.stdout.write(line)
        state = "publicado ahora" if published else "ya estaba publicado"
        self.stdout.write(f"Corte {PUBLISHED_CUT.isoformat()}: {state} (edición {cut.edition}).")
        self._users(Plan.objects.get(code=summary.plan_code))

    def _users(self, plan: Plan) -> None:
        entity = Entity.objects.filter(goals__plan=plan).distinct().order_by("name").first()
        wanted: list[tuple[str, Role, Entity | None]] = [
            ("planeacion", Role.ADMINISTRADOR, None),
            ("revisor", Role.REVISOR, None),
        ]
        if entity is not None:
            wanted.append((f"reporte-{slugify(entity.name)[:40]}", Role.REPORTANTE, entity))
        production = settings.PRODUCTION
        self.stdout.write("Usuarios de demostración:")
        for username, role, for_entity in wanted:
            user, created = get_user_model().objects.get_or_create(username=username)
            if created:
                if production:
                    user.set_unusable_password()
                else:
                    user.set_password(DEMO_PASSWORD)
                user.save()
            grant_role(
                user=user,
                plan=plan,
                role=role,
                entity=for_entity,
                staff=role != Role.REPORTANTE,
                actor_label="demo",
            )
            where = f" ({for_entity.name})" if for_entity else ""
            self.stdout.write(f"  {username}: {role.label}{where}")
        if production:
            self.stdout.write(
                "En producción no tienen contraseña: asígnela con `cascada changepassword`."
            )
        else:
            self.stdout.write(f"Contraseña de todos (solo fuera de producción): {DEMO_PASSWORD}")

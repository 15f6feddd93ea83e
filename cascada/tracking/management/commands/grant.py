"""``cascada grant --user U --plan CODE --role ROLE [--entity NAME]``: set a user's role in a
plan (``--revoke`` takes it away). Audited, with the actor ``cli``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cascada.accounts.models import Role
from cascada.plans.models import Entity, Plan
from cascada.tracking.roles import RoleError, grant_role, revoke_role


class Command(BaseCommand):
    help = (
        "Asigna a un usuario un rol en un plan: administrador (oficina de planeación), revisor, "
        "reportante (de una entidad, con --entity) o analista (solo lectura). Queda en la "
        "auditoría."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Nombre de usuario (debe existir).")
        parser.add_argument("--plan", required=True, help="Código del plan.")
        parser.add_argument("--role", required=True, choices=Role.values, help="El rol.")
        parser.add_argument(
            "--entity", default=None, help="Nombre exacto de la entidad (solo para reportante)."
        )
        parser.add_argument(
            "--staff",
            action="store_true",
            help="Además permite al usuario entrar a la administración (/admin/).",
        )
        parser.add_argument("--revoke", action="store_true", help="Quita el rol en vez de darlo.")
        parser.add_argument("--reason", default="", help="Motivo, para la auditoría.")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        username: str = options["user"]
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(
                f"No existe el usuario «{username}». Créelo primero (en /admin/ o con "
                "«cascada createsuperuser» para un superusuario)."
            ) from None
        code: str = options["plan"]
        plan = Plan.objects.filter(code=code).first()
        if plan is None:
            raise CommandError(f"No existe un plan con código «{code}».")
        role = Role(options["role"])
        if options["revoke"]:
            if options["entity"] is not None or options["staff"]:
                raise CommandError("--revoke no admite --entity ni --staff.")
            removed = revoke_role(
                user=user, plan=plan, role=role, actor_label="cli", reason=options["reason"]
            )
            self.stdout.write(
                f"{username} ya no es {role.value} en {plan.code}."
                if removed
                else f"{username} no tenía el rol {role.value} en {plan.code}: nada cambió."
            )
            return
        entity = self._entity(options["entity"])
        try:
            changed = grant_role(
                user=user,
                plan=plan,
                role=role,
                entity=entity,
                staff=options["staff"],
                actor_label="cli",
                reason=options["reason"],
            )
        except RoleError as error:
            raise CommandError(str(error)) from None
        where = f" por la entidad «{entity.name}»" if entity is not None else ""
        if changed:
            self.stdout.write(f"{username} es {role.value} en {plan.code}{where}.")
        else:
            self.stdout.write(f"{username} ya era {role.value} en {plan.code}{where}: nada cambió.")
        if entity is not None and not plan.goals.filter(responsible_entity=entity).exists():
            self.stderr.write(
                f"Aviso: «{entity.name}» no es responsable de ninguna meta de {plan.code}; "
                "no tendrá indicadores que reportar."
            )
        if role == Role.ADMINISTRADOR and not getattr(user, "is_staff", False):
            self.stdout.write(
                "Para usar la administración (/admin/) además necesita --staff; la importación "
                "(/importar/) no lo necesita."
            )

    @staticmethod
    def _entity(name: str | None) -> Entity | None:
        if name is None:
            return None
        entity = Entity.objects.filter(name=name).first()
        if entity is None:
            raise CommandError(
                f"No existe una entidad llamada «{name}» (se busca el nombre exacto)."
            )
        return entity

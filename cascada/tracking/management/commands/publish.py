"""``cascada publish PLAN FECHA [--reason MOTIVO] [--exceptuar MOTIVO]``: publish a cut that is
open or under review as its next edition (a correction's reason is the one it was opened with,
or ``--reason``). Refused, with the list, while data-quality alerts are open; ``--exceptuar``
overrides them all first with that reason (one more audited action). Audited as ``cli``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cascada.tracking import publication, quality
from cascada.tracking.models import Cut, CutState


class Command(BaseCommand):
    help = (
        "Publica un corte abierto o en revisión como su siguiente edición inmutable. "
        "Una corrección (edición 2 en adelante) exige un motivo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="Código del plan.")
        parser.add_argument("fecha", help="Fecha del corte, AAAA-MM-DD.")
        parser.add_argument(
            "--reason", default="", help="Motivo (obligatorio para una corrección)."
        )
        parser.add_argument(
            "--exceptuar",
            default="",
            metavar="MOTIVO",
            help="Exceptúa antes todas las alertas abiertas con este motivo.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["fecha"])
        except ValueError:
            raise CommandError(
                f"FECHA: se encontró '{options['fecha']}'; se esperaba una fecha AAAA-MM-DD."
            ) from None
        cut = Cut.objects.select_related("plan").filter(plan__code=options["plan"], date=day)
        found = cut.first()
        if found is None:
            raise CommandError(
                f"No existe el corte {day.isoformat()} del plan «{options['plan']}»."
            )
        if found.state == CutState.PUBLICADO:
            raise CommandError(
                f"El corte {day.isoformat()} ya está publicado (edición {found.edition}). Para "
                "corregirlo, abra una corrección con su motivo en /gestion/ y vuelva a publicar."
            )
        try:
            with transaction.atomic():
                if options["exceptuar"] and quality.open_items(cut=found):
                    quality.override_alerts(
                        cut=found, reason=options["exceptuar"], actor=None, actor_label="cli"
                    )
                edition = publication.publish(
                    cut=found,
                    actor=None,
                    actor_label="cli",
                    reason=options["reason"],
                    from_states=(CutState.ABIERTO, CutState.EN_REVISION),
                )
        except (publication.CutRefused, quality.QualityRefused) as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(
            f"Corte {day.isoformat()} del plan {found.plan.code} publicado: edición "
            f"{edition.number}."
        )

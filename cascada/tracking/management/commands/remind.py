"""``cascada remind``: queue the deadline reminders of every open cut whose deadline is within
``CASCADA_REMINDER_DAYS`` days (3 by default). Run it daily (cron); a reporter never gets the
same reminder twice, so running it more often is harmless."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cascada.engine.display import format_date
from cascada.tracking.reminders import enqueue_deadline_reminders, reminder_days


class Command(BaseCommand):
    help = (
        "Encola los recordatorios de vencimiento a los reportantes con indicadores pendientes "
        "en los cortes abiertos cuya fecha límite llega en CASCADA_REMINDER_DAYS días o menos. "
        "Para un cron diario; nadie recibe dos veces el mismo recordatorio."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", default=None, help="Fecha de referencia AAAA-MM-DD (por defecto, hoy)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    f"--today «{options['today']}» no es una fecha: use AAAA-MM-DD."
                ) from error
        cuts = enqueue_deadline_reminders(today=today)
        if not cuts:
            self.stdout.write(f"Ningún corte abierto vence en los próximos {reminder_days()} días.")
        for cut in cuts:
            assert cut.deadline is not None  # noqa: S101 (selected by its deadline)
            self.stdout.write(
                f"{cut.plan.code} · corte del {format_date(cut.date)}: recordatorios en cola "
                f"(vence el {format_date(cut.deadline)})."
            )

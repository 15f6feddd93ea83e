"""``cascada restore FILE``: a backup into a freshly migrated, empty database; all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cascada.tracking.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restaura una copia de «cascada backup» en una base de datos recién migrada y vacía "
        "(SQLite o PostgreSQL), en una sola transacción, y comprueba filas, sumas y ediciones "
        "publicadas. Ante cualquier problema no cambia nada. Ver docs/backups.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Archivo .zip de la copia.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(path=options["file"])
        except BackupError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Copia restaurada: {len(summary.tables)} tablas, {summary.rows} filas, "
            f"{summary.files} archivos. Comprobado: filas y sumas de cada tabla, "
            f"{summary.editions} ediciones publicadas y {summary.published_cuts} cortes "
            "publicados."
        )

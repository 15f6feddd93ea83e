"""``cascada export --plan CODE -o FILE.xlsx``: a plan from the database as a template v1 workbook,
ready to edit and import again (issue 4)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from cascada.imports.export import export_plan
from cascada.plans.models import Plan

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "Exporta un plan de la base de datos como libro de la plantilla de importación v1 "
        "(las mismas hojas que 'cascada template', llenas), listo para editar e importar."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--plan", required=True, metavar="CÓDIGO", help="Código del plan.")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            metavar="ARCHIVO.xlsx",
            help="Ruta del libro .xlsx que se escribe (se reemplaza si ya existe).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code: str = options["plan"]
        output: Path = options["output"]
        if output.suffix.lower() != ".xlsx":
            self._fail(f"El archivo de salida debe terminar en .xlsx: {output}")
        if not output.parent.is_dir():
            self._fail(f"No existe la carpeta de destino: {output.parent}")
        try:
            workbook = export_plan(code=code, path=output)
        except Plan.DoesNotExist:
            known = ", ".join(Plan.objects.order_by("code").values_list("code", flat=True)[:20])
            hint = f" Planes existentes: {known}." if known else " No hay planes cargados."
            self._fail(f"No existe un plan con el código '{code}'.{hint}")
        except OSError as error:
            self._fail(f"No se pudo escribir {output}: {error.strerror}")
        self.stdout.write(
            f"Plan {workbook.info.code} exportado en {output}: {len(workbook.objectives)} "
            f"objetivos, {len(workbook.goals)} metas, {len(workbook.indicators)} indicadores."
        )

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(INVALID_INPUT)

"""``cascada compute WORKBOOK --corte YYYY-MM-DD [--format json|table]`` (DESIGN §6).

Computes straight from a template workbook; it never touches a database.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from cascada.engine import compute_cut
from cascada.engine.model import EngineInputError
from cascada.imports.template_v1 import TemplateError, read_template
from cascada.reports.compute_json import plan_result_json
from cascada.reports.text_table import render_table

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "Calcula el seguimiento de un plan a un corte desde un libro de la plantilla v1."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("workbook", type=Path, help="Libro .xlsx, carpeta de CSV o .zip.")
        parser.add_argument("--corte", required=True, help="Fecha del corte, AAAA-MM-DD.")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cut = date.fromisoformat(options["corte"])
        except ValueError:
            found = options["corte"]
            self._fail([f"--corte: se encontró '{found}'; se esperaba una fecha AAAA-MM-DD."])
        try:
            workbook = read_template(options["workbook"])
        except TemplateError as error:
            self._fail([issue.message for issue in error.issues])
        info = workbook.info
        if not info.first_vigencia <= cut.year <= info.last_vigencia:
            self._fail(
                [
                    f"--corte: el año {cut.year} está fuera de las vigencias del plan "
                    f"({info.first_vigencia}–{info.last_vigencia})."
                ]
            )
        try:
            result = compute_cut(workbook.spec, cut=cut)
        except EngineInputError as error:
            self._fail([str(error)])
        if options["format"] == "json":
            self.stdout.write(json.dumps(plan_result_json(result), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                render_table(
                    result,
                    plan_name=info.name,
                    sector=info.sector,
                    objective_names={o.code: o.name for o in workbook.objectives},
                    indicator_names={i.code: i.name for i in workbook.indicators},
                ),
                ending="",
            )

    def _fail(self, messages: list[str]) -> NoReturn:
        for message in messages:
            self.stderr.write(message)
        sys.exit(INVALID_INPUT)

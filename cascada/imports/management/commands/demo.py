"""``cascada demo``: load the seed's plan with its 31 March 2026 cut published. Idempotent."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from cascada.imports.services import file_digest, import_workbook
from cascada.imports.template_v1 import read_template
from cascada.tracking.models import Cut
from cascada.tracking.services import publish_cut

SAMPLE = Path(settings.BASE_DIR) / "samples" / "gestion_publica_2026-03-31.xlsx"
PUBLISHED_CUT = date(2026, 3, 31)


class Command(BaseCommand):
    help = "Carga el plan de ejemplo (seguimiento del 31 de marzo de 2026) y publica su corte."

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
        for line in summary.lines():
            self.stdout.write(line)
        state = "publicado ahora" if published else "ya estaba publicado"
        self.stdout.write(f"Corte {PUBLISHED_CUT.isoformat()}: {state}.")

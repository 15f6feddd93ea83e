"""Run in a subprocess against DATABASE_URL: ``python victim.py ACTION PAUSE [MARKER]``.

ACTION is ``import`` (the sample workbook, through the import service) or ``publish`` (its 31
March 2026 cut, through the publication service). The services run unmodified; a statement
wrapper only counts the statements that write and, at the PAUSE-th (after it has run, inside
the open transaction), writes its process id to MARKER and sleeps until killed. PAUSE -1 sleeps
after the action has committed; PAUSE 0 never sleeps and prints how many writes there were.
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.getcwd())

import django

django.setup()

from django.db import connection  # noqa: E402

from cascada.imports.services import file_digest, import_workbook  # noqa: E402
from cascada.imports.template_v1 import read_template  # noqa: E402
from cascada.tracking.models import Cut  # noqa: E402
from cascada.tracking.services import publish_cut  # noqa: E402

SAMPLE = Path.cwd() / "samples" / "gestion_publica_2026-03-31.xlsx"
WRITES = {"INSERT", "UPDATE", "DELETE"}


def import_sample() -> None:
    workbook = read_template(SAMPLE)
    import_workbook(
        workbook=workbook, actor_label="cli", source=SAMPLE.name, sha256=file_digest(SAMPLE)
    )


def publish() -> None:
    cut = Cut.objects.get(date=date(2026, 3, 31))
    assert publish_cut(cut=cut, actor_label="cli", reason="Prueba de fallas")


def hold(marker: Path) -> None:
    marker.write_text(str(os.getpid()))
    time.sleep(600)
    raise SystemExit("not killed")


def main() -> None:
    action, pause = sys.argv[1], int(sys.argv[2])
    marker = Path(sys.argv[3] if len(sys.argv) > 3 else os.devnull)
    writes = 0

    def count(execute, sql, params, many, context):
        nonlocal writes
        result = execute(sql, params, many, context)
        if sql.lstrip().split(None, 1)[0].upper() in WRITES:
            writes += 1
            if writes == pause:
                assert connection.in_atomic_block  # provably inside the transaction
                hold(marker)
        return result

    with connection.execute_wrapper(count):
        {"import": import_sample, "publish": publish}[action]()
    if pause == -1:
        hold(marker)
    print(writes)


if __name__ == "__main__":
    main()

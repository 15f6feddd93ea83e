"""``cascada report --plan CODE --corte YYYY-MM-DD --format pdf|pptx|xlsx|html|json -o FILE``
(DESIGN §6): the follow-up report of a cut, from the database.

Bad input (unknown plan or cut, a date that is not one, a folder that does not exist) gets a
Spanish message on stderr and exit status 2, without a traceback. Progress goes to stderr
("[ 10%] Generando el PDF…") when stderr is a terminal, or with ``--progress``. The file is
written to a temporary file beside the destination and renamed over it, so a reader never sees
half a report and a failure leaves the previous file as it was.
"""

from __future__ import annotations

import os
import sys
import tempfile
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from cascada.reports.dataset import ReportNotFound
from cascada.reports.render import FORMATS, render_report

INVALID_INPUT = 2
LANGS = ("es", "en")


class Command(BaseCommand):
    help = (
        "Genera el informe de seguimiento de un plan a un corte (PDF, PowerPoint, Excel, HTML "
        "para imprimir o JSON) desde la base de datos."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--plan", required=True, metavar="CÓDIGO", help="Código del plan.")
        parser.add_argument("--corte", required=True, metavar="AAAA-MM-DD", help="Fecha del corte.")
        parser.add_argument(
            "--format",
            required=True,
            metavar="|".join(FORMATS),
            help="Formato del informe: " + ", ".join(FORMATS) + ".",
        )
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=Path,
            metavar="ARCHIVO",
            help="Ruta del archivo que se escribe (se reemplaza si ya existe).",
        )
        parser.add_argument(
            "--lang",
            default="es",
            metavar="es|en",
            help="Idioma del informe: es (español, por defecto) o en (inglés).",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Muestra el avance en la salida de errores aunque no sea una terminal.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt: str = options["format"]
        if fmt not in FORMATS:
            self._fail(f"--format: se encontró '{fmt}'; se esperaba uno de: {', '.join(FORMATS)}.")
        lang: str = options["lang"]
        if lang not in LANGS:
            self._fail(f"--lang: se encontró '{lang}'; se esperaba es o en.")
        raw_date: str = options["corte"]
        try:
            cut = date.fromisoformat(raw_date)
        except ValueError:
            self._fail(f"--corte: se encontró '{raw_date}'; se esperaba una fecha AAAA-MM-DD.")
        output: Path = options["output"]
        folder = output.parent
        if not folder.is_dir():
            self._fail(f"No existe la carpeta de destino: {folder}")
        if output.is_dir():
            self._fail(f"La salida es una carpeta, no un archivo: {output}")
        show = options["progress"] or self.stderr.isatty()
        try:
            content, _content_type, _filename = render_report(
                plan_code=options["plan"],
                cut_date=cut,
                fmt=fmt,
                lang="en" if lang == "en" else "es",
                progress=self._progress if show else None,
            )
        except ReportNotFound as error:
            self._fail(str(error))
        try:
            _write_atomically(output, content)
        except OSError as error:
            self._fail(f"No se pudo escribir {output}: {error.strerror or error}")
        size = f"{len(content):,}".replace(",", ".")
        self.stdout.write(
            f"Informe {fmt.upper()} del plan {options['plan']} al corte {cut.isoformat()} "
            f"escrito en {output} ({size} bytes)."
        )

    def _progress(self, percent: int, message: str) -> None:
        # Plain text: Django would colour stderr as an error on a terminal.
        self.stderr.write(f"[{percent:3d}%] {message}", style_func=_plain)
        self.stderr.flush()

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(INVALID_INPUT)


def _plain(text: str) -> str:
    return text


def _write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file in ``path``'s folder, then rename it to ``path``
    (atomic on POSIX); the file gets the permissions a plain write would give it."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

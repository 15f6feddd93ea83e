"""Open data of a published cut (Ley 1712 de 2014): the same three tables as CSV, XLSX and JSON,
a Frictionless Data Package (``datapackage.json``) that describes them, and a zip of all.

What the files hold. The files of a cut's edition are a **series**: every published cut of the
plan up to the selected one (by date), each in the edition that was in force when the selected
edition was published (cuts and corrections published later are left out), one row per cut in
``plan.csv``, per objective and cut in ``objetivos.csv``, per indicator and cut in
``indicadores.csv``. So the latest edition alone gives the whole history, and the files of an
edition never change afterwards: they are read from the immutable snapshots of the editions
(``cascada.tracking.editions``), never from the live results nor recomputed, so edition 1 stays
readable, unchanged, after a correction publishes edition 2.

Formats, and why:

* CSV: RFC 4180 (comma, double quotes, CRLF), **UTF-8 without BOM**, a header row with the
  column names of ``columns.py``, numbers with a **decimal point** and no thousands separator,
  unrounded, an empty cell where a value is undefined. These files are for programs (and
  Frictionless): a BOM breaks the first column name for many readers, and Excel in Colombia
  would split on ``;`` and read ``,`` as the decimal mark anyway, so spreadsheet users get the
  XLSX instead. Text is written exactly as stored, formula-looking text included: escaping it
  (a leading ``'``) would change the data that programs read and that the Data Package
  validates; the risk of formula injection is in spreadsheets, and the XLSX is the file for
  those.
* XLSX: one sheet per table with the same columns, numbers as numeric cells (Excel shows them
  with the reader's own separators), dates as dates, a ``diccionario`` sheet, and every text
  cell a string cell with Excel's quote prefix when it starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return (OWASP's CSV-injection triggers): it can never run as a formula.
* JSON: ``{"plan", "corte", "edicion", …, "tablas": {"plan": [...], "objetivos": [...],
  "indicadores": [...]}}``, rows as objects with the CSV's column names, numbers as numbers.
* ``datapackage.json``: the three CSV files as tabular resources with their Table Schema (types,
  units, Spanish descriptions, primary and foreign keys), the license (CC BY 4.0, the default
  for open public data in Colombia), the source and the cut. Every package is validated with
  ``frictionless`` when it is built; an invalid one raises ``OpenDataInvalid`` and nothing is
  published.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font

from cascada.engine.display import NO_PROGRAMMING, format_date, status_label
from cascada.engine.model import Status
from cascada.engine.progress import IN_CUT_ROLLUP
from cascada.tracking.editions import (
    EditionFigures,
    current_edition,
    edition_row,
    figures,
    series_editions,
)
from cascada.tracking.models import Cut, CutEdition

from .columns import INDICATORS_TABLE, OBJECTIVES_TABLE, PLAN_TABLE, TABLES, Table

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/deed.es",
    "title": "Creative Commons Atribución 4.0 Internacional",
}
CSV_FILES = tuple(t.filename for t in TABLES)
FILES = (*CSV_FILES, "datos.xlsx", "datos.json", "datapackage.json", "datos.zip")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "zip": "application/zip",
}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, Any]


class OpenDataNotFound(LookupError):
    """No such plan, no such cut, or the cut (edition) is not published."""


class OpenDataInvalid(RuntimeError):
    """The package does not validate: a bug to fix, never something to publish."""


@dataclass(frozen=True)
class OpenData:
    plan_code: str
    plan_name: str
    cut: date
    edition: int
    published_at: datetime | None
    source: str
    cuts: tuple[date, ...]  # the cuts in the series, oldest first
    tables: dict[str, list[Row]]  # table name → rows (Python values: Decimal, date, …)

    @property
    def slug(self) -> str:
        return f"{self.plan_code}_{self.cut.isoformat()}_ed{self.edition}"


# ---------------------------------------------------------------------------------------------
# Rows


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC).replace(microsecond=0)


def _published_edition(plan_code: str, cut_date: date, edition: int | None) -> CutEdition:
    cut = Cut.objects.select_related("plan").filter(plan__code=plan_code, date=cut_date).first()
    if cut is None:
        raise OpenDataNotFound(
            f"El plan «{plan_code}» no tiene un corte el {cut_date.isoformat()}."
        )
    number = current_edition(cut) if edition is None else edition
    if number is None:
        raise OpenDataNotFound(
            f"El corte {cut_date.isoformat()} del plan «{plan_code}» no está publicado: solo "
            "los cortes publicados tienen datos abiertos."
        )
    row = edition_row(cut, number)
    if row is None:
        raise OpenDataNotFound(
            f"El corte {cut_date.isoformat()} del plan «{plan_code}» no tiene publicada la "
            f"edición {number}: solo las ediciones publicadas tienen datos abiertos."
        )
    return row


def _plan_row(data: EditionFigures, edition: CutEdition) -> Row:
    return {
        "plan": data.plan_code,
        "nombre_plan": data.plan_name,
        "sector": data.sector,
        "entidad_cabeza": data.head_entity,
        "corte": data.cut,
        "edicion": edition.number,
        "vigencia": data.cut.year,
        "publicado_el": _utc(edition.published_at),
        "cumplimiento": data.compliance,
        "avance_vigencia": data.year,
        "avance_cuatrienio": data.four_year,
        "semaforo": data.semaforo or None,
        "tope_indicador": data.cap,
        "umbral_sobreejecucion": data.overexecution_threshold,
        "fuente": data.source,
    }


def _objective_rows(data: EditionFigures, edition: CutEdition) -> Iterable[Row]:
    for o in data.objectives:
        yield {
            "plan": data.plan_code,
            "corte": data.cut,
            "edicion": edition.number,
            "vigencia": data.cut.year,
            "objetivo": o.code,
            "nombre_objetivo": o.name,
            "cumplimiento": o.compliance,
            "avance_vigencia": o.year,
            "avance_cuatrienio": o.four_year,
            "semaforo": o.semaforo or None,
            "peso": o.weight,
            "indicadores": len(o.indicators),
            "indicadores_programados": sum(
                1 for i in o.indicators if Status(i.status) in IN_CUT_ROLLUP
            ),
            "nota": NO_PROGRAMMING["es"] if o.compliance is None else "",
        }


def _indicator_rows(data: EditionFigures, edition: CutEdition) -> Iterable[Row]:
    for o in data.objectives:
        for i in o.indicators:
            yield {
                "plan": data.plan_code,
                "corte": data.cut,
                "edicion": edition.number,
                "vigencia": data.cut.year,
                "objetivo": o.code,
                "meta": i.goal,
                "tipo_meta": i.goal_kind,
                "nombre_meta": i.goal_name,
                "entidad_responsable": i.entity,
                "indicador": i.code,
                "nombre_indicador": i.name,
                "unidad": i.unit,
                "tipo_anualizacion": i.accumulation,
                "linea_base": i.baseline,
                "meta_cuatrienio": i.target_4y,
                "meta_vigencia": i.annual_target,
                "programado_corte": i.programmed,
                "ejecutado_corte": i.executed,
                "avance_corte": i.progress_cut,
                "avance_vigencia": i.progress_year,
                "avance_cuatrienio": i.progress_4y,
                "peso": i.weight,
                "peso_efectivo": i.effective_weight,
                "estado": i.status,
                "estado_etiqueta": status_label(Status(i.status)),
                "semaforo": i.semaforo or None,
                "alertas": ";".join(i.alerts),
                "analisis": i.analysis,
            }


def _source_line(data: EditionFigures) -> str:
    cut = f"Corte {format_date(data.cut)}."
    source = data.source.strip()
    return f"Fuente: {source} {cut}" if source else cut


def build_open_data(*, plan_code: str, cut_date: date, edition: int | None = None) -> OpenData:
    """The tables of edition ``edition`` (the one in force when ``None``) of the cut
    ``cut_date`` of ``plan_code``, read from the editions' snapshots only
    (``OpenDataNotFound`` when there is no such published edition)."""
    selected = _published_edition(plan_code, cut_date, edition)
    tables: dict[str, list[Row]] = {t.name: [] for t in TABLES}
    editions = series_editions(selected)
    for each in editions:
        data = figures(each)
        tables[PLAN_TABLE.name].append(_plan_row(data, each))
        tables[OBJECTIVES_TABLE.name].extend(_objective_rows(data, each))
        tables[INDICATORS_TABLE.name].extend(_indicator_rows(data, each))
    last = figures(selected)
    return OpenData(
        plan_code=last.plan_code,
        plan_name=last.plan_name,
        cut=selected.cut.date,
        edition=selected.number,
        published_at=_utc(selected.published_at),
        source=_source_line(last),
        cuts=tuple(e.cut.date for e in editions),
        tables=tables,
    )


# ---------------------------------------------------------------------------------------------
# Values as text (CSV) and as JSON


def _decimal_text(value: Decimal) -> str:
    """Fixed point, no exponent, no trailing zeros: ``183.333333333333``, ``100``, ``0.18``."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _decimal_text(value) if value.is_finite() else ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, datetime | date):
        return csv_text(value)
    if value == "":
        return None
    return value


def render_csv(table: Table, rows: Iterable[Mapping[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.names)
    for row in rows:
        writer.writerow([csv_text(row.get(name)) for name in table.names])
    return out.getvalue().encode("utf-8")


def render_json(data: OpenData) -> bytes:
    document = {
        "plan": data.plan_code,
        "nombre_plan": data.plan_name,
        "corte": data.cut.isoformat(),
        "edicion": data.edition,
        "publicado_el": csv_text(data.published_at) or None,
        "cortes_incluidos": [c.isoformat() for c in data.cuts],
        "licencia": LICENSE,
        "fuente": data.source,
        "diccionario": "datapackage.json",
        "tablas": {
            t.name: [{name: json_value(row.get(name)) for name in t.names} for row in rows]
            for t in TABLES
            for rows in [data.tables[t.name]]
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# XLSX


def _put(cell: Cell, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, Decimal):
        if value.is_finite():
            cell.value = float(value)
            cell.number_format = "0.00##########"
        return
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        cell.value = value
        return
    if isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)  # UTC, as the column says
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return
    if isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text
    cell.data_type = "s"  # after the assignment: openpyxl makes "=…" a formula otherwise
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True  # Excel's own leading apostrophe: shown and kept as text


def render_xlsx(data: OpenData) -> bytes:
    book = Workbook()
    about = book.create_sheet("acerca")
    book.remove(book.worksheets[0])
    bold = Font(bold=True)
    lines: list[tuple[str, Any]] = [
        ("Datos abiertos de cascada", None),
        ("Plan", f"{data.plan_code} · {data.plan_name}"),
        ("Corte", f"{format_date(data.cut)} (edición {data.edition})"),
        ("Cortes incluidos", ", ".join(c.isoformat() for c in data.cuts)),
        ("Publicado el (UTC)", csv_text(data.published_at)),
        ("Fuente", data.source),
        ("Licencia", f"{LICENSE['title']} ({LICENSE['name']}): {LICENSE['path']}"),
        (
            "Cifras",
            "Porcentajes en puntos porcentuales, sin redondear; celdas vacías donde una cifra "
            "no está definida. El diccionario de datos está en la hoja «diccionario».",
        ),
    ]
    for n, (label, value) in enumerate(lines, start=1):
        _put(about.cell(n, 1), label)
        about.cell(n, 1).font = bold
        _put(about.cell(n, 2), value)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100

    for table in TABLES:
        sheet = book.create_sheet(table.name)
        for col, name in enumerate(table.names, start=1):
            _put(sheet.cell(1, col), name)
            sheet.cell(1, col).font = bold
        for r, row in enumerate(data.tables[table.name], start=2):
            for col, name in enumerate(table.names, start=1):
                _put(sheet.cell(r, col), row.get(name))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions

    dictionary = book.create_sheet("diccionario")
    headers = ("tabla", "columna", "tipo", "unidad", "descripcion")
    for col, name in enumerate(headers, start=1):
        _put(dictionary.cell(1, col), name)
        dictionary.cell(1, col).font = bold
    r = 2
    for table in TABLES:
        for column in table.columns:
            values = (
                table.filename,
                column.name,
                column.type_label,
                column.unit,
                column.description,
            )
            for col, value in enumerate(values, start=1):
                _put(dictionary.cell(r, col), value)
                dictionary.cell(r, col).alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    for letter, width in zip("ABCDE", (16, 26, 22, 26, 90), strict=True):
        dictionary.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Data Package


def package_name(data: OpenData) -> str:
    """A Data Package name: lowercase letters, digits and ``-._`` only."""
    raw = f"cascada-{data.plan_code}-{data.cut.isoformat()}-ed{data.edition}".lower()
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-._") else "-" for ch in raw)


def descriptor(data: OpenData, csv_files: Mapping[str, bytes]) -> dict[str, Any]:
    return {
        "name": package_name(data),
        "title": f"{data.plan_name}: seguimiento al {format_date(data.cut)} "
        f"(edición {data.edition})",
        "description": (
            f"Datos abiertos del seguimiento del plan {data.plan_code} al corte "
            f"{data.cut.isoformat()}, edición {data.edition}: la serie de los cortes "
            "publicados hasta esa fecha (" + ", ".join(c.isoformat() for c in data.cuts) + "). "
            "Tres tablas: plan (una fila por corte), objetivos (una por objetivo y corte) e "
            "indicadores (una por indicador y corte). Porcentajes en puntos porcentuales sin "
            "redondear; celdas vacías donde una cifra no está definida. Calculado por cascada "
            "con un solo método: promedio ponderado de los indicadores programados al corte."
        ),
        "version": str(data.edition),
        "created": csv_text(data.published_at) or None,
        "keywords": ["plan estratégico sectorial", "seguimiento", "indicadores", data.plan_code],
        "licenses": [LICENSE],
        "sources": [{"title": data.source}],
        "cascada": {
            "plan": data.plan_code,
            "corte": data.cut.isoformat(),
            "edicion": data.edition,
            "cortes_incluidos": [c.isoformat() for c in data.cuts],
            "otros_formatos": ["datos.xlsx", "datos.json", "datos.zip"],
        },
        "resources": [
            {
                "name": table.name,
                "path": table.filename,
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(csv_files[table.filename]),
                "hash": "sha256:" + hashlib.sha256(csv_files[table.filename]).hexdigest(),
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": table.schema(),
            }
            for table in TABLES
        ],
    }


def validate_package(files: Mapping[str, bytes]) -> None:
    """Validate ``datapackage.json`` with its CSV files (written to a temporary folder) with
    ``frictionless``; ``OpenDataInvalid`` with every error otherwise."""
    with tempfile.TemporaryDirectory(prefix="cascada-datos-") as folder:
        for name in (*CSV_FILES, "datapackage.json"):
            (Path(folder) / name).write_bytes(files[name])
        report = frictionless.validate(str(Path(folder) / "datapackage.json"))
        if not report.valid:
            problems = report.flatten(["title", "rowNumber", "fieldName", "type", "note"])
            raise OpenDataInvalid(
                "El paquete de datos abiertos no es válido: "
                + "; ".join(" ".join(str(p) for p in problem if p) for problem in problems[:20])
            )


def validated_package(data: OpenData) -> dict[str, bytes]:
    """The CSV files and ``datapackage.json``, validated (``OpenDataInvalid`` otherwise)."""
    files: dict[str, bytes] = {t.filename: render_csv(t, data.tables[t.name]) for t in TABLES}
    files["datapackage.json"] = json.dumps(
        descriptor(data, files), ensure_ascii=False, indent=1
    ).encode("utf-8")
    validate_package(files)
    return files


def render_file(data: OpenData, name: str) -> bytes:
    """One file of the edition (a name of ``FILES``). The package is validated first, whatever
    the file: nothing is published from tables that do not validate."""
    files = validated_package(data)
    if name in files:
        return files[name]
    if name == "datos.xlsx":
        return render_xlsx(data)
    if name == "datos.json":
        return render_json(data)
    if name == "datos.zip":
        return _zip({**files, "datos.xlsx": render_xlsx(data), "datos.json": render_json(data)})
    raise KeyError(name)


def render_files(data: OpenData) -> dict[str, bytes]:
    """Every file of the edition, by name (``FILES``), validated."""
    files = validated_package(data)
    files["datos.xlsx"] = render_xlsx(data)
    files["datos.json"] = render_json(data)
    files["datos.zip"] = _zip(files)
    return files


def _zip(files: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    stamp = (1980, 1, 1, 0, 0, 0)  # fixed: the same data gives the same bytes
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in (*CSV_FILES, "datos.xlsx", "datos.json", "datapackage.json"):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def media_type(name: str) -> str:
    return MEDIA_TYPES[name.rsplit(".", 1)[-1]]

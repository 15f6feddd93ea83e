"""Backups that move between databases: ``cascada backup -o FILE`` and ``cascada restore FILE``.

A backup is a zip file that does not depend on the database it came from (SQLite or
PostgreSQL):

* ``manifest.json``: the format version, the migrations applied, every table with its row count
  and the SHA-256 of its rows, the published editions with a hash of their inputs and results,
  the published cuts (and whether their stored results matched a recomputation), and every
  uploaded file with its SHA-256;
* ``tables/<app>.<model>.jsonl``: one row a line, canonical JSON (sorted keys), primary keys
  kept; a reference to a content type or a permission is written by its natural key, since
  ``migrate`` numbers those in each database on its own;
* ``media/…``: the uploaded files (plan logos, rendered reports) as they are under MEDIA_ROOT.

A restore goes only into a freshly migrated, empty database with the same migrations, in one
transaction: rows in dependency order (the integrity triggers of ``integrity.py`` look up the
rows a new row points to), sequences reset, then the restored tables are dumped again and must
give the manifest's checksums, and the published editions and cuts must check out; otherwise
nothing is kept. Every refusal is a ``BackupError`` with a Spanish message.

Sessions, login attempts (django-axes) and the queue of background tasks are not copied: they
are short-lived, and a restored site starts without them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from cascada.tracking.models import Cut, CutEdition, CutState
from cascada.tracking.services import stored_results_match

FORMAT = "cascada-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 500

# Rows that ``migrate`` creates in every database, referred to by natural key.
NATURAL = (ContentType, Permission)


class BackupError(Exception):
    """A backup or restore refused; ``message`` says why, in Spanish. Nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TableInfo:
    label: str  # "plans.Plan"
    rows: int
    sha256: str


@dataclass(frozen=True)
class RestoreSummary:
    tables: list[TableInfo]
    files: int
    editions: int
    published_cuts: int

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


# --- what is copied -------------------------------------------------------------------------


def _copied(model: type[models.Model]) -> bool:
    meta = model._meta
    if meta.proxy or not meta.managed:
        return False
    if meta.auto_created:  # the tables of many-to-many fields: copied with both ends
        ends = [f.related_model for f in meta.concrete_fields if f.is_relation]
        return all(end in NATURAL or _copied(cast(Any, end)) for end in ends)
    module = type(meta.app_config).__module__ if meta.app_config else ""
    return module.startswith("cascada.") or model in (User, Group) or meta.label == "admin.LogEntry"


def backed_up_models() -> list[type[models.Model]]:
    """Every copied model, each after the models it points to (the order of a restore)."""
    chosen = [m for m in apps.get_models(include_auto_created=True) if _copied(m)]
    chosen.sort(key=lambda m: m._meta.label)
    ordered: list[type[models.Model]] = []
    seen: set[type[models.Model]] = set()

    def visit(model: type[models.Model]) -> None:
        if model in seen:
            return
        seen.add(model)
        for field in model._meta.concrete_fields:
            target = field.related_model
            if field.is_relation and target in chosen and target is not model:
                visit(target)
        ordered.append(model)

    for model in chosen:
        visit(model)
    return ordered


def _file_name(model: type[models.Model]) -> str:
    return f"tables/{model._meta.label_lower}.jsonl"


# --- rows as canonical JSON -----------------------------------------------------------------


def _natural_keys(model: type[models.Model], using: str) -> dict[int, list[str]]:
    if model is ContentType:
        types = ContentType.objects.using(using).values_list("pk", "app_label", "model")
        return {pk: [app, name] for pk, app, name in types}
    permissions = Permission.objects.using(using).values_list(
        "pk", "codename", "content_type__app_label", "content_type__model"
    )
    return {pk: [code, app, name] for pk, code, app, name in permissions}


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def canonical(value: Any) -> bytes:
    """The one JSON form used for rows and hashes (PostgreSQL's jsonb reorders keys)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _row_lines(model: type[models.Model], using: str) -> Iterator[bytes]:
    fields = model._meta.concrete_fields
    natural = {
        f.attname: _natural_keys(cast(type[models.Model], f.related_model), using)
        for f in fields
        if f.is_relation and f.related_model in NATURAL
    }
    names = [f.attname for f in fields]
    rows = model._base_manager.using(using).order_by("pk").values_list(*names)
    for values in rows.iterator(chunk_size=2000):
        row = {}
        for name, value in zip(names, values, strict=True):
            keys = natural.get(name)
            row[name] = keys[value] if keys is not None and value is not None else _encode(value)
        yield canonical(row) + b"\n"


def _table_digest(model: type[models.Model], using: str) -> TableInfo:
    digest, count = hashlib.sha256(), 0
    for line in _row_lines(model, using):
        digest.update(line)
        count += 1
    return TableInfo(model._meta.label, count, digest.hexdigest())


def edition_hash(edition: CutEdition) -> str:
    """SHA-256 of a published edition's inputs and results, in canonical JSON."""
    return hashlib.sha256(
        canonical({"inputs": edition.inputs, "results": edition.results})
    ).hexdigest()


def _editions(using: str) -> list[dict[str, Any]]:
    rows = CutEdition.objects.using(using).select_related("cut__plan").order_by("cut_id", "number")
    return [
        {
            "cut_id": e.cut_id,
            "plan": e.cut.plan.code,
            "cut": e.cut.date.isoformat(),
            "number": e.number,
            "sha256": edition_hash(e),
        }
        for e in rows
    ]


def _published_cuts(using: str) -> list[dict[str, Any]]:
    cuts = Cut.objects.using(using).select_related("plan").filter(state=CutState.PUBLICADO)
    return [
        {
            "cut_id": c.pk,
            "plan": c.plan.code,
            "cut": c.date.isoformat(),
            "edition": c.edition,
            "results_match": stored_results_match(cut=c),
        }
        for c in cuts.order_by("pk")
    ]


def _migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _media_files() -> Iterator[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


# --- backup ---------------------------------------------------------------------------------


def _copy_hashing(source: IO[bytes], target: IO[bytes]) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(1 << 20):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def create_backup(*, output: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup of the whole database and MEDIA_ROOT to ``output``; returns its manifest.

    The rows are read in one transaction that sees one moment of the database (repeatable
    read on PostgreSQL; SQLite's read transaction already is), so a backup taken while the
    site is in use is consistent. The file appears complete or not at all.
    """
    output = output.resolve()
    if output.is_dir():
        raise BackupError(f"«{output}» es una carpeta: indique el nombre del archivo de copia.")
    if not output.parent.is_dir():
        raise BackupError(f"No existe la carpeta «{output.parent}» para la copia.")
    handle, temp_name = tempfile.mkstemp(prefix=".cascada-backup-", dir=output.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        manifest = _write(temp, using)
        temp.chmod(0o600)  # password hashes and personal data
        temp.replace(output)
    finally:
        temp.unlink(missing_ok=True)
    return manifest


def _write(path: Path, using: str) -> dict[str, Any]:
    connection = connections[using]
    tables: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        transaction.atomic(using=using),
    ):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        migrations = _migrations(using)
        for model in backed_up_models():
            digest, count = hashlib.sha256(), 0
            with archive.open(_file_name(model), "w") as entry:
                for line in _row_lines(model, using):
                    entry.write(line)
                    digest.update(line)
                    count += 1
            tables.append(
                {
                    "model": model._meta.label,
                    "table": model._meta.db_table,
                    "file": _file_name(model),
                    "rows": count,
                    "sha256": digest.hexdigest(),
                }
            )
        editions = _editions(using)
        published = _published_cuts(using)
        for name, source_path in _media_files():
            with source_path.open("rb") as source, archive.open(f"media/{name}", "w") as entry:
                size, sha = _copy_hashing(source, entry)
            files.append({"path": name, "bytes": size, "sha256": sha})
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
            "source_vendor": connection.vendor,
            "migrations": migrations,
            "tables": tables,
            "editions": editions,
            "published_cuts": published,
            "media": files,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


# --- restore --------------------------------------------------------------------------------

_DAMAGED = "El archivo «{name}» no es una copia de cascada válida o está dañado: {why}"


def _damaged(path: Path, why: str) -> BackupError:
    return BackupError(_DAMAGED.format(name=path.name, why=why))


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise _damaged(path, "no contiene manifest.json.") from None
    except (ValueError, zipfile.BadZipFile, OSError) as error:
        raise _damaged(path, f"no se pudo leer manifest.json ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, "manifest.json no describe una copia de cascada.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"La copia «{path.name}» tiene el formato {manifest.get('format_version')!r}; esta "
            f"versión de cascada restaura el formato {FORMAT_VERSION}."
        )
    return manifest


def _check_archive(archive: zipfile.ZipFile, manifest: dict[str, Any], path: Path) -> None:
    """Every table and file of the manifest is in the zip with its checksum (before any write)."""
    names = set(archive.namelist())
    expected = {t["file"]: (t["rows"], t["sha256"]) for t in manifest["tables"]}
    expected.update({f"media/{f['path']}": (None, f["sha256"]) for f in manifest["media"]})
    for name, (rows, sha) in expected.items():
        if name not in names:
            raise _damaged(path, f"falta «{name}».")
        digest, count = hashlib.sha256(), 0
        try:
            with archive.open(name) as entry:
                while chunk := entry.read(1 << 20):
                    digest.update(chunk)
                    count += chunk.count(b"\n")
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise _damaged(path, f"no se pudo leer «{name}» ({error}).") from None
        if digest.hexdigest() != sha:
            raise _damaged(path, f"la suma de verificación de «{name}» no coincide.")
        if rows is not None and count != rows:
            raise _damaged(path, f"«{name}» tiene {count} filas y el manifiesto dice {rows}.")


def _check_target(manifest: dict[str, Any], using: str) -> list[type[models.Model]]:
    here = _migrations(using)
    wanted = sorted(manifest["migrations"])
    if not here:
        raise BackupError(
            "La base de datos de destino no tiene las tablas de cascada: ejecute primero "
            "«cascada migrate» y restaure después."
        )
    if here != wanted:
        missing = [f"{a}.{n}" for a, n in wanted if [a, n] not in here]
        extra = [f"{a}.{n}" for a, n in here if [a, n] not in wanted]
        detail = []
        if missing:
            detail.append("faltan en el destino: " + ", ".join(missing[:5]))
        if extra:
            detail.append("sobran en el destino: " + ", ".join(extra[:5]))
        raise BackupError(
            "La base de datos de destino no tiene las mismas migraciones que la copia ("
            + "; ".join(detail)
            + "). Restaure con la versión de cascada que hizo la copia, sobre una base recién "
            "migrada."
        )
    by_label = {m._meta.label: m for m in backed_up_models()}
    listed = [t["model"] for t in manifest["tables"]]
    unknown = [label for label in listed if label not in by_label]
    if unknown or set(listed) != set(by_label):
        raise BackupError(
            "Las tablas de la copia no corresponden a esta versión de cascada ("
            + ", ".join(sorted(set(listed) ^ set(by_label)))
            + ")."
        )
    full = [label for label, model in by_label.items() if model._base_manager.using(using).exists()]
    if full:
        raise BackupError(
            "La base de datos de destino no está vacía (tiene datos en "
            + ", ".join(sorted(full)[:6])
            + "). Solo se restaura sobre una base recién creada y migrada: no se cambió nada."
        )
    return [by_label[label] for label in listed]


def _check_media(manifest: dict[str, Any]) -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT).resolve()
    targets = []
    for item in manifest["media"]:
        relative = PurePosixPath(item["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise BackupError(f"La copia nombra un archivo fuera de MEDIA_ROOT: «{relative}».")
        target = root.joinpath(*relative.parts)
        if target.exists():
            raise BackupError(
                f"Ya existe el archivo «{target}» en MEDIA_ROOT: restaure en un sitio sin "
                "archivos subidos. No se cambió nada."
            )
        targets.append((item["path"], target))
    return targets


def _decoder(
    model: type[models.Model], using: str
) -> tuple[list[models.Field[Any, Any]], dict[str, dict[tuple[str, ...], int]]]:
    fields = list(model._meta.concrete_fields)
    natural: dict[str, dict[tuple[str, ...], int]] = {}
    for field in fields:
        if field.is_relation and field.related_model in NATURAL:
            keys = _natural_keys(cast(type[models.Model], field.related_model), using)
            natural[field.attname] = {tuple(v): k for k, v in keys.items()}
    return fields, natural


def _objects(
    model: type[models.Model], lines: Iterable[bytes], using: str
) -> Iterator[models.Model]:
    fields, natural = _decoder(model, using)
    for line in lines:
        row = json.loads(line)
        values: dict[str, Any] = {}
        for field in fields:
            value = row[field.attname]
            keys = natural.get(field.attname)
            if value is None:
                values[field.attname] = None
            elif keys is not None:
                if tuple(value) not in keys:
                    raise BackupError(
                        f"{model._meta.label}: «{'.'.join(value)}» no existe en el destino."
                    )
                values[field.attname] = keys[tuple(value)]
            elif isinstance(field, models.JSONField):
                values[field.attname] = value
            else:
                values[field.attname] = field.to_python(value)
        yield model(**values)


def _insert(model: type[models.Model], objects: Iterable[models.Model], using: str) -> None:
    """Insert exactly the given values: ``raw`` keeps primary keys and ``auto_now`` stamps."""
    fields = list(model._meta.concrete_fields)
    batch: list[models.Model] = []
    manager = cast(Any, model._base_manager)
    for obj in objects:
        batch.append(obj)
        if len(batch) >= BATCH:
            manager._insert(batch, fields=fields, raw=True, using=using)
            batch = []
    if batch:
        manager._insert(batch, fields=fields, raw=True, using=using)


def _verify(manifest: dict[str, Any], order: list[type[models.Model]], using: str) -> None:
    expected = {t["model"]: (t["rows"], t["sha256"]) for t in manifest["tables"]}
    for model in order:
        info = _table_digest(model, using)
        rows, sha = expected[info.label]
        if (info.rows, info.sha256) != (rows, sha):
            raise BackupError(
                f"Comprobación fallida en {info.label}: el destino tiene {info.rows} filas y su "
                f"suma no coincide con la copia ({rows} filas). No se restauró nada."
            )
    if _editions(using) != manifest["editions"]:
        raise BackupError(
            "Comprobación de ediciones publicadas fallida: los insumos o resultados de una "
            "edición restaurada no coinciden con la copia. No se restauró nada."
        )
    published = _published_cuts(using)
    if published != manifest["published_cuts"]:
        wrong = [
            f"{c['plan']} {c['cut']}" for c in published if c not in manifest["published_cuts"]
        ]
        raise BackupError(
            "Comprobación de cortes publicados fallida: al recalcular "
            + (", ".join(wrong) or "los cortes publicados")
            + " los resultados no coinciden con los de la copia. No se restauró nada."
        )


def restore_backup(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> RestoreSummary:
    """Restore ``path`` into this empty, freshly migrated database; all or nothing."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"No existe el archivo «{path}».") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise _damaged(path, f"no es un zip legible ({error}).") from None
    with archive:
        manifest = _read_manifest(archive, path)
        _check_archive(archive, manifest, path)
        written: list[Path] = []
        try:
            with transaction.atomic(using=using):
                order = _check_target(manifest, using)
                media = _check_media(manifest)
                for model in order:
                    with archive.open(_file_name(model)) as entry:
                        _insert(model, _objects(model, entry, using), using)
                _reset_sequences(order, using)
                _verify(manifest, order, using)
                for name, target in media:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(f"media/{name}") as source, target.open("xb") as out:
                        _copy_hashing(source, out)
                    written.append(target)
        except BaseException as error:
            for target in written:  # the rows were rolled back: so are the files
                target.unlink(missing_ok=True)
            if isinstance(error, DatabaseError | ValidationError | KeyError | ValueError):
                raise BackupError(
                    f"La base de datos de destino rechazó la copia ({error}). No se restauró nada."
                ) from error
            raise
    tables = [TableInfo(t["model"], t["rows"], t["sha256"]) for t in manifest["tables"]]
    return RestoreSummary(
        tables=tables,
        files=len(written),
        editions=len(manifest["editions"]),
        published_cuts=len(manifest["published_cuts"]),
    )


def _reset_sequences(order: list[type[models.Model]], using: str) -> None:
    """Next ids continue after the restored ones (PostgreSQL; SQLite follows the rows)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), order)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)

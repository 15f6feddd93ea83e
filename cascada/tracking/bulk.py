"""Inserting many rows of one table without model instances: on SQLite as many rows per INSERT
as its parameters allow, on PostgreSQL one COPY, elsewhere one ``executemany`` per batch; and
``gc_paused``, the collector off during such bulk work.

An import of 100.000 progress rows writes ~200.000 programming and report rows and ~125.000
result rows (48 cuts). ``bulk_create`` builds a model instance per row and sends every value
of every row through the SQL compiler: measured, that is several times the database's own
work. Here each column's preparation is chosen once, and the values Django would send are sent
(decimals, integers and text as they are, which is what Django's own preparation returns for
them on SQLite and PostgreSQL; anything else through the field's ``get_db_prep_save``).
Fields left out get their model default, computed once (``auto_now`` fields: now).
"""

from __future__ import annotations

import gc
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import Any, cast

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

BATCH = 5000

# A row to insert: a mapping of attribute names to values, or the values in the fields' order.
Row = Mapping[str, Any] | tuple[Any, ...]


class _Pauses:
    """How many ``gc_paused`` blocks are running, and whether the collector was on before."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.was_enabled = True


_PAUSES = _Pauses()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration (reentrant and thread-safe: it
    comes back on when the last pause ends, if it was on before the first).

    Bulk work (reading and importing a 100.000-row workbook, computing every cut of a large
    plan) allocates millions of objects that stay alive until it ends: every threshold crossed
    starts a collection that walks them all and frees nothing. Measured on the import of
    100.000 rows: a quarter of its CPU time. Objects are still freed by reference counting;
    only reference cycles made meanwhile wait for the first collection after the pause.
    """
    with _PAUSES.lock:
        if _PAUSES.count == 0:
            _PAUSES.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSES.count += 1
    try:
        yield
    finally:
        with _PAUSES.lock:
            _PAUSES.count -= 1
            if _PAUSES.count == 0 and _PAUSES.was_enabled:
                gc.enable()


class JSONText(str):
    """A JSON field's value given as its text, exactly as ``json.dumps`` (Django's encoding
    for a ``JSONField`` without an encoder) writes it: stored as it is, not encoded again."""


def _json_text_preparer(
    connection: BaseDatabaseWrapper, django: Callable[[Any], Any]
) -> Callable[[JSONText], Any]:
    """How a ``JSONText`` reaches the driver on this database (decided once per column)."""
    if connection.vendor == "sqlite":
        return str  # the text Django's json.dumps would send
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return lambda text: Jsonb(str(text), dumps=str)  # as Django's, not encoded again
    return lambda text: django(json.loads(text))


# Fields whose Python values reach the driver unchanged through Django's own preparation.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _preparer(
    field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[[Any], Any]:
    def django(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    if isinstance(field, models.DecimalField):

        def decimal(value: Any) -> Any:
            # Django sends a finite Decimal as it is; anything else takes its path (and its
            # error for a non-finite value).
            if value is None or (type(value) is Decimal and value.is_finite()):
                return value
            return django(value)

        return decimal
    if isinstance(field, models.JSONField):
        prepared: dict[tuple[str, ...], Any] = {}
        as_json_text = _json_text_preparer(connection, django)

        def json_value(value: Any) -> Any:
            if type(value) is JSONText:
                return as_json_text(value)
            # Short lists of words (an indicator's alerts) repeat on most rows: each distinct
            # one is prepared once.
            # Looked up first: only lists of words are kept, so a list found is one.
            if type(value) is list:
                key = tuple(value)
                try:
                    found = prepared.get(key)
                except TypeError:  # unhashable items
                    return django(value)
                if found is None:
                    found = django(value)
                    if all(type(v) is str for v in key):
                        prepared[key] = found
                return found
            return django(value)

        return json_value
    if isinstance(field, _AS_IS):

        def as_is(value: Any) -> Any:
            if value is None or type(value) in (str, int, bool):
                return value
            return django(value)

        return as_is
    return django


_NONE = type(None)
_DECIMALS = frozenset((Decimal, _NONE))
_PLAIN = frozenset((str, int, bool, _NONE))


def _unchanged(
    field: models.Field[Any, Any],
) -> Callable[[Sequence[Any]], bool] | None:
    """For a column ``_preparer`` returns every value of unchanged (decided for a whole column
    of a batch at C speed), the test that a column of values is such a one; ``None`` when the
    values always go through the preparer."""
    if isinstance(field, models.DecimalField):
        # Finite decimals and None. ``filter(None, …)`` leaves out None (and zeros, finite).
        return lambda column: (
            set(map(type, column)) <= _DECIMALS
            and all(map(Decimal.is_finite, filter(None, column)))
        )
    if isinstance(field, models.JSONField):
        return None
    if isinstance(field, _AS_IS):
        return lambda column: set(map(type, column)) <= _PLAIN
    return None


def _default(field: models.Field[Any, Any]) -> Any:
    if isinstance(field, models.DateTimeField | models.DateField) and (
        field.auto_now or field.auto_now_add
    ):
        return timezone.now() if isinstance(field, models.DateTimeField) else timezone.now().date()
    return field.get_default()


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_rows(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    rows: Iterable[Row],
) -> int:
    """Insert ``rows`` (each a mapping of ``fields``' attribute names, e.g. ``cut_id``, to
    values, or a tuple of the values in the order of ``fields``) into ``model``'s table;
    returns how many. Ids are not read back."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns_by_name = {f.attname: f for f in meta.concrete_fields}
    unknown = [name for name in fields if name not in columns_by_name]
    if unknown:
        raise ValueError(f"insert_rows: {unknown} are not columns of {meta.label}")
    given = [columns_by_name[name] for name in fields]
    rest = [
        f
        for f in meta.concrete_fields
        if f not in given and not (f.primary_key and isinstance(f, AutoFieldMixin))
    ]
    prepare = [_preparer(f, connection) for f in given]
    constants = tuple(f.get_db_prep_save(_default(f), connection) for f in rest)

    unchanged = [_unchanged(f) for f in given]
    # SQLite: Django registers ``str`` as the driver's adapter of Decimal, which the driver
    # calls value by value; a decimal column is turned into that text here at once (the same
    # text bound; ~0,1 s per million decimals).
    as_text = [
        connection.vendor == "sqlite"
        and sqlite3.adapters.get((Decimal, sqlite3.PrepareProtocol)) is str
        and isinstance(f, models.DecimalField)
        for f in given
    ]
    width_given = len(given)
    as_tuple: Callable[[Mapping[str, Any]], tuple[Any, ...]]
    if width_given == 1:
        name = fields[0]

        def as_tuple(row: Mapping[str, Any]) -> tuple[Any, ...]:
            return (row[name],)
    else:
        as_tuple = cast(Callable[[Mapping[str, Any]], tuple[Any, ...]], itemgetter(*fields))

    def prepared(batch: list[Row]) -> list[tuple[Any, ...]]:
        """The rows of ``batch`` as the driver gets them (the constants last), prepared column
        by column: a column whose values all reach the driver as they are is not looked at
        value by value."""
        tuples = [row if isinstance(row, tuple) else as_tuple(row) for row in batch]
        if any(len(row) != width_given for row in tuples):
            raise ValueError(f"insert_rows: a row of {meta.label} without {width_given} values")
        columns: list[Any] = list(zip(*tuples, strict=True))
        for index, (column, p, ok) in enumerate(zip(columns, prepare, unchanged, strict=True)):
            if ok is None or not ok(column):
                columns[index] = column = list(map(p, column))
            if as_text[index]:
                columns[index] = [
                    value if type(value) is not Decimal else str(value) for value in column
                ]
        size = len(tuples)
        columns += [repeat(value, size) for value in constants]
        return list(zip(*columns, strict=True))

    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [*given, *rest])
    placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
    table = quote(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's bulk path, several times faster than batched INSERTs for the
            # millions of rows of a national load; triggers and constraints apply the same.
            # Under Django's error wrapper: a refused row raises django.db.IntegrityError, as
            # the INSERT path does.
            statement = f"COPY {table} ({columns}) FROM STDIN"
            started = time.monotonic()
            with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
                for batch in _batches(rows, BATCH):
                    for prepared_row in prepared(batch):
                        copy.write_row(prepared_row)
                    count += len(batch)
            if connection.queries_logged:  # the raw cursor bypasses Django's query log
                connection.queries_log.append(
                    {
                        "sql": f"{statement} ({count} rows)",
                        "time": f"{time.monotonic() - started:.3f}",
                    }
                )
            return count
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        if connection.vendor == "sqlite":
            # Many rows per statement, as many as SQLite's parameters allow: a table with a
            # trigger (the same-plan checks) runs each statement in a statement journal, so one
            # statement per row cost several times the insert itself.
            # The statements are written with SQLite's own "?" placeholders and sent to the
            # driver's cursor: Django's cursor rewrites "%s" into "?" with a regular expression
            # over the whole statement (thousands of placeholders each), measured at 0,3 s of
            # a 100.000-row import. Through Django's cursor when something watches the
            # statements (execute wrappers, the query log).
            watched = bool(connection.execute_wrappers) or connection.queries_logged
            width = len(given) + len(rest)
            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            qmarks = ", ".join(["?"] * width)
            statements: dict[int, str] = {}
            for batch in _batches(rows, max(1, limit // width)):
                values = list(chain.from_iterable(prepared(batch)))
                size = len(batch)
                if size not in statements:
                    marks = placeholders if watched else qmarks
                    many = ", ".join([f"({marks})"] * size)
                    statements[size] = f"INSERT INTO {table} ({columns}) VALUES {many}"  # noqa: S608
                if watched:
                    cursor.execute(statements[size], values)
                else:
                    connection.validate_no_broken_transaction()
                    with connection.wrap_database_errors:
                        sqlite3.Cursor.execute(cursor.cursor, statements[size], values)
                count += size
            return count
        for batch in _batches(rows, BATCH):
            cursor.executemany(sql, prepared(batch))
            count += len(batch)
    return count

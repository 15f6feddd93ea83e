"""Integrity that spans tables, enforced by the database itself (SQLite and PostgreSQL).

Check constraints cannot look at another table, so these rules are triggers: a vigencia lies
within its plan's range, and every row that links two plan-owned rows links rows of one plan
(a report belongs to a cut of its plan, a goal to an objective of its plan, …).

SQLite rebuilds a table to alter it, which a trigger naming that table would break; so the
triggers are dropped before every ``migrate`` and installed again after it (``apps.py``).
Installing is idempotent and always writes the current rules.
"""

# The SQL below is built from constants of this module only, never from input.
# ruff: noqa: S608

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

YEAR = {
    "sqlite": "CAST(strftime('%Y', NEW.date) AS INTEGER)",
    "postgresql": "CAST(EXTRACT(YEAR FROM NEW.date) AS INTEGER)",
}


def _in_range(year: str, plan_id: str) -> str:
    return (
        f"{year} BETWEEN (SELECT first_vigencia FROM plans_plan WHERE id = {plan_id}) "
        f"AND (SELECT last_vigencia FROM plans_plan WHERE id = {plan_id})"
    )


def _same_plan(table: str, column: str, plan_sql: str) -> str:
    return (
        f"(NEW.{column} IS NULL OR "
        f"(SELECT plan_id FROM {table} WHERE id = NEW.{column}) = {plan_sql})"
    )


def rules(vendor: str) -> list[tuple[str, str, str]]:
    """(table, condition on NEW that must hold, message)."""
    indicator_plan = "(SELECT plan_id FROM plans_indicator WHERE id = NEW.indicator_id)"
    cut_plan = "(SELECT plan_id FROM tracking_cut WHERE id = NEW.cut_id)"
    return [
        (
            "plans_annualtarget",
            _in_range("NEW.vigencia", indicator_plan),
            "La vigencia de la meta anual está fuera del rango del plan.",
        ),
        (
            "plans_weight",
            _in_range("NEW.vigencia", "NEW.plan_id")
            + " AND "
            + _same_plan("plans_indicator", "indicator_id", "NEW.plan_id")
            + " AND "
            + _same_plan("plans_objective", "objective_id", "NEW.plan_id"),
            "La ponderación no corresponde al plan o su vigencia está fuera de rango.",
        ),
        (
            "tracking_cut",
            _in_range(YEAR[vendor], "NEW.plan_id"),
            "El año del corte está fuera de las vigencias del plan.",
        ),
        (
            "tracking_cuttarget",
            f"{cut_plan} = {indicator_plan}",
            "La programación pertenece a un corte de otro plan.",
        ),
        (
            "tracking_progressreport",
            f"{cut_plan} = {indicator_plan}",
            "El reporte pertenece a un corte de otro plan.",
        ),
        (
            "plans_goal",
            _same_plan("plans_objective", "objective_id", "NEW.plan_id"),
            "La meta pertenece a un objetivo de otro plan.",
        ),
        (
            "plans_indicator",
            _same_plan("plans_goal", "goal_id", "NEW.plan_id"),
            "El indicador pertenece a una meta de otro plan.",
        ),
        (
            "plans_plan",
            "NOT EXISTS (SELECT 1 FROM tracking_cut c WHERE c.plan_id = NEW.id AND "
            + YEAR[vendor].replace("NEW.date", "c.date")
            + " NOT BETWEEN NEW.first_vigencia AND NEW.last_vigencia)"
            " AND NOT EXISTS (SELECT 1 FROM plans_weight w WHERE w.plan_id = NEW.id AND "
            "w.vigencia NOT BETWEEN NEW.first_vigencia AND NEW.last_vigencia)"
            " AND NOT EXISTS (SELECT 1 FROM plans_annualtarget a JOIN plans_indicator i "
            "ON i.id = a.indicator_id WHERE i.plan_id = NEW.id AND "
            "a.vigencia NOT BETWEEN NEW.first_vigencia AND NEW.last_vigencia)",
            "Hay datos del plan en vigencias fuera del nuevo rango.",
        ),
    ]


# Rows that are written once and never updated: a published edition is the record of what was
# published (a correction is a new edition, never an edit of an old one).
IMMUTABLE = {"tracking_cutedition": "Una edición publicada no se puede modificar."}


def _name(table: str) -> str:
    return f"cascada_check_{table}"


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'cascada_check_%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
                "WHERE tgname LIKE 'cascada_check_%'"
            )
            for name, table in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def install(connection: BaseDatabaseWrapper) -> None:
    """(Re)create every trigger whose tables exist."""
    vendor = connection.vendor
    if vendor not in YEAR:
        return
    uninstall(connection)
    tables = set(connection.introspection.table_names())
    needed = {
        "plans_plan",
        "plans_indicator",
        "plans_objective",
        "plans_goal",
        "plans_weight",
        "plans_annualtarget",
        "tracking_cut",
        "tracking_cuttarget",
        "tracking_progressreport",
        *IMMUTABLE,
    }
    if not needed <= tables:
        return  # a partial schema (migrating forwards or backwards): installed after migrate
    with connection.cursor() as cursor:
        for table, condition, message in rules(vendor):
            name = _name(table)
            if vendor == "sqlite":
                for event in ("INSERT", "UPDATE"):
                    cursor.execute(
                        f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} "
                        f"FOR EACH ROW WHEN NOT ({condition}) "
                        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                    )
            else:
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN IF NOT ({condition}) THEN RAISE EXCEPTION '{message}' "
                    f"USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$"
                )
                cursor.execute(
                    f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {name}()"
                )
        for table, message in IMMUTABLE.items():
            name = _name(table)
            if vendor == "sqlite":
                cursor.execute(
                    f"CREATE TRIGGER {name}_update BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
            else:
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation'; END $$"
                )
                cursor.execute(
                    f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {name}()"
                )

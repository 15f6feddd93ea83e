"""Run in a subprocess against DATABASE_URL (one interpreter, to keep the suite quick):

* ``python scenario.py build [URL]``: migrate (and copy the migrated, empty database to URL), ``cascada demo``, then a row in every table a backup copies
  that the demo leaves empty, with awkward values (accents, emoji, right-to-left marks, markup,
  nested JSON, microseconds) and uploaded files; prints the dump below;
* ``python scenario.py check``: prints the dump, then adds a user and an audit row and prints their
  ids (new rows must get ids after the restored ones).

The dump is every row of every table a backup copies, read through the ORM, with values
normalised only where databases differ in form, not in value (a Decimal's scale), and a
content type or permission by its natural key; plus the SHA-256 of every uploaded file.
"""

import datetime as dt
import hashlib
import io
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.getcwd())

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.admin.models import ADDITION, LogEntry  # noqa: E402
from django.contrib.auth.models import Group, Permission, User  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from cascada.accounts.models import Role  # noqa: E402
from cascada.api.tokens import create_token  # noqa: E402
from cascada.plans.models import Entity, Indicator, Plan, SemaforoBand, Weight  # noqa: E402
from cascada.reports.models import ReportJob  # noqa: E402
from cascada.tracking import audit  # noqa: E402
from cascada.tracking.models import (  # noqa: E402
    AlertOverride,
    Cut,
    CutEdition,
    FormulationChange,
    ProgressReport,
    ReminderSent,
    ReportComment,
)
from cascada.tracking.roles import grant_role  # noqa: E402

LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a3c2c8b80000000049454e44ae426082"
)
TEXT = 'Análisis ‏שלום‏ 🚦 <script>alert(1)</script> =HYPERLINK("x") 100 %'


def build(copy_to=None):
    call_command("migrate", "--noinput", verbosity=0)
    if copy_to:  # a freshly migrated, empty database for restores, without migrating again
        from django.db import connections

        from tests.scratch import copy_database

        connections.close_all()
        copy_database(os.environ["DATABASE_URL"], copy_to)
    call_command("demo", verbosity=0, stdout=io.StringIO())
    plan = Plan.objects.get()
    cut = Cut.objects.get(plan=plan, date=dt.date(2026, 3, 31))
    indicator = Indicator.objects.filter(plan=plan).order_by("code")[0]
    entity = Entity.objects.order_by("name").first()

    plan.logo.save("escudo.png", ContentFile(LOGO), save=True)
    admin = User.objects.create_superuser("admin", "admin@example.org", "una clave muy larga 2026")
    reporter = User.objects.create_user("reportante", password="otra clave muy larga 2026")
    reporter.first_name = "José Ñúñez 🙂"
    reporter.save()
    group = Group.objects.create(name="Planeación")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="plans")[:3])
    reporter.groups.add(group)
    reporter.user_permissions.add(Permission.objects.get(codename="view_cut"))
    grant_role(
        user=reporter, plan=plan, role=Role.REPORTANTE, entity=entity, actor=admin, reason=TEXT
    )
    create_token(user=reporter, name="integración", actor=admin)
    SemaforoBand.objects.create(plan=plan, color="rojo", lower=None)
    SemaforoBand.objects.create(plan=plan, color="verde", lower=Decimal("70.125"), inclusive=False)
    report = ProgressReport.objects.filter(cut=cut).order_by("pk")[0]
    ReportComment.objects.create(report=report, author=reporter, kind="comentario", text=TEXT)
    AlertOverride.objects.create(
        cut=cut, indicator=indicator, alert="sin_reporte", reason=TEXT, by=admin
    )
    FormulationChange.objects.create(
        plan=plan,
        kind="meta_anual",
        vigencia=2026,
        act="Decreto 123 de 2026",
        act_date=dt.date(2026, 2, 1),
        reason=TEXT,
        before={"meta": "10", "ñ": [1, 2.5, None]},
        after={"meta": "12", "ñ": {"z": 1, "a": True}},
        by=admin,
    )
    # A vigencia after the published cut's, so that its results stay as published.
    Weight.objects.create(
        plan=plan,
        level="objetivo",
        vigencia=2027,
        objective=indicator.goal.objective,
        weight=Decimal("12.5"),
    )
    ReminderSent.objects.create(cut=cut, user=reporter, kind="apertura", pending=3)
    if not CutEdition.objects.filter(cut=cut).exists():
        CutEdition.objects.create(
            cut=cut,
            number=1,
            published_at=cut.published_at or dt.datetime.now(tz=dt.UTC),
            published_by=admin,
            published_by_label="admin",
            inputs={"indicadores": [{"codigo": indicator.code, "analisis": TEXT}], "b": 1, "a": 2},
            results={"plan": {"cumplimiento": "183.333333333333"}, "x": [1.5, "2"]},
        )
    job = ReportJob.objects.create(
        plan=plan, cut_date=cut.date, format="pdf", state="listo", filename="informe.pdf"
    )
    job.file.save("informe.pdf", ContentFile(b"%PDF-1.7 prueba\n" * 100), save=True)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Plan),
        object_id=str(plan.pk),
        object_repr=str(plan),
        action_flag=ADDITION,
        change_message="[]",
    )
    audit.record(action="prueba", actor=admin, plan=plan, target=TEXT, after={"b": 2, "a": [1]})


SKIPPED = {"contenttypes", "sessions", "axes", "django_tasks_database"}


def plain(value):
    if isinstance(value, Decimal):
        return ["decimal", str(value.normalize()) if value else "0"]
    if isinstance(value, dt.datetime):
        return ["datetime", value.astimezone(dt.UTC).isoformat()]
    if isinstance(value, dt.date):
        return ["date", value.isoformat()]
    if isinstance(value, (dict, list, str, int, float, bool)) or value is None:
        return value
    return [type(value).__name__, str(value)]


def dump():
    content_types = {c.pk: f"{c.app_label}.{c.model}" for c in ContentType.objects.all()}
    permissions = {
        p.pk: f"{content_types[p.content_type_id]}.{p.codename}" for p in Permission.objects.all()
    }
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in SKIPPED or model is Permission:
            continue
        rows = []
        for obj in model._base_manager.order_by("pk"):
            row = {}
            for field in model._meta.concrete_fields:
                value = getattr(obj, field.attname)
                if field.is_relation and field.related_model is ContentType and value is not None:
                    value = content_types[value]
                elif field.is_relation and field.related_model is Permission and value is not None:
                    value = permissions[value]
                row[field.attname] = plain(value)
            rows.append(row)
        tables[model._meta.label] = rows
    media = {}
    root = Path(settings.MEDIA_ROOT)
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if path.is_file():
            media[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"tables": tables, "media": media}


def new_rows():
    user = User.objects.create_user("nuevo")
    event = audit.record(action="prueba", actor=user, plan=Plan.objects.get())
    return [user.pk, event.pk]


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(*sys.argv[2:])
        result = {"dump": dump()}
    else:
        result = {"dump": dump(), "new_ids": new_rows()}
    json.dump(result, sys.stdout, ensure_ascii=False, sort_keys=True)

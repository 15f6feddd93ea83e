"""Install the cross-table integrity triggers (``cascada/tracking/integrity.py``)."""

from typing import Any

from django.db import migrations


def _install(apps: Any, schema_editor: Any) -> None:
    from cascada.tracking import integrity

    integrity.install(schema_editor.connection)


def _uninstall(apps: Any, schema_editor: Any) -> None:
    from cascada.tracking import integrity

    integrity.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("tracking", "0001_initial"),
    ]
    operations = [migrations.RunPython(_install, _uninstall)]

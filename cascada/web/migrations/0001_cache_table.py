"""The database cache's table (``CACHES`` in config/settings.py), so that ``migrate`` alone
prepares a fresh database: a new clone, ``make demo``, a new server. ``createcachetable`` does
nothing when the cache is not the database one, or when the table exists."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True),
    ]

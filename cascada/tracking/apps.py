from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def _drop_triggers(*, using: str = "default", **kwargs: Any) -> None:
    from cascada.tracking import integrity

    integrity.uninstall(connections[using])


def _install_triggers(*, using: str = "default", **kwargs: Any) -> None:
    from cascada.tracking import integrity

    integrity.install(connections[using])


class TrackingConfig(AppConfig):
    name = "cascada.tracking"
    label = "tracking"
    verbose_name = _("Seguimiento")

    def ready(self) -> None:
        # Schema plumbing, not business logic: see cascada/tracking/integrity.py.
        pre_migrate.connect(_drop_triggers, sender=self, dispatch_uid="cascada-drop-triggers")
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="cascada-triggers")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The Django admin of the planning office: every model, in Spanish, audited."""

    name = "cascada.backoffice"
    label = "backoffice"
    verbose_name = _("Administración")

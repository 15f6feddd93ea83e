from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who may do what: roles per plan (``Membership``), the policy and the sign-in pages."""

    name = "cascada.accounts"
    label = "accounts"
    verbose_name = _("Cuentas y roles")

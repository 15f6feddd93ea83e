"""Personal API tokens: a user's key for the REST API (``Authorization: Bearer <key>``).

The key is shown once, when it is created (``cascada token``); only its SHA-256 is stored, so a
copy of the database does not give the keys away. Keys are random (256 bits), so a plain hash
is enough: there is nothing to guess that a slow hash would protect. ``prefix`` (the first
characters of the key) is kept to tell tokens apart in listings and in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("usuario"),
    )
    name = models.CharField(_("nombre"), max_length=100, blank=True)
    prefix = models.CharField(_("prefijo"), max_length=16)
    key_hash = models.CharField(_("SHA-256 de la clave"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("usado por última vez"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("token de la API")
        verbose_name_plural = _("tokens de la API")
        ordering = ["user", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

"""Creating, checking and revoking personal API tokens (``ApiToken``), each change audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cascada.api.models import ApiToken
from cascada.tracking import audit

KEY_PREFIX = "cas_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8  # "cas_" and the first 8 characters of the secret
MAX_KEY_LENGTH = 200
# ``last_used_at`` is written at most this often per token (not on every request).
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    *, user: AbstractBaseUser, name: str = "", actor: Any = None, actor_label: str = ""
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its key, which is never stored nor shown again."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user_id=user.pk, name=name, prefix=key[:PREFIX_LENGTH], key_hash=_digest(key)
        )
        audit.record(
            action="token:crear",
            actor=actor,
            actor_label=actor_label,
            target=f"token {token.prefix}… de {user.get_username()}",
            after={"usuario": user.get_username(), "nombre": name, "prefijo": token.prefix},
        )
    return token, key


def revoke_tokens(
    *, user: AbstractBaseUser, prefix: str, actor: Any = None, actor_label: str = ""
) -> int:
    """Revoke ``user``'s active tokens whose prefix starts with ``prefix``; how many."""
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update().filter(
                user_id=user.pk, prefix__startswith=prefix, revoked_at__isnull=True
            )
        )
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit.record(
                action="token:revocar",
                actor=actor,
                actor_label=actor_label,
                target=f"token {token.prefix}… de {user.get_username()}",
                before={"usuario": user.get_username(), "nombre": token.name},
            )
    return len(tokens)


def token_for_key(key: str) -> ApiToken | None:
    """The active token whose key is ``key`` (its user active too), or ``None``."""
    if not key.startswith(KEY_PREFIX) or len(key) > MAX_KEY_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_digest(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token

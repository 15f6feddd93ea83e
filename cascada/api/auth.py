"""Who is calling: a personal token in ``Authorization: Bearer <key>``, or nobody.

Write operations require a token (``TokenApi``, ninja's auth). Read operations are public for
published data and take a token optionally (``optional_token``): a token that is sent must be
valid (401 otherwise), so a mistyped key never silently downgrades a client to public data.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from cascada.accounts.policy import Actor
from cascada.api.models import ApiToken
from cascada.api.tokens import token_for_key

SCHEME = "TokenApi"  # the security scheme's name in the OpenAPI schema (the class name)
OPTIONAL: list[dict[str, list[str]]] = [
    {},
    {SCHEME: []},
]  # the ``security`` of a public operation that takes a token


class TokenApi(HttpBearer):
    openapi_description = (
        "Token personal de la API: `Authorization: Bearer <clave>`. Se crea con "
        "`cascada token --user USUARIO --name NOMBRE`, que muestra la clave una sola vez."
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return token_for_key(token.strip())


def optional_token(request: HttpRequest) -> ApiToken | None:
    """The caller's token (``None``: no ``Authorization`` header); 401 for a bad one."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return None
    scheme, _, key = header.partition(" ")
    token = token_for_key(key.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise AuthenticationError
    return token


def actor_of(token: ApiToken | None) -> Actor:
    return token.user if token is not None else AnonymousUser()


def actor_label(token: ApiToken) -> str:
    """How the audit log names a change made with ``token``."""
    return f"{token.user.get_username()} (API, token {token.prefix}…)"[:150]

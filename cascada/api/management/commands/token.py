"""``cascada token --user U [--name N]``: a personal API token for ``U``, its key printed once.
``--list`` shows the user's tokens (prefix, name, dates); ``--revoke PREFIJO`` revokes them.
Creating and revoking are audited with the actor ``cli``. Bad input: a Spanish message on
stderr and exit status 2."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any, NoReturn

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cascada.api.models import ApiToken
from cascada.api.tokens import create_token, revoke_tokens

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "Crea un token personal de la API para un usuario y muestra la clave una sola vez "
        "(Authorization: Bearer <clave>). Con --list muestra sus tokens; con --revoke los revoca."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--user", required=True, metavar="USUARIO", help="Nombre de usuario.")
        parser.add_argument(
            "--name", default="", metavar="NOMBRE", help="Para qué es el token (p. ej. SEGPLAN)."
        )
        parser.add_argument("--list", action="store_true", help="Lista los tokens del usuario.")
        parser.add_argument(
            "--revoke", default=None, metavar="PREFIJO", help="Revoca los tokens con ese prefijo."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["user"]
        model = get_user_model()
        user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
        if user is None:
            self._fail(f"No existe el usuario «{username}».")
        if options["list"]:
            for token in ApiToken.objects.filter(user=user).order_by("created_at", "id"):
                state = "revocado" if token.is_revoked else "vigente"
                used = token.last_used_at.isoformat() if token.last_used_at else "nunca"
                self.stdout.write(
                    f"{token.prefix}…\t{token.name or '-'}\t{state}\tcreado "
                    f"{token.created_at.isoformat()}\túltimo uso {used}"
                )
            return
        prefix: str | None = options["revoke"]
        if prefix is not None:
            if len(prefix) < 6:
                self._fail("--revoke: indique al menos 6 caracteres del prefijo (p. ej. cas_AbCd).")
            count = revoke_tokens(user=user, prefix=prefix, actor_label="cli")
            if not count:
                self._fail(
                    f"El usuario «{username}» no tiene tokens vigentes con prefijo {prefix}."
                )
            self.stdout.write(f"Tokens revocados: {count}.")
            return
        if not user.is_active:
            self._fail(f"El usuario «{username}» está inactivo: su token no funcionaría.")
        name: str = options["name"].strip()
        if len(name) > 100:
            self._fail("--name: como máximo 100 caracteres.")
        token, key = create_token(user=user, name=name, actor_label="cli")
        self.stderr.write(
            f"Token {token.prefix}… creado para {username}. Guarde la clave: no se volverá a "
            "mostrar. Úsela como «Authorization: Bearer <clave>».",
            style_func=_plain,
        )
        self.stdout.write(key)

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(INVALID_INPUT)


def _plain(text: str) -> str:
    return text

"""Errors as the API answers them: JSON, in Spanish, one shape per kind.

* 400 ``{"detail"}``: a body that is not JSON.
* 401 ``{"detail"}`` with ``WWW-Authenticate: Bearer``: a missing or invalid token.
* 403, 404 ``{"detail"}``.
* 409 ``{"detail", "actual"}``: a version conflict (``actual`` is the report as it is now) or a
  cut that is not open.
* 422 ``{"detail", "errores": [{"campo", "mensaje"}]}``: every field that failed, whether the
  request's shape (pydantic) or a rule (``cascada.tracking.reporting``) caught it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

INVALID = "Los datos enviados no son válidos."
UNAUTHORIZED = (
    "Falta un token válido. Envíe «Authorization: Bearer <clave>» con un token personal "
    "vigente (se crea con «cascada token --user USUARIO»)."
)
NOT_FOUND = "No encontrado."
BAD_BODY = "El cuerpo de la solicitud no es JSON válido (UTF-8)."

# Where pydantic puts a value: the request part, then (for a body) the parameter's own name.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# Union members pydantic adds to a location ("ejecutado", "int"): not part of the field.
_UNION_TAGS = {"int", "float", "str", "bool", "none", "list[str]", "constrained-str"}


class ApiError(HttpError):
    """An error with a Spanish message (``HttpError`` whose text is shown as it is)."""


def field_name(loc: Iterable[Any], body_params: set[str]) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] in body_params:
            parts.pop(0)
    kept = [str(p) for p in parts if not (isinstance(p, str) and p in _UNION_TAGS)]
    return ".".join(kept) or "cuerpo"


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "Falta este campo."
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "Debe ser un número entero."
    if kind == "greater_than_equal":
        return f"Debe ser mayor o igual que {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"Debe ser menor o igual que {ctx.get('le')}."
    if kind.startswith("date") or kind.startswith("datetime"):
        return "Debe ser una fecha AAAA-MM-DD."
    if kind in {"enum", "literal_error"}:
        expected = str(ctx.get("expected", "")).replace(" or ", " o ")
        return f"Debe ser uno de: {expected}."
    if kind == "string_too_long":
        return f"Admite como máximo {ctx.get('max_length')} caracteres."
    if kind == "string_pattern_mismatch":
        return "Contiene caracteres no admitidos."
    if kind in {"string_type", "string_unicode"}:
        return "Debe ser un texto."
    if kind == "list_type":
        return "Debe ser una lista."
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "Debe ser un objeto JSON."
    return "Valor no válido."


def field_errors(
    errors: Iterable[Mapping[str, Any]], body_params: set[str]
) -> list[dict[str, str]]:
    """Pydantic's errors as ``{"campo", "mensaje"}``, one per field (a union's members give
    several errors for one field: they become one message)."""
    found: dict[str, str] = {}
    for error in errors:
        name = field_name(error.get("loc", ()), body_params)
        union = any(isinstance(p, str) and p in _UNION_TAGS for p in error.get("loc", ()))
        if name in found:
            continue
        found[name] = (
            "Debe ser un número, un texto con un número (p. ej. '1.234,5' o '0.18') o null."
            if union and name == "ejecutado"
            else _message(error)
        )
    return [{"campo": k, "mensaje": v} for k, v in found.items()]


def invalid(errors: list[dict[str, str]]) -> dict[str, Any]:
    return {"detail": INVALID, "errores": errors}


def install(api: NinjaAPI, *, body_params: set[str]) -> None:
    """Replace ninja's default handlers (English, and a different shape per error)."""

    # ninja types a handler's argument as "the exception or its class"; it is always an instance.
    def on_validation(
        request: HttpRequest, exc: ValidationError | type[ValidationError]
    ) -> HttpResponse:
        found = exc.errors if isinstance(exc, ValidationError) else []
        return api.create_response(request, invalid(field_errors(found, body_params)), status=422)

    def on_http_error(request: HttpRequest, exc: HttpError | type[HttpError]) -> HttpResponse:
        if not isinstance(exc, HttpError):
            exc = HttpError(500, "Error interno.")
        if isinstance(exc, AuthenticationError):
            response = api.create_response(request, {"detail": UNAUTHORIZED}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="cascada"'
            return response
        if isinstance(exc, ApiError):
            message = exc.message
        elif exc.status_code == 400:
            message = BAD_BODY
        else:
            message = {403: "No tiene permiso.", 429: "Demasiadas solicitudes."}.get(
                exc.status_code, exc.message
            )
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    def on_not_found(request: HttpRequest, exc: Http404 | type[Http404]) -> HttpResponse:
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)

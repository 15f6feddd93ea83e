"""The REST API: ``/api/v1/…`` (``v1``), its OpenAPI schema at ``/api/openapi.json`` and its
interactive documentation at ``/api/docs``.

The documentation page is Swagger UI as django-ninja ships it (``ninja`` in ``INSTALLED_APPS``
makes ninja render it with its own bundled files, served from ``/static/ninja/``): nothing is
loaded from a CDN, and Swagger UI's online validator is turned off, so the page works without
network access. A future version 2 is another router under ``v2/`` beside this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from cascada.api import errors
from cascada.api.v1 import router as v1

DESCRIPTION = """\
API de **cascada**: los planes estratégicos sectoriales, sus objetivos, metas e indicadores, los
cortes de seguimiento con sus resultados calculados (cada cifra con los términos que la
producen) y el reporte de avance de las entidades.

* Los cortes **publicados** y sus resultados son públicos; los demás requieren un token de un
  usuario que pueda ver los borradores del plan.
* Token personal: `Authorization: Bearer <clave>`; se crea con
  `cascada token --user USUARIO --name NOMBRE`.
* Porcentajes en puntos porcentuales, sin redondear (183.333… es 183,33 %); `null` donde una cifra
  no está definida (p. ej. un objetivo sin programación al corte).
* Listas paginadas con `limit` y `offset`: la respuesta es `{"items": [...], "count": N}`.
* Errores en JSON y en español; los de datos (422) traen un mensaje por campo.
* Datos abiertos de cada corte publicado (CSV, XLSX, JSON y Data Package): `/datos/`.
"""


class Renderer(JSONRenderer):
    """JSON with its text as it is ("Secretaría", not "Secretar\\u00eda"); JSON is UTF-8 by
    definition (RFC 8259), which is how Django encodes the response."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    title="cascada API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None}),
    renderer=Renderer(),
)
api.add_router("/v1/", v1)
errors.install(api, body_params={"datos"})

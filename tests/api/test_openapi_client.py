"""A client that knows only the OpenAPI schema (and a token) can list the seed plan's objectives
with their figures and submit a progress report, as an outside script would."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest


class SchemaClient:
    """Finds operations by ``operationId`` in ``/api/openapi.json`` and calls them; builds
    nothing from knowledge of cascada's URLs."""

    def __init__(self, client: Any, token: str | None = None) -> None:
        self.client = client
        self.token = token
        self.schema = client.get("/api/openapi.json").json()
        self.operations: dict[str, tuple[str, str, dict[str, Any]]] = {
            op["operationId"]: (method, path, op)
            for path, item in self.schema["paths"].items()
            for method, op in item.items()
        }

    def parameters(self, operation_id: str, where: str) -> set[str]:
        op = self.operations[operation_id][2]
        return {p["name"] for p in op.get("parameters", []) if p["in"] == where}

    def call(
        self,
        operation_id: str,
        path: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
        body: Any = None,
    ) -> tuple[int, Any]:
        method, template, op = self.operations[operation_id]
        path = path or {}
        assert set(re.findall(r"{(\w+)}", template)) == set(path), (operation_id, path)
        assert set(query or {}) <= self.parameters(operation_id, "query")
        url = re.sub(r"{(\w+)}", lambda m: path[m.group(1)], template)
        if query:
            url += "?" + urlencode(query)
        headers = {}
        if self.token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        kwargs: dict[str, Any] = {}
        if body is not None:
            assert "requestBody" in op
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        response = self.client.generic(method.upper(), url, **kwargs, **headers)
        assert str(response.status_code) in op["responses"], (operation_id, response.status_code)
        return response.status_code, response.json()


def test_list_the_seed_objectives_with_their_figures_from_the_schema_alone(client, seed):
    api = SchemaClient(client)
    assert api.schema["openapi"].startswith("3.")
    status, plans = api.call("listar_planes")
    assert status == 200
    plan = plans["items"][0]["codigo"]
    _, cuts = api.call("listar_cortes_plan", {"plan": plan}, {"estado": "publicado"})
    latest = max(c["fecha"] for c in cuts["items"])
    _, objectives = api.call(
        "resultados_objetivos", {"plan": plan, "fecha": latest}, {"limit": 100}
    )
    figures = {o["codigo"]: o["cumplimiento"] for o in objectives["items"]}
    assert figures["O1"] is None
    assert figures["O4"] == pytest.approx(183.3333333333, abs=1e-9)
    assert figures["O6"] == pytest.approx(98.4848484848, abs=1e-9)
    assert [round(figures[f"O{n}"], 2) for n in (2, 3, 5, 7, 8)] == [100, 100, 100, 60, 100]
    o4 = next(o for o in objectives["items"] if o["codigo"] == "O4")
    assert {t["codigo"] for t in o4["explicacion"]["cumplimiento"]} == {"4074", "4075"}


def test_submit_a_progress_report_with_a_token_from_the_schema_alone(client, seed):
    api = SchemaClient(client, token=seed.keys["reportante"])
    assert "TokenApi" in api.schema["components"]["securitySchemes"]
    assert api.operations["guardar_reporte"][2]["security"] == [{"TokenApi": []}]
    _, pending = api.call("listar_reportes_pendientes")
    report = next(r for r in pending["items"] if r["indicador"] == "4075")
    target = {"plan": report["plan"], "fecha": report["corte"], "indicador": report["indicador"]}
    status, saved = api.call(
        "guardar_reporte",
        target,
        body={"version": report["version"], "ejecutado": "12,5", "analisis": "Desde la API."},
    )
    assert status == 200
    assert saved["version"] == report["version"] + 1 and saved["ejecutado"] == 12.5
    status, conflict = api.call(
        "guardar_reporte", target, body={"version": report["version"], "ejecutado": "13"}
    )
    assert status == 409 and conflict["actual"]["version"] == saved["version"]
    status, again = api.call("ver_reporte", target)
    assert status == 200 and again["analisis"] == "Desde la API."

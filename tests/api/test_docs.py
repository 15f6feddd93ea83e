"""``/api/docs`` works without network access: every asset is served by cascada itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders


def test_the_docs_page_loads_nothing_from_another_site(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/ninja/") for a in assets), assets
    assert "cdn" not in html.lower() and "https://" not in html
    found = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)
    assert found is not None
    settings = json.loads(found.group(1))
    assert settings["url"] == "/api/openapi.json"
    assert settings["validatorUrl"] is None  # Swagger UI's online validator badge: off
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


def test_the_bundled_assets_reference_no_remote_file():
    path = finders.find("ninja/swagger-ui.css")
    assert isinstance(path, str)
    css = Path(path).read_text()
    assert not re.search(r"url\((?![\"']?data:)", css)
    assert "@import" not in css


def test_the_schema_is_openapi_with_spanish_descriptions(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "cascada API"
    paths = schema["paths"]
    assert "/api/v1/planes/{plan}/cortes/{fecha}/reportes/{indicador}" in paths
    assert set(paths["/api/v1/planes/{plan}/cortes/{fecha}/reportes/{indicador}"]) == {"get", "put"}
    put = paths["/api/v1/planes/{plan}/cortes/{fecha}/reportes/{indicador}"]["put"]
    assert set(put["responses"]) == {"200", "400", "401", "403", "404", "409", "422"}
    public = paths["/api/v1/planes"]["get"]
    assert public["security"] == [{}, {"TokenApi": []}]
    assert {p["name"] for p in public["parameters"]} >= {"limit", "offset", "vigencia", "sector"}

"""Read endpoints on the seed: figures, explanation terms, visibility, filters and pagination."""

from __future__ import annotations

import pytest

from tests.api.conftest import BASE, DRAFT, PUBLISHED, SECRETARIA, SEED

CUT = f"{BASE}/planes/{SEED}/cortes/{PUBLISHED.isoformat()}"
DRAFT_CUT = f"{BASE}/planes/{SEED}/cortes/{DRAFT.isoformat()}"


def test_objectives_of_the_published_cut_with_their_figures_and_terms(client, seed):
    response = client.get(f"{CUT}/objetivos")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8
    objectives = {o["codigo"]: o for o in body["items"]}
    assert list(objectives) == [f"O{n}" for n in range(1, 9)]
    assert objectives["O4"]["cumplimiento"] == pytest.approx(183.333333333333, abs=1e-9)
    assert objectives["O6"]["cumplimiento"] == pytest.approx(98.484848484848, abs=1e-9)
    assert objectives["O7"]["cumplimiento"] == pytest.approx(60)
    for code in ("O2", "O3", "O5", "O8"):
        assert objectives[code]["cumplimiento"] == pytest.approx(100)
    o1 = objectives["O1"]
    assert o1["cumplimiento"] is None
    assert o1["nota"] == "Sin programación al corte"
    assert o1["indicadores_programados"] == 0
    assert o1["explicacion"]["cumplimiento"] == []
    terms = objectives["O4"]["explicacion"]["cumplimiento"]
    assert [(t["codigo"], round(t["valor"], 2), t["peso_efectivo"]) for t in terms] == [
        ("4074", 100.0, 50.0),
        ("4075", 266.67, 50.0),
    ]
    assert terms[1]["nombre"].startswith("Número Instrumentos")
    assert objectives["O4"]["indicadores"] == 2


def test_the_cut_with_the_plan_figures(client, seed):
    body = client.get(CUT).json()
    assert body["corte"] == {
        "plan": SEED,
        "fecha": "2026-03-31",
        "vigencia": 2026,
        "estado": "publicado",
        "edicion": 1,
        "publicado_el": body["corte"]["publicado_el"],
        "fecha_limite": None,
        "datos_abiertos": f"/datos/{SEED}/2026-03-31/ed1/datapackage.json",
    }
    # (100 + 100 + 183,33 + 100 + 98,48 + 60 + 100) / 7: O1 has nothing programmed
    assert body["cumplimiento"] == pytest.approx(
        (100 + 100 + 550 / 3 + 100 + (100 + 3200 / 33) / 2 + 60 + 100) / 7, abs=1e-9
    )
    assert [t["codigo"] for t in body["explicacion"]["cumplimiento"]] == [
        f"O{n}" for n in range(2, 9)
    ]
    assert len(body["explicacion"]["avance_vigencia"]) == 8


def test_indicators_with_status_alerts_and_numbers(client, seed):
    body = client.get(f"{CUT}/indicadores", {"limit": 100}).json()
    assert body["count"] == 17
    rows = {r["codigo"]: r for r in body["items"]}
    over = rows["4075"]
    assert over["estado"] == "sobreejecutada"
    assert over["avance_corte"] == pytest.approx(800 / 3, abs=1e-9)
    assert over["avance_vigencia"] == pytest.approx(800 / 17, abs=1e-9)
    assert over["programado_corte"] == 3 and over["ejecutado_corte"] == 8
    assert rows["3979"]["avance_vigencia"] == pytest.approx(80.89333333333, abs=1e-9)
    assert rows["4200"]["avance_corte"] == pytest.approx(60)
    assert rows["4231"]["estado"] == "no_programada"
    assert rows["4231"]["avance_corte"] is None
    assert all(isinstance(r["alertas"], list) for r in rows.values())


def test_filters_and_pagination(client, seed):
    page = client.get(f"{CUT}/indicadores", {"limit": 5, "offset": 15}).json()
    assert page["count"] == 17 and len(page["items"]) == 2
    over = client.get(f"{CUT}/indicadores", {"estado": "sobreejecutada"}).json()
    assert [r["codigo"] for r in over["items"]] == ["4075"]
    civil = client.get(
        f"{CUT}/indicadores",
        {"entidad": "Departamento Administrativo del Servicio Civil Distrital"},
    ).json()
    assert {r["codigo"] for r in civil["items"]} == {"4231", "IE-77"}
    o6 = client.get(f"{CUT}/indicadores", {"objetivo": "O6"}).json()
    assert o6["count"] == 4
    goals = client.get(f"{BASE}/planes/{SEED}/metas", {"entidad": SECRETARIA, "limit": 1}).json()
    assert goals["count"] == 15 and len(goals["items"]) == 1
    activities = client.get(f"{BASE}/planes/{SEED}/metas", {"tipo": "actividad"}).json()
    assert [g["codigo"] for g in activities["items"]] == ["Actividad 3"]
    plans = client.get(f"{BASE}/planes", {"vigencia": 2026}).json()
    assert [p["codigo"] for p in plans["items"]] == [SEED]
    assert client.get(f"{BASE}/planes", {"vigencia": 2030}).json()["count"] == 0
    cuts = client.get(f"{BASE}/cortes", {"plan": SEED, "vigencia": 2026}).json()
    assert [c["fecha"] for c in cuts["items"]] == ["2026-03-31"]
    indicators = client.get(f"{BASE}/planes/{SEED}/indicadores", {"vigencia": 2026}).json()
    assert indicators["count"] == 17
    assert indicators["items"][0]["programacion_anual"][0]["vigencia"] == 2026


def test_bad_query_parameters_are_422_with_field_messages(client, seed):
    response = client.get(f"{CUT}/indicadores", {"limit": 0, "estado": "regular"})
    assert response.status_code == 422
    fields = {e["campo"]: e["mensaje"] for e in response.json()["errores"]}
    assert fields["limit"] == "Debe ser mayor o igual que 1."
    assert fields["estado"].startswith("Debe ser uno de:")
    huge = client.get(f"{BASE}/planes", {"offset": 10**30, "vigencia": 10**30})
    assert huge.status_code == 422
    assert client.get(f"{BASE}/planes/{SEED}/cortes/2026-02-30").status_code == 422
    assert client.get(f"{BASE}/planes", {"sector": "a\x00b"}).status_code == 422
    assert client.get(f"{BASE}/planes/NO-EXISTE").json() == {
        "detail": "No existe el plan «NO-EXISTE»."
    }


def test_an_unpublished_cut_is_hidden_without_a_token(client, seed):
    assert client.get(DRAFT_CUT).status_code == 404
    assert client.get(f"{DRAFT_CUT}/objetivos").status_code == 404
    assert client.get(f"{DRAFT_CUT}/indicadores").status_code == 404
    listed = client.get(f"{BASE}/planes/{SEED}/cortes").json()
    assert [c["fecha"] for c in listed["items"]] == ["2026-03-31"]
    assert client.get(f"{BASE}/planes/{SEED}").json()["ultimo_corte"] == "2026-03-31"
    history = client.get(f"{BASE}/planes/{SEED}/indicadores/4075/historial").json()
    assert [p["corte"] for p in history["historial"]] == ["2026-03-31"]
    # a token without the right to see drafts changes nothing
    assert client.get(DRAFT_CUT, **seed.auth("sin_rol")).status_code == 404
    assert client.get(DRAFT_CUT, **seed.auth("reportante")).status_code == 404


def test_an_unpublished_cut_is_visible_with_a_token(client, seed):
    auth = seed.auth("analista")
    body = client.get(DRAFT_CUT, **auth).json()
    assert body["corte"]["estado"] == "abierto"
    assert body["corte"]["edicion"] is None and body["corte"]["datos_abiertos"] is None
    objectives = {
        o["codigo"]: o for o in client.get(f"{DRAFT_CUT}/objetivos", **auth).json()["items"]
    }
    # O4 at the draft cut: 4075 10 of 6 (166,67 %), 4074 programmed and not reported (0 %)
    assert objectives["O4"]["cumplimiento"] == pytest.approx(500 / 6, abs=1e-9)
    assert objectives["O1"]["cumplimiento"] == 0  # IE-77 programmed, not reported
    listed = client.get(f"{BASE}/cortes", **auth).json()
    assert [(c["fecha"], c["estado"]) for c in listed["items"]] == [
        ("2026-03-31", "publicado"),
        ("2026-06-30", "abierto"),
    ]
    history = client.get(f"{BASE}/planes/{SEED}/indicadores/4075/historial", **auth).json()
    assert [(p["corte"], p["estado"]) for p in history["historial"]] == [
        ("2026-03-31", "sobreejecutada"),
        ("2026-06-30", "sobreejecutada"),
    ]
    assert client.get(f"{BASE}/planes/{SEED}", **auth).json()["ultimo_corte"] == "2026-06-30"


def test_an_invalid_token_is_401_even_on_public_data(client, seed):
    for header in ("Bearer cas_no-existe", "Token abc", "Bearer "):
        response = client.get(CUT, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "token" in response.json()["detail"]


def test_reports_listed_for_the_token_user(client, seed):
    assert client.get(f"{BASE}/reportes").status_code == 401
    body = client.get(f"{BASE}/reportes", **seed.auth("reportante")).json()
    codes = [r["indicador"] for r in body["items"]]
    assert "4075" in codes and "IE-77" not in codes  # IE-77 belongs to the Servicio Civil
    assert {r["corte"] for r in body["items"]} == {"2026-06-30"}
    report = next(r for r in body["items"] if r["indicador"] == "4075")
    assert report["version"] == 1 and report["ejecutado"] == 10 and report["editable"]
    assert report["programado_corte"] == 6
    civil = client.get(f"{BASE}/reportes", **seed.auth("reportante_sc")).json()
    assert sorted(r["indicador"] for r in civil["items"]) == ["4231", "IE-77"]
    assert client.get(f"{BASE}/reportes", **seed.auth("sin_rol")).json()["count"] == 0


def test_a_report_of_a_draft_cut_is_visible_to_its_reporter_only(client, seed):
    url = f"{DRAFT_CUT}/reportes/4075"
    assert client.get(url).status_code == 404
    assert client.get(url, **seed.auth("reportante_sc")).status_code == 404
    mine = client.get(url, **seed.auth("reportante")).json()
    assert mine["version"] == 1 and mine["editable"] is True
    seen = client.get(url, **seed.auth("analista")).json()
    assert seen["version"] == 1 and seen["editable"] is False
    published = client.get(f"{CUT}/reportes/4075").json()
    assert published["ejecutado"] == 8 and published["editable"] is False


def test_nul_characters_in_the_path_are_404_on_every_database(client, seed):
    # PostgreSQL refuses NUL in a text parameter: the API must answer before the query.
    assert client.get(f"{BASE}/planes/PES%00X").status_code == 404
    assert client.get(f"{BASE}/planes/{SEED}/indicadores/40%0075/historial").status_code == 404
    put = client.put(
        f"{BASE}/planes/{SEED}/cortes/{DRAFT.isoformat()}/reportes/40%0075",
        data='{"version": 0, "ejecutado": 1}',
        content_type="application/json",
        **seed.auth("superusuario"),
    )
    assert put.status_code == 404

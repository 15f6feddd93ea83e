"""Writing a progress report through the API: permissions, validation, optimistic locking,
audit and recomputation."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cascada.tracking.models import AuditEvent, CutState, ObjectiveCutResult, ProgressReport
from tests.api.conftest import BASE, DRAFT, PUBLISHED, SEED

URL = f"{BASE}/planes/{SEED}/cortes/{DRAFT.isoformat()}/reportes/4075"


def put(client, url, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.put(url, data=data, content_type="application/json", **headers)


def errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["campo"]: e["mensaje"] for e in response.json()["errores"]}


def test_a_report_is_saved_audited_and_the_cut_recomputed(client, seed):
    events = AuditEvent.objects.count()
    response = put(
        client,
        URL,
        {
            "version": 1,
            "ejecutado": "1.234,5",
            "analisis": "  Más instrumentos de los previstos.  ",
            "evidencias": ["https://example.gov.co/acta.pdf"],
        },
        **seed.auth("reportante"),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["ejecutado"] == 1234.5
    assert body["analisis"] == "Más instrumentos de los previstos."
    assert body["evidencias"] == ["https://example.gov.co/acta.pdf"]
    assert body["reportado_el"] is not None

    report = ProgressReport.objects.get(cut=seed.draft, indicator=seed.indicator("4075"))
    assert report.executed == Decimal("1234.5") and report.version == 2
    assert report.reported_by is not None and report.reported_by.username == "reportante"

    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.first()
    assert event is not None
    assert event.action == "reporte:guardar"
    assert event.actor is not None and event.actor.username == "reportante"
    assert "API, token cas_" in event.actor_label
    assert event.before == {
        "version": 1,
        "estado": "borrador",
        "ejecutado": "10",
        "analisis": "Avance de junio.",
        "evidencias": [],
    }
    assert event.after is not None
    assert event.after["ejecutado"] == "1234.5" and event.after["version"] == 2

    # recomputed: 4075 at 1234,5 of 6 → 20.575 %; 4074 programmed and unreported → 0 %
    o4 = ObjectiveCutResult.objects.get(cut=seed.draft, objective__code="O4")
    assert o4.compliance == pytest.approx(Decimal("20575") / 2, abs=Decimal("1e-9"))


def test_numbers_in_json_and_with_a_decimal_point_are_accepted(client, seed):
    auth = seed.auth("reportante")
    first = put(client, URL, {"version": 1, "ejecutado": 7}, **auth)
    assert first.status_code == 200 and first.json()["ejecutado"] == 7
    assert first.json()["analisis"] == "Avance de junio."  # omitted: kept
    second = put(client, URL, {"version": 2, "ejecutado": "0.18", "analisis": ""}, **auth)
    assert second.json()["ejecutado"] == 0.18 and second.json()["analisis"] == ""
    third = put(client, URL, {"version": 3, "ejecutado": 12.25}, **auth)
    assert third.json()["ejecutado"] == 12.25
    cleared = put(client, URL, {"version": 4, "ejecutado": None}, **auth)
    assert cleared.json()["ejecutado"] is None and cleared.json()["version"] == 5


def test_sending_what_is_there_changes_nothing(client, seed):
    auth = seed.auth("reportante")
    events = AuditEvent.objects.count()
    same = put(client, URL, {"version": 1, "ejecutado": "10,0"}, **auth)
    assert same.status_code == 200 and same.json()["version"] == 1
    assert AuditEvent.objects.count() == events


def test_a_first_report_starts_from_version_0(client, seed):
    url = f"{BASE}/planes/{SEED}/cortes/{DRAFT.isoformat()}/reportes/4074"
    auth = seed.auth("reportante")
    assert client.get(url, **auth).json()["version"] == 0
    created = put(client, url, {"version": 0, "ejecutado": "25"}, **auth)
    assert created.status_code == 200 and created.json()["version"] == 1
    again = put(client, url, {"version": 0, "ejecutado": "26"}, **auth)
    assert again.status_code == 409


def test_a_stale_version_is_a_conflict_with_the_current_state(client, seed):
    auth = seed.auth("reportante")
    assert put(client, URL, {"version": 1, "ejecutado": 11}, **auth).status_code == 200
    stale = put(client, URL, {"version": 1, "ejecutado": 12}, **auth)
    assert stale.status_code == 409
    body = stale.json()
    assert "versión enviada 1, versión actual 2" in body["detail"]
    assert body["actual"]["version"] == 2 and body["actual"]["ejecutado"] == 11
    report = ProgressReport.objects.get(cut=seed.draft, indicator=seed.indicator("4075"))
    assert report.executed == 11


def test_a_user_who_may_not_report_the_indicator_is_refused(client, seed):
    for user in ("sin_rol", "analista", "reportante_sc"):
        response = put(client, URL, {"version": 1, "ejecutado": 1}, **seed.auth(user))
        assert response.status_code == 403, user
        assert "no puede reportar" in response.json()["detail"]
    assert put(client, URL, {"version": 1, "ejecutado": 1}).status_code == 401
    report = ProgressReport.objects.get(cut=seed.draft, indicator=seed.indicator("4075"))
    assert report.executed == 10 and report.version == 1


def test_bad_numbers_are_422_with_field_messages_in_spanish(client, seed):
    auth = seed.auth("reportante")
    cases = {
        "abc": "Se encontró «abc»",
        "1,2,3": "Se encontró «1,2,3»",
        "1.23,5": "Se encontró «1.23,5»",
        "0,1234567": "como máximo 6 decimales",
        "1" * 19: "como máximo 18 cifras enteras",
        "NaN": "Se encontró «NaN»",
    }
    for value, message in cases.items():
        found = errors(put(client, URL, {"version": 1, "ejecutado": value}, **auth))
        assert message in found["ejecutado"], (value, found)
    assert (
        "Debe ser un número"
        in errors(put(client, URL, {"version": 1, "ejecutado": True}, **auth))["ejecutado"]
    )
    assert "ejecutado" in errors(put(client, URL, {"version": 1, "ejecutado": 1e400}, **auth))
    many = errors(
        put(
            client,
            URL,
            {
                "version": -1,
                "ejecutado": "x",
                "analisis": "a\x00b",
                "evidencias": ["ftp://x", "https://ok.gov.co/a", ""],
            },
            **auth,
        )
    )
    assert many == {"version": "Debe ser mayor o igual que 0."}  # the shape is checked first
    found = errors(
        put(
            client,
            URL,
            {
                "version": 1,
                "ejecutado": "x",
                "analisis": "a\x00b",
                "evidencias": ["ftp://x", "https://ok.gov.co/a", ""],
            },
            **auth,
        )
    )
    assert set(found) == {"ejecutado", "analisis", "evidencias.0", "evidencias.2"}
    assert "https://" in found["evidencias.0"]
    assert errors(put(client, URL, {"ejecutado": 1}, **auth)) == {"version": "Falta este campo."}
    assert errors(put(client, URL, [1, 2], **auth))
    report = ProgressReport.objects.get(cut=seed.draft, indicator=seed.indicator("4075"))
    assert report.executed == 10 and report.version == 1


def test_a_body_that_is_not_json_is_400(client, seed):
    response = put(client, URL, "{no es json", **seed.auth("reportante"))
    assert response.status_code == 400
    assert response.json()["detail"].startswith("El cuerpo de la solicitud no es JSON")
    assert put(client, URL, b"\xff\xfe", **seed.auth("reportante")).status_code == 400


def test_a_published_cut_is_refused(client, seed):
    url = f"{BASE}/planes/{SEED}/cortes/{PUBLISHED.isoformat()}/reportes/4075"
    response = put(client, url, {"version": 1, "ejecutado": 9}, **seed.auth("reportante"))
    assert response.status_code == 409
    assert "publicado" in response.json()["detail"]
    assert "nueva edición" in response.json()["detail"]
    report = ProgressReport.objects.get(cut=seed.published, indicator=seed.indicator("4075"))
    assert report.executed == 8


def test_a_cut_under_review_is_refused(client, seed):
    seed.draft.state = CutState.EN_REVISION
    seed.draft.save()
    response = put(client, URL, {"version": 1, "ejecutado": 9}, **seed.auth("reportante"))
    assert response.status_code == 409
    assert "en revisión" in response.json()["detail"]


def test_unknown_targets_are_404(client, seed):
    auth = seed.auth("superusuario")
    assert (
        put(
            client,
            f"{BASE}/planes/NO/cortes/2026-06-30/reportes/4075",
            {"version": 0, "ejecutado": 1},
            **auth,
        ).status_code
        == 404
    )
    assert (
        put(
            client,
            f"{BASE}/planes/{SEED}/cortes/2026-07-31/reportes/4075",
            {"version": 0, "ejecutado": 1},
            **auth,
        ).status_code
        == 404
    )
    assert (
        put(
            client,
            f"{BASE}/planes/{SEED}/cortes/2026-06-30/reportes/NO",
            {"version": 0, "ejecutado": 1},
            **auth,
        ).status_code
        == 404
    )


def test_text_postgresql_cannot_store_is_422_not_500(client, seed):
    auth = seed.auth("reportante")
    body = '{"version": 1, "ejecutado": 1, "analisis": "a\\ud800b", "evidencias": ["https://ok.gov.co/a\\u0000b"]}'
    found = errors(put(client, URL, body, **auth))
    assert set(found) == {"analisis", "evidencias.0"}
    spaced = errors(
        put(client, URL, {"version": 1, "ejecutado": 1, "evidencias": ["https://a.co/x y"]}, **auth)
    )
    assert "espacios" in spaced["evidencias.0"]
    long_text = errors(
        put(client, URL, {"version": 1, "ejecutado": 1, "analisis": "x" * 20_001}, **auth)
    )
    assert "20.000" in long_text["analisis"]
    too_many = errors(
        put(
            client, URL, {"version": 1, "ejecutado": 1, "evidencias": ["https://a.co"] * 21}, **auth
        )
    )
    assert "20 enlaces" in too_many["evidencias"]

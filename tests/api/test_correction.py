"""While the seed's published cut is under correction (reopened as edition 2), whoever cannot
see drafts reads edition 1 through the API, as on the dashboard: the cut is listed and readable,
``publicado`` in edition 1, with edition 1's figures and analyses from its snapshot; a token of
staff who may see drafts reads the working figures; once edition 2 is published, everyone reads
it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cascada.tracking import publication
from cascada.tracking.models import ProgressReport
from cascada.tracking.services import recompute_cut
from tests.api.conftest import BASE, PUBLISHED, SEED, Seed

DAY = PUBLISHED.isoformat()
PLAN = f"{BASE}/planes/{SEED}"
CUT = f"{PLAN}/cortes/{DAY}"
REASON = "El ejecutado de 4075 era 4, no 8."
NEW_ANALYSIS = "Análisis corregido, todavía sin publicar."
O4_EDITION_1 = 550 / 3  # (100 + 266,67) / 2: 4075 executed 8 of 3 programmed
O4_CORRECTED = (100 + 400 / 3) / 2  # 4075 executed 4 of 3 programmed: 133,33 %


def read(client: Client, url: str, **auth: Any) -> Any:
    response = client.get(url, **auth)  # every list here is shorter than a page (100)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def objective(client: Client, code: str, **auth: str) -> dict[str, Any]:
    rows = read(client, f"{CUT}/objetivos", **auth)["items"]
    return next(o for o in rows if o["codigo"] == code)


def indicator(client: Client, code: str, **auth: str) -> dict[str, Any]:
    rows = read(client, f"{CUT}/indicadores", **auth)["items"]
    return next(i for i in rows if i["codigo"] == code)


def point(client: Client, code: str, **auth: str) -> dict[str, Any]:
    rows = read(client, f"{PLAN}/indicadores/{code}/historial", **auth)["historial"]
    return next(p for p in rows if p["corte"] == DAY)


def everything(client: Client, **auth: str) -> dict[str, Any]:
    """Every public read that involves the cut, as this client sees it."""
    return {
        "plan": read(client, PLAN, **auth),
        "plans": read(client, f"{BASE}/planes", **auth),
        "plan_cuts": read(client, f"{PLAN}/cortes", **auth),
        "cuts": read(client, f"{BASE}/cortes", **auth),
        "published_cuts": read(client, f"{BASE}/cortes?estado=publicado", **auth),
        "cut": read(client, CUT, **auth),
        "objectives": read(client, f"{CUT}/objetivos", **auth),
        "indicators": read(client, f"{CUT}/indicadores", **auth),
        "history": read(client, f"{PLAN}/indicadores/4075/historial", **auth),
        "report": read(client, f"{CUT}/reportes/4075", **auth),
    }


def correct(seed: Seed) -> None:
    """Reopen the published cut for correction, change 4075's report and recompute."""
    actor = get_user_model().objects.get(username="superusuario")
    publication.start_correction(cut=seed.published, actor=actor, reason=REASON)
    ProgressReport.objects.filter(cut=seed.published, indicator__code="4075").update(
        executed=Decimal(4), analysis=NEW_ANALYSIS
    )
    recompute_cut(cut=seed.published)
    seed.published.refresh_from_db()


def publish_correction(seed: Seed) -> None:
    actor = get_user_model().objects.get(username="superusuario")
    publication.publish(
        cut=seed.published, actor=actor, from_states=["abierto"], check_alerts=False
    )


def test_anonymous_reads_edition_1_while_the_cut_is_corrected(client, seed):
    before = everything(client)
    correct(seed)
    assert (seed.published.state, seed.published.edition) == ("abierto", 1)

    # Every answer is what edition 1 gave, to the last figure and analysis.
    assert everything(client) == before
    cut = read(client, CUT)
    assert (cut["corte"]["estado"], cut["corte"]["edicion"]) == ("publicado", 1)
    assert cut["corte"]["datos_abiertos"] == f"/datos/{SEED}/{DAY}/ed1/datapackage.json"
    assert objective(client, "O4")["cumplimiento"] == pytest.approx(O4_EDITION_1, abs=1e-9)
    row = indicator(client, "4075")
    assert (row["ejecutado_corte"], row["estado"]) == (8, "sobreejecutada")
    assert row["avance_corte"] == pytest.approx(800 / 3, abs=1e-9)
    assert row["analisis"] != NEW_ANALYSIS
    assert point(client, "4075")["ejecutado_corte"] == 8
    assert point(client, "4075")["estado_corte"] == "publicado"
    report = read(client, f"{CUT}/reportes/4075")
    assert (report["ejecutado"], report["estado_corte"], report["editable"]) == (
        8,
        "publicado",
        False,
    )
    assert report["analisis"] == row["analisis"]
    assert read(client, PLAN)["ultimo_corte"] == DAY
    assert [c["fecha"] for c in read(client, f"{PLAN}/cortes")["items"]] == [DAY]
    # the state the public reads is 'publicado': filtering on the working state finds nothing
    assert read(client, f"{BASE}/cortes?estado=abierto")["count"] == 0
    # a token that cannot see drafts reads the same as anonymous
    assert objective(client, "O4", **seed.auth("sin_rol"))["cumplimiento"] == pytest.approx(
        O4_EDITION_1, abs=1e-9
    )


def test_staff_read_the_working_figures_of_the_correction(client, seed):
    correct(seed)
    for user in ("analista", "superusuario"):
        auth = seed.auth(user)
        cut = read(client, CUT, **auth)
        assert (cut["corte"]["estado"], cut["corte"]["edicion"]) == ("abierto", 1)
        assert objective(client, "O4", **auth)["cumplimiento"] == pytest.approx(
            O4_CORRECTED, abs=1e-9
        )
        row = indicator(client, "4075", **auth)
        assert (row["ejecutado_corte"], row["analisis"]) == (4, NEW_ANALYSIS)
        assert point(client, "4075", **auth)["ejecutado_corte"] == 4
        assert point(client, "4075", **auth)["estado_corte"] == "abierto"
        report = read(client, f"{CUT}/reportes/4075", **auth)
        assert (report["ejecutado"], report["analisis"]) == (4, NEW_ANALYSIS)
        listed = read(client, f"{BASE}/cortes?estado=abierto", **auth)["items"]
        assert DAY in [c["fecha"] for c in listed]
    # who reports 4075 (Secretaría General) reads the report being corrected; another entity's
    # reporter reads edition 1's
    mine = read(client, f"{CUT}/reportes/4075", **seed.auth("reportante"))
    assert (mine["ejecutado"], mine["estado_corte"]) == (4, "abierto")
    theirs = read(client, f"{CUT}/reportes/4075", **seed.auth("reportante_sc"))
    assert (theirs["ejecutado"], theirs["estado_corte"]) == (8, "publicado")


def test_everyone_reads_edition_2_once_it_is_published(client, seed):
    correct(seed)
    publish_correction(seed)
    cut = read(client, CUT)
    assert (cut["corte"]["estado"], cut["corte"]["edicion"]) == ("publicado", 2)
    assert cut["corte"]["datos_abiertos"] == f"/datos/{SEED}/{DAY}/ed2/datapackage.json"
    assert objective(client, "O4")["cumplimiento"] == pytest.approx(O4_CORRECTED, abs=1e-9)
    row = indicator(client, "4075")
    assert (row["ejecutado_corte"], row["analisis"]) == (4, NEW_ANALYSIS)
    assert point(client, "4075")["ejecutado_corte"] == 4
    assert point(client, "4075")["edicion"] == 2
    report = read(client, f"{CUT}/reportes/4075")
    assert (report["ejecutado"], report["analisis"]) == (4, NEW_ANALYSIS)

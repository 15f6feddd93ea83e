"""The public dashboard shows the seed report's figures exactly as the seed prints them (es-CO),
explains them, and only shows what a visitor may see."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from cascada.accounts.models import Membership, Role
from cascada.engine.display import NO_PROGRAMMING
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.plans.models import Objective
from cascada.tracking.models import Cut, ProgressReport
from cascada.tracking.publication import start_correction
from cascada.tracking.services import recompute_cut
from tests.web.conftest import SEED, SEED_CUT
from tests.web.pages import get_ok, outline, section, text_of
from tests.workbooks import small_plan, write_workbook

pytestmark = pytest.mark.django_db

PLAN_URL = f"/planes/{SEED}/"
CUT_URL = f"/planes/{SEED}/cortes/2026-03-31/"


def objective_url(code: str) -> str:
    return f"{CUT_URL}objetivos/{code}/"


def indicator_url(code: str) -> str:
    return f"/planes/{SEED}/indicadores/{code}/"


def test_urls_are_the_documented_ones():
    assert reverse("web:plan_list") == "/"
    assert reverse("web:plan", args=[SEED]) == PLAN_URL
    assert reverse("web:cut", args=[SEED, SEED_CUT]) == CUT_URL
    assert reverse("web:objective", args=[SEED, SEED_CUT, "O4"]) == objective_url("O4")
    assert reverse("web:indicator", args=[SEED, "4075"]) == indicator_url("4075")


def test_plan_list(client, demo):
    text = text_of(get_ok(client, "/"))
    assert SEED in text
    assert "Plan Estratégico Sectorial 2024-2027" in text
    assert "Sector Gestión Pública" in text
    assert "31 de marzo de 2026" in text
    assert "105,97%" in text  # the plan's compliance at the cut (mean of O2..O8)


def test_plan_page_is_the_latest_cut_with_the_seed_figures(client, demo):
    for url in (PLAN_URL, CUT_URL):
        html = get_ok(client, url)
        text = text_of(html)
        for figure in ("183,33%", "98,48%", "60,00%", "100,00%", "105,97%"):
            assert figure in text, (url, figure)
        assert "Seguimiento al 31 de marzo de 2026" in text
        # the header: sector, plan, development plan, mission, vision, act, legal basis, method
        for words in (
            "Sector Gestión Pública",
            "Bogotá Camina Segura",
            "Esquema de planeación en cascada",
            "Proyectos de inversión",
            "La Secretaría General de la Alcaldía Mayor de Bogotá es la entidad",
            "En 2038 la Secretaría General",
            "Resolución No. 630 de 2024",
            "Ley 152 de 1994",
            "promedio ponderado",
            "todos pesan igual",
        ):
            assert words in text, (url, words)
        # Objetivo 1 has nothing programmed: said in words, never 0 %
        card = text_of(section(html, 'class="card card--', "</li>\n"))
        assert "Objetivo O1" in card
        assert NO_PROGRAMMING["es"] in card
        assert "%" not in card
        assert "0 indicadores programados de 2" in card


def test_objective_cards_count_statuses_and_show_semaforo_in_words(client, demo):
    html = get_ok(client, CUT_URL)
    o6 = text_of(section(html, ">Objetivo O6<", "</li>\n"))
    assert "98,48%" in o6
    assert "Semáforo: Verde" in o6
    assert "2 indicadores programados de 4" in o6
    assert "Cumplida 1" in o6 and "En rezago 1" in o6 and "No programada al corte 2" in o6
    o4 = text_of(section(html, ">Objetivo O4<", "</li>\n"))
    assert "183,33%" in o4 and "Semáforo: Azul" in o4 and "Sobreejecutada 1" in o4
    o7 = text_of(section(html, ">Objetivo O7<", "</li>\n"))
    assert "60,00%" in o7 and "Semáforo: Rojo" in o7


def test_plan_page_has_progress_figures_kinds_and_chart(client, demo):
    html = get_ok(client, CUT_URL)
    text = text_of(html)
    assert "Avance vigencia 2026 35,09%" in text
    assert "Avance cuatrienio 42,95%" in text
    kinds = text_of(section(html, 'id="kinds-caption"', "</table>"))
    assert "Metas sectoriales 12 9 12 9" in kinds
    assert "Metas estratégicas 4 0 4 0" in kinds
    assert "Actividades 1 1 1 1" in kinds
    assert "Total 17 10 17 10" in kinds
    svg = section(html, "<svg", "</svg>")
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "O4: 183,33%" in svg and f"O1: {NO_PROGRAMMING['es']}" in svg
    assert 'class="chart__ref"' in svg  # the 100 % line
    assert "Datos del gráfico: cumplimiento por objetivo" in text  # the table alternative
    # the plan's own explanation: seven objectives with a figure, O1 left out and why
    how = text_of(section(html, 'id="plan-cumplimiento-title"', "</section>"))
    assert "14,29%" in how and "= 105,97%" in how
    assert "O1" in how and "Sin indicadores incluidos" in how


@pytest.mark.parametrize(
    ("objective", "figures"),
    [
        ("O1", [NO_PROGRAMMING["es"], "0,00%", "No programada al corte"]),
        ("O2", ["100,00%", "80,89%", "Cumplida", "Programación 2026", "75,00", "60,67"]),
        ("O3", ["100,00%", "87,14%"]),
        ("O4", ["183,33%", "266,67%", "47,06%", "18,00%", "Sobreejecutada", "17,00", "8,00"]),
        ("O5", ["100,00%", "64,00%", "68,40%"]),
        ("O6", ["98,48%", "96,97%", "80,00%", "En rezago", "Meta sectorial 372-2302"]),
        ("O7", ["60,00%", "11,11%", "En rezago", "0,27", "0,05", "0,03"]),
        ("O8", ["100,00%", "72,86%", "Cumplida"]),
    ],
)
def test_objective_page_prints_the_seed_table(client, demo, objective, figures):
    text = text_of(get_ok(client, objective_url(objective)))
    for figure in figures:
        assert figure in text, (objective, figure)


def test_objective_table_columns_and_goal_labels(client, demo):
    html = get_ok(client, objective_url("O6"))
    table = text_of(section(html, 'id="goals-caption"', "</table>"))
    for header in (
        "Meta",
        "Indicador",
        "Programación 2026",
        "Programación al corte",
        "Ejecutado al corte",
        "% al corte",
        "% avance vigencia",
        "Estado",
    ):
        assert header in table
    assert "Meta estratégica 72:" in table
    assert "Actividad 3: Implementar 1 modelo" in table  # the code already names its kind
    assert "A3 Modelo para la intervención integral" in table
    assert "0,66 0,64 96,97% 80,00% En rezago" in table


def test_objective_4_explains_its_figure(client, demo):
    html = get_ok(client, objective_url("O4"))
    how = section(html, 'id="obj-cumplimiento-title"', "</section>")
    how_text = text_of(how)
    assert "Cumplimiento al corte: 183,33%" in how_text
    assert "(100,00% × 50,00% + 266,67% × 50,00%) = 183,33%" in how_text
    rows = [text_of(r.split("</tr>")[0]) for r in how.split("<tr>")[2:]]
    assert len(rows) == 2
    assert rows[0].startswith("4074") and rows[0].endswith("100,00% 100,00% igual 50,00%")
    assert rows[1].startswith("4075") and rows[1].endswith("266,67% 266,67% igual 50,00%")
    # the vigencia and cuatrienio figures with their terms
    year = text_of(section(html, 'id="obj-vigencia-title"', "</section>"))
    assert "(18,00% × 50,00% + 47,06% × 50,00%) = 32,53%" in year
    four = text_of(section(html, 'id="obj-cuatrienio-title"', "</section>"))
    assert "(18,00% × 100,00%) = 18,00%" in four
    assert "4075" in four and "Sin meta del cuatrienio" in four
    # the qualitative analysis of the over-executed row
    assert "mayor dinámica de gestión" in text_of(html)


def test_excluded_indicators_say_why(client, demo):
    html = get_ok(client, objective_url("O6"))
    how = text_of(section(html, 'id="obj-cumplimiento-title"', "</section>"))
    assert "(100,00% × 50,00% + 96,97% × 50,00%) = 98,48%" in how
    assert "IE-72" in how and "4248" in how
    assert how.count("No programado al corte: sale del cálculo del cumplimiento.") == 2
    o1 = text_of(
        section(get_ok(client, objective_url("O1")), 'id="obj-cumplimiento-title"', "</section>")
    )
    assert f"Cumplimiento al corte: {NO_PROGRAMMING['es']}" in o1
    assert o1.count("No programado al corte") == 2


def test_indicator_page(client, demo):
    html = get_ok(client, indicator_url("4075"))
    text = text_of(html)
    for words in (
        "Indicador 4075",
        "Número Instrumentos Estratégicos de Cooperación Internacional suscritos",
        "Meta sectorial 223-2153",
        "Objetivo",
        "O4",
        "Suma",
        "E / P",
        "E / M",
        "Programación anual",
        "2026 17,00",
        "266,67%",
        "47,06%",
        "Sobreejecutada",
        "Semáforo: Azul",
        "mayor dinámica de gestión",
        "31 de marzo de 2026 17,00 3,00 8,00 266,67% 47,06%",
    ):
        assert words in text, words
    assert html.count('role="img"') == 2
    assert text_of(get_ok(client, indicator_url("3979"))).count("80,89%") >= 1
    creciente = text_of(get_ok(client, indicator_url("4200")))
    assert "Creciente" in creciente and "(E − LB) / (P − LB)" in creciente
    assert "60,00%" in creciente and "11,11%" in creciente and "3,00%" in creciente


def test_unknown_things_are_404(client, demo):
    for url in (
        "/planes/NO-EXISTE/",
        "/planes/NO-EXISTE/cortes/2026-03-31/",
        f"/planes/{SEED}/cortes/2026-06-30/",
        f"/planes/{SEED}/cortes/2026-02-30/",
        f"{CUT_URL}objetivos/O9/",
        "/planes/NO-EXISTE/cortes/2026-03-31/objetivos/O4/",
        f"/planes/{SEED}/indicadores/9999/",
        f"{PLAN_URL}?corte=ayer",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.get(f"{PLAN_URL}?corte=2026-06-30", headers={"HX-Request": "true"}).status_code
        == 404
    )


def test_pages_are_read_only(client, demo):
    assert client.post(CUT_URL).status_code == 405


@pytest.fixture
def draft(demo):
    """A second cut of the seed plan, still open (not published), with a stored result."""
    cut = Cut.objects.create(plan=Cut.objects.get().plan, date=date(2026, 6, 30))
    recompute_cut(cut=cut)
    return cut


def test_anonymous_visitors_see_published_cuts_only(client, draft):
    assert client.get(f"/planes/{SEED}/cortes/2026-06-30/").status_code == 404
    assert client.get(f"/planes/{SEED}/cortes/2026-06-30/objetivos/O4/").status_code == 404
    html = get_ok(client, PLAN_URL)
    assert "Seguimiento al 31 de marzo de 2026" in html  # the latest *published* cut
    assert "30 de junio de 2026" not in html and "Borrador" not in html
    assert "30 de junio de 2026" not in get_ok(client, indicator_url("4075"))
    assert "30 de junio de 2026" not in get_ok(client, "/")


def test_staff_see_drafts_marked_borrador(staff, draft):
    html = get_ok(staff, PLAN_URL)
    assert "Seguimiento al 30 de junio de 2026" in html  # the latest visible cut
    assert "Borrador" in html
    assert "30 de junio de 2026 (Borrador)" in text_of(
        section(html, '<select id="cut-select"', "</select>")
    )
    objective = text_of(get_ok(staff, f"/planes/{SEED}/cortes/2026-06-30/objetivos/O4/"))
    assert "Borrador" in objective
    indicator = text_of(get_ok(staff, indicator_url("4075")))
    assert "30 de junio de 2026 Borrador" in indicator
    assert "Borrador" in text_of(get_ok(staff, "/"))
    # the published cut is not marked
    assert "Borrador" not in text_of(
        section(get_ok(staff, CUT_URL), 'id="cut-body"', 'id="results-title"')
    )


def test_drafts_follow_the_policy_not_the_staff_flag(client, draft, django_user_model):
    """Staff without a role in the plan see what the public sees; its analysts, reviewers and
    administrators see the drafts (``policy.can_view_drafts``)."""
    user = django_user_model.objects.create_user("personal", is_staff=True)
    client.force_login(user)
    draft_url = f"/planes/{SEED}/cortes/2026-06-30/"
    assert client.get(draft_url).status_code == 404
    assert "Borrador" not in get_ok(client, PLAN_URL)
    assert "Borrador" not in text_of(get_ok(client, "/"))
    Membership.objects.create(user=user, plan=draft.plan, role=Role.ANALISTA)
    assert "Borrador" in get_ok(client, draft_url)
    assert "Borrador" in text_of(get_ok(client, "/"))


def test_a_cut_under_correction_shows_the_public_a_notice_not_drafts(client, demo):
    cut = Cut.objects.get()
    start_correction(cut=cut, actor=None, reason="Se corrige el ejecutado de 4075")
    html = get_ok(client, CUT_URL)
    assert "En corrección" in html and "Se corrige el ejecutado de 4075" in html
    assert f'href="/planes/{SEED}/cortes/2026-03-31/ediciones/"' in html
    assert "183,33%" in html  # edition 1's figures, read from its snapshot
    assert "Borrador" not in text_of(html)
    get_ok(client, f"/planes/{SEED}/cortes/2026-03-31/ediciones/1/")


def test_cut_selector_without_javascript(client, draft):
    html = get_ok(client, PLAN_URL)
    form = section(html, '<form class="cut-form"', "</form>")
    assert 'method="get"' in form and f'action="{PLAN_URL}"' in form
    assert 'name="corte"' in form and 'type="submit"' in form
    assert '<label for="cut-select">' in form
    response = client.get(PLAN_URL, {"corte": "2026-03-31"})
    assert response.status_code == 302
    assert response["Location"] == CUT_URL


def test_cut_selector_with_htmx_gets_the_body_only(staff, draft):
    form = section(get_ok(staff, PLAN_URL), '<form class="cut-form"', "</form>")
    assert f'hx-get="{PLAN_URL}"' in form and 'hx-target="#cut-body"' in form
    response = staff.get(PLAN_URL, {"corte": "2026-03-31"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(
        "<title>Plan Estratégico Sectorial 2024-2027 · 31 de marzo de 2026 · cascada</title>"
    )  # htmx sets the document's title from it
    assert '<div id="cut-body"' in body and "<html" not in body and "cut-select" not in body
    assert "Seguimiento al 31 de marzo de 2026" in body and "183,33%" in body
    assert response["HX-Push-Url"] == CUT_URL
    assert "HX-Request" in response["Vary"]
    # the cut's own URL answers htmx with the body too, and a history restore with the page
    partial = staff.get(CUT_URL, headers={"HX-Request": "true"}).content.decode()
    assert '<div id="cut-body"' in partial and "<html" not in partial
    restore = staff.get(
        CUT_URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_english(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = get_ok(client, objective_url("O4"))
    text = text_of(html)
    assert '<html lang="en">' in html
    assert '<p class="objective-name" lang="es-CO">' in html  # plan data stays Spanish
    assert "183.33%" in text and "266.67%" in text and "47.06%" in text
    assert "183,33%" not in text
    assert "Over-executed" in text and "Met" in text
    assert "Objective O4" in text and "How is it calculated?" in text
    assert "(100.00% × 50.00% + 266.67% × 50.00%) = 183.33%" in text
    assert "March 31, 2026" in text
    plan = text_of(get_ok(client, CUT_URL))
    assert NO_PROGRAMMING["en"] in plan and "Sector strategic objectives" in plan
    assert "Semáforo" not in plan and "Traffic light: Blue" in plan
    assert "Nothing programmed at this cut" in plan
    indicator = text_of(get_ok(client, indicator_url("4075")))
    assert (
        "Indicator 4075" in indicator and "Sum" in indicator and "Sector goal 223-2153" in indicator
    )


def test_language_selector_switches_to_english_and_back(client, demo):
    html = get_ok(client, CUT_URL)
    assert '<html lang="es-CO">' in html
    form = section(html, '<form class="lang-form"', "</form>")
    assert 'method="post"' in form and 'action="/i18n/setlang/"' in form
    assert 'name="language"' in form and "csrfmiddlewaretoken" in form
    response = client.post("/i18n/setlang/", {"language": "en", "next": CUT_URL})
    assert response.status_code == 302 and response["Location"] == CUT_URL
    assert "183.33%" in get_ok(client, CUT_URL)
    client.post("/i18n/setlang/", {"language": "es", "next": CUT_URL})
    assert "183,33%" in get_ok(client, CUT_URL)


def test_spanish_is_the_default_whatever_the_browser_says(client, demo):
    html = get_ok(client, CUT_URL, **{"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="es-CO">' in html and "183,33%" in html


def test_hostile_text_is_escaped(client, demo):
    ProgressReport.objects.filter(indicator__code="4075").update(
        analysis="<script>alert(1)</script> & <b>más</b>"
    )
    Objective.objects.filter(code="O4").update(name='<img src=x onerror="alert(2)">')
    for url in (objective_url("O4"), indicator_url("4075"), CUT_URL):
        html = get_ok(client, url)
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url
        assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html, url
    for url in (objective_url("O4"), indicator_url("4075")):
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;más&lt;/b&gt;" in get_ok(
            client, url
        )


@pytest.mark.parametrize(
    "url",
    ["/", PLAN_URL, objective_url("O4"), objective_url("O1"), indicator_url("4075")],
)
def test_accessible_structure(client, demo, url):
    html = get_ok(client, url)
    page = outline(html)
    assert '<html lang="es-CO">' in html
    assert 'class="skip-link" href="#contenido"' in html and '<main id="contenido"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, (url, page.headings)  # no skipped heading level
    assert page.tables == page.captions
    assert page.th_without_scope == 0
    for tag, attributes in page.tags:
        if tag == "svg":
            assert attributes.get("role") == "img" and attributes.get("aria-labelledby")
        if tag in ("select", "input") and attributes.get("type") != "hidden":
            assert f'<label for="{attributes["id"]}"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


@pytest.fixture
def small(db, tmp_path):
    """The test workbook's plan: 2026 weights 25/75, a 100 % cap, its cuts not published."""
    path = write_workbook(tmp_path / "small.xlsx", small_plan())
    import_workbook(workbook=read_template(path), actor_label="test")
    return "PM-2024"


def test_a_plan_without_published_cuts(client, small):
    text = text_of(get_ok(client, "/planes/PM-2024/"))
    assert "Plan de prueba" in text and "Este plan todavía no tiene cortes publicados." in text
    assert "Sin cortes publicados" in text_of(get_ok(client, "/"))
    assert "todavía no tiene cortes publicados" in text_of(
        get_ok(client, "/planes/PM-2024/indicadores/S/")
    )
    assert client.get("/planes/PM-2024/cortes/2026-06-30/").status_code == 404


def test_weights_and_cap_are_explained(staff, small):
    html = get_ok(staff, "/planes/PM-2024/cortes/2026-06-30/objetivos/A/")
    how = section(html, 'id="obj-cumplimiento-title"', "</section>")
    rows = [text_of(r.split("</tr>")[0]) for r in how.split("<tr>")[2:]]
    assert rows[0].startswith("S ") and rows[0].endswith("150,00% 100,00% 25,00 25,00%")
    assert rows[1].startswith("C ") and rows[1].endswith("75,00% 75,00% 75,00 75,00%")
    text = text_of(how)
    assert "(100,00% × 25,00% + 75,00% × 75,00%) = 81,25%" in text
    assert "supera el tope por indicador" in text
    table = text_of(section(html, 'id="goals-caption"', "</table>"))
    assert "150,00%" in table  # shown uncapped
    plan = text_of(get_ok(staff, "/planes/PM-2024/"))
    assert "Tope por indicador" in plan and "100,00%" in plan
    assert "pesos de la matriz de formulación" in plan

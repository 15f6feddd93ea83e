"""The internal pages (``/gestion/``) and the public edition pages in English: each page's
Spanish interface words are rendered in Spanish and absent in English, where their English
translation stands instead. Plan data (names, analyses, reasons) is Spanish in both languages
and is not checked.

Each Spanish word below is first asserted present in the Spanish page, so a word that a page no
longer shows cannot make the English check pass by itself; an unwrapped heading, label, button,
status or date fails the English check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from cascada.tracking import publication
from cascada.tracking.models import Cut, ProgressReport
from cascada.tracking.models import ReportState as Stage
from cascada.tracking.services import publish_cut, recompute_cut
from tests.accounts.world import OPEN, PLAN_A, PUBLISHED, World

pytestmark = pytest.mark.django_db

CUT = f"/gestion/{PLAN_A}/cortes/{OPEN.isoformat()}/"
FORMULATION = f"/gestion/{PLAN_A}/formulacion/"
EDITIONS = f"/planes/{PLAN_A}/cortes/{PUBLISHED.isoformat()}/ediciones/"
# Never in an English page: Spanish dates and the site's own Spanish frame.
NEVER_IN_ENGLISH = ("de junio de", "de diciembre de", "Ruta de navegación", "Saltar al contenido")


@dataclass(frozen=True)
class Page:
    who: str  # an actor of tests.accounts.world ("anonimo": not signed in)
    url: str
    spanish: tuple[str, ...]
    english: tuple[str, ...]


PAGES = {
    "home": Page(
        "administrador",
        "/gestion/",
        ("Gestión del seguimiento", "Cortes del plan", "Formulación", "Revisión del corte"),
        ("Follow-up management", "Cuts of the plan", "Formulation", "Review of the cut"),
    ),
    "todo": Page(
        "reportante",
        CUT + "pendientes/",
        ("Reportes del corte 30 de junio de 2026", "Indicadores pendientes de reporte"),
        ("Reports for the cut June 30, 2026", "Indicators pending a report"),
    ),
    "report": Page(
        "reportante",
        CUT + "indicadores/C/",
        (
            "Reporte de avance del corte",
            "Guardar borrador",
            "Enviar a revisión",
            "Vista previa del cálculo",
            "Historial del reporte",
        ),
        (
            "Progress report for the cut June 30, 2026",
            "Save draft",
            "Submit for review",
            "Calculation preview",
            "Report history",
        ),
    ),
    "bulk": Page(
        "reportante",
        CUT + "masivo/",
        ("Carga masiva de reportes", "Descargue sus indicadores"),
        ("Bulk entry of reports", "Download your indicators"),
    ),
    "cuts": Page(
        "administrador",
        f"/gestion/{PLAN_A}/cortes/",
        ("Cortes del plan, del más reciente al más antiguo", "Abrir corte"),
        ("Cuts of the plan, newest first", "Open a cut"),
    ),
    "cut": Page(
        "administrador",
        CUT,
        ("Estado del corte", "Cerrar el reporte y pasar a revisión", "Panel de calidad"),
        ("State of the cut", "Close reporting and move to review", "Data quality panel"),
    ),
    "review": Page(
        "revisor",
        CUT + "revision/",
        ("Revisión de los reportes del corte", "Estado del indicador"),
        ("Review of the reports of the cut", "Indicator status"),
    ),
    "review_report": Page(
        "revisor",
        CUT + "revision/S/",
        ("Decisión", "Devolver a la entidad", "Estado del reporte"),
        ("Decision", "Return to the entity", "Report status"),
    ),
    "quality": Page(
        "revisor",
        CUT + "calidad/",
        ("Calidad de datos del corte", "Alertas del corte", "Exceptuar todas"),
        ("Data quality of the cut", "Alerts of the cut", "Override all"),
    ),
    "formulation": Page(
        "administrador",
        FORMULATION,
        ("Metas anuales por vigencia", "Ponderaciones por vigencia", "Cambios formales"),
        ("Annual targets by year", "Weights by year", "Recorded formal changes"),
    ),
    "annual_target": Page(
        "administrador",
        FORMULATION + "metas/S/2026/",
        ("Nueva meta de la vigencia", "Registrar el cambio", "Acto administrativo"),
        ("New annual target", "Record the change", "Administrative act"),
    ),
    "weights": Page(
        "administrador",
        FORMULATION + "pesos/2026/",
        ("Registrar las ponderaciones", "Total de los que tienen meta"),
        ("Record the weights", "Total of those with a target"),
    ),
    "audit_log": Page(
        "superusuario",
        "/gestion/auditoria/",
        ("Exportar el resultado (CSV)", "Registros de auditoría"),
        ("Export the result (CSV)", "Audit records"),
    ),
    "editions": Page(
        "anonimo",
        EDITIONS,
        ("Ediciones publicadas del corte del 31 de diciembre de 2025", "Diferencias entre"),
        ("Published editions of the cut of December 31, 2025", "Differences between editions"),
    ),
    "edition": Page(
        "anonimo",
        EDITIONS + "1/",
        ("Publicada el", "Reemplazada por la edición 2"),
        ("Published on", "Replaced by edition 2"),
    ),
    "diff": Page(
        "anonimo",
        EDITIONS + "1/diferencias/2/",
        ("Los resultados (porcentajes, estados, semáforo)", "Indicador S ·", "Avance del corte"),
        (
            "The results (percentages, statuses, traffic light)",
            "Indicator S ·",
            "Progress at the cut",
        ),
    ),
}


@pytest.fixture
def cycle(world: World) -> World:
    """The world with S's report sent to review at the open cut, and the published cut
    corrected as edition 2 (the editions list, an edition replaced, the diff)."""
    ProgressReport.objects.filter(cut=world.cut(OPEN), indicator__code="S").update(
        state=Stage.ENVIADO
    )
    corrected = publication.start_correction(
        cut=world.cut(PUBLISHED), actor=world.users["revisor"], reason="El ejecutado de S era 7."
    )
    ProgressReport.objects.filter(cut=corrected, indicator__code="S").update(executed=Decimal(7))
    recompute_cut(cut=corrected)
    publish_cut(cut=Cut.objects.get(pk=corrected.pk), actor_label="t")
    return world


def client_in(world: World, who: str, language: str) -> Client:
    client = Client()
    if who != "anonimo":
        client.force_login(world.users[who])  # type: ignore[arg-type]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(world: World, who: str, url: str, language: str) -> str:
    response = client_in(world, who, language).get(url)
    assert response.status_code == 200, (url, language, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_reads_in_english(cycle, name):
    spec = PAGES[name]
    spanish = page(cycle, spec.who, spec.url, "es")
    for words in spec.spanish:
        assert words in spanish, f"{name}: the Spanish page no longer says {words!r}"
    english = page(cycle, spec.who, spec.url, "en")
    assert '<html lang="en">' in english
    left = [w for w in (*spec.spanish, *NEVER_IN_ENGLISH) if w in english]
    assert not left, f"{name}: Spanish left in the English page: {left}"
    missing = [w for w in spec.english if w not in english]
    assert not missing, f"{name}: English missing: {missing}"


def test_refusals_written_by_the_services_read_in_english(cycle):
    """Messages built in Python (form errors, service refusals, labels) follow the language."""
    reporter = client_in(cycle, "reportante", "en")
    form = reporter.get(CUT + "indicadores/C/").content.decode()
    version = form.split('name="version" value="', 1)[1].split('"', 1)[0]
    refused = reporter.post(
        CUT + "indicadores/C/", {"version": version, "ejecutado": "abc", "accion": "enviar"}
    ).content.decode()
    assert "Found “abc”; expected a number" in refused and "Se encontró" not in refused
    sent = reporter.get(CUT + "indicadores/S/").content.decode()
    assert "The report was submitted for review" in sent and "fue enviado" not in sent

    admin = client_in(cycle, "administrador", "en")
    target = admin.post(
        FORMULATION + "metas/S/2026/", {"meta": "diez", "acto": "", "fecha_acto": "", "motivo": ""}
    ).content.decode()
    assert "“diez” is not a number" in target and "no es un número" not in target
    no_act = admin.post(
        FORMULATION + "metas/S/2026/", {"meta": "12", "acto": "", "fecha_acto": "", "motivo": ""}
    ).content.decode()
    assert "Enter the administrative act that adopts the change." in no_act
    assert "Indique" not in no_act
    opened = admin.post(
        f"/gestion/{PLAN_A}/cortes/abrir/",
        {"fecha": date(2026, 12, 31).isoformat(), "fecha_limite": "2027-01-15"},
        follow=True,
    ).content.decode()
    assert "Cut of December 31, 2026 opened." in opened

    quality = client_in(cycle, "revisor", "en").get(CUT + "calidad/").content.decode()
    assert "Report not approved" in quality and "Reporte sin aprobar" not in quality

"""Browser tests: Debian's chromium driven by Playwright against pytest-django's ``live_server``.

The browser is started once for the package and each test gets a fresh context (no cookies).
Screenshots of the key pages go to ``data/artefacts/browser/`` (kept after the run, not in git),
named ``<journey>-<nn>-<step>.png``.

Playwright's sync API runs an event loop in the test's thread, which makes Django's
async-safety check refuse ORM calls there; the tests (and the live server's database flush)
use the ORM from that thread between browser calls, never concurrently with them, so the check
is switched off while the browser runs.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread
from django.utils.text import slugify
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Response,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from cascada.accounts.models import Membership, Role
from cascada.imports.management.commands.demo import DEMO_PASSWORD, SAMPLE
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.plans.models import Entity, Plan
from cascada.tracking import publication

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTEFACTS = Path(settings.DATA_DIR) / "artefacts" / "browser"
PASSWORD = DEMO_PASSWORD  # the demo users' and the ones the tests make
# The users `cascada demo` creates (outside production) for a walk through the workflow.
ADMIN = "planeacion"
REVIEWER = "revisor"
SEED = "PES-GP-2024-2027"
# The demo reporter's two indicators, programmed by ``programming_workbook`` for a new cut.
DAY = "2026-06-30"
OVER, EXACT = "4231", "IE-77"
PROGRAMMED = {OVER: Decimal(20), EXACT: Decimal(30)}
# WCAG 2.1 A and AA, nothing else (best practices are advice, not the bar).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


class SequentialWSGIServer(WSGIServer):
    """One request at a time (Django's development server without threads)."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="package")
def live_server(django_db_setup: None) -> Iterator[LiveServer]:
    """pytest-django's live server, for this package, on 127.0.0.1. On in-memory SQLite the
    server shares the database's one connection, so it serves one request at a time: requests
    in parallel threads (an htmx preview racing a submit) would trip over each other."""
    with pytest.MonkeyPatch.context() as patch:
        if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
            patch.setattr(LiveServerThread, "server_class", SequentialWSGIServer)
        server = LiveServer("127.0.0.1")
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Falta {CHROMIUM}: instálelo con `make system-deps` (apt-get install chromium)."
        )
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTEFACTS.glob("axe-*.txt"):  # the violations of an earlier run
        old.unlink()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


class Browsing:
    """Opens pages, each in its own browser context (its own cookies: one person each), that
    fail the test on script errors and Content-Security-Policy refusals (they show only in the
    console)."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []
        self.refused_pages: set[str] = set()

    def new_page(self) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url,
            locale="es-CO",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"error de script: {error}"))
        page.on("console", self._on_console)
        page.on("response", self._on_response)
        return page

    def _on_response(self, response: Response) -> None:
        # A form refused with 4xx is a page the person reads (the browser still logs it).
        if response.request.resource_type == "document" and 400 <= response.status < 500:
            self.refused_pages.add(response.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        # A file shown bare (JSON) has no <link rel=icon>, so the browser asks for one.
        if message.type != "error" or where.endswith("/favicon.ico"):
            return
        if message.text.startswith("Failed to load resource") and where in self.refused_pages:
            return
        self.problems.append(f"consola: {message.text} ({where})")

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        assert not self.problems, "El navegador informó errores:\n" + "\n".join(self.problems)


@pytest.fixture
def browsing(browser: Browser, live_server: LiveServer) -> Iterator[Browsing]:
    opened = Browsing(browser, live_server.url)
    yield opened
    opened.close()


@pytest.fixture
def page(browsing: Browsing) -> Page:
    return browsing.new_page()


@pytest.fixture
def demo(transactional_db) -> str:
    """The seed plan with its 31 March 2026 cut published, as ``cascada demo`` loads it."""
    call_command("demo", verbosity=0, stdout=io.StringIO())
    return SEED


class Shots:
    """Full-page screenshots of one journey, numbered in the order they are taken."""

    def __init__(self, journey: str) -> None:
        self.journey = journey
        self.count = 0
        for old in ARTEFACTS.glob(f"{journey}-*.png"):
            old.unlink()

    def __call__(self, page: Page, step: str) -> Path:
        self.count += 1
        path = ARTEFACTS / f"{self.journey}-{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def part(self, locator: Locator, step: str) -> Path:
        """A screenshot of one part of the page."""
        self.count += 1
        path = ARTEFACTS / f"{self.journey}-{self.count:02d}-{step}.png"
        locator.screenshot(path=str(path))
        return path


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    return Shots(request.node.name.removeprefix("test_").replace("[", "-").rstrip("]"))


class Accessibility:
    """axe-core at WCAG 2.1 AA over several pages; ``finish`` fails with a readable list of
    every violation found (all pages at once, so one run shows everything to fix)."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.reports: list[str] = []
        self.checked: list[str] = []

    def check(self, page: Page, what: str) -> None:
        results = self.axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        self.checked.append(what)
        if results.violations_count:
            report = f"== {what} ({page.url})\n{results.generate_report()}"
            (ARTEFACTS / f"axe-{slugify(what)}.txt").write_text(report, encoding="utf-8")
            self.reports.append(report)

    def finish(self) -> None:
        if self.reports:
            pytest.fail(
                f"axe: {len(self.reports)} de {len(self.checked)} páginas no cumplen WCAG 2.1 AA:"
                "\n\n" + "\n\n".join(self.reports),
                pytrace=False,
            )


@pytest.fixture
def axe() -> Iterator[Accessibility]:
    audit = Accessibility()
    yield audit
    audit.finish()


def programming_workbook(folder: Path) -> Path:
    """The seed workbook plus the programming of the 30 June cut (no execution yet)."""
    book = openpyxl.load_workbook(SAMPLE)
    for code, programmed in PROGRAMMED.items():
        book["avances"].append([code, datetime(2026, 6, 30), str(programmed), None, None])
    path = folder / "programacion-2026-06-30.xlsx"
    book.save(path)
    return path


def demo_reporter() -> str:
    """The reporter `cascada demo` creates, for the entity first by name (Servicio Civil)."""
    return Membership.objects.get(plan__code=SEED, role=Role.REPORTANTE).user.get_username()


def make_user(username: str, *, staff: bool = False, superuser: bool = False):
    return get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=staff, is_superuser=superuser
    )


def give_role(user, *, plan_code: str, role: Role, entity_name: str | None = None) -> None:
    plan = Plan.objects.get(code=plan_code)
    entity = Entity.objects.get(name=entity_name) if entity_name else None
    Membership.objects.create(user=user, plan=plan, role=role, entity=entity)


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Through the real login page, as a person would."""
    page.goto("/cuenta/ingresar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.locator("form.login-form").get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Salir").count(), f"{username} no pudo ingresar"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Salir").first.click()
    page.wait_for_load_state()


def keep(download, name: str) -> bytes:
    """The bytes of a browser download, also kept as an artefact."""
    target = ARTEFACTS / name
    download.save_as(str(target))
    return target.read_bytes()


@pytest.fixture
def open_cut(demo: str, tmp_path: Path) -> str:
    """The demo with its 30 June 2026 cut programmed (for the demo reporter's two indicators)
    and opened, as the planning office leaves it; the day, ISO."""
    path = programming_workbook(tmp_path)
    import_workbook(workbook=read_template(path), actor_label="test")
    publication.open_cut(
        plan=Plan.objects.get(code=SEED),
        day=date.fromisoformat(DAY),
        deadline=date(2026, 7, 15),
        actor=None,
        actor_label="test",
    )
    return DAY

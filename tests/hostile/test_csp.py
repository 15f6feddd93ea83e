"""Every page is served with the site's Content-Security-Policy and the other protective headers,
and none of them needs what the policy forbids: no inline script, no event-handler attribute, no
inline style, nothing from another site. (A browser enforcing the policy on these pages, the API
docs included, was checked by hand with Chromium; the static check here keeps it true.)"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from cascada.plans.models import Indicator, Objective, Plan
from cascada.web.middleware import SITE_CSP
from cascada.web.views import REPORT_HTML_CSP

pytestmark = pytest.mark.django_db

SEED = "PES-GP-2024-2027"
CUT = f"/planes/{SEED}/cortes/2026-03-31/"


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_the_site_policy_is_strict():
    policy = directives(SITE_CSP)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)
    report = directives(REPORT_HTML_CSP)  # the standalone report: stricter, no script at all
    assert report["default-src"] == ["'none'"] and "script-src" not in report
    assert report["frame-ancestors"] == ["'none'"]


class _Inline(HTMLParser):
    """What a strict policy would block in a page, and every address it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self.loads: list[str] = []
        self._script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=…>")
            if name == "style":
                self.blocked.append(f"<{tag} style={value!r}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.blocked.append("<style>")
        if tag == "script":
            if attributes.get("src"):
                self.loads.append(attributes["src"] or "")
                self._script_type = None
            else:
                # A data block (JSON read by a script) is not executed, so it is allowed.
                kind = (attributes.get("type") or "").lower()
                self._script_type = kind
                if kind not in ("application/json", "application/ld+json"):
                    self.blocked.append("<script> inline")
        if tag == "link" and attributes.get("href"):
            self.loads.append(attributes["href"] or "")
        if tag == "img" and attributes.get("src"):
            self.loads.append(attributes["src"] or "")


def blocked_and_loads(html: str) -> tuple[list[str], list[str]]:
    parser = _Inline()
    parser.feed(html)
    return parser.blocked, parser.loads


@pytest.fixture
def world(db, client, django_user_model):
    call_command("demo", verbosity=0, stdout=io.StringIO())
    admin = django_user_model.objects.create_superuser("admin", password="clave-2026-segura")
    client.force_login(admin)
    plan = Plan.objects.get(code=SEED)
    return {
        "plan": plan,
        "objective": Objective.objects.filter(plan=plan).order_by("pk").first(),
        "indicator": Indicator.objects.filter(goal__objective__plan=plan).order_by("pk").first(),
    }


def main_pages(world) -> list[str]:
    plan, objective, indicator = world["plan"], world["objective"], world["indicator"]
    return [
        "/",
        f"/planes/{SEED}/",
        CUT,
        f"{CUT}objetivos/O4/",
        f"/planes/{SEED}/indicadores/4075/",
        "/datos/",
        "/api/docs",
        "/cuenta/ingresar/",
        "/importar/",
        "/gestion/",
        "/admin/",
        "/admin/plans/plan/",
        f"/admin/plans/plan/{plan.pk}/change/",
        "/admin/plans/objective/",
        f"/admin/plans/objective/{objective.pk}/change/",
        "/admin/plans/indicator/",
        f"/admin/plans/indicator/{indicator.pk}/change/",
        "/admin/plans/indicator/add/",
    ]


def test_every_main_page_sends_the_policy_and_needs_nothing_it_forbids(client, world):
    for url in main_pages(world):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Security-Policy"] == SITE_CSP, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        blocked, loads = blocked_and_loads(response.content.decode())
        assert blocked == [], (url, blocked)
        for address in loads:
            parts = urlsplit(address)
            # Same site only (a relative address), or the empty favicon ``data:,``.
            assert not parts.netloc and parts.scheme in ("", "data"), (url, address)


def test_the_signed_out_pages_and_errors_send_it_too(client, world):
    client.logout()
    for url, status in (("/", 200), ("/cuenta/ingresar/", 200), ("/no-existe/", 404)):
        response = client.get(url)
        assert response.status_code == status
        assert response["Content-Security-Policy"] == SITE_CSP, url
    api = client.get("/api/v1/planes")
    assert api.status_code == 200 and api["Content-Security-Policy"] == SITE_CSP
    static = client.get("/static/web/cascada.css")
    assert static.status_code == 200 and static["Content-Security-Policy"] == SITE_CSP


def test_the_html_report_keeps_its_own_stricter_policy(client, world):
    response = client.get(f"{CUT}informe.html")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == REPORT_HTML_CSP
    html = response.content.decode()
    assert "<script" not in html

"""Published pages come from the cache (cascada/web/pagecache.py) exactly as they would be
rendered, are never stale, and never carry one visitor's token or drafts to another. The cache is
the configured one (the database's by default), so these run on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cascada.tracking.models import Cut, ProgressReport
from cascada.tracking.publication import start_correction
from cascada.tracking.services import publish_cut, recompute_cut
from cascada.web.pagecache import CSRF_PLACEHOLDER
from tests.web.conftest import BIG, BIG_CUTS, SEED, SEED_CUT
from tests.web.pages import get_ok, section, text_of

pytestmark = pytest.mark.django_db

CUT_URL = f"/planes/{SEED}/cortes/{SEED_CUT.isoformat()}/"
SEED_PAGES = [
    f"/planes/{SEED}/",
    CUT_URL,
    f"{CUT_URL}objetivos/O4/",
    f"/planes/{SEED}/indicadores/4075/",
]
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# Headers that differ between any two responses whatever the cache does.
PER_RESPONSE = {"Set-Cookie"}


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cascada_cache")
        (count,) = cursor.fetchone()
    return int(count)


def same_page(response) -> tuple[bytes, list[tuple[str, str]]]:
    """A response's body with its CSRF tokens blanked (each response gets a new one), and its
    headers."""
    assert response.status_code == 200
    headers = sorted((k, v) for k, v in response.headers.items() if k not in PER_RESPONSE)
    return TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', response.content), headers


def test_the_cache_is_the_database_by_default():
    assert str(settings.CACHES["default"]["BACKEND"]).endswith("DatabaseCache")
    assert cache_rows() == 0  # the table exists: created by a migration


@pytest.mark.parametrize("language", ["es", "en"])
def test_cached_pages_are_byte_identical_to_rendered_ones(
    client, demo, big_plan, settings, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    urls = [
        "/",
        *SEED_PAGES,
        f"/planes/{BIG}/cortes/{BIG_CUTS[1].isoformat()}/objetivos/O3/",
    ]
    settings.CASCADA_PAGE_CACHE_SECONDS = 0
    rendered = [same_page(client.get(url)) for url in urls]
    htmx = same_page(client.get(CUT_URL, headers={"HX-Request": "true"}))
    settings.CASCADA_PAGE_CACHE_SECONDS = 3600
    assert cache_rows() == 0
    first = [same_page(client.get(url)) for url in urls]  # rendered and stored
    assert cache_rows() == len(urls)
    again = [same_page(client.get(url)) for url in urls]  # from the cache
    assert first == rendered and again == rendered
    assert same_page(client.get(CUT_URL, headers={"HX-Request": "true"})) == htmx
    assert same_page(client.get(CUT_URL, headers={"HX-Request": "true"})) == htmx
    assert htmx[0] != rendered[1][0]  # the body alone is a page of its own


def test_a_cached_page_runs_two_queries_whatever_the_plan(
    client, demo, big_plan, django_assert_max_num_queries
):
    """The plan's fingerprint and the cache read: the size of the page no longer matters."""
    urls = [*SEED_PAGES, f"/planes/{BIG}/", f"/planes/{BIG}/cortes/2026-06-30/objetivos/O3/"]
    for url in urls:
        get_ok(client, url)
    for url in urls:
        with django_assert_max_num_queries(2):
            get_ok(client, url)


def test_every_visitor_gets_their_own_csrf_token(demo):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [first.get(CUT_URL), second.get(CUT_URL)]  # the second from the cache
    tokens = [TOKEN.findall(p.content)[0].decode() for p in pages]
    assert CSRF_PLACEHOLDER not in tokens[1] and tokens[0] != tokens[1]
    assert all(p.cookies[settings.CSRF_COOKIE_NAME].value for p in pages)
    # each token works with its own visitor's cookie: the language form posts
    for visitor, token in ((first, tokens[0]), (second, tokens[1])):
        answer = visitor.post(
            "/i18n/setlang/", {"language": "en", "next": CUT_URL, "csrfmiddlewaretoken": token}
        )
        assert answer.status_code == 302
    refused = Client(enforce_csrf_checks=True)
    refused.get(CUT_URL)
    answer = refused.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": tokens[0]})
    assert answer.status_code == 403


def test_publishing_a_cut_shows_it_at_once(client, big_plan):
    plan = f"/planes/{BIG}/"
    assert "Seguimiento al 30 de junio de 2026" in text_of(get_ok(client, plan))
    assert "Seguimiento al 30 de junio de 2026" in text_of(get_ok(client, plan))  # cached
    publish_cut(cut=Cut.objects.get(plan__code=BIG, date=BIG_CUTS[2]), actor_label="test")
    text = text_of(get_ok(client, plan))
    assert "Seguimiento al 30 de septiembre de 2026" in text and "Borrador" not in text
    objective = f"/planes/{BIG}/cortes/{BIG_CUTS[2].isoformat()}/objetivos/O3/"
    get_ok(client, objective)


def test_a_correction_shows_its_new_figures_at_once(client, demo, settings):
    url = f"{CUT_URL}objetivos/O4/"
    before = get_ok(client, url)
    get_ok(client, url)  # from the cache
    assert "Cumplimiento al corte: 183,33%" in text_of(before)
    cut = Cut.objects.get(plan__code=SEED, date=SEED_CUT)
    start_correction(cut=cut, actor=None, reason="Se corrige el ejecutado de O4")
    during = text_of(get_ok(client, url))  # the edition in force, with the notice
    assert "Cumplimiento al corte: 183,33%" in during and "En corrección" in during
    assert "Se corrige el ejecutado de O4" in during
    ProgressReport.objects.filter(cut=cut, indicator__goal__objective__code="O4").update(
        executed=Decimal("0")
    )
    recompute_cut(cut=cut)
    publish_cut(cut=cut, actor_label="test", reason="Se corrige el ejecutado de O4")
    after = client.get(url)
    assert "Cumplimiento al corte: 183,33%" not in text_of(after.content.decode())
    settings.CASCADA_PAGE_CACHE_SECONDS = 0
    assert same_page(after) == same_page(client.get(url))  # what a fresh rendering shows


def test_reopening_a_published_cut_shows_its_notice_at_once(client, big_plan):
    url = f"/planes/{BIG}/cortes/{BIG_CUTS[1].isoformat()}/objetivos/O3/"
    assert "En corrección" not in text_of(get_ok(client, url))
    get_ok(client, url)
    start_correction(
        cut=Cut.objects.get(plan__code=BIG, date=BIG_CUTS[1]), actor=None, reason="Revisión"
    )
    assert "En corrección" in text_of(get_ok(client, url))
    assert "En corrección" in text_of(get_ok(client, f"/planes/{BIG}/"))


def test_the_list_of_plans_is_cached_and_shows_a_publication_of_any_plan_at_once(staff, big_plan):
    """``/`` has one row per plan (1.100 at national size): cached under the latest change of
    any plan; staff, who see drafts, neither read nor fill that entry."""
    client = Client()  # anonymous (``staff`` is the signed-in ``client`` fixture)
    before = cache_rows()
    assert "30 de junio de 2026" in text_of(get_ok(client, "/"))
    stored = cache_rows()
    assert stored == before + 1
    assert "30 de junio de 2026" in text_of(get_ok(client, "/"))  # from the cache
    assert cache_rows() == stored
    assert "30 de septiembre de 2026" in text_of(get_ok(staff, "/"))  # their drafts
    assert cache_rows() == stored
    publish_cut(cut=Cut.objects.get(plan__code=BIG, date=BIG_CUTS[2]), actor_label="test")
    assert "30 de septiembre de 2026" in text_of(get_ok(client, "/"))


def test_who_may_see_drafts_never_gets_the_cached_public_page(staff, big_plan):
    plan = f"/planes/{BIG}/"
    client = Client()  # anonymous (``staff`` is the signed-in ``client`` fixture)
    public = get_ok(client, plan)
    assert "Seguimiento al 30 de junio de 2026" in text_of(public)
    stored = cache_rows()
    for _ in range(2):
        html = get_ok(staff, plan)
        assert "Seguimiento al 30 de septiembre de 2026" in text_of(html)
        assert "Borrador" in text_of(html)
    assert cache_rows() == stored  # nor fills it
    # and the public never gets theirs
    assert "Seguimiento al 30 de junio de 2026" in text_of(get_ok(client, plan))


def test_a_signed_in_visitor_without_draft_rights_gets_their_own_header(
    client, demo, django_user_model
):
    anonymous = get_ok(client, CUT_URL)
    user = django_user_model.objects.create_user("lector", password="clave-larga-2026")
    signed_in = Client()
    signed_in.force_login(user)
    html = get_ok(signed_in, CUT_URL)
    html_again = get_ok(signed_in, CUT_URL)
    assert 'action="/cuenta/salir/"' in html
    assert "Salir" not in text_of(section(anonymous, "<header", "</header>"))
    assert TOKEN.sub(b"", html.encode()) == TOKEN.sub(b"", html_again.encode())
    assert "Salir" not in text_of(section(get_ok(client, CUT_URL), "<header", "</header>"))


def test_english_and_spanish_are_cached_apart(client, demo):
    spanish = text_of(get_ok(client, CUT_URL))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = text_of(get_ok(client, CUT_URL))
    english_again = text_of(get_ok(client, CUT_URL))
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    spanish_again = text_of(get_ok(client, CUT_URL))
    assert "Seguimiento al 31 de marzo de 2026" in spanish and spanish_again == spanish
    assert "Follow-up at March 31, 2026" in english and english_again == english


def test_a_query_string_is_not_cached(client, demo):
    get_ok(client, CUT_URL)
    stored = cache_rows()
    for n in range(3):
        get_ok(client, f"{CUT_URL}?x={n}")
    assert cache_rows() == stored


def test_pages_of_another_plan_keep_their_entries(client, demo, big_plan):
    """A change to one plan leaves the other plans' pages cached (their keys do not change)."""
    get_ok(client, CUT_URL)
    with CaptureQueriesContext(connection) as queries:
        get_ok(client, CUT_URL)
    assert len(queries) <= 2
    publish_cut(cut=Cut.objects.get(plan__code=BIG, date=BIG_CUTS[2]), actor_label="test")
    with CaptureQueriesContext(connection) as queries:
        get_ok(client, CUT_URL)
    assert len(queries) <= 2


def test_a_day_outside_the_cache_key_still_404s(client, demo):
    assert client.get(f"/planes/{SEED}/cortes/{date(2026, 2, 28).isoformat()}/").status_code == 404
    assert client.get("/planes/NO-EXISTE/").status_code == 404
    assert cache_rows() == 0


def test_an_admin_change_to_a_shared_sector_shows_at_once(client, staff, demo):
    """Sectors are shared by plans and audited without one: their admin edits change every
    plan's key."""
    from cascada.plans.models import Sector

    anonymous = Client()
    sector = Sector.objects.get(plans__code=SEED)
    assert sector.name in get_ok(anonymous, CUT_URL)
    get_ok(anonymous, CUT_URL)
    answer = staff.post(f"/admin/plans/sector/{sector.pk}/change/", {"name": "Sector renombrado"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert "Sector renombrado" in get_ok(anonymous, CUT_URL)


def test_a_new_api_token_keeps_the_cached_pages(client, demo, django_user_model):
    """Tokens are audited without a plan too, but change no page."""
    from cascada.api.tokens import create_token
    from cascada.tracking.models import AuditEvent

    get_ok(client, CUT_URL)
    user = django_user_model.objects.create_user("lectora")
    create_token(user=user, name="lectura")
    assert AuditEvent.objects.filter(plan=None, action="token:crear").exists()
    with CaptureQueriesContext(connection) as queries:
        get_ok(client, CUT_URL)
    assert len(queries) <= 2

"""Every page runs a fixed number of queries, whatever the plan's size: the seed plan (17
indicators, one cut) and a generated one (8 objectives × 40 indicators × 3 cuts) share one bound.
Pages read stored results; they never run the engine. These count the rendering itself, with
the page cache off; a page served from the cache runs two queries (``test_page_cache.py``)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cascada.tracking.models import Cut
from tests.web.conftest import BIG, BIG_CUTS, SEED, SEED_CUT
from tests.web.pages import get_ok, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_not_cached(settings):
    settings.CASCADA_PAGE_CACHE_SECONDS = 0


# One bound for every page and both plans; a logged-in visitor adds the session and user reads,
# and the plan read that asks the policy whether they may see its drafts.
MAX_QUERIES = 8
MAX_QUERIES_STAFF = MAX_QUERIES + 3


def page_urls(plan: str, day: date, objective: str, indicator: str) -> list[str]:
    cut = f"/planes/{plan}/cortes/{day.isoformat()}/"
    return [
        "/",
        f"/planes/{plan}/",
        cut,
        f"{cut}objetivos/{objective}/",
        f"/planes/{plan}/indicadores/{indicator}/",
    ]


SEED_URLS = page_urls(SEED, SEED_CUT, "O4", "4075")
BIG_URLS = page_urls(BIG, BIG_CUTS[1], "O3", "I3-12")


def test_seed_pages_have_bounded_queries(client, demo, django_assert_max_num_queries):
    for url in SEED_URLS:
        with django_assert_max_num_queries(MAX_QUERIES):
            get_ok(client, url)


def test_big_plan_pages_have_the_same_bound(client, demo, big_plan, django_assert_max_num_queries):
    for url in BIG_URLS:
        with django_assert_max_num_queries(MAX_QUERIES):
            get_ok(client, url)
    with django_assert_max_num_queries(MAX_QUERIES):
        get_ok(client, BIG_URLS[1], **{"HX-Request": "true"})


def test_staff_pages_have_the_same_bound_plus_the_session(
    staff, demo, big_plan, django_assert_max_num_queries
):
    draft = BIG_CUTS[2]
    assert not Cut.objects.get(plan__code=BIG, date=draft).is_published
    for url in [*SEED_URLS, *BIG_URLS, *page_urls(BIG, draft, "O8", "I8-39")[2:]]:
        with django_assert_max_num_queries(MAX_QUERIES_STAFF):
            get_ok(staff, url)


def test_query_count_does_not_grow_with_the_plan(client, demo, big_plan):
    """The same page costs the same number of queries on both plans."""
    for seed_url, big_url in zip(SEED_URLS, BIG_URLS, strict=True):
        counts = []
        for url in (seed_url, big_url):
            with CaptureQueriesContext(connection) as queries:
                get_ok(client, url)
            counts.append(len(queries))
        assert counts[0] == counts[1], (seed_url, big_url, counts)


def test_pages_never_run_the_engine(client, demo, big_plan, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("a page view ran the engine")

    monkeypatch.setattr("cascada.engine.compute.compute_cut", fail)
    monkeypatch.setattr("cascada.tracking.services.compute_cut", fail)
    for url in [*SEED_URLS, *BIG_URLS]:
        get_ok(client, url)


def test_big_plan_figures_come_from_the_stored_results(client, big_plan):
    text = text_of(get_ok(client, f"/planes/{BIG}/"))
    assert "Seguimiento al 30 de junio de 2026" in text  # latest published; the draft is hidden
    assert "30 de septiembre de 2026" not in text
    indicator = text_of(get_ok(client, f"/planes/{BIG}/indicadores/I3-12/"))
    assert "31 de marzo de 2026" in indicator and "30 de junio de 2026" in indicator

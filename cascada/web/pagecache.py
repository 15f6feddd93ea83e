"""Rendered public pages kept in Django's cache (``CACHES``, the database by default).

A published edition never changes, so a page that shows only published content is rendered once
per version of what its plan has published, and then served from the cache. The key holds:

- the path (a request with a query string is never cached: no key an outsider can multiply),
  whether htmx asked for the page body only, the active language and the kind of visitor (the
  header differs for a signed-in visitor, and for staff);
- ``selectors.plan_fingerprint``: the plan's latest audit event, the latest shared one and its
  latest edition (for the list of every plan, ``site_fingerprint``: the latest of all);
  publishing, a correction (a new edition), reopening a cut or any audited change gives new
  keys, so a page is never stale;
- the code (templates, Python, translations) and the settings that change a page, so that a
  new release never serves pages rendered by the old one.

Who may see a plan's drafts never reads or fills this cache (``cacheable=False``).

The one per-request value in a page is the CSRF token of its forms (the language selector; the
sign-out button). The page is rendered with a placeholder in its place and each response gets
the visitor's own token (``get_token``, which also sets the CSRF cookie as rendering would):
nobody receives another visitor's token. The response is otherwise the same bytes and headers
as without the cache (``tests/web/test_page_cache.py``).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

import cascada
from cascada.web import selectors

# Stands for the CSRF token while a page is rendered for the cache; its characters survive HTML
# escaping, and no page has any other reason to contain it.
CSRF_PLACEHOLDER = "cascada-csrf-placeholder-9c41e07b5d2f"
# Response headers that a view sets and a cached page must get back (the middleware adds the
# rest on every response, cached or not).
KEPT_HEADERS = ("Content-Type", "Vary", "HX-Push-Url")
CODE_SUFFIXES = (".py", ".html", ".mo")

Build = Callable[[Mapping[str, Any]], HttpResponse]


@cache
def code_version() -> str:
    """A digest of the code and translations that render pages, computed once per process: the
    same on every server running the same release."""
    digest = hashlib.sha256()
    roots = [Path(cascada.__file__).parent, Path(settings.BASE_DIR) / "locale"]
    for root in roots:
        paths = (p for suffix in CODE_SUFFIXES for p in root.rglob(f"*{suffix}"))
        for path in sorted(p for p in paths if "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    digest.update(str(settings.CASCADA_REPORT_SYNC_MAX_INDICATORS).encode())
    return digest.hexdigest()[:16]


def _viewer(request: HttpRequest) -> str:
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    return "staff" if user.is_staff else "user"


def page_key(request: HttpRequest, *, plan_code: str | None, variant: str) -> str | None:
    """The cache key of this request's page (``plan_code`` ``None``: a page of every plan), or
    ``None`` when it is not to be cached."""
    if request.META.get("QUERY_STRING") or settings.CASCADA_PAGE_CACHE_SECONDS <= 0:
        return None
    fingerprint = (
        selectors.site_fingerprint()
        if plan_code is None
        else selectors.plan_fingerprint(plan_code=plan_code)
    )
    if fingerprint is None:
        return None
    parts = (
        code_version(),
        fingerprint,
        translation.get_language() or "",
        _viewer(request),
        variant,
        request.path,
    )
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _pack(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
    headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
    return zlib.compress(response.content, 1), headers


def _unpack(entry: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(zlib.decompress(content))
    for name, value in headers:
        response[name] = value
    return response


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(
            CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
    return response


def public_page(
    request: HttpRequest, *, plan_code: str | None, cacheable: bool, build: Build, variant: str = ""
) -> HttpResponse:
    """The response of ``build`` (a view's rendering, given extra context to merge into its
    template's), from the cache when ``cacheable`` and already there. Only answers 200 are kept;
    ``build`` may raise ``Http404`` as usual."""
    key = page_key(request, plan_code=plan_code, variant=variant) if cacheable else None
    if key is None:
        return build({})
    store = caches["default"]
    entry = store.get(key)
    if entry is None:
        response = build({"csrf_token": CSRF_PLACEHOLDER})
        if response.status_code != 200 or response.streaming:
            return _with_token(request, response)
        entry = _pack(response)
        store.set(key, entry, settings.CASCADA_PAGE_CACHE_SECONDS)
    return _with_token(request, _unpack(entry))

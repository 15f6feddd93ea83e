"""Spanish (es-CO) unless the visitor chose another language with the language selector."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Django's ``LocaleMiddleware`` without ``Accept-Language`` negotiation: the language is the
    one stored by ``set_language`` (the language cookie) or ``LANGUAGE_CODE``. A public
    Colombian report reads in Spanish whatever the browser's settings; English is one click
    away."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        code = chosen if chosen and translation.check_for_language(chosen) else ""
        try:
            language = translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
        except LookupError:
            language = translation.get_supported_language_variant(settings.LANGUAGE_CODE)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# The site's Content-Security-Policy: every script, style, font and image comes from this site
# (no inline script or style anywhere, no CDN), forms post only here, and no other site may
# frame a page. ``data:`` images cover the empty favicon and the icons that the admin's and
# Swagger UI's stylesheets carry inline.
SITE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Sets ``SITE_CSP`` on every response that has not set its own policy (the standalone
    HTML report sets a stricter one). Non-HTML responses get it too: it costs nothing and a
    file opened in the browser (an SVG, a JSON error) may then run nothing either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = SITE_CSP
        return response

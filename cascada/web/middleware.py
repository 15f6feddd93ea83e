"""Spanish (es-CO) unless the visitor chose another language with the language selector."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
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

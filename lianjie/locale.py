from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the reader chose English with the switch (a cookie). The browser's
    Accept-Language is ignored: a resident whose phone is set to English still reads the Chinese page."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response):
        # The language never depends on Accept-Language here, so no "Vary: Accept-Language" that would
        # split public pages into one cache entry per browser.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

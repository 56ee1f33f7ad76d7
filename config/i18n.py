"""The site in French and in English: which language a page is served in.

French pages live at their plain URLs (`/annuaire/`), English ones under `/en/`
(`/en/annuaire/`): `i18n_patterns(prefix_default_language=False)` in config/urls.py, so a
URL keeps its language and a shared link opens in the language it was copied in.

A plain URL is French, unless the visitor chose English with the header's switch (Django's
language cookie, set by `set_language`) or, without a choice, their browser prefers English
(`Accept-Language`): then a GET is redirected to the same page under `/en/`. A visitor who
chose French keeps French, whatever the browser says. The API, the admin and the exports
outside the page routes stay in French (their error messages are part of the public
contract), as Django's LocaleMiddleware already does for unprefixed paths. A file among
the pages (`/annuaire/export.csv`, `/financements/flux.atom`) is not redirected either: its
columns and data do not change with the language, and a GIS tool or a spreadsheet asked for
the URL it was given.
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers


def preferred_language(request) -> str:
    """The language the visitor asked for: their choice (cookie), else their browser's."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return translation.get_language_from_request(request, check_path=False)


class LanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware, plus: a plain (French) page URL asked for by a visitor who prefers
    another language of the site is redirected to that language's URL."""

    def process_request(self, request):
        super().process_request(request)
        if request.method not in ("GET", "HEAD"):
            return None
        if translation.get_language_from_path(request.path_info):
            return None
        if _is_file(request.path_info):
            return None
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if not is_language_prefix_patterns_used(urlconf)[0]:
            return None
        language = preferred_language(request)
        if language == settings.LANGUAGE_CODE:
            return None
        target = f"/{language}{request.path_info}"
        with translation.override(language):  # the prefix matches the active language only
            is_page = is_valid_path(target, urlconf)
        if not is_page:
            return None  # not a page (API, admin): French, as LocaleMiddleware says
        query = request.META.get("QUERY_STRING", "")
        redirect = HttpResponseRedirect(_with_query(target, query))
        patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
        return redirect


def _is_file(path: str) -> bool:
    """Whether the URL names a file (its last segment has an extension): an export, a feed."""
    last = path.rsplit("/", 1)[-1]
    return "." in last.strip(".")


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def language_switch(request) -> dict:
    """Template context: the other language of the site and this page's URL in it."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    others = [(code, name) for code, name in settings.LANGUAGES if code != current]
    path = request.get_full_path()
    return {
        "language_switch": [
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "next": translate_url(path, code),
            }
            for code, name in others
        ]
    }

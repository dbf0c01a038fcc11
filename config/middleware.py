"""Answers that must not be kept by a browser or a shared cache."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Every page and API answer says ``Cache-Control: no-store`` unless its view chose otherwise.

    Nearly every answer carries someone's data (their assignments, ratings, a token), and the few
    that do not (the sign-in page, errors) lose nothing by not being kept. Static files are served
    by WhiteNoise before this middleware is reached and keep their own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

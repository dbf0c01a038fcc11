"""What an htmx request asks for, read from ``request.htmx`` (django-htmx's middleware sets it)."""

from typing import cast

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that has passed through ``django_htmx.middleware.HtmxMiddleware``."""

    htmx: HtmxDetails


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (``HX-Request: true``)."""
    return bool(cast(HtmxHttpRequest, request).htmx)


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for a part of the page; a history restore needs the whole page."""
    details = cast(HtmxHttpRequest, request).htmx
    return bool(details) and not details.history_restore_request

"""Signing in through the API: who may ask for a token how often.

Guessing passwords through ``auth/token/`` is slowed down twice: per client address and per
username, so neither a new address nor a new username per try gets around it. The client address
is the connection's own unless ``NUM_PROXIES`` (DRF's setting, from the environment) says how many
proxies of ours stand in front of the application; only then is ``X-Forwarded-For`` read, and only
the address our nearest proxy saw.

The throttles count in the cache (Redis in production). When the cache is down they step aside with
a warning rather than refuse everyone a token: an outage slows nothing down, but breaks no sign-in.
"""

import logging
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest | Request) -> str:
    """The client's address as our own proxies report it (``NUM_PROXIES``), never as the client claims."""
    # DRF's rule reads only ``request.META``, which a Django request has as well.
    return BaseThrottle().get_ident(cast("Request", request))


def lockout_message() -> str:
    """What someone locked out after too many failed sign-ins is told (django-axes' cool-off).

    Every try during the pause starts it again, so it ends one cool-off from now.
    """
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    until = timezone.localtime(timezone.now() + cool_off)
    minutes = round(cool_off.total_seconds() / 60)
    return (
        "Too many failed sign-ins for this account or from this address. "
        f"Signing in is paused for {minutes} minute{'' if minutes == 1 else 's'}: try again after {until:%H:%M}."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The page django-axes shows instead of signing in (our sign-in page and the admin's)."""
    return render(request, "accounts/locked_out.html", {"message": lockout_message()}, status=429)


class _CacheOutageTolerantThrottle(SimpleRateThrottle):
    """A rate throttle that lets the request through, with a warning, when its cache cannot be reached."""

    counts_by = ""

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except RedisError as error:
            logger.warning(
                "Not throttling auth/token/ by %s: the cache is unreachable (%s).",
                self.counts_by,
                type(error).__name__,
            )
            return True


class TokenAddressThrottle(_CacheOutageTolerantThrottle):
    """``TOKEN_RATE`` tries per client address."""

    scope = "token"
    counts_by = "address"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class TokenUsernameThrottle(_CacheOutageTolerantThrottle):
    """``TOKEN_RATE`` tries per username, whatever address they come from."""

    scope = "token-username"
    counts_by = "username"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        username = request.data.get("username") if isinstance(request.data, dict) else None
        if not isinstance(username, str) or not username.strip():
            return None  # nothing to guess a password for; the address throttle still counts the try
        return self.cache_format % {"scope": self.scope, "ident": username.strip().casefold()}

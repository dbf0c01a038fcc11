"""Signing in: how often one may try, what a locked-out person is told, and how long a token lasts.

Guessing passwords through ``auth/token/`` is slowed down twice: per client address and per
username, so neither a new address nor a new username per try gets around it. The client address
is the connection's own unless ``NUM_PROXIES`` (DRF's setting, from the environment) says how many
proxies of ours stand in front of the application; only then is ``X-Forwarded-For`` read, and only
the address our nearest proxy saw.

A token older than ``TOKEN_TTL_HOURS`` (when set) is refused, and asking for a token again then
gives a new one.

The throttles count in the cache (Redis in production). When the cache is down they step aside with
a warning rather than refuse everyone a token: an outage slows nothing down, but breaks no sign-in.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from redis.exceptions import RedisError
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

if TYPE_CHECKING:  # DRF loads this module while its views are still being imported
    from rest_framework.request import Request
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


def token_expired(token: Token) -> bool:
    """Whether ``token`` is older than ``TOKEN_TTL_HOURS``; with no time to live, tokens never expire."""
    hours: int | None = settings.TOKEN_TTL_HOURS
    return hours is not None and token.created <= timezone.now() - timedelta(hours=hours)


def issue_token(*, user: User) -> Token:
    """The user's token: the one they have, or a new one when they have none or theirs has expired."""
    with transaction.atomic():
        token, _ = Token.objects.select_for_update().get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>``, refusing a token older than ``TOKEN_TTL_HOURS``."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed("Your token has expired; ask for a new one.")
        return user, token

"""Guessing passwords through auth/token/ is slowed down by client address and by username.

A client cannot choose its own address: ``X-Forwarded-For`` is read only when ``NUM_PROXIES`` says
how many proxies of ours stand in front of the application.
"""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.conftest import API

pytestmark = pytest.mark.django_db

WRONG = {"username": "viewer", "password": "wrong"}


@pytest.fixture(autouse=True)
def three_tries_a_minute(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": "3/minute", "token-username": "3/minute"})
    cache.clear()
    yield
    cache.clear()


def ask(body: dict[str, str], **headers: str) -> int:
    return APIClient().post(API + "auth/token/", body, format="json", **headers).status_code


def test_a_new_forwarded_for_header_per_try_does_not_escape_the_throttle(viewer: User) -> None:
    answers = [ask(WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(5)]

    assert answers == [400, 400, 400, 429, 429]


def test_a_new_address_per_try_does_not_escape_the_throttle_on_one_username(viewer: User) -> None:
    answers = [ask(WRONG, REMOTE_ADDR=f"10.0.0.{n}") for n in range(5)]

    assert answers == [400, 400, 400, 429, 429]


def test_the_username_throttle_ignores_case_and_spaces(viewer: User) -> None:
    answers = [
        ask({"username": name, "password": "wrong"}, REMOTE_ADDR=f"10.0.1.{n}")
        for n, name in enumerate(["viewer", "Viewer", " VIEWER ", "viewer"])
    ]

    assert answers == [400, 400, 400, 429]


def test_one_address_is_throttled_whatever_usernames_it_tries(viewer: User) -> None:
    answers = [ask({"username": f"user{n}", "password": "wrong"}) for n in range(4)]

    assert answers == [400, 400, 400, 429]


def test_the_throttled_answer_is_json_and_says_when_to_try_again(viewer: User) -> None:
    for _ in range(3):
        ask(WRONG)

    response = APIClient().post(API + "auth/token/", WRONG, format="json")

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled. Expected available in ")
    assert int(response["Retry-After"]) > 0


def test_behind_a_trusted_proxy_the_address_it_forwarded_counts(viewer: User, settings: pytest.FixtureRequest) -> None:
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}

    # Each client behind our one proxy has its own allowance; a spoofed address it prepends is not read.
    first = [ask({"username": f"a{n}", "password": "x"}, HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 10.0.0.1") for n in range(4)]
    second = ask({"username": "b", "password": "x"}, HTTP_X_FORWARDED_FOR="10.0.0.2")

    assert (first, second) == ([400, 400, 400, 429], 400)

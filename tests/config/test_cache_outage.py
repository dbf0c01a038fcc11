"""When the cache (Redis) is down, throttling steps aside and signing in still works."""

import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import API

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("unreachable_cache")
def test_a_token_is_issued_while_the_cache_is_down_and_a_warning_is_logged(
    viewer: User, password: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="config.auth"):
        response = APIClient().post(API + "auth/token/", {"username": "viewer", "password": password}, format="json")

    assert (response.status_code, response.json()) == (200, {"token": Token.objects.get(user=viewer).key})
    # One warning per throttle that could not count, and no traceback.
    assert [(r.levelname, r.getMessage(), r.exc_info) for r in caplog.records if r.name == "config.auth"] == [
        ("WARNING", "Not throttling auth/token/ by address: the cache is unreachable (ConnectionError).", None),
        ("WARNING", "Not throttling auth/token/ by username: the cache is unreachable (ConnectionError).", None),
    ]


@pytest.mark.usefixtures("unreachable_cache")
def test_signing_in_to_the_pages_works_while_the_cache_is_down(client: Client, manager: User, password: str) -> None:
    response = client.post(reverse("login"), {"username": "manager", "password": password})

    assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)

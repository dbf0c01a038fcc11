"""Too many wrong passwords pause signing in, for the account and for the address they came from.

After five failures in a row (``LOGIN_FAILURE_LIMIT``) the sign-in page, the admin's and
``auth/token/`` refuse even the right password for ``LOGIN_COOLOFF_MINUTES``, say so plainly, and
log it.
"""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects
from rest_framework.test import APIClient

from tests.builders import page_text
from tests.conftest import API

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins for this account or from this address."


def sign_in(client: Client, username: str, password: str, address: str = "127.0.0.1", url: str = "/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(
    client: Client, manager: User, password: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        answers = [sign_in(client, "manager", "wrong").status_code for _ in range(5)]
        refused = sign_in(client, "manager", password)

    assert answers == [200, 200, 200, 200, 429]
    assert refused.status_code == 429
    text = page_text(refused.content.decode())
    assert LOCKED in text
    assert "Signing in is paused for 15 minutes: try again after " in text
    assert "_auth_user_id" not in client.session
    assert any("Locking out" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def test_four_wrong_passwords_then_the_right_one_sign_in(client: Client, manager: User, password: str) -> None:
    for _ in range(4):
        sign_in(client, "manager", "wrong")

    assertRedirects(sign_in(client, "manager", password), reverse("dashboard"), fetch_redirect_response=False)


def test_the_account_is_locked_whatever_address_the_tries_come_from(
    client: Client, manager: User, password: str
) -> None:
    for n in range(5):
        sign_in(client, "manager", "wrong", address=f"10.0.0.{n}")

    assert sign_in(client, "manager", password, address="10.0.0.99").status_code == 429


def test_an_address_is_locked_whatever_accounts_it_tries(client: Client, manager: User, password: str) -> None:
    for n in range(5):
        sign_in(client, f"someone{n}", "wrong")

    assert sign_in(client, "manager", password).status_code == 429


def test_others_still_sign_in_while_one_account_is_locked(
    client: Client, manager: User, viewer: User, password: str
) -> None:
    for _ in range(5):
        sign_in(client, "manager", "wrong", address="10.0.0.1")

    assertRedirects(
        sign_in(client, "viewer", password, address="10.0.0.2"), reverse("dashboard"), fetch_redirect_response=False
    )


def test_after_the_cool_off_the_right_password_signs_in(client: Client, manager: User, password: str) -> None:
    for _ in range(5):
        sign_in(client, "manager", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assertRedirects(sign_in(client, "manager", password), reverse("dashboard"), fetch_redirect_response=False)


def test_the_admin_sign_in_is_locked_out_too(client: Client, admin: User, password: str) -> None:
    url = reverse("admin:login")
    for _ in range(5):
        sign_in(client, "admin", "wrong", url=url)

    refused = sign_in(client, "admin", password, url=url)

    assert refused.status_code == 429
    assert LOCKED in page_text(refused.content.decode())


def test_the_token_endpoint_locks_out_with_a_json_answer(viewer: User, password: str) -> None:
    cache.clear()  # the token throttles allow 10 tries a minute; the lockout comes first
    client = APIClient()
    for _ in range(5):
        client.post(API + "auth/token/", {"username": "viewer", "password": "wrong"}, format="json")

    refused = client.post(API + "auth/token/", {"username": "viewer", "password": password}, format="json")
    cache.clear()

    assert refused.status_code == 429
    assert refused.json()["detail"].startswith(LOCKED + " Signing in is paused for 15 minutes: try again after ")

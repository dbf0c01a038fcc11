"""Signing in and out through our own pages."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from tests.builders import page_text

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_has_labelled_fields(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()

    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert 'autocomplete="current-password"' in html
    assert "<h1>Sign in</h1>" in html
    assert 'action="/accounts/logout/"' not in html  # no account menu before signing in


def test_signing_in_goes_to_the_dashboard(client: Client, manager: User, password: str) -> None:
    response = client.post(reverse("login"), {"username": "manager", "password": password})

    assertRedirects(response, reverse("dashboard"))


def test_signing_in_goes_back_to_the_page_asked_for(client: Client, manager: User, password: str) -> None:
    response = client.post(
        reverse("login"), {"username": "manager", "password": password, "next": reverse("catalogue")}
    )

    assertRedirects(response, reverse("catalogue"))


def test_a_wrong_password_is_refused_with_a_message(client: Client, manager: User) -> None:
    response = client.post(reverse("login"), {"username": "manager", "password": "wrong"})
    html = response.content.decode()

    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "Please enter a correct username and password" in page_text(html)
    assert 'aria-invalid="true"' in html


def test_a_signed_in_user_is_not_shown_the_sign_in_page(signed_in: Callable[[User], Client], viewer: User) -> None:
    assertRedirects(signed_in(viewer).get(reverse("login")), reverse("dashboard"))


def test_signing_out_takes_a_post_and_ends_the_session(signed_in: Callable[[User], Client], viewer: User) -> None:
    client = signed_in(viewer)
    html = client.get(reverse("dashboard")).content.decode()
    assert '<form method="post" action="/accounts/logout/">' in html

    assert client.get(reverse("logout")).status_code == 405
    assertRedirects(client.post(reverse("logout")), reverse("login"))
    assert client.get(reverse("dashboard")).status_code == 302

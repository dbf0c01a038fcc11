"""Nothing noisy on a first visit: the icon is there, and a refusal is one line in the log."""

import logging
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def test_favicon_ico_leads_to_the_shipped_icon(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"
    icon = finders.find("favicon.ico")
    assert icon is not None
    with open(icon, "rb") as file:
        assert file.read(4) == b"\x00\x00\x01\x00"  # an ICO header
    assert client.get(response["Location"]).status_code == 200


def test_every_page_links_its_icon(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in html
    assert client.get("/static/favicon.svg").status_code == 200


def refusals(caplog: pytest.LogCaptureFixture) -> list[tuple[str, int, str, bool]]:
    return [
        (r.name, r.levelno, r.getMessage(), r.exc_info is not None)
        for r in caplog.records
        if r.name.startswith("django.request")
    ]


def test_a_page_refusal_is_one_line_with_who_what_and_status(
    signed_in: Callable[[User], Client], viewer: User, caplog: pytest.LogCaptureFixture
) -> None:
    path = reverse("person_account", args=[viewer.person.pk])

    with caplog.at_level(logging.INFO):
        response = signed_in(viewer).post(path, {"action": "unlink"})

    assert response.status_code == 403
    assert refusals(caplog) == [("django.request", logging.WARNING, f"Refused POST {path} to viewer (403)", False)]
    assert "Traceback" not in caplog.text


def test_an_api_refusal_is_one_line_too(viewer_api: APIClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        response = viewer_api.post(f"{API}teams/", {"name": "Mine"}, format="json")

    assert response.status_code == 403
    assert refusals(caplog) == [("django.request", logging.WARNING, f"Refused POST {API}teams/ to viewer (403)", False)]


def test_an_anonymous_api_request_is_logged_as_anonymous(
    anonymous_api: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = anonymous_api.get(f"{API}people/")

    assert response.status_code == 401
    assert refusals(caplog) == [
        ("django.request", logging.WARNING, f"Refused GET {API}people/ to anonymous (401)", False)
    ]


def test_other_errors_keep_their_usual_message(
    signed_in: Callable[[User], Client], viewer: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        signed_in(viewer).get("/no-such-page/")

    assert refusals(caplog) == [("django.request", logging.WARNING, "Not Found: /no-such-page/", False)]

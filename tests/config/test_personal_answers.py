"""Personal answers are never kept by a browser or a proxy, and API tokens can expire."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import API, token_client

pytestmark = pytest.mark.django_db

EXPIRED = {"detail": "Your token has expired; ask for a new one."}


def no_store(cache_control: str) -> bool:
    return "no-store" in [part.strip() for part in cache_control.split(",")]


@pytest.mark.parametrize("name", ["dashboard", "person_list", "catalogue"])
def test_signed_in_pages_are_not_stored(signed_in: Callable[[User], Client], viewer: User, name: str) -> None:
    response = signed_in(viewer).get(reverse(name))

    assert response.status_code == 200
    assert no_store(response.get("Cache-Control", ""))


def test_api_answers_are_not_stored(viewer_api: APIClient) -> None:
    response = viewer_api.get(API + "people/")

    assert response.status_code == 200
    assert no_store(response.get("Cache-Control", ""))


def test_the_token_answer_is_not_stored(viewer: User, password: str) -> None:
    response = APIClient().post(API + "auth/token/", {"username": "viewer", "password": password}, format="json")

    assert response.status_code == 200
    assert no_store(response.get("Cache-Control", ""))


def test_static_files_keep_their_caching(client: Client) -> None:
    response = client.get("/static/css/spectrum.css")

    assert response.status_code == 200
    assert not no_store(response.get("Cache-Control", ""))


def age_token(user: User, hours: float) -> Token:
    token, _ = Token.objects.get_or_create(user=user)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(hours=hours))
    return token


def test_without_a_time_to_live_tokens_do_not_expire(viewer: User) -> None:
    age_token(viewer, hours=24 * 365)

    assert token_client(viewer).get(API + "skills/").status_code == 200


def test_a_token_older_than_its_time_to_live_is_refused(viewer: User, settings: pytest.FixtureRequest) -> None:
    settings.TOKEN_TTL_HOURS = 24
    age_token(viewer, hours=25)

    response = token_client(viewer).get(API + "skills/")

    assert (response.status_code, response.json()) == (401, EXPIRED)
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_younger_than_its_time_to_live_works(viewer: User, settings: pytest.FixtureRequest) -> None:
    settings.TOKEN_TTL_HOURS = 24
    age_token(viewer, hours=23)

    assert token_client(viewer).get(API + "skills/").status_code == 200


def test_asking_again_after_expiry_gives_a_new_token_that_works(
    viewer: User, password: str, settings: pytest.FixtureRequest
) -> None:
    settings.TOKEN_TTL_HOURS = 24
    old = age_token(viewer, hours=25)

    answer = APIClient().post(API + "auth/token/", {"username": "viewer", "password": password}, format="json").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer['token']}")

    assert answer["token"] != old.key
    assert client.get(API + "skills/").status_code == 200
    assert list(Token.objects.filter(user=viewer).values_list("key", flat=True)) == [answer["token"]]

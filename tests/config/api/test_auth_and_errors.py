"""Getting a token, and the errors every endpoint answers in JSON."""

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import API

pytestmark = pytest.mark.django_db

EVERY_ENDPOINT = [
    ("get", "skill-groups/"),
    ("get", "skill-groups/science/"),
    ("get", "skills/"),
    ("get", "skills/statistics/"),
    ("get", "professions/"),
    ("get", "professions/data-scientist/"),
    ("get", "people/"),
    ("post", "people/"),
    ("get", "people/1/"),
    ("patch", "people/1/"),
    ("put", "people/1/ratings/"),
    ("get", "teams/"),
    ("post", "teams/"),
    ("get", "projects/"),
    ("post", "projects/"),
    ("get", "projects/1/"),
    ("get", "schema/"),
    ("get", "docs/"),
]


def test_a_user_exchanges_their_password_for_a_token_and_uses_it(viewer: User, password: str) -> None:
    client = APIClient()

    response = client.post(API + "auth/token/", {"username": "viewer", "password": password}, format="json")

    assert (response.status_code, response.json()) == (200, {"token": Token.objects.get(user=viewer).key})
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get(API + "people/")
    assert [person["name"] for person in me.json()["results"]] == ["Vic Viewer"]


def test_asking_twice_gives_the_same_token(viewer: User, password: str) -> None:
    client = APIClient()
    credentials = {"username": "viewer", "password": password}

    first = client.post(API + "auth/token/", credentials, format="json").json()
    second = client.post(API + "auth/token/", credentials, format="json").json()

    assert first == second == {"token": Token.objects.get(user=viewer).key}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"username": "viewer", "password": "wrong"},
            {"non_field_errors": ["Unable to log in with provided credentials."]},
        ),
        (
            {"username": "nobody", "password": "wrong"},
            {"non_field_errors": ["Unable to log in with provided credentials."]},
        ),
        ({"username": "viewer"}, {"password": ["This field is required."]}),
        ({}, {"username": ["This field is required."], "password": ["This field is required."]}),
    ],
)
def test_bad_credentials_are_400_and_give_no_token(viewer: User, body: dict, errors: dict) -> None:
    response = APIClient().post(API + "auth/token/", body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert not Token.objects.exists()


def test_the_token_endpoint_takes_json_only(viewer: User, password: str) -> None:
    response = APIClient().post(
        API + "auth/token/", f"username=viewer&password={password}", content_type="application/x-www-form-urlencoded"
    )

    assert (response.status_code, response.json()) == (
        415,
        {"detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.'},
    )
    assert not Token.objects.exists()


def test_a_stale_token_header_does_not_stop_getting_a_new_token(viewer: User, password: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = client.post(API + "auth/token/", {"username": "viewer", "password": password}, format="json")

    assert (response.status_code, response.json()) == (200, {"token": Token.objects.get(user=viewer).key})


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_without_a_token_every_endpoint_is_401_json(anonymous_api: APIClient, method: str, path: str) -> None:
    response = getattr(anonymous_api, method)(API + path, {}, format="json")

    assert (response.status_code, response.json()) == (401, {"detail": "Authentication credentials were not provided."})
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_with_a_wrong_token_every_endpoint_is_401_json(method: str, path: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = getattr(client, method)(API + path, {}, format="json")

    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})


def test_an_unknown_url_under_the_api_is_404_json(viewer_api: APIClient) -> None:
    response = viewer_api.get(API + "no-such-thing/")

    assert (response.status_code, response["Content-Type"], response.json()) == (
        404,
        "application/json",
        {"detail": "Not found."},
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "skills/statistics/"),
        ("put", "professions/data-scientist/"),
        ("delete", "people/{viewer}/"),
        ("put", "people/{viewer}/"),
        ("get", "people/{viewer}/ratings/"),
        ("delete", "teams/"),
        ("put", "projects/"),
        ("post", "schema/"),
    ],
)
def test_a_wrong_method_is_405_json(manager_api: APIClient, viewer: User, method: str, path: str) -> None:
    response = getattr(manager_api, method)(API + path.format(viewer=viewer.person.pk), {}, format="json")

    assert (response.status_code, response.json()) == (405, {"detail": f'Method "{method.upper()}" not allowed.'})


def test_an_unexpected_error_is_a_json_500_without_a_trace(
    viewer_api: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("skills.api.views.list_skills", broken)

    response = viewer_api.get(API + "skills/")

    assert (response.status_code, response.json()) == (
        500,
        {"detail": "Something went wrong on our side; it has been logged."},
    )

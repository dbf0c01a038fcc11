"""Bodies meant to break the API: too large, or nested deeper than a parser can follow."""

import logging

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.conftest import API

pytestmark = pytest.mark.django_db


def test_a_body_over_the_upload_limit_is_refused_with_413_and_no_traceback(
    anonymous_api: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    body = '{"username": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '", "password": "p"}'

    with caplog.at_level(logging.INFO):
        response = anonymous_api.post(API + "auth/token/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        413,
        {"detail": "The request body is larger than 2.5 MB."},
    )
    assert [record for record in caplog.records if record.exc_info] == []


def test_a_signed_in_user_gets_the_same_413(manager_api: APIClient, caplog: pytest.LogCaptureFixture) -> None:
    body = '{"name": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'

    with caplog.at_level(logging.INFO):
        response = manager_api.post(API + "teams/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        413,
        {"detail": "The request body is larger than 2.5 MB."},
    )
    assert [record for record in caplog.records if record.exc_info] == []


@pytest.mark.parametrize("path", ["auth/token/", "teams/"])
def test_json_nested_a_thousand_deep_is_bad_input_and_no_traceback(
    manager_api: APIClient, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    body = "[" * 1000 + "]" * 1000

    with caplog.at_level(logging.INFO):
        response = manager_api.post(API + path, body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error - nested too deeply."},
    )
    assert [record for record in caplog.records if record.exc_info] == []


def test_json_nested_inside_an_object_is_refused_the_same_way(manager_api: APIClient) -> None:
    body = '{"name": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}"

    response = manager_api.post(API + "teams/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error - nested too deeply."},
    )


def test_ordinary_nesting_is_still_read(manager_api: APIClient) -> None:
    body = '{"name": "Radiology", "extra": ' + "[" * 50 + "]" * 50 + "}"

    response = manager_api.post(API + "teams/", body, content_type="application/json")

    assert (response.status_code, response.json()["name"]) == (201, "Radiology")

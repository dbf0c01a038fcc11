"""Fixtures for the REST API tests: more personas, and the paths under /api/v1/."""

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from projects.models import ProjectTemplate
from tests.factories import UserFactory

API = "/api/v1/"


def api_client(user: User) -> APIClient:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def integration() -> User:
    """An integration client: a user in ``integrations`` with no person record."""
    return UserFactory(username="integration", groups=["integrations"])


@pytest.fixture
def integration_api(integration: User) -> APIClient:
    return api_client(integration)


@pytest.fixture
def admin() -> User:
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_api(admin: User) -> APIClient:
    return api_client(admin)


@pytest.fixture
def template() -> ProjectTemplate:
    """A template of our own, so these tests do not depend on the built-in ones."""
    return ProjectTemplate.objects.create(slug="api-test-template", name="API test template")

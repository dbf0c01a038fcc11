"""Personas every test can use.

- ``manager`` runs projects (group ``managers``) and has no person record;
- ``lead`` leads the Imaging team (group ``leads``);
- ``viewer`` is a member of Imaging with no role;
- ``outsider`` is a member of another team with no role;
- ``integration`` is an API client that reads everyone, ``admin`` a superuser.

Each persona has a token-authenticated API client beside it (``manager_api``…), and ``signed_in(user)``
gives the page test client signed in as a user. The browser fixtures live in ``tests.browser_support``.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.celery import app as celery_app
from people.models import Person, Team
from projects.models import ProjectTemplate
from tests.factories import PASSWORD, PersonFactory, TeamFactory, UserFactory

pytest_plugins = ["tests.browser_support"]

API = "/api/v1/"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every transactional test a serialized rollback.

    Transactional tests (a real worker, concurrent requests, the browser) empty the tables when they
    finish, and that would take the catalogue the migrations loaded with them. With serialized
    rollback each one starts from the database as the migrations left it.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
            fixtures & {"transactional_db", "live_server"}
        )
        if transactional:
            kwargs = (marker.kwargs if marker else {}) | {"transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture
def imaging() -> Team:
    return TeamFactory(name="Imaging")


@pytest.fixture
def manager() -> User:
    return UserFactory(username="manager", groups=["managers"])


@pytest.fixture
def lead(imaging: Team) -> User:
    user = UserFactory(username="lead", groups=["leads"])
    person = PersonFactory(name="Lena Lead", user=user, team=imaging)
    imaging.lead = person
    imaging.save()
    return user


@pytest.fixture
def viewer(imaging: Team) -> User:
    user = UserFactory(username="viewer")
    PersonFactory(name="Vic Viewer", user=user, team=imaging)
    return user


@pytest.fixture
def outsider() -> User:
    user = UserFactory(username="outsider")
    PersonFactory(name="Olive Outsider", user=user, team=TeamFactory(name="Pathology"))
    return user


@pytest.fixture
def integration() -> User:
    """An integration client: a user in ``integrations`` with no person record."""
    return UserFactory(username="integration", groups=["integrations"])


@pytest.fixture
def admin() -> User:
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def viewer_person(viewer: User) -> Person:
    return viewer.person


@pytest.fixture
def password() -> str:
    return PASSWORD


def token_client(user: User) -> APIClient:
    """An API client that authenticates the way integrations do: with a token header."""
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anonymous_api() -> APIClient:
    return APIClient()


@pytest.fixture
def manager_api(manager: User) -> APIClient:
    return token_client(manager)


@pytest.fixture
def lead_api(lead: User) -> APIClient:
    return token_client(lead)


@pytest.fixture
def viewer_api(viewer: User) -> APIClient:
    return token_client(viewer)


@pytest.fixture
def outsider_api(outsider: User) -> APIClient:
    return token_client(outsider)


@pytest.fixture
def integration_api(integration: User) -> APIClient:
    return token_client(integration)


@pytest.fixture
def admin_api(admin: User) -> APIClient:
    return token_client(admin)


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    """``signed_in(user)``: the test client, signed in as ``user``."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def template() -> ProjectTemplate:
    """A template of our own, so tests do not depend on the built-in ones."""
    return ProjectTemplate.objects.create(slug="api-test-template", name="API test template")


@pytest.fixture
def closed_broker() -> Iterator[None]:
    """Jobs go to a Redis that is not there: a port nothing listens on."""
    conf = celery_app.conf
    was = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = "redis://127.0.0.1:6390/0", False
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = was


@pytest.fixture
def unreachable_cache(settings: Any) -> None:
    """The cache is a Redis that is not there: a port nothing listens on."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6390/0"}
    }

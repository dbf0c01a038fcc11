"""Personas every test can use.

- ``manager`` runs projects (group ``managers``) and has no person record;
- ``lead`` leads the Imaging team (group ``leads``);
- ``viewer`` is a member of Imaging with no role;
- ``outsider`` is a member of another team with no role.
"""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.celery import app as celery_app
from people.models import Person, Team
from tests.factories import PASSWORD, PersonFactory, TeamFactory, UserFactory


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
def closed_broker() -> Iterator[None]:
    """Jobs go to a Redis that is not there: a port nothing listens on."""
    conf = celery_app.conf
    was = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = "redis://127.0.0.1:6390/0", False
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = was

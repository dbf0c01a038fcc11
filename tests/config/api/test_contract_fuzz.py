"""The API keeps the contract its OpenAPI document states, checked by schemathesis.

The schema is the one served at /api/v1/schema/, loaded from the running Django app. Every operation
gets ten derandomized examples, valid and invalid, sent as the demo organisation's manager, and every
built-in check runs on each answer: server errors, undocumented status codes, content types and
headers, bodies that break the schema, valid data refused, invalid data accepted, ignored
credentials. The operations run in one loop rather than through schemathesis' pytest plugin, whose
lazy loader does not work with pytest 9.
"""

from collections.abc import Iterator
from io import StringIO

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import Case, GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.schemas import BaseSchema

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

# Every built-in check runs. One is told that a schema-valid request may still be refused with 400:
# generated data names ids and slugs that the demo organisation does not hold, a project ending
# before it starts, or a wrong password, and the API refuses those as bad input (DESIGN §5), which
# no OpenAPI 3.0 schema can state. Server errors, undocumented codes and answers that break the
# schema still fail.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]}}}
)


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI application, kept inside the test's transaction as Django's test client keeps it:
    the end of a request must not close the connection that holds the demo organisation."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        cache.clear()  # the token throttle's count, so that later tests may ask for tokens


@pytest.fixture
def manager_token() -> str:
    call_command("load_demo", stdout=StringIO())
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="manager"))
    return token.key


@pytest.fixture
def served_schema(wsgi_app: WSGIHandler, manager_token: str) -> BaseSchema:
    return schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", wsgi_app, headers={"Authorization": f"Token {manager_token}"}, config=CONFIG
    )


def test_every_operation_answers_as_the_schema_says(served_schema: BaseSchema, manager_token: str) -> None:
    headers = {"Authorization": f"Token {manager_token}"}
    failures: dict[str, str] = {}
    operations = [result.ok() for result in served_schema.get_all_operations()]

    for operation in operations:
        strategy = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in GenerationMode))

        @given(case=strategy)
        @settings(max_examples=10, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
        def send(case: Case) -> None:
            case.call_and_validate(headers=headers)

        try:
            send()
        except BaseExceptionGroup as failure:  # every operation runs; all failures show at once
            failures[operation.label] = str(failure)

    assert len(operations) == 46
    assert failures == {}

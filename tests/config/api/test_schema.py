"""The OpenAPI document and the reference page built from it."""

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests.conftest import API

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/v1/auth/token/": ["post"],
    "/api/v1/skill-groups/": ["get"],
    "/api/v1/skill-groups/{slug}/": ["get"],
    "/api/v1/skills/": ["get"],
    "/api/v1/skills/{slug}/": ["get"],
    "/api/v1/professions/": ["get"],
    "/api/v1/professions/{slug}/": ["get"],
    "/api/v1/people/": ["get", "post"],
    "/api/v1/people/{id}/": ["get", "patch"],
    "/api/v1/people/{id}/ratings/": ["put"],
    "/api/v1/teams/": ["get", "post"],
    "/api/v1/projects/": ["get", "post"],
    "/api/v1/projects/{id}/": ["get"],
    "/api/v1/projects/{id}/advance/": ["post"],
    "/api/v1/projects/{id}/history/": ["get"],
    "/api/v1/slots/": ["get", "post"],
    "/api/v1/slots/{id}/": ["get", "patch"],
    "/api/v1/slots/{id}/close/": ["post"],
    "/api/v1/slots/{id}/candidates/": ["get"],
    "/api/v1/projects/{id}/suggest-team/": ["post"],
    "/api/v1/assignments/": ["get", "post"],
    "/api/v1/assignments/{id}/": ["get", "patch", "delete"],
    "/api/v1/assignment-changes/": ["get"],
    "/api/v1/reports/": ["get", "post"],
    "/api/v1/reports/{id}/": ["get"],
    "/api/v1/reports/{id}/export.csv": ["get"],
    "/api/v1/reports/{id}/export.xlsx": ["get"],
}


@pytest.fixture
def document(viewer_api: APIClient) -> dict:
    response = viewer_api.get(API + "schema/")
    assert (response.status_code, response["Content-Type"]) == (200, "application/vnd.oai.openapi+json")
    return response.json()


def test_the_schema_is_a_valid_openapi_3_document(document: dict) -> None:
    validate_schema(document)  # raises on any violation of the OpenAPI 3 specification

    assert (document["openapi"], document["info"]["title"]) == ("3.0.3", "Spectrum API")


def test_the_schema_lists_every_operation_and_nothing_else(document: dict) -> None:
    assert {path: sorted(operations) for path, operations in document["paths"].items()} == {
        path: sorted(operations) for path, operations in OPERATIONS.items()
    }


def test_the_schema_describes_the_contract_shapes(document: dict) -> None:
    components = document["components"]["schemas"]

    assert {
        name: list(components[name]["properties"]) for name in ["Person", "Team", "Project", "Skill", "Profession"]
    } == {
        "Person": ["id", "name", "profession", "team", "capacity_fte", "ratings"],
        "Team": ["id", "name", "lead"],
        "Project": ["id", "name", "template", "phase", "starts_on", "ends_on"],
        "Skill": ["slug", "name", "group"],
        "Profession": ["slug", "name", "spectrum"],
    }
    assert components["Person"]["properties"]["ratings"]["additionalProperties"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 5,
    }
    ratings_body = document["paths"]["/api/v1/people/{id}/ratings/"]["put"]["requestBody"]["content"]
    assert ratings_body["application/json"]["schema"]["additionalProperties"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 5,
    }


def test_the_schema_asks_for_a_signed_in_user(anonymous_api: APIClient) -> None:
    response = anonymous_api.get(API + "schema/")

    assert (response.status_code, response.json()) == (401, {"detail": "Authentication credentials were not provided."})


def test_the_interactive_docs_load_everything_from_our_own_server(viewer_api: APIClient) -> None:
    response = viewer_api.get(API + "docs/")

    page = response.content.decode()
    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert '"/api/v1/schema/"' in page
    assert "https://" not in page


def test_the_reference_page_answers_errors_in_json(viewer_api: APIClient) -> None:
    response = viewer_api.post(API + "docs/", {}, format="json")

    assert (response.status_code, response.json()) == (405, {"detail": 'Method "POST" not allowed.'})

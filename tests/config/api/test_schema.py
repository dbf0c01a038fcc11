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
    "/api/v1/holidays/": ["get", "post"],
    "/api/v1/holidays/{date}/": ["delete"],
    "/api/v1/projects/": ["get", "post"],
    "/api/v1/projects/{id}/": ["get"],
    "/api/v1/projects/{id}/advance/": ["post"],
    "/api/v1/projects/{id}/history/": ["get"],
    "/api/v1/slots/": ["get", "post"],
    "/api/v1/slots/{id}/": ["get", "patch"],
    "/api/v1/slots/{id}/close/": ["post"],
    "/api/v1/slots/{id}/candidates/": ["get"],
    "/api/v1/projects/{id}/suggest-team/": ["post"],
    "/api/v1/absences/": ["get", "post"],
    "/api/v1/absences/{id}/": ["get", "patch", "delete"],
    "/api/v1/assignments/": ["get", "post"],
    "/api/v1/assignments/{id}/": ["get", "patch", "delete"],
    "/api/v1/assignment-changes/": ["get"],
    "/api/v1/reports/": ["get", "post"],
    "/api/v1/reports/{id}/": ["get"],
    "/api/v1/reports/{id}/export.csv": ["get"],
    "/api/v1/reports/{id}/export.xlsx": ["get"],
    "/api/v1/reports/{id}/run-again/": ["post"],
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


def test_a_blank_projects_template_is_nullable_in_the_schema(document: dict) -> None:
    assert document["components"]["schemas"]["Project"]["properties"]["template"]["nullable"] is True


def test_the_phase_history_is_described_with_the_keys_it_answers(document: dict) -> None:
    history = document["paths"]["/api/v1/projects/{id}/history/"]["get"]["responses"]["200"]
    item = history["content"]["application/json"]["schema"]["items"]["$ref"].rsplit("/", 1)[1]

    assert list(document["components"]["schemas"][item]["properties"]) == ["from", "to", "by", "at", "note"]


def test_every_operation_documents_its_refusals(document: dict) -> None:
    def expected(operation: dict) -> set[str]:
        takes_input = "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", []))
        return {"401", "403", "404"} | ({"400"} if takes_input else set())

    undocumented = {
        f"{method.upper()} {path}": sorted(expected(operation) - set(operation["responses"]))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if path != "/api/v1/auth/token/"
    }

    assert {label: missing for label, missing in undocumented.items() if missing} == {}
    error = document["paths"]["/api/v1/people/{id}/"]["get"]["responses"]["404"]["content"]["application/json"]
    assert document["components"]["schemas"][error["schema"]["$ref"].rsplit("/", 1)[1]]["properties"]["detail"] == {
        "type": "string"
    }


def test_the_schema_states_the_rules_the_api_checks(document: dict) -> None:
    schemas = document["components"]["schemas"]
    people = {p["name"]: p for p in document["paths"]["/api/v1/people/"]["get"]["parameters"]}
    page_size = {p["name"]: p for p in document["paths"]["/api/v1/slots/"]["get"]["parameters"]}["page_size"]

    assert schemas["AssignmentInput"]["properties"]["allocation"]["minimum"] == 0.01
    assert "Needs skill" in people["min_level"]["description"]
    assert page_size["schema"] == {"type": "integer", "minimum": 1}
    assert {ref["$ref"].rsplit("/", 1)[1] for ref in schemas["ReportRequest"]["oneOf"]} == {
        "ProjectReportRequest",
        "TeamReportRequest",
        "OrganisationReportRequest",
    }
    assert schemas["TeamReportRequest"]["required"] == ["kind", "team"]
    assert schemas["ProjectReportRequest"]["required"] == ["kind", "project"]


@pytest.mark.parametrize("value", ["abc", "-1", "0", ""])
def test_a_page_size_that_is_not_a_positive_whole_number_is_bad_input(manager_api: APIClient, value: str) -> None:
    response = manager_api.get(API + f"skills/?page_size={value}")

    assert (response.status_code, response.json()) == (
        400,
        {"page_size": ["Give a whole number from 1; pages hold at most 500."]},
    )


def test_a_page_size_over_500_still_gives_pages_of_500(manager_api: APIClient) -> None:
    response = manager_api.get(API + "skills/?page_size=501")

    assert (response.status_code, len(response.json()["results"])) == (200, 12)

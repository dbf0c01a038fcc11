"""The refusals every operation of the OpenAPI document may answer, added once for the whole API.

Views document their own 409s and other answers; this hook adds what DESIGN §5 promises of every
endpoint (400 for bad input, 401 without credentials, 403 when the user may not, 404 for what they
may not see or does not exist, 413 for a body over the upload limit, 415 for a body that is not
JSON), each with the JSON body it is answered with.
"""

from typing import Any

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "Why the request was refused.",
}
BAD_INPUT = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "When the body as a whole cannot be read."}},
    "additionalProperties": {
        "description": "The messages for one field, by field name (non_field_errors for the input as a whole)."
    },
    "description": "Bad input: {detail} or, for each field at fault, its messages.",
}
REFUSALS = {
    "400": ("BadInput", "Bad input: a field, a filter or the page size."),
    "401": ("Error", "No valid credentials."),
    "403": ("Error", "The user may not do this."),
    "404": ("Error", "It does not exist or the user may not see it (also a page past the last)."),
    "413": ("Error", "The request body is over 2.5 MB."),
    "415": ("Error", "The request body is not JSON."),
    "429": ("Error", "Too many requests from this address; try again later."),
}
TOKEN_PATH = "/api/v1/auth/token/"  # noqa: S105  a path, not a password


def _codes(path: str, operation: dict[str, Any]) -> list[str]:
    with_body = "requestBody" in operation
    if path == TOKEN_PATH:
        return ["400", "413", "415", "429"]
    codes = ["401", "403", "404"]
    if with_body or any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
        codes.append("400")
    if with_body:
        codes += ["413", "415"]
    return codes


def add_refusals(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the refusals with their JSON bodies."""
    result.setdefault("components", {}).setdefault("schemas", {}).update({"Error": ERROR, "BadInput": BAD_INPUT})
    for path, operations in result["paths"].items():
        for operation in operations.values():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            if "oneOf" in body.get("schema", {}):
                operation["requestBody"]["required"] = True  # one of several shapes, each with required fields
            responses = operation["responses"]
            for code in _codes(path, operation):
                component, description = REFUSALS[code]
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code >= "400" and "content" not in response:
                    component = REFUSALS.get(code, ("Error", ""))[0]
                    response["content"] = {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
                    }
            operation["responses"] = dict(sorted(responses.items()))
    return result

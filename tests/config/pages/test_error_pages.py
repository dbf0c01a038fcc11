import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_plain_explanation(viewer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    assert "The form expired or came from elsewhere" in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_page_is_a_friendly_404_and_an_unknown_api_path_is_json(viewer: User) -> None:
    client = Client()
    client.force_login(viewer)

    page = client.get("/no-such-page/")
    api = client.get("/api/v1/no-such-thing/")

    assert (page.status_code, page["Content-Type"]) == (404, "text/html; charset=utf-8")
    assert "<h1" in page.content.decode()
    assert (api.status_code, api.json()) == (404, {"detail": "Not found."})

"""Headless Chromium through Playwright, against the live test server: the fixtures of the
``browser/`` tests (a pytest plugin, listed in ``tests/conftest.py``) and their shared steps.

Playwright's sync API runs an event loop in the test thread, so Django's guard against database
calls from async code has to be lifted for these tests, and only these: the variable would fail
the deployment check run by another test in the same session. The ``browser`` fixture lifts it,
so it holds for exactly the tests that drive a browser.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS = Path(__file__).resolve().parents[1] / "test-results"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def database_calls_beside_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(database_calls_beside_the_event_loop: None) -> Iterator[Browser]:
    # One browser per test, started after the test's database is restored. While Playwright's event
    # loop runs, Django sees the thread as async and hands out other connection objects, which do not
    # carry the serialized catalogue a transactional test restores from.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        connections.close_all()  # those other connections, or the test database cannot be dropped


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def output_dir(request: pytest.FixtureRequest) -> Path:
    """``test-results/<test name>/``, for the screenshots a test takes."""
    path = RESULTS / re.sub(r"[^\w.-]+", "-", request.node.name)
    path.mkdir(parents=True, exist_ok=True)
    return path


def sign_in(page: Page, live_server: LiveServer, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")


def audit(page: Page, name: str, output_dir: Path) -> list[str]:
    """Axe's serious and critical violations on the current page, one line each; a screenshot beside."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=output_dir / f"{name}-{width}.png", full_page=True)
    return [
        f"{name} at {width}px: {violation['id']} ({violation['impact']}) {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:5]}"
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]

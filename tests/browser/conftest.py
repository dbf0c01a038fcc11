"""Headless Chromium through Playwright, against the live test server.

Playwright's sync API runs an event loop in the test thread, so Django's guard against database
calls from async code has to be lifted for these tests (and only these: the variable would fail
the deployment check run by another test in the same session).
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

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
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(autouse=True)
def allow_database_calls_beside_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Browser]:
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

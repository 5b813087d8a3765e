"""End-to-end fixtures: the built web app on the local gateway, driven in Debian's chromium.

The gateway is the test world's (tests/conftest.py `world`), which serves web/out on the API's
origin; a dispatcher drains the trigger queue so uploads are ingested and ended sessions graded,
as under `dojo dev`. Each test gets a browser with a fresh profile. `make e2e` builds the app and
installs chromium first; without them these tests are skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from dojo_local import accounts, dispatcher
from dojo_local.paths import WEB_OUT
from tests.e2e.helpers import PASSWORD, Api, Person

CHROMIUM = Path("/usr/bin/chromium")
COMPANY = "Cobra Certo Pagamentos Ltda."
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def site(world) -> Iterator[str]:
    """The gateway's URL, serving the built web app, with the trigger dispatcher running for
    this test only (a dispatcher left running would grade other tests' sessions behind them)."""
    if not (WEB_OUT / "index.html").exists():
        pytest.skip("the web app is not built (run `make e2e`)")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is missing (run `make e2e-setup`)")
    worker = dispatcher.Dispatcher(world.env.database_url, interval=0.1)
    worker.start()
    try:
        yield world.server.url
    finally:
        worker.stop()
        worker.join(timeout=10)


@pytest.fixture
def people(db_url: str) -> dict[str, Person]:
    """A manager and two salespeople of one company, with passwords."""
    members = {
        "manager": Person("gestora@cobracerto.test", "Helena Prado", "manager"),
        "seller": Person("vendedor@cobracerto.test", "Caio Nunes", "salesperson"),
        "other": Person("vendedora@cobracerto.test", "Lia Rocha", "salesperson"),
    }
    with psycopg.connect(db_url, autocommit=True) as conn:
        for person in members.values():
            accounts.ensure_user(
                conn,
                person.email,
                company=COMPANY,
                role=person.role,
                full_name=person.name,
                password=PASSWORD,
            )
    return members


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def browser(playwright_instance, site, tmp_path) -> Iterator[Any]:
    """A chromium context with a fresh user data dir (one person per test)."""
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
        locale="pt-BR",
    )
    context.set_default_timeout(20_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def sign_in(browser, site) -> Callable[[Person], Any]:
    """Sign in through the login page; returns the page, on the person's start page."""

    def go(person: Person) -> Any:
        page = browser.pages[0] if browser.pages else browser.new_page()
        page.goto(f"{site}/login/")
        page.get_by_label("E-mail").fill(person.email)
        page.get_by_label("Senha").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.get_by_test_id("whoami").wait_for()
        return page

    return go


@pytest.fixture
def api_as(site, world) -> Callable[[Person], Api]:
    return lambda person: Api(site, world, person)

"""End-to-end fixtures: the built web app on the local gateway, driven in Debian's chromium.

The gateway is the test world's (tests/conftest.py `world`), which serves web/out on the API's
origin; a dispatcher drains the trigger queue so uploads are ingested and ended sessions graded,
as under `dojo dev`. Each test gets a browser with a fresh profile. `make e2e` builds the app and
installs chromium first; without them these tests are skipped with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from dojo_local import accounts, dispatcher
from dojo_local.paths import WEB_OUT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "senha-e2e-123"
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


@dataclass
class Person:
    """A member of the test company who signs in with a password."""

    email: str
    name: str
    role: str


@pytest.fixture(scope="session")
def site(world) -> Iterator[str]:
    """The gateway's URL, serving the built web app, with the trigger dispatcher running."""
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


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot to tests/e2e/screenshots/ (gitignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


class Api:
    """The public API over HTTP as one person (to arrange state a test does not exercise)."""

    def __init__(self, site: str, world: Any, person: Person) -> None:
        token = accounts.issue_token(world.env.database_url, person.email, world.env.issuer)
        self.http = httpx.Client(
            base_url=site, headers={"authorization": f"Bearer {token}"}, timeout=60
        )

    def __call__(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code < 400, f"{method} {path}: {response.text}"
        return response.json() if response.content else None


@pytest.fixture
def api_as(site, world) -> Callable[[Person], Api]:
    return lambda person: Api(site, world, person)


def sales_kit_pdf() -> bytes:
    """A small pt-BR sales kit (two pages) for a fictional payments company."""
    from fpdf import FPDF

    sections = [
        (
            "Cobra Certo: visão geral",
            [
                "A Cobra Certo Pagamentos oferece o Cobra Certo, uma plataforma de cobrança "
                "recorrente por boleto, Pix e cartão para escolas, academias e clínicas.",
                "A plataforma envia lembretes automáticos por WhatsApp e e-mail, faz a "
                "conciliação bancária sozinha e reduz a inadimplência em média 30% em 6 meses.",
            ],
        ),
        (
            "Planos, preços e objeções",
            [
                "Plano Básico: R$ 199 por mês, até 300 cobranças. Plano Completo: R$ 499 por "
                "mês, cobranças ilimitadas, régua de cobrança e API. Taxa de Pix: R$ 0,99.",
                "Contrato mensal sem fidelidade; cancelamento com aviso de 30 dias, sem multa. "
                "Implantação em 5 dias úteis com migração dos boletos abertos.",
                "Objeção comum: o preço é alto comparado ao banco. Resposta: o banco não faz "
                "régua de cobrança nem conciliação; a redução de inadimplência paga o plano.",
                "Objeção comum: medo de perder os dados do sistema atual. Resposta: a migração "
                "é feita pela nossa equipe e o sistema antigo segue ativo até a virada.",
            ],
        ),
    ]
    pdf = FPDF()
    for title, paragraphs in sections:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    return bytes(pdf.output())


def wait_until(check: Callable[[], Any], seconds: float = 30) -> Any:
    """Poll `check` until it returns something truthy (or fail after `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")

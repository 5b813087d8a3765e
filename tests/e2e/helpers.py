"""Helpers of the end-to-end tests: screenshots, a small API client, the sales kit, waiting."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from dojo_local import accounts

SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "senha-e2e-123"


@dataclass
class Person:
    """A member of the test company who signs in with a password."""

    email: str
    name: str
    role: str


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

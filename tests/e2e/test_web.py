"""The web app end to end in headless chromium against the local gateway and embedded database."""

from __future__ import annotations

import re

import psycopg

from tests.e2e.helpers import sales_kit_pdf, shot, wait_until


def _arrange_material(api_as, people, tmp_path) -> list[dict]:
    """A manager's ready document and generated personas, through the API."""
    manager = api_as(people["manager"])
    manager(
        "POST",
        "/api/v1/onboarding/upload-documents",
        files=[("files", ("kit.pdf", sales_kit_pdf(), "application/pdf"))],
    )
    wait_until(
        lambda: [
            d for d in manager("GET", "/api/v1/onboarding/documents") if d["status"] == "ready"
        ]
    )
    return manager("POST", "/api/v1/personas/generate", json={"count": 5})["result"]["personas"]


def test_manager_uploads_a_document_searches_it_and_generates_personas(sign_in, people, tmp_path):
    from playwright.sync_api import expect

    page = sign_in(people["manager"])
    expect(page).to_have_url(re.compile(r"/manager/team/$"))
    shot(page, "manager-team-empty")

    page.get_by_role("link", name="Documentos").click()
    pdf = tmp_path / "kit-de-vendas.pdf"
    pdf.write_bytes(sales_kit_pdf())
    page.locator("#files").set_input_files(str(pdf))
    expect(page.get_by_test_id("upload-row")).to_contain_text("Enviado")
    row = page.get_by_test_id("document-row").filter(has_text="kit-de-vendas.pdf")
    expect(row.get_by_test_id("document-status")).to_have_text("Pronto", timeout=30_000)
    expect(page.get_by_test_id("kb-status")).to_contain_text("Trechos")

    broken = tmp_path / "contrato.pdf"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)  # an image renamed .pdf
    page.locator("#files").set_input_files(str(broken))
    failed = page.get_by_test_id("document-row").filter(has_text="contrato.pdf")
    expect(failed.get_by_test_id("document-status")).to_have_text("Falhou", timeout=30_000)
    expect(failed.get_by_test_id("document-error")).not_to_be_empty()

    page.get_by_label("O que a base responde?").fill("qual é o preço do plano completo?")
    page.get_by_role("button", name="Buscar").click()
    expect(page.get_by_test_id("search-hits")).to_contain_text("R$ 499")
    shot(page, "manager-documents")

    page.get_by_role("link", name="Personas").click()
    expect(page.get_by_text("Nenhuma persona aqui")).to_be_visible()
    page.get_by_label("Quantidade").fill("5")
    page.get_by_role("button", name="Gerar", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("5 personas geradas", timeout=30_000)
    expect(page.get_by_test_id("persona-item")).to_have_count(5)

    first = page.get_by_test_id("persona-item").first
    first.get_by_role("button", name="Detalhes").click()
    expect(first).to_contain_text("Objeções")
    first.get_by_role("button", name="Arquivar").click()
    expect(page.get_by_test_id("persona-item")).to_have_count(4)
    shot(page, "manager-personas")

    second = page.get_by_test_id("persona-item").first
    second.get_by_role("button", name="Editar").click()
    second.get_by_label("Nome").fill("Joana Teixeira")
    second.get_by_label("Dificuldade").select_option("hard")
    second.get_by_role("button", name="Salvar").click()
    edited = page.get_by_test_id("persona-item").filter(has_text="Joana Teixeira")
    expect(edited).to_contain_text("Difícil")


def test_salesperson_runs_a_text_session_to_the_end_and_sees_the_scorecard(
    sign_in, people, api_as, tmp_path
):
    from playwright.sync_api import expect

    _arrange_material(api_as, people, tmp_path)
    page = sign_in(people["seller"])
    expect(page).to_have_url(re.compile(r"/practice/$"))
    page.get_by_test_id("whoami").wait_for()
    cards = page.locator("label").filter(has=page.locator("input[name=persona]"))
    expect(cards).to_have_count(5)
    cards.first.click()
    shot(page, "salesperson-practice")
    page.get_by_role("button", name="Começar").click()
    expect(page).to_have_url(re.compile(r"/sessions/view/\?id="))
    transcript = page.get_by_test_id("transcript")
    expect(transcript.locator("li[id^=turn-]")).to_have_count(1)

    for text in [
        "Bom dia! Aqui é o Caio, da Cobra Certo. Tudo bem? Obrigado por me receber.",
        "Como vocês fazem a cobrança das mensalidades hoje e qual é a maior dificuldade?",
        "Entendo. Quanto da receita fica em atraso por mês, mais ou menos?",
        "Faz sentido a preocupação com o preço. O plano Completo custa R$ 499 por mês e a "
        "redução de 30% na inadimplência costuma pagar o plano. Podemos agendar uma demonstração "
        "na quinta-feira?",
    ]:
        if page.get_by_test_id("session-status").inner_text() != "Ativa":
            break
        before = transcript.locator("li[id^=turn-]").count()
        page.get_by_label("Sua mensagem").fill(text)
        page.keyboard.press("Enter")
        expect(transcript.locator("li[id^=turn-]")).to_have_count(before + 2)
    if page.get_by_test_id("session-status").inner_text() == "Ativa":
        page.get_by_role("button", name="Encerrar ligação").click()
    expect(page.get_by_test_id("session-status")).to_have_text("Encerrada")
    expect(page.get_by_test_id("scorecard")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("overall")).to_contain_text(re.compile(r"\d+"))
    expect(page.get_by_test_id("scorecard")).to_contain_text("Descoberta")
    shot(page, "salesperson-scorecard")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "salesperson-scorecard-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Histórico").click()
    rows = page.get_by_test_id("session-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Encerrada")
    shot(page, "salesperson-history")
    page.get_by_role("link", name="Progresso").click()
    expect(page.get_by_text("Evolução por categoria")).to_be_visible()
    shot(page, "salesperson-progress")


def test_a_salesperson_cannot_open_manager_pages_or_another_persons_session(
    sign_in, people, api_as, tmp_path, site
):
    from playwright.sync_api import expect

    personas = _arrange_material(api_as, people, tmp_path)
    theirs = api_as(people["other"])(
        "POST", "/api/v1/sessions/start", json={"persona_id": personas[0]["id"], "mode": "text"}
    )["session_id"]

    page = sign_in(people["seller"])
    for path in ("/manager/documents/", "/manager/personas/", "/manager/team/"):
        page.goto(f"{site}{path}")
        expect(page.get_by_test_id("forbidden")).to_be_visible()
    expect(page.get_by_role("link", name="Equipe")).to_have_count(0)
    shot(page, "salesperson-forbidden")

    page.goto(f"{site}/sessions/view/?id={theirs}")
    expect(page.get_by_test_id("session-error")).to_contain_text("Não encontrado")
    expect(page.get_by_test_id("transcript")).to_have_count(0)

    page.get_by_label("Idioma").select_option("en")
    expect(page.get_by_test_id("session-error")).to_contain_text("Not found")
    expect(page.get_by_role("link", name="Practice")).to_be_visible()


def _graded_session(api_as, person, persona_id: str) -> str:
    """A finished, graded text session of `person`, through the API."""
    api = api_as(person)
    sid = api("POST", "/api/v1/sessions/start", json={"persona_id": persona_id, "mode": "text"})[
        "session_id"
    ]
    for text in [
        "Bom dia, aqui é da Cobra Certo. Como vocês cobram as mensalidades hoje?",
        "Entendo. O que mais atrapalha nesse processo?",
    ]:
        if api("POST", f"/api/v1/sessions/{sid}/messages", json={"text": text})["ended"]:
            break
    api("POST", f"/api/v1/sessions/{sid}/end")
    wait_until(lambda: api("GET", f"/api/v1/feedback/sessions/{sid}")["status"] == "graded")
    return sid


def _download(page, test_id: str) -> tuple[str, str]:
    """Click a download button; the file's suggested name and its PDF text."""
    from pypdf import PdfReader

    with page.expect_download() as info:
        page.get_by_test_id(test_id).click()
    download = info.value
    reader = PdfReader(download.path())
    return download.suggested_filename, " ".join(p.extract_text() for p in reader.pages)


def test_manager_compares_the_team_drills_into_a_session_and_overrides_its_score(
    sign_in, people, api_as, tmp_path
):
    from playwright.sync_api import expect

    personas = _arrange_material(api_as, people, tmp_path)
    _graded_session(api_as, people["seller"], personas[0]["id"])
    _graded_session(api_as, people["other"], personas[1]["id"])

    page = sign_in(people["manager"])
    table = page.get_by_test_id("team-table")
    expect(table).to_contain_text("Caio Nunes")
    expect(table).to_contain_text("Média da equipe")
    page.get_by_role("button", name="Caio Nunes").click()
    expect(page.get_by_text("Caio Nunes comparado(a) à equipe")).to_be_visible()
    sessions = page.get_by_test_id("session-table").locator("tbody tr")
    expect(sessions).to_have_count(1)
    shot(page, "manager-team")
    team_pdf = _download(page, "team-pdf")
    assert team_pdf[0] == "team-report-90d.pdf" and "Caio Nunes" in team_pdf[1]

    sessions.first.get_by_role("link").click()
    expect(page.get_by_test_id("transcript")).to_be_visible()
    expect(page.get_by_test_id("scorecard")).to_be_visible()
    name, text = _download(page, "scorecard-pdf")
    assert name.startswith("scorecard-") and "Caio Nunes" in text and "Descoberta" in text
    for field in ("Rapport", "Descoberta", "Tratamento de objeções", "Fechamento"):
        page.get_by_label(field, exact=True).fill("90")
    page.get_by_label("Nota para o vendedor (obrigatória)").fill("Boa abertura; revisei a nota.")
    page.get_by_role("button", name="Salvar ajuste").click()
    expect(page.get_by_role("status").filter(has_text="Ajuste salvo.")).to_be_visible()
    expect(page.get_by_test_id("overall")).to_contain_text("90")
    expect(page.get_by_test_id("scorecard")).to_contain_text("Boa abertura; revisei a nota.")
    shot(page, "manager-override")


def test_a_newcomer_signs_up_creates_a_company_and_manages_it(browser, site, db_url):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(f"{site}/login/")
    page.get_by_role("link", name="Não tem conta? Criar conta").click()
    page.get_by_label("Seu nome").fill("Nina Duarte")
    page.get_by_label("E-mail").fill("nina@nova.test")
    page.get_by_label("Senha").fill("nina-senha-1")
    page.get_by_role("button", name="Criar conta").click()
    page.get_by_label("Nome da empresa").fill("Nova Vendas Ltda.")
    shot(page, "newcomer-company")
    page.get_by_role("button", name="Criar empresa").click()
    expect(page.get_by_test_id("whoami")).to_contain_text("Administrador(a)")
    page.get_by_role("link", name="Documentos").click()
    expect(page.get_by_text("Nenhum documento ainda")).to_be_visible()
    page.get_by_role("link", name="Pessoas").click()
    page.get_by_label("E-mail").fill("time@novavendas.com.br")
    page.get_by_label("Papel", exact=True).select_option("salesperson")
    page.get_by_role("button", name="Enviar convite").click()
    expect(page.get_by_role("status").filter(has_text="Convite enviado")).to_be_visible()
    # nobody joins until they accept: one member, one pending invitation with its link
    expect(page.get_by_test_id("members-table").locator("tr")).to_have_count(1)
    expect(page.get_by_test_id("invitations-table")).to_contain_text("time@novavendas.com.br")
    expect(page.get_by_text("Uso e custos")).to_be_visible()
    shot(page, "admin-members")
    link = page.get_by_test_id("accept-link").get_attribute("href")
    assert link and "token=" in link

    # the admin signs out; the invitee opens the link in this browser, creates an account with
    # the invited address and accepts
    page.get_by_role("button", name="Sair").click()
    page.goto(link)
    expect(page.get_by_text("Convite para uma empresa")).to_be_visible()
    page.get_by_role("link", name="Criar conta").click()
    page.get_by_label("Seu nome").fill("Tito Reis")
    page.get_by_label("E-mail").fill("time@novavendas.com.br")
    page.get_by_label("Senha").fill("tito-senha-1")
    page.get_by_role("button", name="Criar conta").click()
    page.get_by_role("link", name="Ver convite").click()
    shot(page, "invitee-accept")
    page.get_by_role("button", name="Aceitar convite").click()
    expect(page.get_by_test_id("whoami")).to_contain_text("Vendedor(a)")
    with psycopg.connect(db_url) as conn:
        joined = conn.execute(
            "select c.name, p.role from profiles p join companies c on c.id = p.company_id"
            " where p.email = 'time@novavendas.com.br'"
        ).fetchone()
        pending = conn.execute("select count(*) from invitations").fetchone()
    assert joined == ("Nova Vendas Ltda.", "salesperson")
    assert pending == (0,)


def test_a_removed_member_is_signed_out_with_the_reason(sign_in, people, site, db_url):
    import psycopg
    from playwright.sync_api import expect

    page = sign_in(people["seller"])
    with psycopg.connect(db_url, autocommit=True) as conn:  # an admin removed them meanwhile
        conn.execute("delete from public.profiles where email = %s", (people["seller"].email,))
    page.get_by_role("link", name="Histórico").click()  # the next API call answers 403
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_test_id("access-removed")).to_contain_text(
        "Seu acesso a esta empresa foi removido"
    )
    shot(page, "access-removed")
    page.get_by_label("Idioma").select_option("en")
    expect(page.get_by_test_id("access-removed")).to_contain_text("removed your access")


def test_salesperson_retries_a_moment_from_the_transcript(sign_in, people, api_as, site, tmp_path):
    from playwright.sync_api import expect

    personas = _arrange_material(api_as, people, tmp_path)
    seller = api_as(people["seller"])
    started = seller("POST", "/api/v1/sessions/start", json={"persona_id": personas[0]["id"]})
    sid = started["session_id"]
    for text in [
        "Bom dia! Aqui é o Caio, da Cobra Certo. Tudo bem?",
        "Nossa plataforma cobra as mensalidades sozinha e o plano Completo custa R$ 499 por mês.",
    ]:
        seller("POST", f"/api/v1/sessions/{sid}/messages", json={"text": text})
    original = seller("POST", f"/api/v1/sessions/{sid}/end")["transcript"]
    moment = original[-1]
    assert moment["speaker"] == "persona"

    page = sign_in(people["seller"])
    page.get_by_test_id("whoami").wait_for()
    page.goto(f"{site}/sessions/view/?id={sid}")
    turn = page.locator(f"#turn-{moment['index']}")
    turn.get_by_role("button", name="Tentar de novo a partir daqui").click()
    expect(page).not_to_have_url(re.compile(sid))
    expect(page.get_by_test_id("session-status")).to_have_text("Ativa")
    transcript = page.get_by_test_id("transcript")
    expect(transcript.locator("li[id^=turn-]")).to_have_count(1)
    expect(transcript.locator("#turn-0")).to_contain_text(moment["text"][:60])
    expect(page.get_by_test_id("retry-of")).to_contain_text(f"#{moment['index']}")
    shot(page, "salesperson-retry")

    page.get_by_label("Sua mensagem").fill(
        "Entendo a preocupação com o preço. O plano Completo custa R$ 499 por mês e a redução "
        "de 30% na inadimplência costuma pagar o plano. Isso resolve?"
    )
    page.keyboard.press("Enter")
    expect(transcript.locator("li[id^=turn-]")).to_have_count(3)
    if page.get_by_test_id("session-status").inner_text() == "Ativa":
        page.get_by_role("button", name="Encerrar ligação").click()
    expect(page.get_by_test_id("scorecard")).to_be_visible(timeout=30_000)

    page.get_by_test_id("retry-of").click()
    expect(page).to_have_url(re.compile(sid))
    retries = page.get_by_test_id("retries")
    expect(retries).to_contain_text(f"A partir da fala #{moment['index']}")
    expect(retries.get_by_test_id("retry-score")).to_have_text(re.compile(r"^\d+$"), timeout=30_000)
    shot(page, "salesperson-retries")

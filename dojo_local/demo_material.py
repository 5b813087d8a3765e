"""The demo company's sales kit, generated: a multi-page PDF and a DOCX battle card, in pt-BR.

"Nuvem Fiscal Tecnologia Ltda." is fictional. The kit carries concrete products, prices, terms and
objections so personas, sessions and grading have something real to ground on. The PDF uses the
core Helvetica font, whose Latin-1 encoding covers every Portuguese accent (ç, ã, õ, é, ê, á, ó,
ú, í, à); nothing outside Latin-1 is used.
"""

from __future__ import annotations

import io
from pathlib import Path

COMPANY = "Nuvem Fiscal Tecnologia Ltda."

# (title, paragraphs); one section per PDF page or more
KIT: list[tuple[str, list[str]]] = [
    (
        "Visão geral do produto",
        [
            "A Nuvem Fiscal Tecnologia Ltda. oferece o Nuvem Fiscal, um software em nuvem para "
            "emissão de NF-e (nota fiscal eletrônica de produtos), NFS-e (nota fiscal de "
            "serviços) e NFC-e, com gestão de obrigações fiscais para pequenas e médias empresas "
            "brasileiras.",
            "O produto emite notas em menos de 5 segundos, consulta o status na SEFAZ "
            "automaticamente, gera o XML e o DANFE, envia as notas por e-mail ao cliente e guarda "
            "os arquivos por 5 anos, como exige a legislação.",
            "Somos homologados com as SEFAZ de todos os 27 estados e com mais de 1.200 "
            "prefeituras para NFS-e, incluindo São Paulo, Rio de Janeiro, Belo Horizonte, "
            "Curitiba e Porto Alegre. A partir de 2026, já emitimos no padrão nacional da NFS-e.",
            "O módulo Fiscal Inteligente calcula ICMS, ICMS-ST, IPI, PIS e COFINS pelas regras do "
            "Simples Nacional, Lucro Presumido e Lucro Real, e alerta quando um NCM ou CFOP "
            "parece errado antes de a nota ser enviada. Isso reduz rejeições e multas.",
        ],
    ),
    (
        "Planos e preços",
        [
            "Plano Essencial: R$ 149 por mês. Até 100 notas por mês, 1 CNPJ, 2 usuários, NF-e e "
            "NFS-e, envio automático por e-mail e suporte por chat em horário comercial.",
            "Plano Profissional: R$ 349 por mês. Até 1.000 notas por mês, até 3 CNPJs, 10 "
            "usuários, NF-e, NFS-e e NFC-e, módulo Fiscal Inteligente, API de integração e "
            "suporte por chat e telefone com SLA de 4 horas úteis.",
            "Plano Empresarial: sob consulta. Notas ilimitadas, CNPJs e usuários ilimitados, "
            "ambiente dedicado, gerente de conta, SLA de 1 hora útil e integração assistida com "
            "o ERP do cliente.",
            "Nota excedente: R$ 0,25 por nota acima do limite do plano. Pagamento anual tem "
            "15% de desconto (Essencial anual: R$ 1.519,80; Profissional anual: R$ 3.559,80).",
            "Política de descontos: o vendedor pode conceder até 10% no primeiro ano sem "
            "aprovação; acima de 10% e até 20% precisa de aprovação da gerente comercial, "
            "Mariana Costa. Não há desconto na taxa de implantação do plano Empresarial.",
        ],
    ),
    (
        "Condições contratuais",
        [
            "Contrato mensal sem fidelidade nos planos Essencial e Profissional: o cliente pode "
            "cancelar a qualquer momento com aviso de 30 dias, sem multa.",
            "Plano anual: pago à vista ou em 12 parcelas no cartão. Cancelamento antes de 12 "
            "meses devolve o valor proporcional dos meses não usados, menos 10% de taxa "
            "administrativa.",
            "Teste gratuito de 14 dias com todas as funções do Profissional, sem cartão de "
            "crédito. As notas emitidas no teste são reais e válidas.",
            "Reajuste anual pelo IPCA. Os dados do cliente são dele: na saída, exportamos todos "
            "os XMLs e relatórios em até 5 dias úteis, sem custo. Tratamos dados pessoais "
            "conforme a LGPD, com servidores no Brasil (região São Paulo).",
        ],
    ),
    (
        "Implantação",
        [
            "Essencial: autoatendimento, o cliente emite a primeira nota no mesmo dia, com "
            "certificado digital A1 enviado pelo próprio painel.",
            "Profissional: implantação em 10 dias úteis. Dia 1: reunião de kick-off e envio do "
            "certificado A1. Dias 2 a 5: cadastro de produtos, serviços e regras fiscais. Dias 6 "
            "a 8: integração com o ERP ou e-commerce. Dias 9 e 10: treinamento da equipe e "
            "primeira emissão acompanhada. Taxa de implantação: R$ 490, isenta no plano anual.",
            "Empresarial: projeto de 30 a 45 dias com gerente de projeto dedicado; taxa a partir "
            "de R$ 4.900.",
            "Migração: importamos cadastros de clientes e produtos de planilhas ou de sistemas "
            "como Bling, Tiny e Omie, sem custo adicional no Profissional.",
        ],
    ),
    (
        "Suporte e SLA",
        [
            "Canais: chat no produto, e-mail e telefone (0800 591 2026). Horário comercial de "
            "segunda a sexta, das 8h às 18h (horário de Brasília).",
            "SLA de primeira resposta: Essencial 8 horas úteis; Profissional 4 horas úteis; "
            "Empresarial 1 hora útil, com plantão 24x7 para incidentes críticos.",
            "Disponibilidade garantida: 99,9% ao mês. Se ficarmos abaixo disso, o cliente recebe "
            "crédito de 10% da mensalidade por cada 0,1 ponto abaixo da meta, até 50%.",
            "Contingência: se a SEFAZ de um estado cair, o Nuvem Fiscal emite em contingência "
            "(SVC) automaticamente e transmite as notas quando o serviço volta.",
        ],
    ),
    (
        "Integrações",
        [
            "Integrações nativas com ERPs e plataformas: Bling, Tiny, Omie, Conta Azul, SAP "
            "Business One, TOTVS Protheus (via API), Shopify, Nuvemshop, VTEX e Mercado Livre.",
            "API REST documentada com webhooks de autorização, cancelamento e rejeição de notas. "
            "Disponível a partir do plano Profissional, com limite de 10 requisições por segundo.",
            "Exportação mensal automática dos XMLs para o contador, por e-mail ou integração com "
            "os sistemas contábeis Domínio, Alterdata e Questor.",
        ],
    ),
    (
        "Objeções comuns e respostas",
        [
            "Objeção: 'Está caro, o emissor gratuito da SEFAZ resolve.' Resposta: o emissor "
            "gratuito foi descontinuado em vários estados e não calcula impostos; uma única "
            "rejeição ou multa por nota errada custa mais que um ano do Essencial.",
            "Objeção: 'Meu contador já emite as notas.' Resposta: o contador continua recebendo "
            "tudo automaticamente; a empresa ganha autonomia, emite na hora da venda e o "
            "contador para de digitar notas, o que costuma reduzir os honorários.",
            "Objeção: 'Tenho medo de trocar de sistema no meio do ano.' Resposta: a migração é "
            "feita por nós em 10 dias úteis, com teste de 14 dias em paralelo ao sistema atual.",
            "Objeção: 'E se a internet cair?' Resposta: o aplicativo guarda as vendas e emite em "
            "contingência assim que a conexão volta; as NFC-e podem ser emitidas offline.",
            "Objeção: 'Preciso falar com meu sócio.' Resposta: ofereça uma demonstração de 20 "
            "minutos com o sócio e o teste gratuito de 14 dias para os dois avaliarem juntos.",
        ],
    ),
    (
        "Casos de sucesso",
        [
            "Padaria Pão Dourado (Campinas, SP): 3 lojas, 4.000 NFC-e por mês. Reduziu o tempo "
            "de fechamento fiscal de 3 dias para 4 horas e zerou as rejeições de NCM em 2 meses.",
            "Studio Ágil Arquitetura (Belo Horizonte, MG): emite 60 NFS-e por mês no Essencial. "
            "Deixou de pagar R$ 250 mensais ao contador pela emissão das notas.",
            "Distribuidora Sul Forte (Joinville, SC): Lucro Presumido, 900 NF-e por mês com "
            "ICMS-ST. Com o Fiscal Inteligente, evitou R$ 38 mil em autuações no primeiro ano.",
        ],
    ),
]

BATTLE_CARD: list[tuple[str, list[str]]] = [
    (
        "Para quem vendemos",
        [
            "Empresas do Simples Nacional e Lucro Presumido com 1 a 200 funcionários que emitem "
            "entre 20 e 5.000 notas por mês: comércio, serviços, e-commerce e indústria leve.",
            "Decisores típicos: dono ou sócio, gerente financeiro, contador parceiro.",
        ],
    ),
    (
        "Perguntas de descoberta",
        [
            "Quantas notas vocês emitem por mês, e de quais tipos (NF-e, NFS-e, NFC-e)?",
            "Quem emite hoje e quanto tempo isso leva? Já tiveram notas rejeitadas ou multas?",
            "Quais sistemas usam hoje (ERP, e-commerce, contabilidade)?",
            "Quando vence o contrato com o fornecedor atual?",
        ],
    ),
    (
        "Concorrentes",
        [
            "Emissor gratuito da SEFAZ: sem cálculo de impostos e descontinuado em vários estados.",
            "Fiscalize Já: mais barato (R$ 99/mês) mas sem NFS-e em muitas prefeituras e sem "
            "SLA de suporte.",
            "ERP completo: caro e demorado de implantar; oferecemos integração em vez de troca.",
        ],
    ),
    (
        "Perguntas frequentes",
        [
            "Precisa de certificado digital? Sim, o modelo A1; ajudamos a emitir com parceiros "
            "por R$ 180 por ano.",
            "Posso mudar de plano? Sim, a qualquer momento, com cobrança proporcional no mês.",
            "Há fidelidade? Não nos planos mensais; o plano anual tem 15% de desconto.",
        ],
    ),
]

PRICE_TABLE = [
    ["Plano", "Preço", "Notas por mês", "Suporte"],
    ["Essencial", "R$ 149/mês", "até 100", "chat, 8h úteis"],
    ["Profissional", "R$ 349/mês", "até 1.000", "chat e telefone, 4h úteis"],
    ["Empresarial", "sob consulta", "ilimitadas", "gerente de conta, 1h útil"],
]


def sales_kit_pdf() -> bytes:
    """The multi-page sales kit PDF (one section per page, page headings in bold)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(f"Kit de vendas - {COMPANY}")
    for title, paragraphs in KIT:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.multi_cell(0, 9, title)
        pdf.ln(3)
        pdf.set_font("Helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(3)
    return bytes(pdf.output())


def battle_card_docx() -> bytes:
    """The battle card / FAQ as a Word document with headings and a price table."""
    import docx

    document = docx.Document()
    document.add_heading(f"Battle card - {COMPANY}", level=0)
    for heading, paragraphs in BATTLE_CARD:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    document.add_heading("Tabela de planos", level=1)
    table = document.add_table(rows=len(PRICE_TABLE), cols=len(PRICE_TABLE[0]))
    for r, row in enumerate(PRICE_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_material(folder: Path) -> list[Path]:
    """Write the kit into `folder`; returns the files (PDF first)."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "kit-de-vendas-nuvem-fiscal.pdf"
    pdf.write_bytes(sales_kit_pdf())
    card = folder / "battle-card-nuvem-fiscal.docx"
    card.write_bytes(battle_card_docx())
    return [pdf, card]

"""The offline generator's cast: Brazilian B2B buyers with money, politics and reasons to say no.

Each archetype is a buyer a Brazilian salesperson meets: a real role, a company with a size and a
city, the tools they use today (the competition), who else decides, what they hide, and what makes
them end the call. The offline generator combines these with the seller's own material.
`persona_cast_more.ARCHETYPES` is the whole cast, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from personas.models import Gender

BOTH: tuple[Gender, ...] = ("female", "male")


@dataclass(frozen=True)
class Archetype:
    """One kind of buyer."""

    role_f: str
    role_m: str
    seniority: str
    genders: tuple[Gender, ...]
    segment: str
    company_kind: str
    size: str
    region: str
    current_solutions: tuple[str, ...]
    decision_process: str
    approver: str  # with its preposition: "do CEO", "da mantenedora"
    traits: tuple[str, ...]
    goals: tuple[str, ...]
    pains: tuple[str, ...]
    hidden_facts: tuple[tuple[str, str], ...]
    walk_away: tuple[str, ...]
    speaking_style: str
    stakes: int  # how much the buyer has at stake: the hardest levels go to the highest


# the first half of the cast; `persona_cast_more` holds the rest (one module would pass 400 lines)
FIRST_ARCHETYPES: list[Archetype] = [
    Archetype(
        role_f="Diretora Financeira",
        role_m="Diretor Financeiro",
        seniority="C-level",
        genders=BOTH,
        segment="Indústria de embalagens plásticas",
        company_kind="uma indústria de embalagens",
        size="320 funcionários, faturamento de R$ 90 milhões por ano",
        region="Joinville (SC)",
        current_solutions=(
            "ERP TOTVS Protheus, com o fechamento montado em planilhas de Excel",
            "ERP Senior com relatórios feitos à mão em Excel",
        ),
        decision_process=(
            "O CEO só aprova com parecer do Financeiro; a TI tem poder de veto técnico e "
            "reclama de toda ferramenta nova."
        ),
        approver="do CEO",
        traits=("analisa tudo em números", "não acredita em promessa de ROI", "corta rodeios"),
        goals=(
            "reduzir o fechamento mensal de 12 para 5 dias úteis",
            "dar previsibilidade de custos ao conselho",
        ),
        pains=(
            "retrabalho manual toda virada de mês",
            "levou multa por erro em obrigação acessória no ano passado",
        ),
        hidden_facts=(
            (
                "O conselho cortou 15% do orçamento de tecnologia deste ano.",
                "o vendedor perguntar sobre orçamento ou prioridades do ano",
            ),
        ),
        walk_away=(
            "Encerra se o vendedor não souber dizer em quanto tempo o investimento se paga.",
        ),
        speaking_style="Fala pouco e direto, pede números e prazos.",
        stakes=9,
    ),
    Archetype(
        role_f="Dona de escritório contábil",
        role_m="Dono de escritório contábil",
        seniority="Proprietário",
        genders=BOTH,
        segment="Escritório de contabilidade",
        company_kind="um escritório de contabilidade",
        size="14 colaboradores, atende 180 empresas do Simples Nacional",
        region="Campinas (SP)",
        current_solutions=(
            "Domínio Sistemas, da Thomson Reuters, há 9 anos",
            "Questor, com muitos controles paralelos em planilha",
        ),
        decision_process=(
            "Tem a decisão final, mas ouve a sócia que cuida do fiscal; qualquer troca que pare o "
            "escritório perto do dia 20 está vetada."
        ),
        approver="da sócia responsável pelo fiscal",
        traits=("desconfia de novidade", "não troca o que funciona", "faz contas na hora"),
        goals=("atender mais clientes sem contratar", "parar de perder prazo de guia"),
        pains=(
            "equipe sobrecarregada no fechamento",
            "clientes mandam documento pelo WhatsApp, fora de hora",
        ),
        hidden_facts=(
            (
                "Perdeu dois clientes grandes este ano por atraso na entrega.",
                "o vendedor perguntar sobre perda de clientes ou o impacto dos atrasos",
            ),
        ),
        walk_away=(
            "Desliga se o vendedor usar jargão técnico sem explicar o que muda no dia a dia.",
        ),
        speaking_style="Informal, usa 'olha' e 'veja bem', conta casos do escritório.",
        stakes=7,
    ),
    Archetype(
        role_f="Gerente de Compras",
        role_m="Gerente de Compras",
        seniority="Gerência",
        genders=BOTH,
        segment="Rede regional de supermercados",
        company_kind="uma rede de supermercados",
        size="12 lojas, 1.100 funcionários",
        region="Goiânia (GO)",
        current_solutions=(
            "um fornecedor nacional com contrato renovado automaticamente todo ano",
            "o sistema que veio junto com o ERP da rede",
        ),
        decision_process=(
            "Compra é decidida no comitê mensal com o diretor comercial; fornecedor novo precisa "
            "de três cotações."
        ),
        approver="do comitê de compras",
        traits=("negocia duro", "só pensa em preço", "formalidade"),
        goals=("reduzir custo por loja", "padronizar fornecedores"),
        pains=("o fornecedor atual reajustou 18% sem aviso",),
        hidden_facts=(
            (
                "O contrato atual vence em 60 dias e tem multa se não avisar com 30.",
                "o vendedor perguntar sobre o contrato atual ou prazos",
            ),
        ),
        walk_away=("Encerra se o vendedor não aceitar mandar proposta por escrito para o comitê.",),
        speaking_style="Tom formal e frio; responde com perguntas sobre condição comercial.",
        stakes=8,
    ),
    Archetype(
        role_f="Coordenadora de TI",
        role_m="Coordenador de TI",
        seniority="Coordenação",
        genders=BOTH,
        segment="Distribuidora de autopeças",
        company_kind="uma distribuidora de autopeças",
        size="85 funcionários, 2 centros de distribuição",
        region="Belo Horizonte (MG)",
        current_solutions=(
            "SAP Business One, com uma consultoria local que cobra por hora",
            "um ERP antigo instalado no servidor da empresa",
        ),
        decision_process=(
            "Tem veto técnico, mas quem assina é o diretor administrativo; não quer ficar com o "
            "abacaxi da integração."
        ),
        approver="do diretor administrativo",
        traits=("pensa como técnico", "evita risco", "pergunta sobre segurança e LGPD"),
        goals=("menos chamados de suporte", "integrações estáveis"),
        pains=("integrações que quebram a cada atualização",),
        hidden_facts=(
            (
                "Uma migração de sistema em 2023 deu errado e quase custou o emprego de quem a "
                "conduziu: a mesma pessoa.",
                "o vendedor perguntar sobre experiências passadas com migração",
            ),
        ),
        walk_away=("Encerra se o vendedor não responder onde os dados ficam hospedados.",),
        speaking_style="Fala com precisão técnica e desconfia de respostas genéricas.",
        stakes=6,
    ),
    Archetype(
        role_f="Sócia-fundadora",
        role_m="Sócio-fundador",
        seniority="Fundador",
        genders=BOTH,
        segment="Startup SaaS B2B",
        company_kind="uma startup de software",
        size="40 funcionários, acabou de fechar a Série A",
        region="São Paulo (SP)",
        current_solutions=(
            "HubSpot no plano gratuito mais planilhas",
            "Pipedrive, mas só metade do time usa",
        ),
        decision_process="Decide com o cofundador; o investidor cobra redução do burn.",
        approver="do cofundador",
        traits=("tudo é para ontem", "compara tudo com ferramentas americanas", "gosta de dados"),
        goals=("escalar sem aumentar o time", "ter métricas para o board"),
        pains=("ferramentas demais e nenhuma conversa com a outra",),
        hidden_facts=(
            (
                "Precisa cortar 20% do burn até o fim do trimestre.",
                "o vendedor perguntar sobre metas ou pressão dos investidores",
            ),
        ),
        walk_away=("Perde o interesse se não houver teste gratuito ou piloto curto.",),
        speaking_style="Fala rápido, mistura termos em inglês, pula de assunto.",
        stakes=5,
    ),
    Archetype(
        role_f="Gerente Administrativa",
        role_m="Gerente Administrativo",
        seniority="Gerência",
        genders=BOTH,
        segment="Clínica médica com três unidades",
        company_kind="uma clínica médica",
        size="60 funcionários",
        region="Recife (PE)",
        current_solutions=(
            "um sistema de gestão antigo instalado no servidor da clínica",
            "planilhas e agenda em papel em uma das unidades",
        ),
        decision_process=(
            "Os médicos sócios decidem em reunião mensal; quem leva a proposta leva também a "
            "culpa se der errado."
        ),
        approver="dos médicos sócios",
        traits=("age com cautela", "vive sem tempo", "respostas evasivas"),
        goals=("organizar as três unidades num só lugar", "reduzir faltas de pacientes"),
        pains=("cada unidade trabalha de um jeito",),
        hidden_facts=(
            (
                "Os sócios brigaram na última reunião por causa de gasto com sistema.",
                "o vendedor perguntar como os sócios veem o investimento",
            ),
        ),
        walk_away=("Encerra se perceber que vai precisar parar o atendimento para implantar.",),
        speaking_style="Tom educado; responde com 'vou ver com os sócios', evita se comprometer.",
        stakes=4,
    ),
]

FEMALE_NAMES = (
    "Renata",
    "Patrícia",
    "Juliana",
    "Fernanda",
    "Camila",
    "Adriana",
    "Luciana",
    "Vanessa",
    "Cristiane",
    "Tatiane",
    "Aline",
    "Simone",
)
MALE_NAMES = (
    "Marcelo",
    "Rodrigo",
    "Eduardo",
    "André",
    "Fábio",
    "Leandro",
    "Gustavo",
    "Sérgio",
    "Ricardo",
    "Thiago",
    "Paulo",
    "Márcio",
)
SURNAMES = (
    "Silva",
    "Oliveira",
    "Santos",
    "Pereira",
    "Almeida",
    "Carvalho",
    "Ribeiro",
    "Rocha",
    "Nogueira",
    "Barbosa",
    "Teixeira",
    "Moreira",
    "Cavalcanti",
    "Monteiro",
    "Azevedo",
    "Fonseca",
)

"""The rest of the offline generator's cast, and the whole cast in order (`ARCHETYPES`)."""

from __future__ import annotations

from dojo_local.offline.persona_cast import BOTH, FIRST_ARCHETYPES, Archetype

ARCHETYPES: list[Archetype] = [
    *FIRST_ARCHETYPES,
    Archetype(
        role_f="Controller",
        role_m="Controller",
        seniority="Gerência sênior",
        genders=BOTH,
        segment="Transportadora rodoviária de cargas",
        company_kind="uma transportadora",
        size="450 funcionários, 200 caminhões",
        region="Curitiba (PR)",
        current_solutions=(
            "Senior Sistemas com um BI feito internamente",
            "ERP TOTVS com customizações de uma consultoria",
        ),
        decision_process=(
            "Prepara o caso de negócio; o diretor financeiro decide e o dono da empresa veta "
            "qualquer contrato acima de 12 meses."
        ),
        approver="do diretor financeiro",
        traits=(
            "confere cada detalhe",
            "desconfia de número redondo",
            "pede referência de cliente",
        ),
        goals=("fechar o custo por viagem com precisão", "auditoria sem ressalvas"),
        pains=("dados espalhados entre filiais",),
        hidden_facts=(
            (
                "A auditoria do ano passado apontou ressalva nos controles.",
                "o vendedor perguntar sobre auditoria ou riscos de controle",
            ),
        ),
        walk_away=("Encerra se o vendedor não tiver um cliente de referência para indicar.",),
        speaking_style="Fala pausada; faz perguntas em sequência e anota tudo.",
        stakes=8,
    ),
    Archetype(
        role_f="Analista de Compras Sênior",
        role_m="Analista de Compras Sênior",
        seniority="Analista (influenciador, não decide)",
        genders=BOTH,
        segment="Construtora de médio porte",
        company_kind="uma construtora",
        size="300 funcionários, 6 obras em andamento",
        region="Fortaleza (CE)",
        current_solutions=(
            "cotações por e-mail e planilha compartilhada",
            "o módulo de compras do ERP, que ninguém gosta",
        ),
        decision_process=(
            "Levanta informações para o gerente, que decide; não tem alçada para nada acima de "
            "R$ 5 mil."
        ),
        approver="do gerente de suprimentos",
        traits=(
            "faz muitas perguntas",
            "quer parecer bem com o chefe",
            "pede material por escrito",
        ),
        goals=("montar um comparativo para o gerente", "reduzir o prazo das cotações"),
        pains=("cotação manual que leva uma semana",),
        hidden_facts=(
            (
                "O gerente já tem simpatia por um concorrente que conheceu numa feira.",
                "o vendedor perguntar quem decide e o que essa pessoa pensa",
            ),
        ),
        walk_away=("Encerra educadamente se o vendedor insistir em falar só com o chefe.",),
        speaking_style="Fala bastante e com simpatia, mas evita qualquer compromisso.",
        stakes=2,
    ),
    Archetype(
        role_f="Diretora Comercial",
        role_m="Diretor Comercial",
        seniority="Diretoria",
        genders=BOTH,
        segment="Indústria de alimentos",
        company_kind="uma indústria de alimentos",
        size="250 funcionários, 40 representantes comerciais",
        region="Chapecó (SC)",
        current_solutions=(
            "Salesforce subutilizado, com licenças sobrando",
            "um CRM nacional que os representantes não atualizam",
        ),
        decision_process=(
            "Decide com o diretor financeiro; precisa mostrar resultado ao dono em 90 dias."
        ),
        approver="do diretor financeiro",
        traits=("vive de meta", "não tem paciência para detalhe operacional"),
        goals=("bater a meta do semestre", "ter visibilidade dos representantes"),
        pains=("representantes não registram visitas",),
        hidden_facts=(
            (
                "Já gastou com uma ferramenta que ninguém adotou e o dono não esqueceu.",
                "o vendedor perguntar sobre tentativas anteriores de resolver o problema",
            ),
        ),
        walk_away=(
            "Encerra se o vendedor não mostrar como a equipe vai de fato adotar a ferramenta.",
        ),
        speaking_style="Fala com energia e vai direto ao ponto; fala de meta e resultado.",
        stakes=7,
    ),
    Archetype(
        role_f="Proprietária de e-commerce",
        role_m="Proprietário de e-commerce",
        seniority="Proprietário",
        genders=BOTH,
        segment="Loja online de cosméticos",
        company_kind="uma loja online",
        size="18 funcionários, 3.000 pedidos por mês",
        region="Rio de Janeiro (RJ)",
        current_solutions=(
            "Bling com planilhas de estoque",
            "Tiny ERP e controles no Google Sheets",
        ),
        decision_process="Decide sem sócios, mas o contador tem a palavra final no fiscal.",
        approver="do contador da empresa",
        traits=("quer solução prática", "sensível a preço", "compara com o que viu no Instagram"),
        goals=("crescer na Black Friday sem travar a operação", "emitir nota sem dor de cabeça"),
        pains=("estoque que não bate com o marketplace",),
        hidden_facts=(
            (
                "O caixa está apertado até a Black Friday.",
                "o vendedor perguntar sobre momento da empresa ou fluxo de caixa",
            ),
        ),
        walk_away=("Desliga se a conversa passar de dez minutos sem falar de preço.",),
        speaking_style="Jeito descontraído, usa gírias cariocas, vai direto ao bolso.",
        stakes=5,
    ),
    Archetype(
        role_f="Head de Operações",
        role_m="Head de Operações",
        seniority="Head",
        genders=BOTH,
        segment="Fintech de crédito para pequenas empresas",
        company_kind="uma fintech",
        size="130 funcionários",
        region="São Paulo (SP)",
        current_solutions=(
            "uma ferramenta desenvolvida em casa pelo time de engenharia",
            "um fornecedor internacional cobrado em dólar",
        ),
        decision_process=(
            "Precisa do aval de Compliance e de Segurança da Informação antes de qualquer "
            "contrato; o CFO assina."
        ),
        approver="do CFO, depois de Compliance",
        traits=("cobra processo", "fala de SLA e auditoria", "testa o conhecimento técnico"),
        goals=("escalar a operação sem contratar", "passar na próxima auditoria do Banco Central"),
        pains=("processos manuais que geram erro operacional",),
        hidden_facts=(
            (
                "Engenharia quer construir a solução internamente e vai fazer campanha contra.",
                "o vendedor perguntar quem mais participa da decisão ou se cogitam construir",
            ),
        ),
        walk_away=("Encerra se o vendedor não souber responder sobre LGPD e segurança dos dados.",),
        speaking_style="Fala objetiva e técnica; não tolera 'vou verificar' repetido.",
        stakes=9,
    ),
    Archetype(
        role_f="Gerente de RH",
        role_m="Gerente de RH",
        seniority="Gerência",
        genders=BOTH,
        segment="Rede de escolas particulares",
        company_kind="uma rede de escolas",
        size="700 funcionários em 5 unidades",
        region="Salvador (BA)",
        current_solutions=(
            "planilhas e um sistema de folha terceirizado",
            "o portal do fornecedor da folha, que ninguém entende",
        ),
        decision_process=(
            "A mantenedora decide no planejamento anual; fora do ciclo, só com sobra de verba."
        ),
        approver="da mantenedora",
        traits=("pensa nas pessoas", "se preocupa com a adoção pela equipe", "demora para decidir"),
        goals=("reduzir a rotatividade de professores", "tirar o RH do papel"),
        pains=("cada escola controla tudo de um jeito",),
        hidden_facts=(
            (
                "O planejamento do ano que vem fecha no mês que vem.",
                "o vendedor perguntar sobre calendário de decisão ou orçamento",
            ),
        ),
        walk_away=("Encerra se sentir pressão para fechar ainda este mês.",),
        speaking_style="Tom acolhedor, fala devagar e pede exemplos de escolas parecidas.",
        stakes=3,
    ),
]

"""The generation context: diverse across documents and topics, bounded, only ready material."""

from __future__ import annotations

from collections import Counter

from dojo import retrieval
from dojo.db import service_transaction
from personas import sampling


def _big_and_small() -> dict[str, list[str]]:
    # one long document of near-identical chunks, and two short ones on other topics
    big = [
        f"Manual de emissão de notas, passo {i}: acesse o menu Notas, clique em Emitir e confira "
        "os dados do destinatário antes de transmitir para a SEFAZ."
        for i in range(40)
    ]
    prices = [
        "O Plano Essencial custa R$ 349,00/mês e inclui 200 notas por mês.",
        "O Plano Profissional custa R$ 1.290,00/mês com notas ilimitadas.",
    ]
    contract = [
        "A contratação exige fidelidade mínima de 12 meses e multa de 30% no cancelamento.",
        "Garantimos SLA de 99,5% de disponibilidade mensal da plataforma.",
    ]
    return {"manual.pdf": big, "precos.md": prices, "contrato.pdf": contract}


def test_sample_spreads_across_documents_not_first_rows(make_user, material):
    manager = make_user("Acme", "manager")
    ids = material(manager.company_id, _big_and_small())
    with service_transaction() as conn:
        context = sampling.sample(conn, manager.company_id, budget_tokens=400)
    chosen = [c.id for c in context.chunks]
    per_doc = Counter(c.filename for c in context.chunks)
    # every document is represented although the manual has 40 of the 44 chunks
    assert set(per_doc) == {"manual.pdf", "precos.md", "contrato.pdf"}
    assert per_doc["precos.md"] >= 1
    assert per_doc["contrato.pdf"] >= 1
    # not the first rows of the table
    assert chosen != sorted(ids["manual.pdf"])[: len(chosen)]
    assert context.tokens <= 400
    assert context.ids == set(chosen)


def test_sample_prefers_distinct_content_over_near_duplicates(make_user, material):
    manager = make_user("Acme", "manager")
    docs = {
        "faq.md": [
            "Como emitir nota fiscal eletrônica no sistema em poucos cliques.",
            "Como emitir nota fiscal eletrônica no sistema em poucos cliques!",
            "Como emitir nota fiscal eletrônica no sistema, em poucos cliques.",
            "Política de privacidade e LGPD: dados armazenados no Brasil com criptografia.",
            "Preço do plano anual com desconto de 15% para pagamento antecipado.",
        ]
    }
    ids = material(manager.company_id, docs)["faq.md"]
    with service_transaction() as conn:
        rows = conn.execute(
            "select id from public.diverse_chunks(%s, %s, 3)",
            (manager.company_id, "offline-ngram-1536"),
        ).fetchall()
    picked = {r["id"] for r in rows}
    # three picks among five chunks: at most one of the three near-duplicates
    assert len(picked & set(ids[:3])) == 1
    assert {ids[3], ids[4]} <= picked


def test_sample_is_bounded_and_deterministic(make_user, material):
    manager = make_user("Acme", "manager")
    material(manager.company_id, _big_and_small())
    with service_transaction() as conn:
        first = sampling.sample(conn, manager.company_id, budget_tokens=600)
        second = sampling.sample(conn, manager.company_id, budget_tokens=600)
    assert [c.id for c in first.chunks] == [c.id for c in second.chunks]
    assert sum(sampling.estimate_tokens(c.content) for c in first.chunks) <= 600


def test_sample_reads_only_ready_documents_of_the_company(make_user, material):
    manager = make_user("Acme", "manager")
    other = make_user("Other Co", "manager")
    material(manager.company_id, {"rascunho.md": ["Texto em processamento."]}, status="processing")
    material(other.company_id)
    with service_transaction() as conn:
        assert not sampling.has_material(conn, manager.company_id)
        context = sampling.sample(conn, manager.company_id)
    assert context.chunks == []
    ready = material(manager.company_id, {"ok.md": ["O Plano Essencial custa R$ 349,00/mês."]})
    with service_transaction() as conn:
        assert sampling.has_material(conn, manager.company_id)
        context = sampling.sample(conn, manager.company_id)
    assert context.ids == set(ready["ok.md"])


def test_focus_seeds_the_sample(make_user, material):
    manager = make_user("Acme", "manager")
    ids = material(manager.company_id, _big_and_small())
    with service_transaction() as conn:
        context = sampling.sample(
            conn,
            manager.company_id,
            budget_tokens=200,
            focus=retrieval.embed_query("fidelidade e multa no contrato"),
        )
    assert context.chunks[0].id == ids["contrato.pdf"][0]

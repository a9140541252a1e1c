"""The same registry + lexical index contract on SQLite (default) and PostgreSQL (scale-out)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from knowledge.errors import InvalidArgument
from knowledge.search.index import SqliteIndex
from knowledge.search.index_pg import PostgresIndex, split_url, websearch_term
from knowledge.types import DocumentInfo, Passage


def _doc(doc_id: str, partnership: str = "Wyvernshire", doc_type: str = "annual_report",
         title: str = "Annual Report") -> DocumentInfo:
    return DocumentInfo(doc_id, f"/docs/{doc_id}.md", title, partnership, doc_type, f"h-{doc_id}",
                        "2024")


def _passages(doc_id: str, texts: list[str], section: str = "Governance") -> list[Passage]:
    return [Passage(f"{doc_id}-{i}", doc_id, text, i, section, i + 1)
            for i, text in enumerate(texts)]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
def index(request, tmp_path):
    if request.param == "sqlite":
        ix = SqliteIndex(tmp_path / "index.sqlite")
    else:
        ix = PostgresIndex(request.getfixturevalue("pg_index_url"))
    yield ix
    ix.close()



def test_replace_search_and_filters(index):
    index.replace_document(_doc("a"), _passages("a", [
        "The partnership board is chaired by an independent chair appointed in 2023.",
        "Neglect training reached 400 practitioners across the county.",
        "Budget contributions come from the police, health and the council.",
    ]), {"MASA": "multi-agency safeguarding arrangements"})
    index.replace_document(_doc("b", partnership="Fenmoor", doc_type="masa_plan",
                                title="Fenmoor MASA plan"),
                           _passages("b", ["Fenmoor neglect strategy was refreshed."]), {})
    assert index.passage_count() == 4
    assert [d.doc_id for d in index.documents()] == ["a", "b"]
    hits = index.search(["independent", "chair"], 5)
    assert hits[0][0] == "a-0" and hits[0][1] > 0
    neglect = {pid for pid, _ in index.search(["neglect"], 5)}
    assert neglect == {"a-1", "b-0"}
    assert [pid for pid, _ in index.search(["neglect"], 5, partnership="fenmoor")] == ["b-0"]
    assert [pid for pid, _ in index.search(["neglect"], 5, doc_types=["annual_report"])] == ["a-1"]
    assert index.search(["zebra"], 5) == []
    assert index.search(["!!", ""], 5) == []
    assert index.doc_freq(["neglect", "budget", "zebra"]) == {"neglect": 2, "budget": 1,
                                                              "zebra": 0}
    assert index.glossary() == {"MASA": "multi-agency safeguarding arrangements"}
    got = index.passages(["a-2", "missing"])
    assert list(got) == ["a-2"] and got["a-2"].partnership == "Wyvernshire"
    assert got["a-2"].title == "Annual Report" and got["a-2"].page == 3


def test_rare_terms_outrank_common_ones(index):
    common = [f"Safeguarding partnership update number {i}." for i in range(8)]
    index.replace_document(_doc("c"), _passages("c", common + [
        "Safeguarding partnership work on county lines exploitation."]), {})
    hits = index.search(["safeguarding", "partnership", "exploitation"], 3)
    assert hits[0][0] == "c-8"


def test_replace_is_atomic_and_bumps_generation(index):
    start = index.generation()
    index.replace_document(_doc("a"), _passages("a", ["first version about thresholds"]), {})
    second = _passages("a", ["second version about early help", "and a second passage"])
    index.replace_document(_doc("a"), second, {"EH": "early help"})
    assert index.generation() == start + 2
    assert index.passage_count() == 2
    assert index.search(["thresholds"], 5) == []
    assert index.document_by_source("/docs/a.md").passages == 2
    assert sorted(index.passage_ids("a")) == ["a-0", "a-1"]
    assert [p.id for p in index.iter_passages(batch=1)] == ["a-0", "a-1"]
    index.delete_document("a")
    assert index.passage_count() == 0 and index.documents() == [] and index.glossary() == {}
    assert index.generation() == start + 3


def test_concurrent_writers_and_readers(index):
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for round_ in range(3):
                index.replace_document(_doc(f"w{n}"), _passages(
                    f"w{n}", [f"writer {n} round {round_} text about neglect"]), {})
                index.search(["neglect"], 10)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert index.passage_count() == 4


@pytest.mark.integration
def test_two_postgres_connections_share_one_index(pg_index_url):
    writer, reader = PostgresIndex(pg_index_url), PostgresIndex(pg_index_url)
    try:
        writer.replace_document(_doc("s"), _passages("s", ["shared across processes"]), {})
        assert reader.search(["shared"], 3)[0][0] == "s-0"
        assert reader.generation() == writer.generation() == 1
    finally:
        writer.close()
        reader.close()


def test_url_parsing():
    assert split_url("postgresql+psycopg://u@h:5/db?schema=abc&sslmode=disable") == (
        "postgresql://u@h:5/db?sslmode=disable", "abc")
    assert split_url("postgres://u@h/db", schema="x1")[1] == "x1"
    with pytest.raises(InvalidArgument, match="Robert"):
        split_url("postgresql://u@h/db?schema=Robert'); DROP")
    with pytest.raises(InvalidArgument, match="mysql"):
        split_url("mysql://u@h/db")
    assert websearch_term('multi-agency "plan"') == '"multi agency plan"'
    assert websearch_term("--") == ""


@pytest.mark.integration
def test_postgres_counters_stay_exact_through_writes(pg_index_url):
    index = PostgresIndex(pg_index_url)
    try:
        index.replace_document(_doc("a"), _passages("a", [
            "Neglect strategy refreshed by the neglect subgroup.", "Early help assessments rose.",
            "Multi-agency audits of neglect cases."]), {})
        index.replace_document(_doc("b"), _passages("b", ["Neglect training for schools."]), {})
        index.replace_document(_doc("a"), _passages("a", ["Early help only now."]), {})
        index.replace_document(_doc("c"), _passages("c", ["Audits of early help."]), {})
        index.delete_document("c")

        def counted(term: str) -> int:
            return int(index._rows("SELECT count(*) FROM kb_passages WHERE tsv @@ "
                                   "websearch_to_tsquery('english', %s)", (f'"{term}"',))[0][0])

        terms = ["neglect", "early", "audits", "multi agency", "schools", "zebra", "the"]
        freq = index.doc_freq(terms)
        assert freq == {t: counted(t) for t in terms[:-1]} | {"the": 2}
        assert index.passage_count() == 2 == int(index._rows("SELECT count(*) FROM kb_passages")
                                                [0][0])
        index._rows("DELETE FROM kb_meta WHERE key = 'passages' RETURNING key")  # old schema
        index._rows("DELETE FROM kb_terms WHERE word = 'neglect' RETURNING word")
        rebuilt = PostgresIndex(pg_index_url)  # derives the counters once
        assert rebuilt.doc_freq(terms) == freq and rebuilt.passage_count() == 2
        rebuilt.close()
    finally:
        index.close()


@pytest.mark.integration
def test_postgres_common_terms_do_not_pick_candidates(pg_index_url):
    index = PostgresIndex(pg_index_url)
    try:
        texts = [f"Partnership meeting minutes number {i}." for i in range(30)]
        texts += ["Partnership review of exploitation cases.", "Exploitation pathway update."]
        index.replace_document(_doc("m"), _passages("m", texts), {})
        hits = index.search(["partnership", "exploitation"], 2)
        assert {pid for pid, _ in hits} == {"m-30", "m-31"}
        wide = index.search(["partnership", "exploitation"], 10)  # too few rare matches: all
        assert len(wide) == 10 and {"m-30", "m-31"} <= {pid for pid, _ in wide}
    finally:
        index.close()


@pytest.mark.integration
def test_embedding_cache_is_shared_through_postgres(pg_index_url, tmp_path):
    from knowledge.kb import KnowledgeBase
    from knowledge.search.embedder import FakeEmbedder
    from tests.conftest import make_settings

    class Counting(FakeEmbedder):
        embedded = 0

        def embed_documents(self, texts):
            Counting.embedded += len(texts)
            return super().embed_documents(texts)

    texts = ["The chair is independent.", "Neglect training reached 400 staff."]
    one = KnowledgeBase(make_settings(tmp_path / "one", index_url=pg_index_url),
                        embedder=Counting(), sentence_vectors=True)
    two = KnowledgeBase(make_settings(tmp_path / "two", index_url=pg_index_url),
                        embedder=Counting(), sentence_vectors=True)
    first = one.cached_embedder.embed_documents(texts)
    assert Counting.embedded == 2
    again = two.cached_embedder.embed_documents(texts[::-1])
    assert Counting.embedded == 2  # the second process read them from PostgreSQL
    np.testing.assert_array_equal(again, first[::-1])
    assert not (tmp_path / "two" / "sentence-vectors.sqlite").exists()
    one.index.close()
    two.index.close()


def test_a_failed_replacement_leaves_the_old_version(index):
    from knowledge.errors import StoreError

    index.replace_document(_doc("a"), _passages("a", ["old text about thresholds"]), {})
    before = (index.documents(), index.passage_ids(), index.generation(), index.passage_count())
    duplicate = _passages("a", ["new text", "more new text"])
    with pytest.raises(StoreError):
        index.replace_document(_doc("a"), [*duplicate, duplicate[0]], {})
    assert (index.documents(), index.passage_ids(), index.generation(),
            index.passage_count()) == before
    assert index.search(["thresholds"], 3)[0][0] == "a-0"
    assert index.doc_freq(["thresholds", "new"]) == {"thresholds": 1, "new": 0}


def test_both_backends_implement_the_protocol(index):
    from knowledge.search.lexical import LexicalIndex

    assert isinstance(index, LexicalIndex)


def test_replacement_and_deletion_remove_the_same_things(index):
    """What a replaced or deleted document leaves behind is identical on every backend."""
    index.replace_document(_doc("a"), _passages("a", [
        "The Fenmoor toolkit for neglect is reviewed yearly.",
        "Escalation disputes go to the designated lead within five working days.",
    ]), {"FNT": "fenmoor neglect toolkit"})
    index.replace_document(_doc("b", partnership="Fenmoor"),
                           _passages("b", ["Unrelated text about training."]), {"TT": "training"})
    index.replace_document(_doc("a"), _passages("a", [
        "The Fenmoor toolkit for neglect is reviewed every two years.",
    ]), {"FNT2": "fenmoor neglect toolkit two"})
    assert index.passage_ids("a") == ["a-0"]
    assert index.passages(["a-1"]) == {}
    assert index.search(["escalation"], 5) == []
    assert index.doc_freq(["escalation", "toolkit"]) == {"escalation": 0, "toolkit": 1}
    assert index.glossary() == {"FNT2": "fenmoor neglect toolkit two", "TT": "training"}
    assert index.passage_count() == 2
    index.delete_document("a")
    assert [d.doc_id for d in index.documents()] == ["b"]
    assert index.passage_ids("a") == [] and index.passage_count() == 1
    assert index.glossary() == {"TT": "training"}
    assert index.document_by_source("/docs/a.md") is None
    assert sorted(p.id for p in index.iter_passages()) == ["b-0"]

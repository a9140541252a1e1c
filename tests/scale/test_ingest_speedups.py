"""Ingestion speed-ups keep behaviour: one embedding pass across files, unchanged passages never
re-embedded, the ONNX export gives the torch model's vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import Ingester
from knowledge.errors import InvalidArgument
from knowledge.kb import KnowledgeBase, embedding_text, sentence_texts
from knowledge.search.embedder import FakeEmbedder

POLICY = ("# Escalation Policy\n\n## Stages\n\nDisagreements are resolved within twenty working "
          "days through four stages of escalation.\n\n## Records\n\nRecord every escalation on "
          "the child's file and tell the designated safeguarding lead.\n\n## Review\n\nThe "
          "escalation policy is reviewed every two years by the partnership board.\n")


class RecordingEmbedder(FakeEmbedder):
    """The fake embedder, recording each batch it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[str]] = []

    def embed_documents(self, texts):
        self.batches.append(list(texts))
        return super().embed_documents(texts)


@pytest.fixture
def recording_kb(settings):
    return KnowledgeBase(settings, embedder=RecordingEmbedder())


def _write_docs(folder: Path, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(count):
        (folder / f"policy-{n}.md").write_text(POLICY.replace("Escalation Policy",
                                                              f"Escalation Policy {n}")
                                               .replace("twenty", f"{20 + n}"))


def test_passages_of_several_files_are_embedded_in_one_pass(recording_kb, tmp_path):
    _write_docs(tmp_path / "docs", 6)
    report = Ingester(recording_kb).ingest([tmp_path / "docs"])
    assert report.count("added") == 6
    assert len(recording_kb.embedder.batches) == 1
    assert len(recording_kb.embedder.batches[0]) == recording_kb.index.passage_count()
    assert recording_kb.vectors.count() == recording_kb.index.passage_count()
    assert [r.status for r in Ingester(recording_kb).ingest([tmp_path / "docs"]).results] == [
        "unchanged"] * 6


def test_batches_are_flushed_at_the_passage_limit(recording_kb, tmp_path):
    _write_docs(tmp_path / "docs", 5)
    Ingester(recording_kb, batch_passages=2).ingest([tmp_path / "docs"])
    assert len(recording_kb.embedder.batches) == 5  # each file reaches the limit on its own
    with pytest.raises(InvalidArgument, match="batch_passages"):
        Ingester(recording_kb, batch_passages=0)


def test_a_changed_document_embeds_only_its_new_text(settings, tmp_path):
    folder = tmp_path / "docs"
    _write_docs(folder, 1)
    embedder = RecordingEmbedder()
    kb = KnowledgeBase(settings, embedder=embedder, sentence_vectors=True)
    Ingester(kb).ingest([folder])
    before = {embedding_text(p) for p in kb.index.iter_passages()}
    path = folder / "policy-0.md"
    path.write_text(path.read_text().replace("every two years", "every year"))
    embedder.batches.clear()

    report = Ingester(kb).ingest([folder])

    assert [r.status for r in report.results] == ["updated"]
    changed = {embedding_text(p) for p in kb.index.iter_passages()} - before
    new_sentences = {s for p in kb.index.iter_passages() for s in sentence_texts(p)
                     if "every year" in s}
    assert len(changed) == 1 and len(new_sentences) == 1
    assert [sorted(b) for b in embedder.batches] == [sorted(changed | new_sentences)]
    assert kb.vectors.count() == kb.index.passage_count() == len(before)
    hits = kb.search("how often is the escalation policy reviewed", k=5)
    assert "every year" in hits[0].passage.text
    path.write_text(path.read_text().replace("every year", "every two years"))
    embedder.batches.clear()
    assert [r.status for r in Ingester(kb).ingest([folder]).results] == ["updated"]
    assert embedder.batches == []  # back to text embedded before: nothing to embed


def test_fake_embedder_memo_changes_nothing():
    texts = ["Neglect strategy refreshed", "neglect STRATEGY refreshed!", "", "Early help 2024"]
    memo = FakeEmbedder()
    first = memo.embed_documents(texts)
    again = memo.embed_documents(list(reversed(texts)))[::-1]
    fresh = np.stack([FakeEmbedder().embed_query(t) for t in texts])
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, fresh)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-6)
    assert float(first[0] @ first[1]) == pytest.approx(1.0)
    assert float(first[0] @ first[3]) < 0.5


class QueryCountingEmbedder(RecordingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries = 0

    def embed_query(self, text):
        self.queries += 1
        return super().embed_query(text)


def test_sentences_embedded_at_ingest_are_not_embedded_again_when_answering(settings, tmp_path):
    _write_docs(tmp_path / "docs", 2)
    embedder = QueryCountingEmbedder()
    kb = KnowledgeBase(settings, embedder=embedder, sentence_vectors=True)
    Ingester(kb).ingest([tmp_path / "docs"])
    embedded = {t for batch in embedder.batches for t in batch}
    assert {s for p in kb.index.iter_passages() for s in sentence_texts(p)} <= embedded
    embedder.batches.clear()

    answer = kb.ask("How often is the escalation policy reviewed?")

    assert not answer.abstained and "every two years" in answer.answer
    assert embedder.batches == [] and embedder.queries == 1  # sentences came from the cache
    fresh = KnowledgeBase(settings, embedder=FakeEmbedder(), sentence_vectors=False)
    again = fresh.ask("How often is the escalation policy reviewed?")
    assert (again.answer, again.confidence) == (answer.answer, answer.confidence)


def test_caching_embedder_stores_documents_not_queries(tmp_path):
    from knowledge.search.vectors import CachingEmbedder, SqliteVectorCache

    inner = QueryCountingEmbedder()
    cached = CachingEmbedder(inner, SqliteVectorCache(tmp_path / "cache.sqlite"))
    first = cached.embed_documents(["a neglect plan", "early help", "a neglect plan"])
    again = CachingEmbedder(inner, SqliteVectorCache(tmp_path / "cache.sqlite")).embed_documents(
        ["early help", "a neglect plan"])
    assert inner.batches == [["a neglect plan", "early help"]]  # deduplicated, then cached
    np.testing.assert_array_equal(again, first[[1, 0]])
    cached.embed_query("who chairs?")
    cached.embed_query("who chairs?")
    assert inner.queries == 2 and cached.embed_documents([]).shape == (0, 256)

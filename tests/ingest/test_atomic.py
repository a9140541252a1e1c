"""Replacing a document is atomic: readers see the old version or the new one, never a mix, and
vectors left behind by a crash are invisible and reconciled on the next run."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import CountingEmbedder

from ingest.pipeline import Ingester
from knowledge.errors import StoreError
from knowledge.kb import KnowledgeBase

OLD = ("# Escalation Policy\n\n## 1. Stages\n\nDisagreements are resolved within twenty working "
       "days through four stages of escalation.\n\n## 2. Records\n\nRecord every escalation on the "
       "child's file.\n\n## 3. Review\n\nThe escalation policy is reviewed every two years.\n")
NEW = OLD.replace("twenty", "ten").replace("four stages", "three stages").replace(
    "every two years", "every year")
QUERY = "escalation stages disagreements records review policy"


class SimulatedCrash(RuntimeError):
    """Stands for the process dying at a chosen point."""


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "escalation.md").write_text(OLD)
    return folder


def visible_ids(kb: KnowledgeBase) -> set[str]:
    return {hit.passage.id for hit in kb.search(QUERY, k=50)}


def test_crash_after_vectors_before_registry_commit_keeps_old_version(settings, policy,
                                                                     monkeypatch):
    kb = KnowledgeBase(settings, embedder=CountingEmbedder())
    Ingester(kb).ingest([policy])
    old_ids = set(kb.index.passage_ids())
    (policy / "escalation.md").write_text(NEW)

    def crash(*args, **kwargs):
        raise SimulatedCrash("process died before the registry transaction")

    monkeypatch.setattr(kb.index, "replace_document", crash)
    with pytest.raises(SimulatedCrash):
        Ingester(kb).ingest([policy])
    monkeypatch.undo()

    assert set(kb.index.passage_ids()) == old_ids  # registry unchanged
    assert kb.vectors.count() > len(old_ids)  # the new vectors were written: orphans
    assert visible_ids(kb) == old_ids  # every old passage visible, no new one
    joined = " ".join(p.text for p in kb.index.iter_passages())
    assert "within twenty working days" in joined and "within ten" not in joined
    kb.index.close()

    restarted = KnowledgeBase(settings, embedder=CountingEmbedder())
    orphan_count = restarted.vectors.count() - len(old_ids)
    assert orphan_count == len(old_ids)  # one new vector per passage of the new version
    assert restarted.reconcile() == orphan_count
    assert restarted.vectors.count() == restarted.index.passage_count() == len(old_ids)
    assert restarted.reconcile() == 0

    report = Ingester(restarted).ingest([policy])
    assert [r.status for r in report.results] == ["updated"]
    new_ids = set(restarted.index.passage_ids())
    assert new_ids.isdisjoint(old_ids) and visible_ids(restarted) == new_ids
    assert restarted.vectors.count() == len(new_ids)
    restarted.index.close()


def test_next_ingest_run_reconciles_orphans_by_itself(settings, policy, monkeypatch):
    kb = KnowledgeBase(settings, embedder=CountingEmbedder())
    Ingester(kb).ingest([policy])
    (policy / "escalation.md").write_text(NEW)
    monkeypatch.setattr(kb.index, "replace_document",
                        lambda *a, **k: (_ for _ in ()).throw(SimulatedCrash("crash")))
    with pytest.raises(SimulatedCrash):
        Ingester(kb).ingest([policy])
    monkeypatch.undo()
    (policy / "escalation.md").write_text(OLD)  # the edit was abandoned: file back as it was

    report = Ingester(kb).ingest([policy])

    assert [r.status for r in report.results] == ["unchanged"]
    assert kb.vectors.count() == kb.index.passage_count()


def test_searches_during_a_replacement_see_old_then_new_never_a_mix(settings, policy,
                                                                    monkeypatch):
    kb = KnowledgeBase(settings, embedder=CountingEmbedder())
    Ingester(kb).ingest([policy])
    old_ids = set(kb.index.passage_ids())
    seen: dict[str, set[str]] = {}
    real_replace = kb.index.replace_document
    real_delete = kb.vectors.delete

    def replace_document(doc, passages, glossary):
        seen["vectors written, registry not yet"] = visible_ids(kb)
        real_replace(doc, passages, glossary)
        seen["registry committed"] = visible_ids(kb)

    def delete(ids):
        seen["before old vectors deleted"] = visible_ids(kb)
        real_delete(ids)

    monkeypatch.setattr(kb.index, "replace_document", replace_document)
    monkeypatch.setattr(kb.vectors, "delete", delete)
    (policy / "escalation.md").write_text(NEW)
    Ingester(kb).ingest([policy])
    new_ids = set(kb.index.passage_ids())

    assert new_ids.isdisjoint(old_ids)
    assert seen["vectors written, registry not yet"] == old_ids
    assert seen["registry committed"] == new_ids
    assert seen["before old vectors deleted"] == new_ids
    assert visible_ids(kb) == new_ids and kb.vectors.count() == len(new_ids)


def test_a_failure_inside_the_registry_transaction_rolls_back(settings, policy):
    kb = KnowledgeBase(settings, embedder=CountingEmbedder())
    Ingester(kb).ingest([policy])
    old_ids = set(kb.index.passage_ids())
    before = kb.documents()
    ingester = Ingester(kb)
    path = policy / "escalation.md"
    path.write_text(NEW)
    doc, passages, glossary = ingester.build(path, str(path.resolve()), "new-hash", None, None)

    with pytest.raises(StoreError):  # a duplicate id fails half-way through the inserts
        kb.store_document(doc, [*passages, passages[0]], glossary,
                          previous_ids=sorted(old_ids))

    assert kb.documents() == before
    assert set(kb.index.passage_ids()) == old_ids and visible_ids(kb) == old_ids


def test_remove_document_hides_it_and_deletes_its_vectors(settings, policy, tmp_path):
    kb = KnowledgeBase(settings, embedder=CountingEmbedder())
    other = tmp_path / "other.md"
    other.write_text("# Other\n\nA different document about escalation stages and records.\n")
    Ingester(kb).ingest([policy, other])
    doc = kb.index.document_by_source(str((policy / "escalation.md").resolve()))

    kb.remove_document(doc.doc_id)

    assert [d.title for d in kb.documents()] == ["Other"]
    assert kb.vectors.count() == kb.index.passage_count() == 1
    assert {h.passage.doc_id for h in kb.search(QUERY, k=50)} == {kb.documents()[0].doc_id}

"""Incremental, idempotent, atomic ingestion into the registry and the vector store."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import CountingEmbedder, write_docx, write_pdf

from ingest.pipeline import Ingester, document_id
from knowledge.kb import KnowledgeBase

OLD = ("# Escalation Policy\n\n## 1. Stages\n\nDisagreements are resolved within twenty working "
       "days. The first stage is a conversation between the practitioners involved.\n\n"
       "## 2. Records\n\nRecord every escalation on the child's file with the outcome.\n")
NEW = ("# Escalation Policy\n\n## 1. Stages\n\nDisagreements are resolved within ten working "
       "days. The first stage is a meeting chaired by a team manager.\n\n"
       "## 2. Records\n\nRecord every escalation on the child's file with the outcome.\n")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "escalation.md").write_text(OLD)
    write_docx(folder / "thresholds.docx", [
        ("Heading 1", "1. Levels of Need"),
        ("Normal", "Level 4 means a child is suffering or likely to suffer significant harm."),
    ])
    write_pdf(folder / "plan.pdf", [["4. Structure and Governance",
                                     "The executive meets every six weeks and is chaired by the "
                                     "partnership chair."]])
    return folder


def texts(kb: KnowledgeBase) -> list[str]:
    return [p.text for p in kb.index.iter_passages()]


def test_first_run_adds_every_file(counting_kb, corpus):
    report = Ingester(counting_kb).ingest([corpus])
    assert sorted(r.status for r in report.results) == ["added"] * 3
    assert counting_kb.vectors.count() == counting_kb.index.passage_count() > 0
    assert all(r.passages > 0 and r.words > 0 for r in report.results)


def test_re_ingesting_unchanged_files_embeds_nothing(counting_kb, corpus):
    Ingester(counting_kb).ingest([corpus])
    calls = counting_kb.embedder.document_calls
    ids = sorted(counting_kb.index.passage_ids())

    report = Ingester(counting_kb).ingest([corpus])

    assert [r.status for r in report.results] == ["unchanged"] * 3
    assert counting_kb.embedder.document_calls == calls
    assert sorted(counting_kb.index.passage_ids()) == ids


def test_unchanged_is_detected_by_a_fresh_process(settings, corpus):
    first = KnowledgeBase(settings, embedder=CountingEmbedder())
    Ingester(first).ingest([corpus])
    first.index.close()
    second = KnowledgeBase(settings, embedder=CountingEmbedder())
    report = Ingester(second).ingest([corpus])
    assert {r.status for r in report.results} == {"unchanged"}
    assert second.embedder.document_calls == 0
    second.index.close()


def test_a_changed_file_is_updated_old_passages_gone_new_visible(counting_kb, corpus):
    Ingester(counting_kb).ingest([corpus])
    doc_before = counting_kb.index.document_by_source(str((corpus / "escalation.md").resolve()))
    (corpus / "escalation.md").write_text(NEW)
    counting_kb.embedder.documents_embedded = 0

    report = Ingester(counting_kb).ingest([corpus])

    statuses = {Path(r.path).name: r.status for r in report.results}
    assert statuses == {"escalation.md": "updated", "thresholds.docx": "unchanged",
                        "plan.pdf": "unchanged"}
    joined = " ".join(texts(counting_kb))
    assert "within ten working days" in joined and "twenty" not in joined
    updated = next(r for r in report.results if r.status == "updated")
    # only the changed file's new passages are embedded (unchanged passages reuse their vectors)
    assert 0 < counting_kb.embedder.documents_embedded <= updated.passages
    doc_after = counting_kb.index.document_by_source(doc_before.source)
    assert doc_after.doc_id == doc_before.doc_id  # same file, same document id
    assert doc_after.content_hash != doc_before.content_hash
    assert counting_kb.vectors.count() == counting_kb.index.passage_count()
    hits = counting_kb.search("How long do disagreements take to resolve?", k=10)
    assert all("twenty" not in h.passage.text for h in hits)
    assert any("ten working days" in h.passage.text for h in hits)


def test_prune_removes_documents_whose_files_were_deleted(counting_kb, corpus):
    Ingester(counting_kb).ingest([corpus])
    (corpus / "plan.pdf").unlink()

    kept = Ingester(counting_kb).ingest([corpus])
    assert len(counting_kb.documents()) == 3  # without --prune nothing is removed
    assert "pruned" not in {r.status for r in kept.results}

    report = Ingester(counting_kb).ingest([corpus], prune=True)

    pruned = [r for r in report.results if r.status == "pruned"]
    assert [Path(r.path).name for r in pruned] == ["plan.pdf"]
    assert len(counting_kb.documents()) == 2
    assert "six weeks" not in " ".join(texts(counting_kb))
    assert counting_kb.vectors.count() == counting_kb.index.passage_count()


def test_prune_leaves_documents_outside_the_given_folders(counting_kb, corpus, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.md").write_text("# Note\n\nA separate folder's document stays indexed.\n")
    Ingester(counting_kb).ingest([corpus, other])
    report = Ingester(counting_kb).ingest([corpus], prune=True)
    assert "pruned" not in {r.status for r in report.results}
    assert len(counting_kb.documents()) == 4


def test_ids_are_content_hashes(settings, corpus, tmp_path):
    from ingest.pipeline import _file_hash

    kb_a = KnowledgeBase(settings)
    Ingester(kb_a).ingest([corpus])
    ids_a = sorted(kb_a.index.passage_ids())
    kb_a.index.close()
    kb_b = KnowledgeBase(settings.with_overrides(data_dir=tmp_path / "second"))
    Ingester(kb_b).ingest([corpus])
    assert sorted(kb_b.index.passage_ids()) == ids_a  # same content -> same ids

    data = (corpus / "escalation.md").read_bytes()
    assert _file_hash(data, "") == _file_hash(data, "")
    assert _file_hash(data, "") != _file_hash(data + b" ", "")
    assert _file_hash(data, "") != _file_hash(data, "Other Partnership|")
    assert document_id("/a/b.pdf") == document_id("/a/b.pdf") != document_id("/a/c.pdf")
    (corpus / "escalation.md").write_text(NEW)
    Ingester(kb_b).ingest([corpus])
    assert sorted(kb_b.index.passage_ids()) != ids_a
    kb_b.index.close()


def test_changing_the_declared_partnership_re_ingests(counting_kb, corpus):
    Ingester(counting_kb).ingest([corpus])
    report = Ingester(counting_kb).ingest([corpus], partnership="Marsh Safeguarding Partnership")
    assert {r.status for r in report.results} == {"updated"}
    assert {d.partnership for d in counting_kb.documents()} == {"Marsh Safeguarding Partnership"}


def test_declared_doc_type_is_validated(counting_kb, corpus):
    from knowledge.errors import InvalidArgument

    with pytest.raises(InvalidArgument):
        Ingester(counting_kb).ingest([corpus], doc_type="minutes")


def test_progress_callbacks_see_every_file(counting_kb, corpus):
    (corpus / "image.png").write_bytes(b"\x89PNG\r\n")
    started, seen = [], []
    Ingester(counting_kb).ingest([corpus], on_start=started.append, on_file=seen.append)
    assert started == [4] and len(seen) == 4

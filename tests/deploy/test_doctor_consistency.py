"""`sgbot doctor` on vector/index consistency, through the real CLI: an interrupted ingest
(orphan vectors and its marker), orphans alone, missing vectors; each fails (exit 1, ✗) and
names the repair command, and that command, run through the CLI, makes doctor pass again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from knowledge.errors import StoreError
from knowledge.search.consistency import PENDING_MARKER
from tests.conftest import make_settings

NO_ENV_FILE = "/nonexistent/sgbot.env"
GOOD_SLACK = {"SLACK_BOT_TOKEN": "xoxb-1-test", "SLACK_APP_TOKEN": "xapp-1-test"}


def doctor(capsys) -> tuple[int, dict]:
    code = main(["--env-file", NO_ENV_FILE, "doctor", "--json", "--quick"])
    report = json.loads(capsys.readouterr().out)
    return code, {c["name"]: c for c in report["checks"]}


def write_docs(folder: Path, count: int, area: str = "north") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"wscp-{area}-guide-{i}.md").write_text(
            f"# Wyvernshire {area} guide {i}\n\n## Contacts\n\n"
            f"The Wyvernshire duty desk for guide {i} "
            f"answers consultation calls from practitioners on weekdays between nine and five, "
            f"and passes urgent concerns on to the area team number {i}.\n")
    return folder


def repair(capsys, docs: Path) -> None:
    assert main(["--env-file", NO_ENV_FILE, "ingest", "--repair", "--quiet", str(docs)]) == 0
    capsys.readouterr()


@pytest.fixture
def stores(env, tmp_path):
    env(**GOOD_SLACK)
    from ingest.pipeline import Ingester
    from knowledge.kb import KnowledgeBase

    data_dir = tmp_path / "data"
    docs = write_docs(tmp_path / "docs", 3)
    kb = KnowledgeBase(make_settings(data_dir))
    assert not Ingester(kb).ingest([docs]).failed
    return kb, docs, data_dir


def test_marker_name_is_the_one_the_knowledge_base_writes(settings):
    from knowledge.kb import KnowledgeBase

    assert KnowledgeBase(settings)._pending_marker == settings.data_dir / PENDING_MARKER


def test_consistent_stores_pass(stores, capsys):
    code, checks = doctor(capsys)
    assert code == 0
    assert checks["vector consistency"] == {
        "name": "vector consistency", "status": "ok", "detail": "3 vectors match 3 passages",
        "fix": ""}


def test_interrupted_ingest_fails_and_repair_fixes_it(stores, capsys, tmp_path):
    kb, docs, data_dir = stores
    from ingest.pipeline import Ingester

    more = write_docs(tmp_path / "more", 2, area="south")

    def crash(*args, **kwargs):
        raise StoreError("index write failed")

    kb.index.replace_document = crash  # fails after the vectors are written
    with pytest.raises(StoreError):
        Ingester(kb).ingest([more])
    del kb.index.replace_document
    assert (data_dir / PENDING_MARKER).exists()

    code, checks = doctor(capsys)
    check = checks["vector consistency"]
    assert code == 1 and check["status"] == "fail"
    assert "interrupted" in check["detail"] and "2 orphan vectors" in check["detail"]
    assert "sgbot ingest --repair" in check["fix"]

    main(["--env-file", NO_ENV_FILE, "doctor", "--quick"])
    text = capsys.readouterr().out
    assert "✗ vector consistency: an ingest is running or was interrupted" in text
    assert "✓ vector consistency" not in text and "FAILED" in text

    repair(capsys, more)
    assert not (data_dir / PENDING_MARKER).exists()
    code, checks = doctor(capsys)
    assert code == 0 and checks["vector consistency"]["detail"] == "5 vectors match 5 passages"


def test_orphans_without_a_marker_fail_and_repair_removes_them(stores, capsys, tmp_path):
    kb, docs, data_dir = stores
    doc = kb.index.documents()[0]
    Path(doc.source).unlink()
    kb.index.delete_document(doc.doc_id)  # registry forgets it, vectors stay, no marker
    assert not (data_dir / PENDING_MARKER).exists()

    code, checks = doctor(capsys)
    assert code == 1
    assert checks["vector consistency"]["detail"] == (
        "1 orphan vectors (in the vector store, not in the index)")

    repair(capsys, docs)  # nothing to re-ingest: the repair itself must find the orphans
    code, checks = doctor(capsys)
    assert code == 0 and checks["vector consistency"]["detail"] == "2 vectors match 2 passages"


def test_missing_vectors_fail_and_repair_re_embeds(stores, capsys):
    kb, docs, _ = stores
    kb.vectors.delete(kb.index.passage_ids()[:2])

    code, checks = doctor(capsys)
    assert code == 1
    assert checks["vector consistency"]["detail"].startswith("2 passages without vectors")

    repair(capsys, docs)
    code, checks = doctor(capsys)
    assert code == 0 and checks["vector consistency"]["detail"] == "3 vectors match 3 passages"

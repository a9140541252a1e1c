"""Two bot processes against one Chroma server and one PostgreSQL: each sees what the other
ingested and the feedback the other recorded (scale-out, no per-process files)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]

# Fictional partnership text written for this test.
FENMOOR = """# Fenmoor Safeguarding Children Partnership annual report 2024

## Governance

The Fenmoor partnership is chaired by Dr Ada Quillfeather, the independent chair appointed in
April 2023. The three statutory partners meet every six weeks as the executive group.

## Training

The learning and development group delivered 37 neglect workshops to 912 practitioners.
"""


def _env(tmp_path: Path, name: str, chroma, index_url: str, collection: str,
         db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SGBOT_", "CHROMA_"))}
    env.update({
        "PYTHONPATH": str(REPO),
        "SGBOT_DATA_DIR": str(tmp_path / name),
        "SGBOT_EMBED_BACKEND": "fake",
        "CHROMA_HOST": chroma[0],
        "CHROMA_PORT": str(chroma[1]),
        "SGBOT_COLLECTION": collection,
        "SGBOT_INDEX_URL": index_url,
        "SGBOT_DB_URL": db_url,
        "SGBOT_PSEUDONYM_KEY": "scale-test-key-not-secret",
        "SGBOT_LOG_LEVEL": "WARNING",
    })
    return env


def _bot(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "bot", "--env-file", os.devnull, *args],
                          env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def test_second_process_answers_from_first_process_ingest(tmp_path, chroma_server,
                                                          pg_index_url, pg_db_url, pg_schema):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "fenmoor-annual-report-2024.md").write_text(FENMOOR)
    one = _env(tmp_path, "one", chroma_server, pg_index_url, pg_schema, pg_db_url)
    two = _env(tmp_path, "two", chroma_server, pg_index_url, pg_schema, pg_db_url)

    _bot(one, "ingest", str(docs), "--quiet", cwd=tmp_path)
    answer = json.loads(_bot(two, "ask", "--json", "Who chairs the Fenmoor partnership?",
                             cwd=tmp_path).stdout)

    assert not answer["abstained"], answer
    assert "Ada Quillfeather" in answer["answer"]
    assert answer["citations"][0]["source"] == str((docs / "fenmoor-annual-report-2024.md")
                                                   .resolve())
    # Nothing local: the second process kept no index or vectors of its own.
    assert not (tmp_path / "two" / "index.sqlite").exists()
    assert not (tmp_path / "two" / "chroma").exists()
    assert not (tmp_path / "one" / "index.sqlite").exists()

    # Process two removes the document (prune after the file is gone); process one sees that.
    (docs / "fenmoor-annual-report-2024.md").unlink()
    _bot(two, "ingest", str(docs), "--prune", "--quiet", cwd=tmp_path)
    gone = json.loads(_bot(one, "ask", "--json", "Who chairs the Fenmoor partnership?",
                           cwd=tmp_path).stdout)
    assert gone["abstained"] or "Quillfeather" not in gone["answer"]


ADD_FEEDBACK = """
from knowledge.feedback import FeedbackStore
from knowledge.settings import Settings
store = FeedbackStore.open(Settings.from_env(env_file=None))
s = store.add_submission(kind="working_well", theme="neglect", agency="Health visiting",
                         locality="North", text="Neglect toolkit training helped our team.",
                         consent_to_quote=True, may_contact=False, submitter_id="U123",
                         channel="slack")
print(s.id)
"""

LIST_FEEDBACK = """
import json
from knowledge.feedback import FeedbackStore
from knowledge.settings import Settings
store = FeedbackStore.open(Settings.from_env(env_file=None))
print(json.dumps([[s.id, s.theme, s.agency, s.text] for s in store.submissions()]))
"""


def test_feedback_from_one_process_is_seen_by_another(tmp_path, chroma_server, pg_index_url,
                                                      pg_db_url, pg_schema):
    one = _env(tmp_path, "one", chroma_server, pg_index_url, pg_schema, pg_db_url)
    two = _env(tmp_path, "two", chroma_server, pg_index_url, pg_schema, pg_db_url)

    def run(env, code):
        proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stdout.strip()

    submitted = run(one, ADD_FEEDBACK)
    seen = json.loads(run(two, LIST_FEEDBACK))
    assert [row[:3] for row in seen] == [[int(submitted) if submitted.isdigit() else submitted,
                                          "neglect", "Health visiting"]]
    assert "Neglect toolkit" in seen[0][3]
    assert not (tmp_path / "two" / "sgbot.db").exists()

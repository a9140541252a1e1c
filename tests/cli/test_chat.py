"""`sgbot chat` and `sgbot ask` in-process, on the sample corpus with the fake embedder."""

import io
import json

from bot.cli import main


def _env(monkeypatch, data_dir):
    monkeypatch.setenv("SGBOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SGBOT_EMBED_BACKEND", "fake")


def test_chat_answers_lists_documents_and_quits(sample_kb, monkeypatch, capsys):
    _env(monkeypatch, sample_kb.settings.data_dir)
    monkeypatch.setattr("sys.stdin", io.StringIO(
        "docs\nWhat number do I call out of hours?\nA child told me she is not safe at home\n"
        "quit\n"))
    assert main(["--env-file", "/nonexistent", "chat"]) == 0
    out = capsys.readouterr().out
    assert "4 documents indexed" in out
    assert "Threshold Guidance" in out  # from `docs`
    assert "01632 960777" in out  # the answer quote
    assert "call 999 now" in out  # the safety net


def test_chat_ends_cleanly_at_end_of_input(sample_kb, monkeypatch, capsys):
    _env(monkeypatch, sample_kb.settings.data_dir)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--env-file", "/nonexistent", "chat"]) == 0


def test_ask_json_carries_the_urgent_routes_for_a_live_concern(sample_kb, monkeypatch, capsys):
    _env(monkeypatch, sample_kb.settings.data_dir)
    assert main(["--env-file", "/nonexistent", "ask", "--json",
                 "I think a child is in danger now"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "999" in payload["urgent"]


def test_errors_are_reported_at_the_edge_with_exit_code_2(sample_kb, monkeypatch, capsys):
    _env(monkeypatch, sample_kb.settings.data_dir)
    assert main(["--env-file", "/nonexistent", "ask", "   "]) == 2
    assert "error: the question is empty" in capsys.readouterr().err


def test_ask_can_be_limited_to_a_document_type(sample_kb, monkeypatch, capsys):
    _env(monkeypatch, sample_kb.settings.data_dir)
    assert main(["--env-file", "/nonexistent", "ask", "--json", "--doc-type",
                 "threshold_guidance", "What number do I call out of hours?"]) == 0
    payload = json.loads(capsys.readouterr().out)
    guidance = {d.source for d in sample_kb.documents() if d.doc_type == "threshold_guidance"}
    assert payload["citations"] and {c["source"] for c in payload["citations"]} <= guidance


def test_chat_lists_its_commands_and_clear_forgets_the_topic(sample_kb, monkeypatch, capsys):
    from knowledge.kb import KnowledgeBase

    _env(monkeypatch, sample_kb.settings.data_dir)
    previous: list[str | None] = []
    real = KnowledgeBase.ask

    def spy(self, question, **kwargs):
        previous.append(kwargs.get("previous"))
        return real(self, question, **kwargs)

    monkeypatch.setattr(KnowledgeBase, "ask", spy)
    monkeypatch.setattr("sys.stdin", io.StringIO(
        "Who chairs the Safeguarding Practice Review Group?\nhow often does it meet?\n"
        "clear\nhow often does it meet?\nhelp\nquit\n"))
    assert main(["--env-file", "/nonexistent", "chat"]) == 0
    out = capsys.readouterr().out
    assert out.count("clear") >= 2 and "quit" in out and "help" in out  # listed on start + help
    assert "Conversation cleared" in out
    assert previous == [None, "Who chairs the Safeguarding Practice Review Group?", None]


def test_invalid_utf8_in_a_question_is_answered_not_a_traceback(sample_kb, monkeypatch,
                                                               capsys):
    _env(monkeypatch, sample_kb.settings.data_dir)
    broken = b"who chairs the SPRG \xff\xfe?".decode("utf-8", "surrogateescape")
    assert main(["--env-file", "/nonexistent", "ask", "--json", broken]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["question"].startswith("who chairs the SPRG")
    assert "Traceback" not in captured.err

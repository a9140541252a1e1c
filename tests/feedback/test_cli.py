"""`sgbot feedback add|export|report` in-process through bot.cli.main."""

from __future__ import annotations

import csv
import io
import logging
from datetime import date

import pytest

from bot.cli import main


class TtyInput(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("SGBOT_DATA_DIR", str(data_dir))
    for name in ("SGBOT_DB_URL", "SGBOT_PSEUDONYM_KEY", "SGBOT_FEEDBACK_THEMES",
                 "SGBOT_LOCALITIES", "SGBOT_FEEDBACK_MAX_CHARS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    env_file = str(tmp_path / "missing.env")

    def run(*argv: str, stdin: str | None = None, tty: bool = False) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", TtyInput(stdin or "") if tty else io.StringIO(stdin or ""))
        code = main(["--env-file", env_file, "feedback", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    run.data_dir = data_dir
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield run
    # the CLI configures logging once per process, onto this test's captured stderr: undo it
    root.handlers[:], level = saved
    root.setLevel(level)
    if hasattr(root, "_sgbot_configured"):
        del root._sgbot_configured


def stored(data_dir):
    from knowledge.feedback import FeedbackStore
    from tests.conftest import make_settings

    with FeedbackStore.open(make_settings(data_dir)) as store:
        return store.submissions()


ADD = ("add", "--kind", "getting_in_the_way", "--theme", "thresholds", "--agency", "Health",
       "--locality", "South")


def test_add_with_all_flags_stores_redacted_text(cli):
    code, out, err = cli(*ADD, "--text", "Ring Sarah Jones on 07700 900123 about it", "--consent")
    assert code == 0, err
    assert "your feedback is saved" in out
    assert "Removed before storing: 1 name, 1 phone number." in out
    [item] = stored(cli.data_dir)
    assert item.text == "Ring [NAME] on [PHONE] about it"
    assert item.consent_to_quote and not item.may_contact and item.channel == "cli"
    assert item.submitter.startswith("anon-")


def test_add_with_contact_keeps_the_submitter(cli):
    code, _out, err = cli(*ADD, "--text", "Happy to talk", "--contact", "--submitter", "jo@x")
    assert code == 0, err
    assert stored(cli.data_dir)[0].submitter == "jo@x"


def test_add_without_a_terminal_names_what_is_missing(cli):
    code, _out, err = cli("add", "--kind", "idea", "--text", "More joint training")
    assert code == 2
    assert "missing --theme, --agency, --locality" in err
    assert stored(cli.data_dir) == []


def test_add_rejects_an_unknown_theme_clearly(cli):
    code, _out, err = cli("add", "--kind", "idea", "--theme", "parking", "--agency", "Police",
                          "--locality", "North", "--text", "x")
    assert code == 2
    assert "theme 'parking' is not one of: neglect, exploitation" in err


def test_add_prompts_for_missing_fields_in_a_terminal(cli):
    answers = "\n".join(["3",              # kind: An idea
                         "nonsense", "2",  # theme: invalid, then exploitation
                         "Education",      # agency
                         "West",           # locality
                         "Use the Early Help form for exploitation too",
                         "y", "n"]) + "\n"
    code, out, err = cli("add", stdin=answers, tty=True)
    assert code == 0, err
    assert "Please don't include case details" in out
    assert "please answer 1-11" in out
    [item] = stored(cli.data_dir)
    assert (item.kind, item.theme, item.agency, item.locality) == (
        "idea", "exploitation", "Education", "West")
    assert item.consent_to_quote and not item.may_contact


def test_export_csv_and_xlsx_round_trip(cli, tmp_path):
    for body in ("=HYPERLINK(\"x\") looks like a formula", "Plain, with a comma"):
        assert cli(*ADD, "--text", body)[0] == 0
    today = date.today().isoformat()
    code, out, err = cli("export", "--from", today, "--to", today, "--format", "csv",
                         "--out", str(tmp_path / "f.csv"))
    assert code == 0, err
    assert "Exported 2 submissions" in out
    with (tmp_path / "f.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["text"] for r in rows] == ["'=HYPERLINK(\"x\") looks like a formula",
                                         "Plain, with a comma"]
    assert rows[0]["kind_label"] == "What gets in the way" and rows[0]["locality"] == "South"

    code, _out, err = cli("export", "--out", str(tmp_path / "f.xlsx"))
    assert code == 0, err
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "f.xlsx")
    assert book.sheetnames == ["Feedback", "Knowledge gaps", "Usage"]
    sheet = book["Feedback"]
    header = [c.value for c in sheet[1]]
    texts = [row[header.index("text")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert texts == [r["text"] for r in rows]
    assert all(c.data_type == "s" for c in sheet["H"])  # nothing became a formula


def test_export_of_an_earlier_period_is_empty(cli, tmp_path):
    assert cli(*ADD, "--text", "Something")[0] == 0
    code, out, _err = cli("export", "--from", "2020-01-01", "--to", "2020-12-31",
                          "--out", str(tmp_path / "old.csv"))
    assert code == 0 and "Exported 0 submissions" in out
    assert (tmp_path / "old.csv").read_text(encoding="utf-8-sig").count("\n") == 1


def test_bad_dates_are_refused(cli, capsys):
    with pytest.raises(SystemExit):
        cli("export", "--from", "31/01/2024")
    assert "is not a date (use YYYY-MM-DD)" in capsys.readouterr().err
    code, _out, err = cli("report", "--from", "2024-02-01", "--to", "2024-01-01")
    assert code == 2 and "is after --to" in err


def test_report_writes_markdown_digest(cli, tmp_path):
    assert cli(*ADD, "--text", "Waiting for Mrs Patel's call", "--consent")[0] == 0
    code, out, err = cli("report", "--out", str(tmp_path / "digest.md"))
    assert code == 0, err
    assert "Wrote the feedback digest" in out
    body = (tmp_path / "digest.md").read_text()
    assert "Waiting for [NAME]'s call" in body and "Patel" not in body
    assert (tmp_path / "digest_charts" / "by_theme.png").is_file()

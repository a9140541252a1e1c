"""`sgbot feedback add|export|report`: frontline feedback from the terminal, and the business
unit's harvest (spreadsheet export and annual-report digest).

`add` asks for anything missing when run interactively, and refuses clearly otherwise.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date, timedelta
from pathlib import Path

REMINDER = ("Please don't include case details. Names, phone numbers, addresses and other "
            "personal data are removed automatically before anything is stored.")
LABELS = {"NAME": "name", "EMAIL": "email address", "PHONE": "phone number",
          "POSTCODE": "postcode", "NHS_NUMBER": "NHS number", "NI_NUMBER": "NI number",
          "DOB": "date of birth", "ADDRESS": "address"}


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def register(sub) -> None:
    p = sub.add_parser("feedback", help="frontline feedback: add, export, annual-report digest",
                       description="Capture practitioners' feedback and turn it into the annual "
                       "report's evidence.")
    fsub = p.add_subparsers(dest="feedback_command", metavar="ACTION")
    fsub.required = True

    add = fsub.add_parser("add", help="record one piece of feedback",
                          description=f"Record one piece of frontline feedback. {REMINDER}")
    add.add_argument("--kind", help="working_well | getting_in_the_way | idea")
    add.add_argument("--theme", help="one of the configured themes (SGBOT_FEEDBACK_THEMES)")
    add.add_argument("--agency", help="your agency or sector, e.g. Health, Police, Education")
    add.add_argument("--locality", help="one of the configured localities (SGBOT_LOCALITIES)")
    add.add_argument("--text", help="the feedback itself")
    add.add_argument("--consent", action="store_true", default=None,
                     help="you agree to be quoted anonymously in reports")
    add.add_argument("--contact", action="store_true", default=None,
                     help="the business unit may contact you about it (keeps your id)")
    add.add_argument("--submitter", help="your id if you may be contacted (default: login name)")
    add.set_defaults(handler=run_add)

    for name, helptext in (("export", "export submissions as CSV or an Excel workbook"),
                           ("report", "write the digest for the annual report")):
        q = fsub.add_parser(name, help=helptext)
        q.add_argument("--from", dest="since", type=parse_day, metavar="DATE",
                       help="first day, YYYY-MM-DD (default: a year before --to)")
        q.add_argument("--to", dest="until", type=parse_day, metavar="DATE",
                       help="last day, YYYY-MM-DD (default: today)")
        q.add_argument("--out", type=Path, metavar="PATH", help="file to write")
        if name == "export":
            q.add_argument("--format", choices=("csv", "xlsx"), default=None,
                           help="csv (default) or xlsx; taken from --out's suffix if omitted")
            q.set_defaults(handler=run_export)
        else:
            q.set_defaults(handler=run_report)


# --- add -------------------------------------------------------------------------------------


def _interactive() -> bool:
    return bool(getattr(sys.stdin, "isatty", lambda: False)())


def _ask(question: str, choices: tuple[str, ...] | None = None, *, labels=None) -> str:
    """Ask until a valid answer; numbered choices accept the number or the text."""
    if choices:
        for n, choice in enumerate(choices, 1):
            print(f"  {n}. {labels[choice] if labels else choice}")
    for _ in range(3):
        answer = input(f"{question}: ").strip()
        if not choices:
            if answer:
                return answer
            continue
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        for choice in choices:
            if answer.lower() in {choice.lower(), (labels or {}).get(choice, "").lower()}:
                return choice
        print(f"  please answer 1-{len(choices)}")
    from knowledge.errors import FeedbackError

    raise FeedbackError(f"no valid answer for {question.lower()}")


def _yes_no(question: str) -> bool:
    return input(f"{question} [y/N]: ").strip().lower() in {"y", "yes"}


def run_add(args: argparse.Namespace) -> int:
    from bot.cli.common import settings_from
    from knowledge.errors import FeedbackError
    from knowledge.feedback import AGENCY_SUGGESTIONS, KIND_LABELS, KINDS, FeedbackStore

    settings = settings_from(args)
    missing = [flag for flag, value in (("--kind", args.kind), ("--theme", args.theme),
                                        ("--agency", args.agency),
                                        ("--locality", args.locality), ("--text", args.text))
               if not value]
    consent, contact = args.consent, args.contact
    if missing or consent is None or contact is None:
        if not _interactive():
            if missing:
                raise FeedbackError(f"missing {', '.join(missing)}",
                                    hint="give them on the command line, or run in a terminal "
                                    "to be asked")
        else:
            print(REMINDER)
            if not args.kind:
                args.kind = _ask("Kind of feedback", KINDS, labels=KIND_LABELS)
            if not args.theme:
                args.theme = _ask("Theme", tuple(settings.feedback_themes))
            if not args.agency:
                print(f"  (for example: {', '.join(AGENCY_SUGGESTIONS[:5])})")
                args.agency = _ask("Your agency or sector")
            if not args.locality:
                args.locality = _ask("Locality", tuple(settings.localities))
            if not args.text:
                args.text = _ask(f"Your feedback (up to {settings.feedback_max_chars} "
                                 "characters)")
            if consent is None:
                consent = _yes_no("May we quote this anonymously in reports?")
            if contact is None:
                contact = _yes_no("May the business unit contact you about it?")
    submitter = args.submitter or _login_name()
    with FeedbackStore.open(settings) as store:
        item = store.add_submission(kind=args.kind, theme=args.theme, agency=args.agency,
                                    locality=args.locality, text=args.text,
                                    consent_to_quote=bool(consent), may_contact=bool(contact),
                                    submitter_id=submitter, channel="cli")
    print(f"Thank you: your feedback is saved (reference {item.id[:8]}).")
    if item.redactions:
        removed = ", ".join(f"{n} {LABELS.get(k, k.lower())}{'s' if n > 1 else ''}"
                            for k, n in sorted(item.redactions.items()))
        print(f"Removed before storing: {removed}. Stored text: {item.text}")
    return 0


def _login_name() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


# --- export and report -----------------------------------------------------------------------


def _period(args: argparse.Namespace) -> tuple[date, date]:
    from knowledge.errors import InvalidArgument

    until = args.until or date.today()
    since = args.since or (until - timedelta(days=365) + timedelta(days=1))
    if since > until:
        raise InvalidArgument(f"--from {since} is after --to {until}")
    return since, until


def run_export(args: argparse.Namespace) -> int:
    from bot.cli.common import settings_from
    from knowledge.errors import InvalidArgument
    from knowledge.feedback import FeedbackStore, export

    settings = settings_from(args)
    since, until = _period(args)
    fmt = args.format or (args.out.suffix.lstrip(".").lower() if args.out else "csv")
    if fmt not in {"csv", "xlsx"}:
        raise InvalidArgument(f"cannot tell the format from {args.out}", hint="use --format")
    out = args.out or Path(f"feedback-{since}-to-{until}.{fmt}")
    with FeedbackStore.open(settings) as store:
        path = export(store, since=since, until=until, out=out, fmt=fmt)
        count = len(store.submissions(since, until))
    print(f"Exported {count} submission{'' if count == 1 else 's'} ({since} to {until}) "
          f"to {path}")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from bot.cli.common import settings_from
    from knowledge.feedback import FeedbackStore, build_report

    settings = settings_from(args)
    since, until = _period(args)
    out = args.out or Path(f"feedback-report-{since}-to-{until}.docx")
    with FeedbackStore.open(settings) as store:
        path = build_report(store, since=since, until=until, out=out, settings=settings)
    print(f"Wrote the feedback digest ({since} to {until}) to {path}")
    return 0

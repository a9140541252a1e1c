"""The annual-report digest: what practitioners told the partnership, and what the bot could
not answer, for a period. Written as Word (.docx), Markdown (.md, charts alongside) or a
self-contained HTML page (.html, charts embedded).

Only redacted text is ever read from the store, and quotes are redacted again here (so records
written by an older redactor benefit from a newer one). Quotes appear only where the
practitioner consented, attributed to kind, sector and month — never to a person.
"""

from __future__ import annotations

import base64
import html
import logging
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from knowledge.errors import FeedbackError, InvalidArgument
from knowledge.feedback.models import KIND_LABELS, KINDS, Gap
from knowledge.owner import partnership_name
from knowledge.reports.digest import METHOD_NOTE, Chart, ReportData, usage_rows

log = logging.getLogger(__name__)

FORMATS = (".docx", ".md", ".html")
MAX_GAPS = 25


def _months(since: date, until: date) -> list[str]:
    months, year, month = [], since.year, since.month
    while (year, month) <= (until.year, until.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _ranked(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def collect(store, *, since: date, until: date, settings) -> ReportData:
    if since > until:
        raise InvalidArgument(f"the period starts ({since}) after it ends ({until})")
    items = store.submissions(since, until)
    redactor = store.redactor
    kinds = Counter(s.kind for s in items)
    months = Counter(s.month for s in items)
    theme_kinds = []
    for theme in dict.fromkeys([*settings.feedback_themes, *(s.theme for s in items)]):
        row = Counter(s.kind for s in items if s.theme == theme)
        if row:
            theme_kinds.append((theme, row["working_well"], row["getting_in_the_way"],
                                row["idea"]))
    quotes: dict[str, list[tuple[str, str]]] = {}
    for s in sorted(items, key=lambda s: (s.theme, s.created_at)):
        if s.consent_to_quote:
            attribution = f"{s.kind_label}, {s.agency}, {s.created_at:%B %Y}"
            quotes.setdefault(s.theme, []).append((redactor.redact(s.text).text, attribution))
    gaps = [Gap(question=redactor.redact(g.question).text, count=g.count,
                unanswered=g.unanswered, not_helpful=g.not_helpful, last_seen=g.last_seen,
                comments=tuple(redactor.redact(c).text for c in g.comments))
            for g in store.gaps(since, until)[:MAX_GAPS]]
    return ReportData(
        title="Frontline feedback and knowledge gaps",
        partnership=partnership_name(settings), since=since, until=until, submissions=items,
        by_kind=[(KIND_LABELS[k], kinds[k]) for k in KINDS],
        by_theme=_ranked(Counter(s.theme for s in items)),
        by_agency=_ranked(Counter(s.agency for s in items)),
        by_locality=_ranked(Counter(s.locality for s in items)),
        by_month=[(datetime.strptime(m, "%Y-%m").strftime("%b %Y"), months[m])
                  for m in _months(since, until)],
        theme_kinds=theme_kinds, quotes=quotes, gaps=gaps, usage=store.usage(since, until),
    )


def draw_charts(data: ReportData, folder: Path) -> list[Chart]:
    from knowledge.reports import charts

    folder.mkdir(parents=True, exist_ok=True)
    if not data.submissions:
        return []
    made = [
        Chart("kind", "Feedback by kind", charts.bar_chart(
            folder / "by_kind.png", "Feedback by kind", data.by_kind)),
        Chart("theme", "Feedback by theme", charts.bar_chart(
            folder / "by_theme.png", "Feedback by theme", data.by_theme, horizontal=True)),
        Chart("agency", "Feedback by agency or sector", charts.bar_chart(
            folder / "by_agency.png", "Feedback by agency or sector", data.by_agency,
            horizontal=True)),
        Chart("locality", "Feedback by locality", charts.bar_chart(
            folder / "by_locality.png", "Feedback by locality", data.by_locality)),
        Chart("month", "Feedback by month", charts.bar_chart(
            folder / "by_month.png", "Feedback by month", data.by_month)),
    ]
    if data.theme_kinds:
        made.append(Chart("balance", "Working well versus getting in the way, by theme",
                          charts.grouped_chart(
                              folder / "working_well_vs_in_the_way.png",
                              "Working well versus getting in the way",
                              [t for t, *_ in data.theme_kinds],
                              [("What's working well", [w for _, w, _, _ in data.theme_kinds],
                                charts.GREEN),
                               ("What gets in the way", [g for _, _, g, _ in data.theme_kinds],
                                charts.AMBER)])))
    return made


def build_report(store, *, since: date, until: date, out: Path, settings) -> Path:
    """Write the digest for `since`..`until` (inclusive) to `out`; the suffix picks the format."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidArgument(f"report file {out.name!r} must end in {', '.join(FORMATS)}")
    data = collect(store, since=since, until=until, settings=settings)
    started = datetime.now(UTC)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".md":
            data.charts = draw_charts(data, out.parent / f"{out.stem}_charts")
            out.write_text(to_markdown(data, out.parent), encoding="utf-8")
        else:
            import tempfile

            with tempfile.TemporaryDirectory(prefix="sgbot-charts-") as tmp:
                data.charts = draw_charts(data, Path(tmp))
                if suffix == ".html":
                    out.write_text(to_html(data), encoding="utf-8")
                else:
                    from knowledge.reports.report_docx import write_docx

                    write_docx(data, out)
    except OSError as exc:
        raise FeedbackError(f"cannot write the report to {out}: {exc.strerror}") from exc
    log.info("feedback report written (%s, %d submissions, %.1fs)", suffix,
             len(data.submissions), (datetime.now(UTC) - started).total_seconds())
    return out


# --- Markdown and HTML -----------------------------------------------------------------------

def _md_table(headers: list[str], rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return lines + [""]


def to_markdown(data: ReportData, base: Path) -> str:
    charts = {c.key: c for c in data.charts}
    owner = f"**{data.partnership}** — " if data.partnership else ""
    lines = [f"# {data.title}", "", f"{owner}{data.period}", "",
             "## Summary", ""]
    lines += [f"- {line}" for line in data.summary_lines()] + [""]
    for key, heading, rows in (("kind", "Kind", data.by_kind), ("theme", "Theme", data.by_theme),
                               ("agency", "Agency or sector", data.by_agency),
                               ("locality", "Locality", data.by_locality),
                               ("month", "Month", data.by_month)):
        lines += [f"## Feedback by {heading.lower()}", ""]
        lines += _md_table([heading, "Submissions"], rows)
        if key in charts:
            rel = charts[key].path.relative_to(base).as_posix()
            lines += [f"![{charts[key].title}]({rel})", ""]
    lines += ["## What's working well versus what gets in the way", ""]
    lines += _md_table(["Theme", "Working well", "Gets in the way", "Ideas"], data.theme_kinds)
    if "balance" in charts:
        lines += [f"![{charts['balance'].title}]"
                  f"({charts['balance'].path.relative_to(base).as_posix()})", ""]
    lines += ["## In practitioners' words", ""]
    if not data.quotes:
        lines += ["No quotes with consent in this period.", ""]
    for theme, quotes in data.quotes.items():
        lines += [f"### {theme.capitalize()}", ""]
        for quote, attribution in quotes:
            lines += [f"> {quote}", ">", f"> — *{attribution}*", ""]
    lines += ["## Knowledge gaps", "",
              "Questions the bot could not answer, and answers marked not helpful, most "
              "frequent first.", ""]
    lines += _md_table(["Question", "Times", "Unanswered", "Marked not helpful"],
                       [(g.question, g.count, g.unanswered, g.not_helpful) for g in data.gaps])
    u = data.usage
    lines += ["## Usage", ""]
    lines += _md_table(["Measure", "Value"], usage_rows(u))
    lines += ["## How this was produced", "", METHOD_NOTE, ""]
    return "\n".join(lines)


def _html_table(headers: list[str], rows: list[tuple]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _img(chart: Chart) -> str:
    encoded = base64.b64encode(chart.path.read_bytes()).decode("ascii")
    return (f'<figure><img alt="{html.escape(chart.title)}" '
            f'src="data:image/png;base64,{encoded}"><figcaption>{html.escape(chart.title)}'
            "</figcaption></figure>")


def to_html(data: ReportData) -> str:
    e = html.escape
    charts = {c.key: c for c in data.charts}
    owner = f"<strong>{e(data.partnership)}</strong> — " if data.partnership else ""
    parts = [f"<h1>{e(data.title)}</h1>", f"<p>{owner}{e(data.period)}</p>",
             "<h2>Summary</h2><ul>"]
    parts += [f"<li>{e(line)}</li>" for line in data.summary_lines()] + ["</ul>"]
    for key, heading, rows in (("kind", "Kind", data.by_kind), ("theme", "Theme", data.by_theme),
                               ("agency", "Agency or sector", data.by_agency),
                               ("locality", "Locality", data.by_locality),
                               ("month", "Month", data.by_month)):
        parts.append(f"<h2>Feedback by {e(heading.lower())}</h2>")
        parts.append(_html_table([heading, "Submissions"], rows))
        if key in charts:
            parts.append(_img(charts[key]))
    parts.append("<h2>What's working well versus what gets in the way</h2>")
    parts.append(_html_table(["Theme", "Working well", "Gets in the way", "Ideas"],
                             data.theme_kinds))
    if "balance" in charts:
        parts.append(_img(charts["balance"]))
    parts.append("<h2>In practitioners' words</h2>")
    if not data.quotes:
        parts.append("<p>No quotes with consent in this period.</p>")
    for theme, quotes in data.quotes.items():
        parts.append(f"<h3>{e(theme.capitalize())}</h3>")
        parts += [f"<blockquote><p>{e(q)}</p><footer>— {e(a)}</footer></blockquote>"
                  for q, a in quotes]
    parts.append("<h2>Knowledge gaps</h2><p>Questions the bot could not answer, and answers "
                 "marked not helpful, most frequent first.</p>")
    parts.append(_html_table(["Question", "Times", "Unanswered", "Marked not helpful"],
                             [(g.question, g.count, g.unanswered, g.not_helpful)
                              for g in data.gaps]))
    parts.append("<h2>Usage</h2>" + _html_table(["Measure", "Value"], usage_rows(data.usage)))
    parts.append(f"<h2>How this was produced</h2><p>{e(METHOD_NOTE)}</p>")
    style = ("body{font-family:Arial,sans-serif;max-width:60em;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
             "padding:.3em .6em;text-align:left}img{max-width:100%}blockquote{border-left:"
             "4px solid #1d4f91;margin:1em 0;padding:.2em 1em;background:#f4f6fa}")
    return (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>'
            f"{e(data.title)}</title><style>{style}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")

"""HTML pages: the main content only, as heading/paragraph/list/table-row lines, in linear time.

Partnership web pages wrap the document in site furniture (cookie banner, navigation,
breadcrumb, search form, "related pages", footer); quoting that as an answer is wrong, so only
the main content is read: <main> / role=main / the single <article> / the element holding the
most paragraph text (a readability-style pick), minus furniture inside it.

One pass over lxml's tree (`iterwalk`) visits every text node once, so output is at most the
input's text and time is linear: an unclosed-<p> page or thousands of nested <div>s no longer
make the old find_all/get_text loop quadratic. trafilatura was measured first (it is the usual
choice) and rejected here: on 20,000 unclosed <p> it took 8-19 s with superlinear growth, and it
returned nothing for one paragraph inside 2,500+ nested divs.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from ingest.tables import table_sentences

#: Elements that are never document content, wherever they are.
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object",
              "embed", "canvas", "button", "select", "textarea", "input", "nav", "aside",
              "dialog", "menu", "footer")
#: ARIA landmarks of site furniture.
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog",
                 "alertdialog", "menu", "menubar"}
#: class/id words of site furniture ("cookie-banner", "breadcrumb", "site-footer", ...).
_CHROME_NAMES = re.compile(
    r"(?:^|[\s_-])(cookies?|consent|gdpr|breadcrumbs?|skip|skiplinks?|nav|navbar|navigation|"
    r"menu|sidebar|footer|masthead|share|sharing|social|related|newsletter|pagination|toolbar|"
    r"print|feedback|rating|back-to-top|updated|last-updated|last-reviewed|page-meta)"
    r"(?:$|[\s_-])", re.I)
#: Furniture that may hold a heading ("Cookies on this site") but never document text.
_ALWAYS_CHROME = re.compile(r"cookie|consent|gdpr|breadcrumb", re.I)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BULLETS = {"li", "dd", "dt"}
#: Elements that end a line of text; everything else (a, span, strong, ...) is inline.
_BLOCKS = {"p", "div", "section", "article", "main", "header", "blockquote", "pre", "ul", "ol",
           "dl", "figure", "figcaption", "address", "details", "summary", "caption", "hr",
           "form", "fieldset", "center", "body", "html", *(_HEADINGS), *(_BULLETS)}
#: A table whose cells hold this much text is page layout, not data: read it as paragraphs.
_LAYOUT_CELL_CHARS = 400
#: Title separators before a site name ("Escalation policy | Northshire SCP").
_TITLE_SPLIT = re.compile(r"\s+(?:\||::|»)\s+")
_SPACES = re.compile(r"\s+")


def parse(text: str) -> etree._Element:
    """lxml's forgiving HTML parser (libxml2): unclosed tags are closed as a browser would.
    Past libxml2's depth cap (2048 with huge_tree) the rest of the page is silently dropped, so
    a page that deep is parsed again with its wrapper elements flattened."""
    root, too_deep = _parse(text)
    if too_deep:
        root, _ = _parse(_flatten(text))
    return root


def _parse(text: str) -> tuple[etree._Element, bool]:
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return lxml_html.document_fromstring("<html><body></body></html>"), False
    too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    return root, too_deep


#: Wrappers that nest without limit in generated pages: divs become flat paragraphs, inline
#: tags go (their text stays). Landmarks (nav, footer, ...) are left for strip_furniture.
_WRAPPERS = re.compile(r"<(/?)(?:div|section|article|blockquote|center|ul|ol|dl)\b[^>]*>", re.I)
_INLINE = re.compile(r"</?(?:span|font|b|i|em|strong|u|small|big|a|sub|sup|abbr|label|mark)"
                     r"\b[^>]*>", re.I)


def _flatten(text: str) -> str:
    text = _INLINE.sub("", text)
    return _WRAPPERS.sub(lambda m: "</p>" if m.group(1) else "<p>", text)


def _text(element) -> str:
    return _SPACES.sub(" ", " ".join(element.itertext())).strip()


def _is_chrome(element) -> bool:
    if element.get("role", "").lower() in _CHROME_ROLES:
        return True
    if element.get("aria-hidden") == "true" or element.get("hidden") is not None:
        return True
    names = f"{element.get('class', '')} {element.get('id', '')}"
    if not names.strip() or not _CHROME_NAMES.search(names):
        return False
    if _ALWAYS_CHROME.search(names):
        return True
    # "has-sidebar" on a wrapper around the whole article: keep anything holding headings.
    return not element.xpath(".//h1|.//h2|.//h3|.//main|.//article")


def strip_furniture(root) -> None:
    """Remove furniture elements in place (one pass to find them, then detach)."""
    doomed = []
    for element in root.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _DROP_TAGS or (tag == "header" and not element.xpath(".//h1")) \
                or (tag == "form" and not element.xpath(".//p|.//h1|.//h2|.//table")) \
                or _is_chrome(element):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text in place


def main_content(root):
    """The element holding the document: a landmark if the page has one, else the element
    whose own paragraphs hold the most text."""
    for path in ("//main", "//*[@role='main']"):
        found = root.xpath(path)
        if found:
            return max(found, key=lambda e: len(_text(e)))
    articles = root.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    scores: dict = {}
    for paragraph in root.iter("p", "li", "pre", "blockquote"):
        parent = paragraph.getparent()
        if parent is None:
            continue
        size = len(paragraph.text or "") + sum(len(c.text or "") + len(c.tail or "")
                                                for c in paragraph)
        scores[parent] = scores.get(parent, 0) + size
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + size / 2
    body = root.find("body")
    if not scores:
        return body if body is not None else root
    best = max(scores, key=scores.__getitem__)
    total = sum(len(p.text or "") for p in root.iter("p", "li", "pre", "blockquote"))
    # Text spread over many containers (no single article): read the whole body.
    if body is not None and scores[best] < 0.5 * total:
        return body
    return best


def page_title(root, content) -> str | None:
    """og:title, else <title>, else the first <h1>, without a trailing " | Site name"."""
    og = root.xpath("//meta[@property='og:title']/@content")
    site = root.xpath("//meta[@property='og:site_name']/@content")
    title = root.find(".//title")
    h1 = content.find(".//h1")
    if h1 is None:
        h1 = root.find(".//h1")
    heading = _text(h1) if h1 is not None else ""
    for candidate in (og[0] if og else "", _text(title) if title is not None else "", heading):
        cleaned = strip_site_name(candidate, site[0] if site else "", heading)
        if cleaned and len(cleaned.split()) >= 2:
            return cleaned
    return heading or None


def strip_site_name(title: str, site: str = "", heading: str = "") -> str:
    """'Escalation Policy | Northshire SCP' -> 'Escalation Policy'."""
    title = _SPACES.sub(" ", title).strip()
    parts = [p for p in _TITLE_SPLIT.split(title) if p]
    if heading and any(p.lower() == heading.lower() for p in parts):
        return heading
    if site:
        for separator in (" - ", " – ", " — "):
            if title.endswith(separator + site):
                title = title[: -len(separator + site)]
        parts = [p for p in _TITLE_SPLIT.split(title) if p and p != site]
    return parts[0].strip() if parts else ""


def content_lines(content, line_factory) -> list:
    """Walk the main content once, emitting headings, paragraphs, list items and table rows."""
    lines: list = []
    buffer: list[str] = []
    kinds: list[tuple[str, int]] = [("text", 0)]

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if not text:
            return
        kind, level = kinds[-1]
        lines.append(line_factory(text, kind=kind, level=level))
        if kind == "text":
            lines.append(line_factory("", kind="break"))

    walker = etree.iterwalk(content, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag == "table" and _is_data_table(element):
                flush()
                for sentence in table_sentences(*_table_rows(element)):
                    lines.append(line_factory(sentence, kind="bullet"))
                lines.append(line_factory("", kind="break"))
                walker.skip_subtree()
                kinds.append(kinds[-1])  # its end event still comes, and pops this
                buffer.append(" ")
                if element.tail:
                    buffer.append(element.tail)
                continue
            if tag in _BLOCKS or tag in ("tr", "table"):
                flush()
                if tag in _HEADINGS:
                    kinds.append(("heading", _HEADINGS[tag]))
                elif tag in _BULLETS:
                    kinds.append(("bullet", 0))
                elif tag in ("tr", "table", *_BLOCKS):
                    kinds.append(kinds[-1] if kinds[-1][0] != "heading" else ("text", 0))
            elif tag == "br":
                buffer.append(" ")
            elif tag in ("td", "th"):
                buffer.append(" ")
            if element.text:
                buffer.append(element.text)
        else:
            if tag in _BLOCKS or tag in ("tr", "table"):
                flush()
                kinds.pop()
            if element is not content and element.tail:
                buffer.append(element.tail)
    flush()
    return lines


def _table_rows(table) -> tuple[list[list[str]], int | None]:
    """Cell texts per row (this table's own rows) and how many leading rows are headers."""
    rows: list[list[str]] = []
    header_rows = 0
    counting = True
    for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = row.xpath("./td|./th")
        texts = []
        for cell in cells:
            texts.append(_text(cell))
            texts.extend([""] * (min(int(cell.get("colspan", "1") or 1), 20) - 1)
                         if str(cell.get("colspan", "1")).isdigit() else [])
        heads = bool(cells) and all(c.tag == "th" for c in cells)
        in_head = row.getparent().tag == "thead"
        if counting and (heads or in_head):
            header_rows += 1
        else:
            counting = False
        rows.append(texts)
    return rows, (header_rows or None)


def _is_data_table(table) -> bool:
    """More than one column and no cell holding a page's worth of text."""
    widest = 0
    for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = row.xpath("./td|./th")
        widest = max(widest, len(cells))
        if any(len(_text(c)) > _LAYOUT_CELL_CHARS or c.xpath(".//table") for c in cells):
            return False
    return widest >= 2

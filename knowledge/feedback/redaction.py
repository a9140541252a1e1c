"""Remove personal data from free text before it is stored: `Redactor().redact(text)`.

Practitioners are asked not to include case details, but some will. Everything the bot keeps
(feedback, questions, "what was wrong?" notes) passes through here first. Each removed item is
replaced by a visible placeholder, so readers can see that something was taken out:
`[NAME]`, `[EMAIL]`, `[PHONE]`, `[POSTCODE]`, `[NHS_NUMBER]`, `[NI_NUMBER]`, `[DOB]`, `[ADDRESS]`.

Phone numbers are found with Google's `phonenumbers` library (UK region); names with first-name
and surname lists from the `faker` package plus context (titles, "spoke to ...", "her mum ...");
UK identifiers (postcodes, checksum-validated NHS numbers, NI numbers), dates of birth and street
addresses with patterns. Safeguarding vocabulary ("Designated Safeguarding Lead", "Early Help",
"Children's Services") is protected so it is never mistaken for a name. The design favours
recall: an over-redacted word costs little, a leaked name costs a lot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from knowledge.errors import InvalidArgument
from knowledge.feedback.redaction_names import NameRules
from knowledge.feedback.redaction_terms import (
    AFTER_NAME,
    AMBIGUOUS_NAMES,
    NAME_CUES,
    PROTECTED_WORDS,
    TITLES,
    VERB_CUES,
    common_non_names,
    common_words,
    english_first_names,
    first_names,
    surnames,
    word_ranks,
)

LABELS = ("NAME", "EMAIL", "PHONE", "POSTCODE", "NHS_NUMBER", "NI_NUMBER", "DOB", "ADDRESS",
          "SCHOOL")


@dataclass(frozen=True)
class RedactionResult:
    """The cleaned text and how many items of each kind were removed (never the items)."""

    text: str
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def changed(self) -> bool:
        return self.total > 0


# --- patterns --------------------------------------------------------------------------------

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = (rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}|"
         rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}|"
         rf"{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|{_MONTHS}\s+\d{{4}}|\d{{4}})")
_DOB = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s?date|born(?:\s+on|\s+in)?|"
    rf"birthday(?:\s+is)?)\s*(?:is\s+)?[:\-]?\s*(?P<value>{_DATE})(?![\d/])",
    re.I,
)
_DATE_AFTER_NAME = re.compile(
    rf"\[NAME\]\s*(?:\(\s*(?:b\.?\s*|born\s+)?|,\s*(?:b\.?\s*|born\s+))"
    rf"(?P<value>\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}})",
    re.I,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
                    r"|(?i:\b[\w.+-]+(?:\s+dot\s+[\w-]+)*\s+(?:at|\(at\)|\[at\])\s+[a-z0-9-]+"
                    r"(?:\s+(?:dot|\(dot\)|\[dot\])\s+[a-z]{2,6})+\b)")
_SLACK_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_POSTCODE = re.compile(
    r"\b(?i:[a-pr-uwyz][a-hk-y]?\d[a-z\d]?[ \t]{0,2}\d[abd-hjlnp-uw-z]{2}|gir\s?0aa)\b")
_TEN_DIGITS = re.compile(r"(?<![\d+])\d{3}[ \-]?\d{3}[ \-]?\d{4}(?![\d])")
_NHS_CUE = re.compile(r"\bnhs\s*(?:no\.?|num(?:ber)?|#)?\s*(?:is\s*)?[:\-]?\s*$", re.I)
_NI = re.compile(r"\b(?!bg|gb|nk|kn|tn|nt|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z][\s\-]?\d{2}"
                 r"[\s\-]?\d{2}[\s\-]?\d{2}[\s\-]?[a-d]\b", re.I)
_PHONE_SHAPE = re.compile(
    r"(?<![\w+])(?:\+44\s?\(0\)\s?|\+44\s?|\(?0)\d{2,5}\)?(?:[\s\-]?\d){5,8}(?!\d)"
)
#: A UK number typed with any separators ("0 7 7 0 0 ...", "01632.960.444", "0044 ..."):
#: checked for its digit count after matching.
_SPACED_PHONE = re.compile(r"(?<![\w+])\(?(?:\+|00)?\d(?:[\s.\-()]{0,3}\d){9,13}(?!\d)")
_STREET = (r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Cres|Court|Ct|"
           r"Place|Pl|Gardens|Grove|Terrace|Hill|Park|Row|Walk|Mews|Square|Sq|View|Rise|Parade|"
           r"Green|Estate|Boulevard|Crossing|Fields|Meadows?|Wharf|Yard|Chase|Gate)")
_STREET_WORDS = r"(?:(?:[A-Z][A-Za-z'’\-]+|of|the|St\.?)\s+){1,4}"
_ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){{0,3}}"
    rf"(?:House|Court|Tower|Lodge|Mansions)?,?\s*)?"
    rf"\d{{1,4}}[A-Za-z]?,?\s+{_STREET_WORDS}{_STREET}\b"
    rf"|\b(?:Flat|Apartment|Apt|Unit)\s+\d+[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){{1,3}}"
    rf"(?:House|Court|Tower|Lodge|Mansions|Heights|Point|Block)\b"
    rf"|(?<=\blives\son\s)(?:the\s+)?{_STREET_WORDS}{_STREET}\b"
    rf"|(?<=\blives\sat\s)(?:the\s+)?{_STREET_WORDS}{_STREET}\b"
    rf"|(?<=\bmoved\sto\s)(?:the\s+)?{_STREET_WORDS}{_STREET}\b"
    rf"|(?i:(?<=\baddress\sis\s)|(?<=\baddress:\s))[^.;\n]{{3,60}}"
)
_LOWER_ADDRESS = re.compile(
    r"\b(?i:(?:flat|apartment|apt|unit)\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+"
    r"(?P<words>(?:[a-z'’\-]+\s+){1,3})"
    r"(?:road|rd|street|avenue|lane|close|drive|way|crescent|court|place|gardens|grove|terrace|"
    r"mews|walk|rise|parade|view)\b"
    r"|\b(?:flat|apartment|apt|unit)\s+\d+[a-z]?,?\s+(?:[a-z]+\s+){1,3}"
    r"(?:house|court|tower|lodge|mansions|heights|point|block)\b")
_ADDRESS_STOPWORDS = frozenset("in of the at to for on a and or by with from per".split())
_POSSESSIVE = re.compile(r"['’]s$")
_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)


def nhs_checksum_ok(digits: str) -> bool:
    """Modulus 11 check of a 10-digit NHS number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    label: str
    priority: int


class Redactor:
    """Finds personal data and replaces it with labelled placeholders.

    `keep_terms`: extra words that must never be treated as names (locality names, the
    partnership's name, local service names). Cheap to build after the first one (the name
    lists load once per process).
    """

    def __init__(self, *, keep_terms: Iterable[str] = ()) -> None:
        if isinstance(keep_terms, str):
            raise InvalidArgument("keep_terms must be a list of words, not one string")
        self._keep = set(PROTECTED_WORDS)
        for term in keep_terms:
            self._keep.update(w.lower() for w in _TOKEN.findall(term))
        self._first = first_names()
        self._last = surnames()
        self._common = common_words()
        self._rules = NameRules(first=self._first, last=self._last,
                                english_first=english_first_names(), common=self._common,
                                common_non_name=common_non_names(), rank=word_ranks(),
                                keep=self._keep)

    # --- public ------------------------------------------------------------------------------

    def redact(self, text: str) -> RedactionResult:
        if not isinstance(text, str):
            raise InvalidArgument(f"text to redact must be a string, not {type(text).__name__}")
        if not text:
            return RedactionResult(text, {})
        spans = [*self._patterns(text), *self._phones(text), *self._all_names(text)]
        cleaned, counts = _apply(text, spans)
        # A date straight after a name ("[NAME] (12/03/2015)") is that person's date of birth.
        extra = [_Span(m.start("value"), m.end("value"), "DOB", 0)
                 for m in _DATE_AFTER_NAME.finditer(cleaned)]
        if extra:
            cleaned, more = _apply(cleaned, extra)
            for label, n in more.items():
                counts[label] = counts.get(label, 0) + n
        return RedactionResult(cleaned, counts)

    # --- detectors ---------------------------------------------------------------------------

    def _patterns(self, text: str) -> list[_Span]:
        spans = [_Span(m.start(), m.end(), "EMAIL", 0) for m in _EMAIL.finditer(text)]
        spans += [_Span(m.start(), m.end(), "NAME", 0) for m in _SLACK_MENTION.finditer(text)]
        spans += [_Span(m.start("value"), m.end("value"), "DOB", 1) for m in _DOB.finditer(text)]
        for m in _TEN_DIGITS.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if nhs_checksum_ok(digits) or _NHS_CUE.search(text[max(0, m.start() - 25):m.start()]):
                spans.append(_Span(m.start(), m.end(), "NHS_NUMBER", 1))
        spans += [_Span(m.start(), m.end(), "NI_NUMBER", 2) for m in _NI.finditer(text)]
        spans += [_Span(m.start(), m.end(), "ADDRESS", 2)
                  for m in _ADDRESS.finditer(text)]
        for m in _LOWER_ADDRESS.finditer(text):
            words = (m.group("words") or "").split() if m.lastgroup == "words" or \
                m.group("words") else []
            if not any(w in _ADDRESS_STOPWORDS or w in self._keep for w in words):
                spans.append(_Span(m.start(), m.end(), "ADDRESS", 2))
        spans += [_Span(m.start(), m.end(), "POSTCODE", 3) for m in _POSTCODE.finditer(text)]
        return spans

    def _all_names(self, text: str) -> list[_Span]:
        """Both name detectors; no names inside an organisation's name; with a name, the
        school named in the same text goes too (a child and their school identify them)."""
        organisations = self._rules.organisations(text)
        spans = [*self._names(text),
                 *(_Span(s.start, s.end, s.label, 5) for s in self._rules.spans(text))]
        spans = [s for s in spans
                 if not any(start <= s.start < end for start, end in organisations)]
        if spans:
            spans += [_Span(s.start, s.end, "SCHOOL", 4) for s in self._rules.schools(text)]
        return spans

    def _phones(self, text: str) -> list[_Span]:
        import phonenumbers

        spans = [_Span(m.start(), m.end(), "PHONE", 4) for m in _PHONE_SHAPE.finditer(text)]
        for m in _SPACED_PHONE.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if ((digits.startswith("0") and not digits.startswith("00") and len(digits) in (10, 11))
                    or (digits.startswith(("44", "0044")) and len(digits) in (12, 13, 14))):
                spans.append(_Span(m.start(), m.end(), "PHONE", 4))
        matcher = phonenumbers.PhoneNumberMatcher(text, "GB",
                                                  leniency=phonenumbers.Leniency.POSSIBLE)
        for match in matcher:
            raw = match.raw_string.lstrip()
            if raw.startswith(("0", "+", "(0")) or phonenumbers.is_valid_number(match.number):
                spans.append(_Span(match.start, match.end, "PHONE", 4))
        return spans

    def _is_name_token(self, word: str) -> bool:
        base = _POSSESSIVE.sub("", word)
        return (len(base) > 1 and base[:1].isupper() and not base.isupper()
                and base.lower() not in self._keep)

    def _names(self, text: str) -> list[_Span]:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        spans: list[_Span] = []
        i = 0
        while i < len(tokens):
            start, end, word = tokens[i]
            base = _POSSESSIVE.sub("", word)
            lower = base.lower()
            prev = text[max(0, start - 40):start]
            candidate = self._is_name_token(word)
            follow = self._following_names(tokens, i + 1, text)
            if word.rstrip(".") in TITLES and follow:
                last = follow[-1]
                spans.append(_Span(start, _strip_possessive(text, tokens[last]), "NAME", 5))
                i = last + 1
                continue
            if not candidate:
                if self._initial_or_lower_case_name(tokens, i, text, prev):
                    last = i + 1 if len(word) == 1 else i
                    spans.append(_Span(start, _strip_possessive(text, tokens[last]), "NAME", 5))
                    i = last + 1
                    continue
                i += 1
                continue
            known_first = base in self._first and lower not in AMBIGUOUS_NAMES
            ambiguous_first = base in self._first and lower in AMBIGUOUS_NAMES
            next_is_surname = bool(follow) and self._surname_like(tokens[follow[0]][2])
            cued = bool(NAME_CUES.search(prev)) and lower not in self._common_non_name
            unknown_with_surname = next_is_surname and lower not in self._common
            after = text[start + len(base):start + len(base) + 30]
            acting = lower not in self._common and bool(AFTER_NAME.match(after))
            family = base in self._last and after.startswith(" family")
            if (known_first or (ambiguous_first and next_is_surname) or cued
                    or unknown_with_surname or acting or family):
                last = follow[-1] if follow else i
                if ambiguous_first and not cued:
                    last = follow[0]
                spans.append(_Span(start, _strip_possessive(text, tokens[last]), "NAME", 5))
                i = last + 1
                continue
            i += 1
        return spans

    def _initial_or_lower_case_name(self, tokens, i: int, text: str, prev: str) -> bool:
        """"J. Smith" (an initial before a known name), or "spoke to sarah" (lower case)."""
        start, end, word = tokens[i]
        if len(word) == 1 and word.isupper():
            if i + 1 >= len(tokens) or text[end:tokens[i + 1][0]] not in {". ", " "}:
                return False
            following = tokens[i + 1][2]
            return self._is_name_token(following) and self._surname_like(following)
        base = _POSSESSIVE.sub("", word)
        return (base.islower() and base.capitalize() in self._first
                and base not in AMBIGUOUS_NAMES and base not in self._common_non_name
                and bool(VERB_CUES.search(prev)))

    def _following_names(self, tokens, j: int, text: str) -> list[int]:
        """Indexes of up to two capitalised name-like tokens right after token j-1."""
        found: list[int] = []
        while j < len(tokens) and len(found) < 2:
            gap = text[tokens[j - 1][1]:tokens[j][0]]
            if gap not in {" ", ". "} or not self._is_name_token(tokens[j][2]):
                break
            if gap == ". " and tokens[j - 1][2] not in TITLES:
                break
            word = _POSSESSIVE.sub("", tokens[j][2])
            if word.lower() in self._common and word not in self._first and word not in self._last:
                break
            found.append(j)
            if tokens[j][2].endswith(("'s", "’s")):
                break
            j += 1
        return found

    def _surname_like(self, word: str) -> bool:
        base = _POSSESSIVE.sub("", word)
        return base in self._last or base in self._first

    @property
    def _common_non_name(self) -> frozenset[str]:
        """Common English words that are not also first names ("Housing", not "Sarah")."""
        return common_non_names()


def _strip_possessive(text: str, token: tuple[int, int, str]) -> int:
    start, end, word = token
    return end - 2 if word.endswith(("'s", "’s")) else end


def _apply(text: str, spans: list[_Span]) -> tuple[str, dict[str, int]]:
    """Replace non-overlapping spans (higher priority, then longer, wins) with placeholders."""
    chosen: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.priority, -(s.end - s.start), s.start)):
        if span.end <= span.start:
            continue
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    counts: dict[str, int] = {}
    out = text
    for span in sorted(chosen, key=lambda s: s.start, reverse=True):
        out = f"{out[:span.start]}[{span.label}]{out[span.end:]}"
        counts[span.label] = counts.get(span.label, 0) + 1
    return out, counts

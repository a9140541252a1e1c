"""Small text utilities shared by ingestion, retrieval and answering."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves also may must shall within upon per
    via s t tell me please us one ones get got i'm what's who's does did say says said""".split()
)

# Words that carry no content in questions, beyond ordinary stopwords.
QUESTION_WORDS = frozenset(
    "who what when where which why how many much often long whose kind type does do is are".split()
)

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&-]*")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """NFKC, straight quotes and dashes, collapsed whitespace: for comparison, not display."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def match_key(text: str) -> str:
    """Case-, whitespace- and quote-insensitive form used to check quoted evidence."""
    text = normalise(text).lower().replace('"', "").replace("'", "")
    return re.sub(r"\s+", " ", text)


_POSSESSIVE = re.compile(r"'s$")


def words(text: str) -> list[str]:
    """Lower-case word tokens; possessives dropped ("NSCP's" -> "nscp")."""
    out = []
    for raw in _WORD.findall(normalise(text)):
        word = _POSSESSIVE.sub("", raw.lower()).strip("'-&")
        if word:
            out.append(word)
    return out


_SUFFIXES = ("ational", "ations", "ation", "ities", "ness", "ments", "ment", "ings", "ing", "ies",
             "ied", "ers", "er", "ed", "es", "ly", "s")


@lru_cache(maxsize=65536)  # answering stems the same words for every candidate sentence
def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'chairs'/'chair', 'funded'/'funding'."""
    word = word.lower()
    if len(word) <= 4 or word.isupper():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix == "ies":
                return base + "y"
            return base
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed, stopword-free terms of a question or sentence (order kept, duplicates kept)."""
    out = []
    for word in words(text):
        if word in STOPWORDS or word in QUESTION_WORDS or len(word) < 2:
            continue
        out.append(stem(word))
    return out


# --- sentences -------------------------------------------------------------------------------

_ABBREVIATIONS = (
    "e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "prof", "no", "nos", "vol", "fig", "st", "cf",
    "approx", "inc", "ltd", "co", "para", "paras", "sec", "vs", "p", "pp", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "cllr", "rev", "gov",
)
#: Characters before a full stop examined for an abbreviation or initial (longer than any).
_TAIL_CHARS = 64
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•\-])")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, respecting abbreviations and numbered items like '1.1'."""
    text = text.strip()
    if not text:
        return []
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        # Only the candidate's end decides; looking at all of it made long runs of
        # abbreviations quadratic (68 KB of "Dr. X and Mr. Y" took 27 s).
        candidate = text[max(start, end - _TAIL_CHARS):end].rstrip()
        last_word = re.findall(r"([A-Za-z.]+)\.?$", candidate)
        token = last_word[0].rstrip(".").lower() if last_word else ""
        if token in _ABBREVIATIONS or re.search(r"(^|\s)[A-Z]\.$", candidate):
            continue
        if end - start < 12 and re.search(r"(^|\s)\d+(\.\d+)*\.$", candidate):
            continue  # a bare number like "4." is a list marker, not a sentence
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return [p for p in pieces if p]

"""Mine the themes a corpus covers: curated safeguarding themes matched with synonyms, plus
frequent key phrases of the documents themselves, each with the passages that support it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from knowledge.learning.types import ThemeCount
from knowledge.learning.vocabulary import contains_run, keys, vocabulary_groups
from knowledge.text import STOPWORDS, normalise, split_sentences

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
#: Phrases every partnership document uses; they say nothing about a theme.
GENERIC_PHRASES = frozenset("""
young people|children young|children young people|safeguarding children|safeguarding partnership
|safeguarding children partnership|safeguarding partners|local authority|social care
|children's social care|childrens social care|annual report|safeguarding arrangements
|statutory partners|key points|next steps|local safeguarding|partnership board|executive group
|working together|relevant agencies|safeguarding board|local safeguarding children|year ahead
|independent scrutiny|independent scrutineer|clinical commissioning group|integrated care board
|chief officer|chief constable|director children|children's services|childrens services
|families partnership|partnership arrangements|business unit|subgroup|sub group|see appendix
|city council|county council|last year|previous year|this year|financial year|report sets
""".replace("\n", "").split("|"))
#: Words that make a phrase administrative rather than a theme.
_ADMIN_WORDS = frozenset("""page appendix contents table figure chart report reports meeting
meetings minutes agenda chair chairs email telephone www http https org gov uk pdf date dated
document section paragraph committee panel member members business analyst team teams governance
board boards subgroup subgroups website newsletter group groups""".split())
#: Words too general to make a phrase a theme ("protect children", "three statutory").
_GENERIC_WORDS = frozenset("""children child young people partnership partnerships partners partner
safeguarding safeguard family families three two four five six seven including across ensure
well new key many number year lead delegated local statutory wide work working make sure keep
keeping protect protecting best effective settings""".split())


def mine_themes(kb, *, partnership: str | None = None, min_phrase_passages: int = 3,
                max_phrases: int = 15) -> list[ThemeCount]:
    """Curated themes (by passages, most first), then mined phrases (by passages)."""
    groups = vocabulary_groups()
    theme_passages: Counter[str] = Counter()
    theme_docs: dict[str, set[str]] = defaultdict(set)
    phrase_passages: Counter[str] = Counter()
    phrase_docs: dict[str, set[str]] = defaultdict(set)
    common: set[str] = set()  # phrases seen in lower case at least once (not proper names)
    name_words = _name_words(kb, partnership)
    wanted = partnership.lower() if partnership else None
    for passage in kb.index.iter_passages():
        if wanted and passage.partnership.lower() != wanted:
            continue
        text = f"{passage.section or ''}\n{passage.text}"
        text_keys = keys(text)
        for group in groups:
            if group.found_in(text_keys):
                theme_passages[group.label] += 1
                theme_docs[group.label].add(passage.doc_id)
        for phrase, lower in _phrases(passage.text, name_words).items():
            phrase_passages[phrase] += 1
            phrase_docs[phrase].add(passage.doc_id)
            if lower:
                common.add(phrase)
    out = [ThemeCount(name, count, "vocabulary", len(theme_docs[name]))
           for name, count in theme_passages.most_common()]
    covered = [alt for g in groups for alt in g.alternatives]
    chosen: list[str] = []
    multi_doc = len({d for docs in phrase_docs.values() for d in docs}) > 1
    for phrase, count in sorted(phrase_passages.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(chosen) >= max_phrases or count < min_phrase_passages:
            break
        if phrase not in common or multi_doc and len(phrase_docs[phrase]) < 2:
            continue  # one document's house phrase, not a theme of the corpus
        phrase_keys = keys(phrase)
        if any(contains_run(phrase_keys, alt) or contains_run(alt, phrase_keys)
               for alt in covered):
            continue  # already a curated theme
        if any(phrase in other or other in phrase for other in chosen):
            continue
        chosen.append(phrase)
        out.append(ThemeCount(phrase, count, "phrase", len(phrase_docs[phrase])))
    return out


def _name_words(kb, partnership: str | None) -> set[str]:
    """Words of partnership names: 'Northshire' is where, not what."""
    out: set[str] = set()
    for doc in kb.documents():
        for word in _TOKEN.findall(doc.partnership or ""):
            if word.lower() not in {"safeguarding", "children", "partnership", "board"}:
                out.add(word.lower())
    if partnership:
        out.update(w.lower() for w in _TOKEN.findall(partnership))
    return out


def _phrases(text: str, name_words: set[str]) -> dict[str, bool]:
    """Two- and three-word runs of content words within one sentence (distinct per passage),
    each with whether it was ever written in lower case (a name never is)."""
    found: dict[str, bool] = {}
    for line in normalise_lines(text):
        for sentence in split_sentences(line):
            raw = _TOKEN.findall(sentence)
            tokens = [t.lower() for t in raw]
            acronym = [len(t) > 1 and t.isupper() for t in raw]
            for size in (2, 3):
                for i in range(len(tokens) - size + 1):
                    run = tokens[i:i + size]
                    if any(acronym[i:i + size]) or any(_blocked(t, name_words) for t in run):
                        continue
                    if any(t in _GENERIC_WORDS for t in run):
                        continue
                    phrase = " ".join(run)
                    if phrase not in GENERIC_PHRASES:
                        lower = any(not t[0].isupper() for t in raw[i:i + size])
                        found[phrase] = found.get(phrase, False) or lower
    return found


def normalise_lines(text: str) -> list[str]:
    return [normalise(line) for line in text.split("\n") if line.strip()]


def _blocked(token: str, name_words: set[str]) -> bool:
    token = token.replace("’", "'")
    return (token in STOPWORDS or len(token) < 3 or token in _ADMIN_WORDS or token in name_words
            or token.endswith("'s") or token.endswith("'"))

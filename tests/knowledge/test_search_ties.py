"""Equal scores are ordered by passage id, so two indexes of the same documents, stored in any
order, answer alike (a paragraph repeated in two documents scores the same in both)."""

from __future__ import annotations

from knowledge.search.index import SqliteIndex
from knowledge.types import DocumentInfo, Passage

REPEATED = "Referrals about a child at risk go to the front door team by telephone."


def documents(n: int) -> list[tuple[DocumentInfo, list[Passage]]]:
    out = []
    for d in range(n):
        doc = DocumentInfo(doc_id=f"doc{d}", source=f"/docs/{d}.md", title=f"Guide {d}",
                           partnership="Northshire Safeguarding Children Partnership",
                           doc_type="procedure", content_hash=str(d), passages=1)
        out.append((doc, [Passage(id=f"p{(7 * d) % n:02d}", doc_id=doc.doc_id, text=REPEATED,
                                  position=0, title="Guide")]))
    return out


def stored(tmp_path, name: str, order: list[int], glossary_order: list[str]) -> SqliteIndex:
    index = SqliteIndex(tmp_path / f"{name}.sqlite")
    docs = documents(len(order))
    for n, d in enumerate(order):
        doc, passages = docs[d]
        expansion = glossary_order[n % len(glossary_order)]
        index.replace_document(doc, passages, {"FDT": expansion})
    return index


def test_tied_passages_are_cut_and_ordered_by_id_whatever_the_storage_order(tmp_path):
    forward = stored(tmp_path, "forward", list(range(12)), ["Front Door Team"])
    backward = stored(tmp_path, "backward", list(range(11, -1, -1)), ["Front Door Team"])
    for partnership in (None, "Northshire Safeguarding Children Partnership"):
        a = forward.search(["referrals", "front", "door"], 5, partnership)
        b = backward.search(["referrals", "front", "door"], 5, partnership)
        assert a == b and [pid for pid, _ in a] == ["p00", "p01", "p02", "p03", "p04"]


def test_a_glossary_tie_goes_to_the_same_expansion_whatever_the_storage_order(tmp_path):
    one = stored(tmp_path, "one", list(range(4)), ["Front Door Team", "First Duty Team"])
    other = stored(tmp_path, "other", list(range(4)), ["First Duty Team", "Front Door Team"])
    assert one.glossary() == other.glossary() == {"FDT": "First Duty Team"}

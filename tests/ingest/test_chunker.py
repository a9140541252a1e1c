"""Passages: quotable, section-labelled, bounded in size and never cut mid-sentence."""

from __future__ import annotations

import pytest

from ingest.chunker import SectionChunker
from ingest.cleaning import Block
from knowledge.errors import InvalidArgument
from knowledge.text import split_sentences

SENTENCES = [
    "The Safeguarding Practice Review Group meets every month to consider new notifications.",
    "It decides within fifteen working days whether a rapid review is needed.",
    "Dr. Ellis from the ICB chairs the group when the police lead is unavailable, e.g. in August.",
    "Each review's action plan is tracked until the Executive agrees that it is complete.",
    "Learning is shared through seven-minute briefings and webinars across the county.",
    "Practitioners should read the briefing with their team and agree what will change.",
]
LONG = " ".join(SENTENCES * 3)


def test_constructor_validates_sizes():
    with pytest.raises(InvalidArgument, match="max_chars"):
        SectionChunker(max_chars=50)
    with pytest.raises(InvalidArgument, match="min_chars"):
        SectionChunker(max_chars=300, min_chars=300)
    with pytest.raises(InvalidArgument, match="min_chars"):
        SectionChunker(max_chars=300, min_chars=-1)


@pytest.mark.parametrize("max_chars", [150, 300, 700])
def test_long_paragraphs_split_on_sentence_boundaries_within_the_limit(max_chars):
    chunks = SectionChunker(max_chars=max_chars, min_chars=0).chunk([Block("para", LONG, 3)])
    assert len(chunks) > 1
    assert all(len(c.text) <= max_chars for c in chunks)
    assert " ".join(c.text for c in chunks) == LONG  # nothing lost, nothing reordered
    whole = split_sentences(LONG)
    for chunk in chunks:
        assert chunk.text.endswith(".")
        assert all(sentence in whole for sentence in split_sentences(chunk.text))
        assert chunk.page == 3


def test_abbreviations_do_not_end_a_passage():
    chunks = SectionChunker(max_chars=150, min_chars=0).chunk([Block("para", LONG, 1)])
    assert not any(c.text.endswith(("Dr.", "e.g.")) for c in chunks)


def test_sections_follow_headings_and_minor_headings():
    blocks = [
        Block("heading", "4. Structure and Governance", 2, 1),
        Block("para", SENTENCES[0] + " " + SENTENCES[1], 2),
        Block("heading", "Who attends", 2, 2),
        Block("para", SENTENCES[3] + " " + SENTENCES[4], 3),
        Block("heading", "5. Relevant Agencies", 3, 1),
        Block("para", SENTENCES[5] + " " + SENTENCES[0], 3),
    ]
    chunks = SectionChunker().chunk(blocks)
    assert [(c.section, c.page) for c in chunks] == [
        ("4. Structure and Governance", 2), ("Who attends", 3), ("5. Relevant Agencies", 3)]


def test_text_before_any_heading_has_no_section():
    chunks = SectionChunker().chunk([Block("para", LONG[:200], 1)])
    assert chunks[0].section is None


def test_short_blocks_merge_but_never_across_a_heading():
    blocks = [Block("para", "Short one.", 1), Block("para", "Short two.", 1),
              Block("heading", "Next Section", 1, 1), Block("para", "Short three.", 1)]
    chunks = SectionChunker(max_chars=300, min_chars=160).chunk(blocks)
    assert [c.text for c in chunks] == ["Short one.\nShort two.", "Short three."]


def test_a_list_stays_with_its_introduction():
    blocks = [Block("para", "The three safeguarding partners are:", 1),
              Block("bullet", "the local authority", 1), Block("bullet", "the police", 1),
              Block("bullet", "the integrated care board", 1)]
    chunks = SectionChunker(max_chars=300, min_chars=20).chunk(blocks)
    assert [c.text for c in chunks] == [
        "The three safeguarding partners are:\nthe local authority\nthe police\n"
        "the integrated care board"]


def test_a_long_list_is_split_between_items_within_the_limit():
    items = [f"item number {n} describes one relevant agency and its duties" for n in range(20)]
    blocks = [Block("para", "Relevant agencies are:", 1)] + [Block("bullet", t, 1) for t in items]
    chunks = SectionChunker(max_chars=200, min_chars=20).chunk(blocks)
    assert len(chunks) > 1 and all(len(c.text) <= 200 for c in chunks)
    assert [line for c in chunks for line in c.text.split("\n")][1:] == items


def test_no_chunks_from_no_blocks():
    assert SectionChunker().chunk([]) == []

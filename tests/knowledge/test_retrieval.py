import numpy as np
import pytest

from knowledge.errors import InvalidArgument
from knowledge.search.retriever import HybridRetriever, lexical_terms


class _Rankings:
    """A store double returning fixed rankings: only ranking order matters to RRF."""

    def __init__(self, ranking):
        self.ranking = ranking

    def query(self, vector, k, partnership=None, doc_types=None):
        return self.ranking[:k]

    def search(self, terms, k, partnership=None, doc_types=None):
        return self.ranking[:k]


class _Registry(_Rankings):
    def __init__(self, ranking, visible):
        super().__init__(ranking)
        self.visible = visible

    def passages(self, ids):
        from knowledge.types import Passage

        return {i: Passage(i, "d", i, 0) for i in ids if i in self.visible}


def test_rank_fusion_rewards_agreement_and_hides_unregistered_ids():
    dense = _Rankings([("a", 0.9), ("b", 0.8), ("ghost", 0.7)])
    lexical = _Registry([("b", 9.0), ("c", 5.0), ("a", 1.0)], visible={"a", "b", "c"})
    retriever = HybridRetriever(lexical, dense, embedder=None)
    hits = retriever.retrieve("q", 3, query_vector=np.zeros(4))
    assert [h.passage.id for h in hits] == ["b", "a", "c"]  # b: ranks 2+1, a: 1+3
    assert all(h.passage.id != "ghost" for h in hits)  # a stale vector stays invisible
    assert hits[0].dense_rank == 2 and hits[0].lexical_rank == 1


@pytest.mark.parametrize("kwargs", [{"candidates": 0}, {"rrf_k": 0},
                                    {"dense_weight": 0, "lexical_weight": 0},
                                    {"dense_weight": -1}])
def test_bad_arguments_are_rejected(kwargs):
    with pytest.raises(InvalidArgument):
        HybridRetriever(None, None, None, **kwargs)


def test_lexical_terms_drop_question_and_stop_words():
    assert lexical_terms("Who chairs the NSCP's review group?") == ["chairs", "nscp", "review",
                                                                    "group"]


def test_search_finds_passages_and_filters_by_document_type(sample_kb):
    hits = sample_kb.search("rapid review within 15 working days", k=5)
    assert hits and any("15 working days" in h.passage.text for h in hits)
    only_guidance = sample_kb.search("rapid review", k=5, doc_types=["threshold_guidance"])
    assert all(h.passage.doc_type == "threshold_guidance" for h in only_guidance)


def test_a_one_character_label_is_searched_as_a_phrase_with_its_word():
    assert lexical_terms("What did the Child N review find?") == ["child", "review", "find",
                                                                  "child n"]
    assert lexical_terms("what happens at stage 3 and in Part B") == [
        "happens", "stage", "part", "stage 3", "part b"]
    # a pronoun, a year span and a decimal are not labels
    assert lexical_terms("can I see section 2.1 in 2024-25") == ["see", "section", "2024-25"]


def test_the_label_phrase_ranks_the_named_case_first(tmp_path):
    from knowledge.search.index import SqliteIndex
    from knowledge.types import DocumentInfo, Passage

    index = SqliteIndex(tmp_path / "index.sqlite")
    doc = DocumentInfo("d1", "brief.md", "Wyvern Bay reviews", "Wyvern Bay SCP", "other", "h")
    texts = ["The Child T review found that the family moved often and records were lost.",
             "The Child Q review found that the school raised concerns twice.",
             "Child N was known to the health visitor and the review found gaps in support.",
             "The review found the mother was not asked about the father of the child."]
    index.replace_document(doc, [Passage(f"p{i}", "d1", t, i) for i, t in enumerate(texts)], {})
    hits = index.search(lexical_terms("what did the Child N review find?"), 4)
    assert hits[0][0] == "p2"
    index.close()


def test_the_knowledge_base_knows_national_acronyms_its_documents_never_define(kb_with):
    kb = kb_with({"northshire-report.md": (
        "# Northshire Annual Report\n\n## 4. Figures\n\n"
        "The number of children looked after fell to 512 during the year. The Northshire "
        "Designated Safeguarding Liaison (DSL) network met four times.\n")})
    glossary = kb.glossary()
    assert "CLA" not in kb.index.glossary() and glossary["CLA"] == "children looked after"
    assert glossary["DSL"] == "Designated Safeguarding Liaison"  # the document wins


def test_the_answerer_reads_the_full_answer_depth(kb_with, monkeypatch):
    from knowledge import kb as kb_module

    kb = kb_with({f"northshire-{i}.md": f"# Northshire note {i}\n\nThe panel meets on day {i}."
                  for i in range(kb_module.ANSWER_PASSAGES + 2)})
    seen = {}
    original = kb.answerer.answer

    def spy(question, retrieved, **kwargs):
        seen["n"] = len(retrieved)
        return original(question, retrieved, **kwargs)

    monkeypatch.setattr(kb.answerer, "answer", spy)
    kb.ask("when does the panel meet?")
    assert seen["n"] == kb_module.ANSWER_PASSAGES


def test_fused_ties_keep_the_dense_ranking_first():
    """Rank 1 in one ranking only scores the same as rank 1 in the other only."""
    for dense, lexical in (([("z", 0.9)], [("a", 9.0)]), ([("a", 0.9)], [("z", 9.0)])):
        retriever = HybridRetriever(_Registry(lexical, visible={"a", "z"}), _Rankings(dense),
                                    embedder=None)
        hits = retriever.retrieve("q", 2, query_vector=np.zeros(4))
        assert [h.passage.id for h in hits] == [dense[0][0], lexical[0][0]]

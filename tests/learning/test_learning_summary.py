"""LearningSummariser on the sample corpus and on small corpora built per test (fake embedder)."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.errors import InvalidArgument, NotIndexed
from knowledge.learning import LearningSummariser, LearningSummary, ThemeCount, period_end
from knowledge.learning.vocabulary import keys, theme_groups
from knowledge.text import match_key
from tests.learning.conftest import brief


def assert_cited_verbatim(kb, summary: LearningSummary) -> None:
    """Every point is a verbatim slice of the passage its citation names."""
    passages = kb.index.passages([p.citation.passage_id for p in summary.points])
    for point in summary.points:
        passage = passages[point.citation.passage_id]
        assert point.text in passage.text
        assert point.citation.title == passage.title
        assert point.citation.section == passage.section
        assert point.citation.page == passage.page
        assert point.citation.text == point.text


def assert_distinct(summary: LearningSummary) -> None:
    texts = [match_key(p.text) for p in summary.points]
    assert len(set(texts)) == len(texts)
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert a not in b and b not in a
            ka, kb_ = set(keys(a)), set(keys(b))
            assert len(ka & kb_) / len(ka | kb_) < 0.6


def assert_about(summary: LearningSummary, kb) -> None:
    """Each point shows the theme in the sentence itself or in its passage."""
    groups = theme_groups(summary.theme)
    passages = kb.index.passages([p.citation.passage_id for p in summary.points])
    for point in summary.points:
        passage = passages[point.citation.passage_id]
        around = keys(f"{passage.section or ''} {passage.title} {passage.text}")
        assert any(g.found_in(keys(point.text)) for g in groups) or \
            all(g.found_in(around) for g in groups)


@pytest.mark.parametrize("theme", ["babies and fathers", "neglect", "domestic abuse"])
def test_well_covered_theme_gives_distinct_cited_points(sample_kb, theme):
    summary = LearningSummariser(sample_kb).summarise(theme)
    assert not summary.thin
    assert 3 <= len(summary.points) <= 8
    assert_cited_verbatim(sample_kb, summary)
    assert_distinct(summary)
    assert_about(summary, sample_kb)
    assert summary.theme == theme and theme in summary.message


def test_points_are_grouped_by_source_document(sample_kb):
    summary = LearningSummariser(sample_kb).summarise("fathers")
    indices = [i for doc in summary.sources for i in doc.points]
    assert indices == list(range(len(summary.points)))  # each point once, in source order
    assert len({doc.source for doc in summary.sources}) == len(summary.sources)
    for doc, points in summary.groups():
        assert points and all(p.citation.source == doc.source for p in points)


def test_review_learning_outranks_other_document_types(sample_kb):
    summary = LearningSummariser(sample_kb).summarise("fathers")
    assert summary.sources[0].doc_type == "review_learning"
    best = max(summary.points, key=lambda p: p.score)
    assert best.citation.doc_type == "review_learning"


def test_absent_theme_is_thin_and_empty_with_suggestions(sample_kb):
    summariser = LearningSummariser(sample_kb)
    summary = summariser.summarise("quantum computing")
    assert summary.thin and summary.points == () and summary.sources == ()
    assert "quantum computing" in summary.message
    covered = {t.theme for t in summariser.themes()}
    assert summary.suggestions and set(summary.suggestions) <= covered


def test_weak_theme_is_thin_not_padded(make_kb):
    filler = [f"The partnership should review item {n} of its business plan by March." for n in
              range(12)]
    kb = make_kb({
        "review.md": brief("Learning Review of Child P", year="2024", sections={
            "Findings": ["Practitioners should ask about radicalisation when a teenager's online "
                         "contacts change suddenly."] + filler[:6],
            "Actions": filler[6:],
        }),
    })
    summary = LearningSummariser(kb).summarise("radicalisation")
    assert summary.thin
    assert len(summary.points) == 1
    assert "radicalisation" in summary.points[0].text
    assert "thin" in summary.message.lower()
    assert_cited_verbatim(kb, summary)


def test_sentences_without_the_theme_never_become_points(make_kb):
    kb = make_kb({
        "review.md": brief("Learning Review of Child Q", year="2024", sections={
            "Dental care": ["Dentists should share concerns about untreated dental decay with the "
                            "health visitor.",
                            "Missed dental appointments need to be followed up by the school "
                            "nurse.",
                            "Dental neglect should be recognised as a sign of wider neglect."],
            "Other learning": ["Managers must ensure supervision happens every month.",
                               "Practitioners should record the reasons for their decisions.",
                               "The learning must be shared across all agencies quickly."],
        }),
    })
    summary = LearningSummariser(kb).summarise("dental care")
    assert summary.points
    for point in summary.points:
        assert "dental" in point.text.lower()


def test_near_duplicates_are_merged_and_credited(make_kb):
    shared = ("Practitioners need to ask who else lives in the home when a baby is bruised, "
              "including fathers and male carers.")
    kb = make_kb({
        "a.md": brief("Review of Baby A", year="2024", sections={
            "Learning": [shared, "Bruising in a non-mobile baby must always be referred to "
                                 "children's social care the same day."]}),
        "b.md": brief("Review of Baby B", year="2024", sections={
            "Learning": [shared.replace("need to", "should"),
                         "Safe sleep advice should be repeated at every contact with a baby's "
                         "family."]}),
    })
    summary = LearningSummariser(kb).summarise("babies")
    texts = [p.text for p in summary.points]
    assert sum("who else lives in the home" in t for t in texts) == 1
    merged = next(p for p in summary.points if "who else lives in the home" in p.text)
    assert len(merged.also) == 1 and merged.also[0].title != merged.citation.title
    assert_distinct(summary)


def test_action_sentences_are_preferred(make_kb):
    facts = [f"In quarter {n} the team saw {n + 10} families where neglect was a concern." for n
             in range(1, 5)]
    actions = ["Practitioners should use the neglect tool at every home visit.",
               "Managers need to check that neglect plans say what will change for the child.",
               "We recommend that neglect training includes the impact on teenagers."]
    kb = make_kb({"r.md": brief("Neglect Learning Review", year="2024", sections={
        "Findings": facts[:2] + actions[:1] + facts[2:] + actions[1:]}),
    })
    summary = LearningSummariser(kb, min_points=1, max_points=3).summarise("neglect")
    assert sorted(p.text for p in summary.points) == sorted(actions)


def test_since_and_partnership_filter_documents(make_kb):
    sentence = "Practitioners should see neglect through the child's daily lived experience."
    kb = make_kb({
        "old.md": brief("Neglect Review 2019", year="2019", sections={
            "Learning": [sentence.replace("daily", "older"), "Neglect plans must be specific "
                         "about what needs to change and by when."]}),
        "new.md": brief("Neglect Review 2024/25", year="2024/25", sections={
            "Learning": [sentence, "Neglect should be discussed in every supervision of a "
                         "practitioner with a child on a plan."]}),
        "other.md": brief("Northshire Neglect Brief", year="2024", partnership="Northshire "
                          "Safeguarding Children Partnership", sections={
            "Learning": ["Neglect in Northshire should be tackled with the graded care profile "
                         "at every assessment."]}),
    })
    summariser = LearningSummariser(kb, min_points=1)
    everything = {s.title for s in summariser.summarise("neglect").sources}
    assert everything == {"Neglect Review 2019", "Neglect Review 2024/25",
                          "Northshire Neglect Brief"}
    recent = summariser.summarise("neglect", since=date(2025, 1, 1))
    assert {s.title for s in recent.sources} == {"Neglect Review 2024/25"}
    assert recent.since == date(2025, 1, 1) and "since 2025-01-01" in recent.message
    north = summariser.summarise("neglect", partnership="Northshire Safeguarding Children "
                                 "Partnership")
    assert {s.title for s in north.sources} == {"Northshire Neglect Brief"}


def test_themes_lists_what_the_corpus_covers_with_counts(sample_kb):
    summariser = LearningSummariser(sample_kb)
    themes = summariser.themes()
    assert themes and all(isinstance(t, ThemeCount) and t.passages > 0 for t in themes)
    by_name = {t.theme: t for t in themes}
    total = sample_kb.index.passage_count()
    mentioning = sum(1 for p in sample_kb.index.iter_passages()
                     if "neglect" in f"{p.section or ''} {p.text}".lower())
    assert mentioning <= by_name["neglect"].passages <= total
    assert by_name["fathers"].documents >= 2
    curated = [t.passages for t in themes if t.kind == "vocabulary"]
    assert curated == sorted(curated, reverse=True)
    assert any(t.kind == "phrase" for t in themes)
    assert summariser.themes(partnership="No Such Partnership") == []


def test_theme_counts_follow_the_corpus(make_kb):
    kb = make_kb({"r.md": brief("Review of Child R", year="2024", sections={
        "Exploitation": ["County lines exploitation was not recognised early enough.",
                         "Practitioners should treat exploited children as victims."],
        "Other": ["Supervision must happen monthly for every practitioner involved."]})})
    themes = {t.theme: t for t in LearningSummariser(kb).themes()}
    assert themes["exploitation"].passages >= 1
    assert "radicalisation" not in themes and "neglect" not in themes


def test_invalid_arguments_are_named():
    with pytest.raises(InvalidArgument, match="min_points"):
        LearningSummariser(object(), min_points=0)
    with pytest.raises(InvalidArgument, match="max_points"):
        LearningSummariser(object(), min_points=4, max_points=3)
    with pytest.raises(InvalidArgument, match="duplicate_similarity"):
        LearningSummariser(object(), duplicate_similarity=1.5)
    with pytest.raises(InvalidArgument, match="review_learning"):
        LearningSummariser(object(), doc_type_weights={"review_learning": 0})


def test_bad_themes_and_empty_index(sample_kb, tmp_path):
    from knowledge.kb import KnowledgeBase
    from tests.conftest import make_settings

    summariser = LearningSummariser(sample_kb)
    for theme in ("", "   ", "the and of"):
        with pytest.raises(InvalidArgument):
            summariser.summarise(theme)
    with pytest.raises(InvalidArgument, match="characters"):
        summariser.summarise("x" * 300)
    with pytest.raises(InvalidArgument, match="since"):
        summariser.summarise("neglect", since="2024")  # type: ignore[arg-type]
    with pytest.raises(NotIndexed):
        LearningSummariser(KnowledgeBase(make_settings(tmp_path / "empty"))).summarise("neglect")


def test_summary_to_dict_round_trips_the_points(sample_kb):
    summary = LearningSummariser(sample_kb, today=lambda: date(2025, 6, 1)).summarise("fathers")
    data = summary.to_dict()
    assert data["generated"] == "2025-06-01" and data["thin"] is False
    assert [p["text"] for p in data["points"]] == [p.text for p in summary.points]
    assert all(p["citation"]["location"].startswith(p["citation"]["title"])
               for p in data["points"])
    assert [s["title"] for s in data["sources"]] == [s.title for s in summary.sources]


@pytest.mark.parametrize("year,end", [("2022/23", 2023), ("2018", 2018), ("2020/30", 2020),
                                      ("2019-2020", 2020), (None, None), ("n.d.", None)])
def test_period_end(year, end):
    assert period_end(year) == end


def test_generic_theme_verbs_do_not_narrow_the_topic(sample_kb):
    """'protecting babies' is about babies: the brief's learning on babies must qualify even
    where the word 'protecting' is absent."""
    assert [g.label for g in theme_groups("protecting babies")] == ["babies"]
    summary = LearningSummariser(sample_kb).summarise("protecting babies")
    assert not summary.thin
    assert sum("bab" in p.text.lower() for p in summary.points) >= 3
    assert any(p.citation.doc_type == "review_learning" for p in summary.points)
    assert_cited_verbatim(sample_kb, summary)

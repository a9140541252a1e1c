from knowledge.search.glossary import (
    document_query,
    expand_query,
    extract_acronyms,
    extract_glossary_lines,
    with_national,
)
from knowledge.text import content_terms, match_key, split_sentences, stem, words


def test_sentences_respect_abbreviations_and_numbers():
    text = ("The plan (e.g. the MASA) is reviewed by Dr. Patel every 2.5 years. It was "
            "published in 2024. Section 4.1 sets out the SPRG. Is that right? Yes!")
    assert split_sentences(text) == [
        "The plan (e.g. the MASA) is reviewed by Dr. Patel every 2.5 years.",
        "It was published in 2024.",
        "Section 4.1 sets out the SPRG.",
        "Is that right?",
        "Yes!",
    ]


def test_match_key_ignores_case_quotes_and_spacing():
    assert match_key("The  NSCP’s “Annual”\nReport") == match_key("the nscp's annual report")


def test_words_drop_possessives_and_stems_match_variants():
    assert words("The NSCP's chair") == ["the", "nscp", "chair"]
    assert stem("chaired") == stem("chairs") == "chair"
    assert "who" not in content_terms("Who chairs the group?")


def test_acronyms_are_mined_from_definitions():
    text = ("The Safeguarding Practice Review Group (SPRG) meets monthly. The Child Death "
            "Overview Panel (CDOP) reports yearly. Local Safeguarding Children Groups (LSCGs) "
            "work in each district. Our partners (ICB, police) agree.")
    glossary = extract_acronyms(text)
    assert glossary["SPRG"] == "Safeguarding Practice Review Group"
    assert glossary["CDOP"] == "Child Death Overview Panel"
    assert glossary["LSCG"] == "Local Safeguarding Children Groups"
    assert "ICB" not in glossary  # no definition in the text


def test_queries_are_expanded_both_ways():
    glossary = {"SPRG": "Safeguarding Practice Review Group"}
    assert "Safeguarding Practice Review Group" in expand_query("who chairs SPRG?", glossary)
    assert expand_query("who chairs the safeguarding practice review group?",
                        glossary).endswith("SPRG")
    assert expand_query("who chairs the board?", glossary) == "who chairs the board?"


def test_glossary_list_lines_define_acronyms_by_the_words_that_spell_them():
    text = ("NSCB – Northshire Safeguarding Children Board, the predecessor of the NSCP\n"
            "DSL: Designated safeguarding lead\n"
            "ICB - Integrated Care Board\n"
            "Stage 3 – senior managers meet\n"
            "LADO – the officer who handles allegations\n")
    glossary = extract_glossary_lines(text)
    assert glossary == {"NSCB": "Northshire Safeguarding Children Board",
                        "DSL": "Designated safeguarding lead", "ICB": "Integrated Care Board"}
    assert extract_acronyms(text)["NSCB"] == "Northshire Safeguarding Children Board"


def test_a_parenthesised_definition_wins_over_a_glossary_line():
    text = ("The Wyvern Bay Partnership (WBP) leads.\n"
            "WBP – Wyvern Bay Partnership board\n")
    assert extract_acronyms(text)["WBP"] == "Wyvern Bay Partnership"


def test_a_linking_word_spells_a_letter_only_when_the_acronym_needs_it():
    text = ("The Quality Assurance and Performance Group (QAPG) meets monthly. The Wyvern Bay "
            "Safeguarding Partnership & Adults (WBSP&A) publishes the plan. Children and Young "
            "People (CYP) took part.")
    glossary = extract_acronyms(text)
    assert glossary["QAPG"] == "Quality Assurance and Performance Group"
    assert glossary["WBSP&A"] == "Wyvern Bay Safeguarding Partnership & Adults"
    assert glossary["CYP"] == "Children and Young People"


def test_everyday_words_are_searched_with_the_documents_wording():
    from knowledge.search.wording import document_wording

    assert document_wording("how many kids were on a CP plan in 24/25?") == [
        "children", "child protection", "2024-25"]
    assert document_wording("it's saturday night, who do I ring") == [
        "weekends", "out of hours", "contact telephone"]
    assert document_wording("how often does the group get together") == ["meet"]
    assert document_wording("who chairs the Wyvern Bay partnership?") == []
    # a date or a range of hours is not a financial year
    assert document_wording("on 12/05 from 10-12 in 2024-25") == []


def test_year_spans_in_the_wording_are_read_as_the_answer_checks_read_them():
    """One reader (knowledge.periods) serves search and answering: a long span is written as
    documents write it, and a price is not a financial year."""
    from knowledge.search.wording import document_wording

    assert document_wording("the budget for 2024/2025") == ["2024-25"]
    assert document_wording("the budget for 2023/24 and 24/25") == ["2023-24", "2024-25"]
    assert document_wording("tickets cost £24-25") == []


def test_the_expansion_carries_the_documents_wording_after_the_acronyms():
    glossary = {"DSP": "Designated Safeguarding Partner"}
    assert expand_query("who do I ring at the DSP?", glossary) == (
        "who do I ring at the DSP? Designated Safeguarding Partner contact telephone")


def test_national_acronyms_expand_unless_the_corpus_defines_them():
    glossary = with_national({"SIN": "Northshire Improvement Network"})
    assert glossary["SIN"] == "Northshire Improvement Network"  # the corpus wins
    assert "children looked after" in expand_query("how many CLA are there?", glossary)
    assert "UASC" in expand_query("unaccompanied asylum-seeking children numbers", glossary)
    # an acronym only when typed as one: the word "send" is not SEND
    assert expand_query("where do I send the form?", glossary) == "where do I send the form?"


def test_a_word_no_passage_contains_is_searched_as_the_documents_words():
    glossary = with_national({"NSPG": "Northshire Strategic Partnership Group"})
    df = {"cla": 0, "exec": 0, "nspg": 0, "march": 12, "cp": 4}
    assert document_query("how many CLA at 31 March, and who chairs the exec?", glossary, df) == (
        "how many children looked after at 31 March, and who chairs the executive?")
    assert document_query("does the NSPG meet?", glossary, df) == (
        "does the Northshire Strategic Partnership Group meet?")
    # a word some passage uses stays as typed (its expansion still ranks at half weight)
    assert document_query("how many on a CP plan?", glossary, df) == "how many on a CP plan?"

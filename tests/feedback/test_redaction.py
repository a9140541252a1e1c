"""The redactor on realistic UK examples: every personal item removed and labelled, and
safeguarding vocabulary left alone."""

from __future__ import annotations

import pytest

from knowledge.errors import InvalidArgument
from knowledge.feedback.redaction import Redactor, nhs_checksum_ok
from tests.feedback.redaction_cases import NEGATIVES, POSITIVES


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(keep_terms=["North", "Countywide", "Wyvernshire"])


def test_the_table_is_big_enough():
    assert len(POSITIVES) + len(NEGATIVES) >= 40
    labels = {label for _, items in POSITIVES for _, label in items}
    assert labels == {"NAME", "EMAIL", "PHONE", "POSTCODE", "NHS_NUMBER", "NI_NUMBER", "DOB",
                      "ADDRESS", "SCHOOL"}


@pytest.mark.parametrize(("text", "items"), POSITIVES,
                         ids=[f"pos{i}" for i in range(len(POSITIVES))])
def test_personal_data_is_removed_and_labelled(redactor, text, items):
    result = redactor.redact(text)
    for item, label in items:
        assert item not in result.text
        assert f"[{label}]" in result.text
    expected: dict[str, int] = {}
    for _, label in items:
        expected[label] = expected.get(label, 0) + 1
    assert dict(result.counts) == expected
    assert result.changed and result.total == len(items)


@pytest.mark.parametrize("text", NEGATIVES, ids=[f"neg{i}" for i in range(len(NEGATIVES))])
def test_ordinary_safeguarding_text_is_left_alone(redactor, text):
    result = redactor.redact(text)
    assert result.text == text
    assert not result.changed


def test_exact_output_of_a_typical_note(redactor):
    text = ("I spoke to Sarah Jones about the referral; she's on 07700 900123 and "
            "lives at 14 Elm Road, WV1 2AB.")
    assert redactor.redact(text).text == (
        "I spoke to [NAME] about the referral; she's on [PHONE] and lives at [ADDRESS], "
        "[POSTCODE].")


def test_redaction_is_idempotent(redactor):
    for text, _ in POSITIVES:
        once = redactor.redact(text).text
        assert redactor.redact(once).text == once


def test_keep_terms_protect_local_names():
    text = "Ashby Wells locality has long waits."
    assert Redactor(keep_terms=["Ashby Wells"]).redact(text).text == text


def test_nhs_checksum():
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")
    assert not nhs_checksum_ok("123")


def test_ten_digit_number_without_valid_checksum_or_cue_is_not_an_nhs_number(redactor):
    result = redactor.redact("Case reference 943 476 5918 closed.")
    assert "NHS_NUMBER" not in result.counts


def test_bad_arguments_are_named():
    with pytest.raises(InvalidArgument, match="not one string"):
        Redactor(keep_terms="North")
    with pytest.raises(InvalidArgument, match="must be a string, not int"):
        Redactor().redact(42)
    assert Redactor().redact("").text == ""

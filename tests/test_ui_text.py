"""Small pieces of text the pages build from numbers and user input."""

import pytest

from attention import ui


@pytest.mark.parametrize(
    "ratio, text",
    [
        (1.7e-4, "about 1/5,900"),
        (0.05, "about 1/20"),
        (0.42, "0.42"),
        (4.8, "4.8 times"),
        (12345.6, "12,346 times"),
        (0.0, "none"),
    ],
)
def test_ratios_read_without_e_notation(ratio, text):
    assert ui.as_fraction(ratio) == text


def test_markdown_in_user_text_is_escaped():
    assert ui.escape_markdown("**bold** [a](b) <i>") == (
        r"\*\*bold\*\* \[a\]\(b\) \<i\>"
    )


def test_unique_labels_number_repeated_words():
    assert ui.unique_labels(["the", "bank", "the"]) == ["the (1)", "bank", "the (3)"]


def test_slug_makes_a_plain_file_name():
    assert ui.slug("weights", "Apple", "naïve", "t", 0.5) == "weights-apple-na-ve-t-0-5"


def test_addresses_in_user_text_do_not_become_links():
    shown = ui.escape_markdown("see www.example.test or http://x.test, a@b.test")
    assert "www." not in shown and "://" not in shown and "a@" not in shown
    assert shown.replace("\u200b", "").replace("\\", "") == (
        "see www.example.test or http://x.test, a@b.test"
    )

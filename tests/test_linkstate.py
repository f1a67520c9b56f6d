"""Reading settings from a link: plain values in, a value or a plain error out."""

import pytest

from attention import linkstate


@pytest.mark.parametrize(
    "raw, value",
    [
        ("1", True),
        ("true", True),
        ("On", True),
        ("0", False),
        ("false", False),
        (" no ", False),
    ],
)
def test_flags(raw, value):
    assert linkstate.as_flag(raw) is value


@pytest.mark.parametrize("raw", ["", "maybe", "2", "flase"])
def test_flags_reject_other_words(raw):
    with pytest.raises(ValueError, match="not on/off"):
        linkstate.as_flag(raw)


def test_numbers_in_range():
    layer = linkstate.as_number(1, 6, integer=True)
    assert layer("3") == 3 and isinstance(layer("3"), int)
    assert layer("4.0") == 4
    temperature = linkstate.as_number(0.1, 5.0)
    assert temperature("0.5") == 0.5


@pytest.mark.parametrize(
    "raw, message",
    [
        ("7", "outside 1 to 6"),
        ("-1", "outside"),
        ("2.5", "not a whole number"),
        ("abc", "not a number"),
        ("nan", "not a number"),
        ("1e309", "not a finite number"),
        ("", "not a number"),
    ],
)
def test_numbers_say_what_is_wrong(raw, message):
    with pytest.raises(ValueError, match=message):
        linkstate.as_number(1, 6, integer=True)(raw)


def test_choices_map_link_text_to_the_option():
    parse = linkstate.as_choice([1, 2, 3])
    assert parse("2") == 2
    with pytest.raises(ValueError, match="not one of 1, 2, 3"):
        parse("9")


def test_text_has_a_length_limit():
    assert linkstate.as_text("river bank") == "river bank"
    with pytest.raises(ValueError, match="longer than"):
        linkstate.as_text("x" * (linkstate.MAX_TEXT + 1))


def test_weights_tables_round_trip():
    table = [[0.7, 0.2, 0.1], [0.25, 0.7, 0.05], [0.1, 0.2, 0.7]]
    assert linkstate.as_weights(linkstate.weights_text(table), 3) == table


@pytest.mark.parametrize(
    "raw, message",
    [
        ("1,0;0,1", "not 3 x 3"),
        ("1,0,0;0,1,0;0,0", "not 3 x 3"),
        ("1,0,0;0,x,0;0,0,1", "not a number"),
        ("1,0,0;0,-1,0;0,0,1", "negative"),
        ("1,0,0;0,inf,0;0,0,1", "infinite"),
        ("", "not 3 x 3"),
    ],
)
def test_weights_tables_say_what_is_wrong(raw, message):
    with pytest.raises(ValueError, match=message):
        linkstate.as_weights(raw, 3)


@pytest.mark.parametrize("raw", ["١", "1e-400", "0x1", "1e0"])
def test_whole_numbers_are_written_plainly(raw):
    with pytest.raises(ValueError):
        linkstate.as_number(0, 6, integer=True)(raw)

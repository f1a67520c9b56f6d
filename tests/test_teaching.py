"""The teaching model against the example tables and the senses of "apple"."""

import numpy as np
import pytest

from attention import teaching

# the two example tables, typed in again from the lesson text, rows are queries
MONEY_BANK_GROWS = [[0.70, 0.20, 0.10], [0.25, 0.70, 0.05], [0.10, 0.20, 0.70]]
RIVER_BANK_FLOWS = [[0.80, 0.15, 0.05], [0.20, 0.78, 0.02], [0.40, 0.01, 0.59]]


@pytest.mark.parametrize(
    "sentence, table",
    [("money bank grows", MONEY_BANK_GROWS), ("river bank flows", RIVER_BANK_FLOWS)],
)
def test_weights_match_the_example_tables(sentence, table):
    weights = teaching.model().run(sentence.split()).step.weights
    assert np.max(np.abs(weights - np.array(table))) <= 0.02
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)


def largest_other(sentence, word):
    words = sentence.split()
    weights = teaching.model().run(words).step.weights
    i = [w.lower() for w in words].index(word)
    others = [j for j in range(len(words)) if j != i]
    return words[max(others, key=lambda j: weights[i, j])]


def test_apple_attends_most_to_phone():
    assert largest_other("Apple launched a new phone", "apple") == "phone"


@pytest.mark.parametrize(
    "sentence, food",
    [
        ("she ate a sweet apple pie", {"pie", "sweet", "ate"}),
        ("I ate an apple and a banana", {"banana", "ate"}),
    ],
)
def test_apple_attends_most_to_a_food_word(sentence, food):
    assert largest_other(sentence, "apple") in food


def test_case_is_ignored_for_static_vectors():
    e = teaching.embed(["Apple", "apple", "APPLE"])
    np.testing.assert_array_equal(e[0], e[1])
    np.testing.assert_array_equal(e[0], e[2])
    assert e[0][teaching.AXES.index("technology")] > 0


def test_unknown_words_are_zero_and_reported():
    words = teaching.split_words("the zyzzyva ate apple")
    assert words.words == ("the", "zyzzyva", "ate", "apple")
    assert words.unknown == (1,)
    np.testing.assert_array_equal(teaching.embed(["zyzzyva"]), np.zeros((1, 8)))


def test_split_words_reports_what_it_leaves_out():
    words = teaching.split_words("<b>hi</b> naïve café 🙂 bank's, bank!")
    assert words.words == ("b", "hi", "b", "naïve", "café", "bank's", "bank")
    assert "🙂" in words.ignored and "<" in words.ignored
    assert teaching.split_words("?!... 🙂").words == ()
    assert teaching.split_words("").words == ()


def test_split_words_caps_long_sentences():
    words = teaching.split_words(" ".join(["bank"] * 70))
    assert len(words.words) == teaching.MAX_WORDS
    assert words.truncated == 70 - teaching.MAX_WORDS


def test_repeated_words_keep_their_own_rows():
    run = teaching.model().run("the bank by the river bank".split())
    assert run.step.weights.shape == (6, 6)
    np.testing.assert_allclose(run.step.weights[1], run.step.weights[5])


def test_projections_are_e_times_w():
    m = teaching.model()
    run = m.run(["river", "bank"])
    np.testing.assert_allclose(run.query, run.static @ m.w_q)
    np.testing.assert_allclose(run.key, run.static @ m.w_k)
    np.testing.assert_allclose(run.value, run.static @ m.w_v)
    with pytest.raises(ValueError):
        m.w_q[0, 0] = 1.0


def test_contextual_is_the_weighted_sum_of_static_vectors():
    e = teaching.embed("money bank grows".split())
    y = teaching.contextual(MONEY_BANK_GROWS, e)
    # y_bank = 0.25 e_money + 0.7 e_bank + 0.05 e_grows, written out
    np.testing.assert_allclose(y[1], 0.25 * e[0] + 0.7 * e[1] + 0.05 * e[2])


def test_bank_moves_toward_money_and_toward_river():
    finance, water = teaching.AXES.index("finance"), teaching.AXES.index("water")
    e1 = teaching.embed("money bank grows".split())
    e2 = teaching.embed("river bank flows".split())
    y1 = teaching.contextual(MONEY_BANK_GROWS, e1)[1]
    y2 = teaching.contextual(RIVER_BANK_FLOWS, e2)[1]
    assert y1[finance] > e1[1, finance] and y1[water] < e1[1, water]
    assert y2[water] > e2[1, water] and y2[finance] < e2[1, finance]


def test_example_weights_come_from_the_table_or_the_model():
    weights, source = teaching.example_weights(["River", "bank", "flows"])
    np.testing.assert_array_equal(weights, RIVER_BANK_FLOWS)
    assert source == "the example table"
    weights, source = teaching.example_weights(["bank", "river"])
    assert source == "the teaching model"
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)


def test_clean_weights_renormalises_and_reports():
    edited = [[2.0, 2.0], [0.5, 0.5]]
    table, notes = teaching.clean_weights(edited, [[0.5, 0.5], [0.5, 0.5]])
    np.testing.assert_allclose(table, [[0.5, 0.5], [0.5, 0.5]])
    assert any("renormalised" in n for n in notes)


def test_clean_weights_replaces_blank_negative_and_text_cells():
    preset = [[0.7, 0.3], [0.4, 0.6]]
    table, notes = teaching.clean_weights([[None, 0.3], [-1.0, "abc"]], preset)
    np.testing.assert_allclose(table, preset)
    assert not np.isnan(table).any()
    assert "3 blank, negative or non-numeric" in notes[0]


def test_clean_weights_spreads_an_all_zero_row():
    table, notes = teaching.clean_weights([[0.0, 0.0], [0.2, 0.8]], [[1, 0], [0, 1]])
    np.testing.assert_allclose(table, [[0.5, 0.5], [0.2, 0.8]])
    assert any("spread evenly" in n for n in notes)


def test_written_sum_uses_the_live_numbers():
    text = teaching.written_sum([0.8, 0.15, 0.05], ["river", "bank", "flows"], "V")
    assert text == "0.80*V_river + 0.15*V_bank + 0.05*V_flows"


def test_small_rnn_has_the_asked_spectral_radius():
    _, w_h, _ = teaching.small_rnn(8, radius=0.7)
    assert np.max(np.abs(np.linalg.eigvals(w_h))) == pytest.approx(0.7)


def test_clean_weights_huge_entries_do_not_overflow():
    table, _ = teaching.clean_weights([[1e308, 1e308, 0.1]], [[0.2, 0.3, 0.5]])
    np.testing.assert_allclose(table.sum(axis=1), 1.0)
    np.testing.assert_allclose(table[0, :2], [0.5, 0.5])

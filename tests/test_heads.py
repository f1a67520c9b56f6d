"""Head functions against small matrices worked out by hand."""

import numpy as np
import pytest

from attention import heads


def shifted(n, k):  # n, k -> [n, n]
    """Every query puts all its weight k places along; the rest on itself."""
    w = np.zeros((n, n))
    for i in range(n):
        j = i + k
        w[i, j if 0 <= j < n else i] = 1.0
    return w


def test_hide_tokens_drops_rows_and_columns_and_renormalises():
    w = np.array(
        [
            [0.5, 0.25, 0.25],
            [0.2, 0.2, 0.6],
            [0.1, 0.3, 0.6],
        ]
    )
    hidden = heads.hide_tokens(w, [False, True, True])

    # rows 2 and 3 without column 1: [0.2, 0.6] / 0.8, [0.3, 0.6] / 0.9
    np.testing.assert_allclose(hidden, [[0.25, 0.75], [1 / 3, 2 / 3]])
    np.testing.assert_allclose(hidden.sum(axis=-1), 1.0)


def test_hide_tokens_works_on_every_head_at_once():
    rng = np.random.default_rng(0)
    w = rng.random((6, 12, 5, 5))
    w /= w.sum(axis=-1, keepdims=True)
    keep = np.array([False, True, True, True, False])

    hidden = heads.hide_tokens(w, keep)

    assert hidden.shape == (6, 12, 3, 3)
    np.testing.assert_allclose(hidden.sum(axis=-1), 1.0)
    one = w[2, 7][1:4, 1:4]
    np.testing.assert_allclose(hidden[2, 7], one / one.sum(axis=1, keepdims=True))


def test_hide_tokens_leaves_an_all_zero_row_at_zero():
    w = np.array([[0.0, 1.0], [0.5, 0.5]])
    hidden = heads.hide_tokens(w, [True, False])
    np.testing.assert_array_equal(hidden, [[0.0]])


def test_layer_average_is_the_mean_over_heads():
    a = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [0.5, 0.5]]])
    np.testing.assert_allclose(heads.layer_average(a), [[0.5, 0.5], [0.25, 0.75]])


def test_strongest_links_keeps_the_k_largest_per_row():
    w = np.array([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3]])
    np.testing.assert_allclose(
        heads.strongest_links(w, 2), [[0.0, 0.6, 0.3], [0.5, 0.0, 0.3]]
    )
    np.testing.assert_allclose(heads.strongest_links(w, 5), w)


def test_pattern_shares_of_a_shifted_diagonal():
    shares = heads.pattern_shares(shifted(4, 1))

    # three of four queries have a next token and all look at it
    assert shares["the next token"] == pytest.approx(1.0)
    assert shares["itself"] == pytest.approx(0.25)
    assert shares["the previous token"] == pytest.approx(0.0)


@pytest.mark.parametrize(
    "weights, pattern",
    [
        (np.eye(5), "itself"),
        (shifted(5, 1), "the next token"),
        (shifted(5, -1), "the previous token"),
        (np.full((5, 5), 0.2), "broad"),
    ],
    ids=["diagonal", "next", "previous", "uniform"],
)
def test_main_pattern_and_caption(weights, pattern):
    assert heads.main_pattern(weights)[0] == pattern
    caption = heads.describe_head(weights)
    assert (pattern if pattern != "broad" else "broadly") in caption


def test_caption_names_special_tokens_by_position():
    # every query gives 0.7 to the last token, [SEP]
    w = np.full((4, 4), 0.1)
    w[:, 3] = 0.7
    assert heads.main_pattern(w, cls=[0], sep=[3]) == ("[SEP]", pytest.approx(0.7))
    assert "[SEP]" in heads.describe_head(w, cls=[0], sep=[3])

    w = np.full((4, 4), 0.1)
    w[:, 0] = 0.7
    assert heads.main_pattern(w, cls=[0], sep=[3])[0] == "[CLS]"
    assert "70%" in heads.describe_head(w, cls=[0], sep=[3])
